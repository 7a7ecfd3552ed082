"""The office calendar: days off an admin declares beyond the national holidays and cuti
bersama, honoured by every SLA computation (the estimated finish of a submission, the last
day of a perbaikan), versioned and audited.

Each test removes the days off it declares, so the rest of the session counts working
days with the national calendar alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest

from eptsp.workdays import national_calendar, national_holidays, wita_date
from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.workflow_helpers import FISHING, Applicant, Officers, decide, status_becomes

NATIONAL = national_calendar()


@pytest.fixture(scope="module")
def admin(api) -> str:
    return demo_token(api, "admin")


@pytest.fixture(scope="module")
def applicant(api) -> Applicant:
    return Applicant(api, registered_applicant(api)[1])


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


def today() -> date:
    return wita_date(datetime.now(UTC))


@contextmanager
def day_off(api, admin: str, day: date, reason: str = "Kantor tutup: banjir") -> Iterator[dict]:
    response = api.put(
        f"/api/admin/calendar/{day.isoformat()}", token=admin, json={"kind": "penutupan_kantor", "reason": reason}
    )
    assert response.status_code == 201, response.text
    try:
        yield response.json()
    finally:
        current = api.get("/api/admin/calendar", token=admin, params={"year": day.year}).json()["officeDaysOff"]
        for entry in current:
            if entry["date"] == day.isoformat():
                removed = api.delete(
                    f"/api/admin/calendar/{day.isoformat()}", token=admin, params={"version": entry["version"]}
                )
                assert removed.status_code == 204, removed.text


def test_a_day_off_moves_the_estimated_finish_of_a_submission(api, admin, applicant):
    # Given the first working day an SLA counts from today (national calendar)
    closed = NATIONAL.add(today(), 1)
    received = datetime.now(UTC)
    without = NATIONAL.deadline(received, FISHING.sla_working_days)
    # When the office declares it closed and a file is submitted
    with day_off(api, admin, closed):
        submitted = applicant.submitted(FISHING)
    # Then its estimated finish is one working day later than the national calendar alone
    finish = date.fromisoformat(submitted["estimatedFinish"])
    assert (
        finish
        == NATIONAL.add(without, 1)
        == national_calendar(frozenset({closed})).deadline(received, FISHING.sla_working_days)
    )
    # And once the day off is removed, a new submission counts without it again
    again = applicant.submitted(FISHING)
    assert date.fromisoformat(again["estimatedFinish"]) == without


def test_a_perbaikan_deadline_never_ends_on_a_day_the_office_is_closed(api, admin, applicant, officers):
    # Given a file with the verifikator, and the last day its perbaikan would have
    submitted = applicant.submitted(FISHING)
    app_id = submitted["applicationId"]
    last = today() + timedelta(days=FISHING.perbaikan_days)
    while not NATIONAL.is_working_day(last):
        last += timedelta(days=1)
    # When the office is closed on that day and the file is sent back for perbaikan
    with day_off(api, admin, last):
        decide(
            api,
            officers,
            app_id,
            "verifikasi",
            "perbaikan",
            notes="KTP buram.",
            fix={"sections": [], "requirements": [FISHING.persyaratan[0].id]},
        )
        back = status_becomes(applicant, app_id, "perbaikan")
    # Then the applicant has until the next working day
    assert date.fromisoformat(back["perbaikan"]["deadline"]) == NATIONAL.add(last, 1)


def test_an_admin_keeps_the_office_calendar(api, admin):
    day = NATIONAL.add(today(), 30)
    path = f"/api/admin/calendar/{day.isoformat()}"
    body = {"kind": "libur_daerah", "reason": "Hari Jadi Provinsi Kalimantan Utara"}
    with day_off(api, admin, day, body["reason"]) as declared:
        assert declared["version"] == 1 and declared["kind"] == "penutupan_kantor"
        # The year's calendar lists it beside the national holidays and cuti bersama
        year = api.get("/api/admin/calendar", token=admin, params={"year": day.year}).json()
        assert day.isoformat() in [d["date"] for d in year["officeDaysOff"]]
        assert [(h["date"], h["name"]) for h in year["nationalHolidays"]] == [
            (d.isoformat(), name) for d, name in national_holidays(day.year)
        ]
        # Declaring it again without its version is a conflict; a stale version too
        assert api.put(path, token=admin, json=body).json()["code"] == "HARI_LIBUR_SUDAH_ADA"
        changed = api.put(path, token=admin, json={**body, "version": 1})
        assert changed.status_code == 200 and changed.json()["version"] == 2, changed.text
        stale = api.put(path, token=admin, json={**body, "reason": "Lain", "version": 1})
        assert stale.status_code == 409 and stale.json()["code"] == "VERSI_USANG", stale.text
        gone_stale = api.delete(path, token=admin, params={"version": 1})
        assert gone_stale.status_code == 409, gone_stale.text
    # Removed (by the context manager, at version 2): removing it again is 404
    assert api.delete(path, token=admin, params={"version": 2}).status_code == 404
    # Every change is in the audit trail, newest first, with before and after
    trail = api.get("/api/admin/catalogue/audit", token=admin, params={"limit": 10}).json()["items"]
    mine = [e for e in trail if e["targetId"] == day.isoformat()]
    assert [e["action"] for e in mine] == ["hapus", "ubah", "tambah"]
    assert all(e["target"] == "hari_libur" and e["actor"]["role"] == "admin" for e in mine)
    assert mine[1]["before"]["kind"] == "penutupan_kantor" and mine[1]["after"]["kind"] == "libur_daerah"
    assert mine[0]["after"] is None and mine[2]["before"] is None


def test_days_that_are_no_working_days_anyway_or_no_dates_are_refused(api, admin):
    this_year = today().year
    saturday = next(today() + timedelta(days=n) for n in range(1, 8) if (today() + timedelta(days=n)).weekday() == 5)
    holiday = national_holidays(this_year + 1)[0][0]  # Tahun Baru Masehi
    body = {"kind": "libur_daerah", "reason": "Libur daerah"}
    for day, code in [
        (saturday.isoformat(), "VALIDASI_GAGAL"),
        (holiday.isoformat(), "VALIDASI_GAGAL"),
        (f"{this_year + 5}-03-02", "VALIDASI_GAGAL"),  # too far ahead
        (f"{this_year}-02-30", "VALIDASI_GAGAL"),  # no such date
        ("29-11-2026", "VALIDASI_GAGAL"),
    ]:
        response = api.put(f"/api/admin/calendar/{day}", token=admin, json=body)
        assert response.status_code == 422 and response.json()["code"] == code, (day, response.text)
    # A reason that says nothing, an unknown kind
    weekday = NATIONAL.add(today(), 40).isoformat()
    for bad in ({**body, "reason": "   "}, {**body, "kind": "cuti"}, {**body, "tanggal": weekday}):
        response = api.put(f"/api/admin/calendar/{weekday}", token=admin, json=bad)
        assert response.status_code == 422, response.text
    # Removing needs the version read
    assert api.delete(f"/api/admin/calendar/{weekday}", token=admin).status_code == 422
