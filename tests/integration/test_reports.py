"""Officer reports and the public Kinerja page on moto, checked against hand calculations.

The seeded set is a documented fixture that drives the same path as the real flow: each
application is written to ApplicationsTable as submission leaves it (the META item: owner,
permit type, submission time, SLA, estimated finish, perbaikan pauses), and its workflow
events (``eptsp.events.ApplicationEvent``, as the workflow publishes them) are sent to the
notification queue, where the notifier's ``laporan`` channel counts them. Times are fixed
in the past (Feb-Apr 2025, through the Idul Fitri holidays) so every working day below is
counted by hand; one event is delivered twice and two arrive out of order. A separate
application goes through the real flow (Kirim, verifikasi, persetujuan, penerbitan).

Working days follow ``eptsp.workdays``: the day a file arrives does not count, weekends,
national holidays and cuti bersama do not count, nor the days a file was back with the
applicant for perbaikan. All times are 01:00 UTC (09:00 WITA) unless noted.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import boto3
import jwt
import pytest

from eptsp.events import ApplicationEvent
from local_stack.stack import REGION
from tests.integration.accounts_helpers import registered_applicant
from tests.integration.workflow_helpers import (
    CATALOGUE,
    RESEARCH,
    Applicant,
    Officers,
    decide,
    status_becomes,
    wait_for,
)

IZIN_A = {"id": "uji-laporan-a", "name": "Izin Uji Laporan A"}  # SLA 5 working days
IZIN_B = {"id": "uji-laporan-b", "name": "Izin Uji Laporan B"}  # SLA 3 working days
IZIN_K = {"id": "uji-kinerja", "name": "Izin Uji Kinerja"}  # SLA 2 working days
OWNER = "uji-laporan-pemilik"
RESEARCH_IZIN = next(
    izin.id
    for izin in CATALOGUE.izin
    for layanan in izin.layanan
    for jenis in layanan.jenis_permohonan
    if jenis.id == RESEARCH.id
)


def utc(day: str, time: str = "01:00") -> str:
    return f"{day}T{time}:00Z"


class Seed:
    """Writes fixture applications and queues their events."""

    def __init__(self, stack):
        ids = stack.provisioned.physical_ids
        dynamodb = boto3.resource("dynamodb", region_name=REGION)
        self.applications = dynamodb.Table(ids["ApplicationsTable"])
        self.reports = dynamodb.Table(ids["ReportsTable"])
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.queue = ids["NotificationQueue"]
        self.event_ids: list[str] = []

    def application(
        self,
        app_id: str,
        izin: dict,
        sla: int,
        submitted_at: str,
        estimated_finish: str,
        *,
        status: str,
        owner_id: str = OWNER,
        owner_username: str = "0000000000000000",
        pauses: list[tuple[str, str]] = (),
        perbaikan_requested_at: str | None = None,
    ) -> None:
        item = {
            "pk": f"PERMOHONAN#{app_id}",
            "sk": "META",
            "applicationId": app_id,
            "ownerId": owner_id,
            "ownerUsername": owner_username,
            "createdAt": submitted_at,
            "version": 2,
            "status": status,
            "receiptNumber": f"2502-UJI0-{app_id[-4:].upper()}",
            "submittedAt": submitted_at,
            "estimatedFinish": estimated_finish,
            "slaWorkingDays": sla,
            "stages": ["verifikasi", "teknis", "persetujuan"],
            "izin": izin,
            "layanan": {"id": "uji", "name": "Layanan Uji"},
            "jenisPermohonan": {"id": "uji-baru", "name": "Baru"},
            "sections": [],
            "persyaratan": [],
            "pauses": [{"start": s, "end": e} for s, e in pauses],
        }
        if perbaikan_requested_at:
            item["perbaikan"] = {
                "notes": "Lengkapi dokumen.",
                "sections": ["detail"],
                "requirements": [],
                "deadline": "2025-12-31",
                "requestedAt": perbaikan_requested_at,
            }
        self.applications.put_item(Item=item)

    def event(self, app_id: str, kind: str, at: str, stage: str | None = None, owner_id: str = OWNER, n: str = "1"):
        event = ApplicationEvent(
            event_id=f"{app_id}#{kind}#{n}",
            kind=kind,
            application_id=app_id,
            owner_id=owner_id,
            receipt_number=f"2502-UJI0-{app_id[-4:].upper()}",
            izin_name="Izin Uji",
            stage=stage,
            notes="Catatan uji." if kind in ("perbaikan", "ditolak") else None,
            occurred_at=at,
        )
        self.sqs.send_message(QueueUrl=self.queue, MessageBody=event.model_dump_json())
        self.event_ids.append(event.event_id)

    def counted(self) -> bool:
        """Every queued event claimed by the laporan channel."""
        return all(
            self.reports.get_item(Key={"pk": f"PERISTIWA#{event_id}", "sk": "LAPORAN"}, ConsistentRead=True).get("Item")
            for event_id in set(self.event_ids)
        )


def seed_summary_set(seed: Seed, run: str) -> None:
    a1, a2, a3, a4 = (f"{run}a{i}" for i in range(1, 5))
    b1, b2, b3, b4 = (f"{run}b{i}" for i in range(1, 5))
    # A1: Mon 3 Feb -> terbit Fri 7 Feb: 4 working days (SLA 5: on time).
    seed.application(a1, IZIN_A, 5, utc("2025-02-03"), "2025-02-10", status="terbit")
    seed.event(a1, "diajukan", utc("2025-02-03"), "verifikasi")
    seed.event(a1, "tahap_berubah", utc("2025-02-05"), "persetujuan")
    seed.event(a1, "disetujui", utc("2025-02-07"), "penerbitan")
    seed.event(a1, "terbit", utc("2025-02-07", "01:00"), "selesai")
    # A2: Mon 3 Mar, perbaikan Tue 4 Mar, back Mon 10 Mar (4 working days paused), terbit Thu 13 Mar:
    # 8 working days - 4 = 4 (on time; its estimated finish moved to 14 Mar). Approved and issued
    # within one second; its terbit event is delivered twice.
    seed.application(
        a2,
        IZIN_A,
        5,
        utc("2025-03-03"),
        "2025-03-14",
        status="terbit",
        pauses=[(utc("2025-03-04"), utc("2025-03-10"))],
        perbaikan_requested_at=utc("2025-03-04"),
    )
    seed.event(a2, "diajukan", utc("2025-03-03"), "verifikasi")
    seed.event(a2, "perbaikan", utc("2025-03-04"), "verifikasi")
    seed.event(a2, "diajukan_ulang", utc("2025-03-10"), "verifikasi")
    seed.event(a2, "tahap_berubah", utc("2025-03-11"), "persetujuan")
    seed.event(a2, "disetujui", utc("2025-03-13", "02:00"), "penerbitan")
    seed.event(a2, "terbit", utc("2025-03-13", "02:00"), "selesai")
    seed.event(a2, "terbit", utc("2025-03-13", "02:00"), "selesai")
    # A3: Mon 17 Mar -> ditolak Wed 9 Apr: 18-21, 24-27 Mar, 8-9 Apr = 10 working days
    # (28 Mar to 7 Apr are Nyepi, Idul Fitri and cuti bersama). Late, and finished in April.
    seed.application(a3, IZIN_A, 5, utc("2025-03-17"), "2025-03-24", status="ditolak")
    seed.event(a3, "diajukan", utc("2025-03-17"), "verifikasi")
    seed.event(a3, "tahap_berubah", utc("2025-03-19"), "persetujuan")
    seed.event(a3, "ditolak", utc("2025-04-09"), "selesai")
    # A4: Fri 21 Mar, still at verifikasi; due Tue 8 Apr (5 working days over the holidays): open and late.
    seed.application(a4, IZIN_A, 5, utc("2025-03-21"), "2025-04-08", status="diproses")
    seed.event(a4, "diajukan", utc("2025-03-21"), "verifikasi")
    # B1: Mon 10 Feb -> terbit Tue 18 Feb: 6 working days (SLA 3: late). A stage event delivered twice.
    seed.application(b1, IZIN_B, 3, utc("2025-02-10"), "2025-02-13", status="terbit")
    seed.event(b1, "diajukan", utc("2025-02-10"), "verifikasi")
    seed.event(b1, "tahap_berubah", utc("2025-02-11"), "teknis")
    seed.event(b1, "tahap_berubah", utc("2025-02-11"), "teknis")
    seed.event(b1, "tahap_berubah", utc("2025-02-14"), "persetujuan", n="2")
    seed.event(b1, "disetujui", utc("2025-02-18"), "penerbitan")
    seed.event(b1, "terbit", utc("2025-02-18"), "selesai")
    # B2: Tue 4 Mar, perbaikan Wed 5 Mar never sent back, ditolak at its deadline Thu 20 Mar:
    # 12 working days - 11 with the applicant = 1 (on time).
    seed.application(
        b2, IZIN_B, 3, utc("2025-03-04"), "2025-03-07", status="ditolak", perbaikan_requested_at=utc("2025-03-05")
    )
    seed.event(b2, "diajukan", utc("2025-03-04"), "verifikasi")
    seed.event(b2, "perbaikan", utc("2025-03-05"), "verifikasi")
    seed.event(b2, "ditolak", utc("2025-03-20"), "verifikasi", n="batas_perbaikan")
    # B3: Wed 26 Mar 23:30 WITA, back with the applicant: open, but its clock is stopped (not late).
    seed.application(
        b3,
        IZIN_B,
        3,
        utc("2025-03-26", "15:30"),
        "2025-04-09",
        status="perbaikan",
        perbaikan_requested_at=utc("2025-03-27"),
    )
    seed.event(b3, "diajukan", utc("2025-03-26", "15:30"), "verifikasi")
    seed.event(b3, "perbaikan", utc("2025-03-27"), "verifikasi")
    # B4: Fri 28 Feb 16:30 UTC is Sat 1 Mar 00:30 WITA: a March application. At teknis, due Wed 5 Mar:
    # open and late. Its stage event arrives before its submission event.
    seed.application(b4, IZIN_B, 3, utc("2025-02-28", "16:30"), "2025-03-05", status="diproses")
    seed.event(b4, "tahap_berubah", utc("2025-03-03"), "teknis")
    seed.event(b4, "diajukan", utc("2025-02-28", "16:30"), "verifikasi")


def kinerja_start(today: date) -> date:
    """The first day of the third month before this one: inside Kinerja's 12 months, before today."""
    month = today.year * 12 + today.month - 1 - 3
    return date(month // 12, month % 12 + 1, 1)


def seed_kinerja_set(seed: Seed, run: str, owner_id: str, owner_username: str) -> list[str]:
    """Five applications of IZIN_K (SLA 2): three finished the day they came (0 working days,
    on time, whatever the calendar), two finished 30 days later (at least 13 working days: late)."""
    start = kinerja_start(datetime.now(UTC).date())
    later = start + timedelta(days=30)
    ids = []
    for i, (finish, kind) in enumerate(
        [(start, "terbit"), (start, "terbit"), (start, "ditolak"), (later, "terbit"), (later, "ditolak")]
    ):
        app_id = f"{run}k{i + 1}"
        ids.append(app_id)
        seed.application(
            app_id,
            IZIN_K,
            2,
            utc(start.isoformat()),
            (start + timedelta(days=2)).isoformat(),
            status=kind,
            owner_id=owner_id,
            owner_username=owner_username,
        )
        seed.event(app_id, "diajukan", utc(start.isoformat()), "verifikasi", owner_id=owner_id)
        seed.event(app_id, kind, utc(finish.isoformat(), "05:00"), "selesai", owner_id=owner_id)
    return ids


# Survey IKM answers of the three respondents: NRR u1-u3 (4+4+3)/3, u4-u6 (4+3+3)/3, u7-u9 (4+2+3)/3;
# the mean of the nine NRRs is (11 + 10 + 9) / 9 = 3.3333, x 25 = 83.33: grade B, Baik.
SURVEYS = [[4] * 9, [4, 4, 4, 3, 3, 3, 2, 2, 2], [3] * 9]


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def seeded(stack, api):
    import uuid

    run = uuid.uuid4().hex[:8]
    body, token = registered_applicant(api)
    claims = jwt.decode(token, options={"verify_signature": False})
    seed = Seed(stack)
    seed_summary_set(seed, run)
    kinerja_ids = seed_kinerja_set(seed, run, claims["sub"], body["nik"])
    wait_for(seed.counted, timeout=60, what="every seeded event to be counted")
    for app_id, answers in zip(kinerja_ids, SURVEYS, strict=False):
        response = api.post(
            "/api/surveys",
            token=token,
            json={"applicationId": app_id, "answers": {f"u{i + 1}": a for i, a in enumerate(answers)}},
        )
        assert response.status_code in (200, 201), response.text
    return seed


def summary(api, token: str, start: str, end: str, **kwargs):
    return api.get("/api/officer/reports/summary", token=token, params={"from": start, "to": end}, **kwargs)


def row(rows: list[dict], key: str, value: str) -> dict:
    return next(r for r in rows if r[key] == value)


SLA_KEYS = ("submitted", "finished", "finishedOnTime", "finishedLate", "onTimeShare", "medianWorkingDays")


def sla(body: dict) -> tuple:
    return tuple(body[k] for k in SLA_KEYS)


def test_the_summary_matches_the_hand_calculation(api, seeded, officers):
    response = summary(api, officers.token("kepala"), "2025-02-01", "2025-03-31")
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.json()
    assert (body["fromDate"], body["toDate"]) == ("2025-02-01", "2025-03-31")
    # Submitted in Feb-Mar: A1-A4, B1-B4. Finished in Feb-Mar: A1 (4 days), A2 (4), B1 (6, late), B2 (1);
    # median of 1, 4, 4, 6 = 4.0; on time 3 of 4. Open and late: A4 (due 8 Apr), B4 (due 5 Mar).
    assert sla(body) == (8, 4, 3, 1, 75.0, 4.0)
    assert body["openLate"] == 2
    assert {s["status"]: s["count"] for s in body["byStatus"]} == {
        "diproses": 2,  # A4, B4
        "perbaikan": 1,  # B3
        "disetujui": 0,
        "terbit": 3,  # A1, A2, B1
        "ditolak": 2,  # A3 (in April), B2
    }
    assert row(body["byStatus"], "status", "perbaikan")["label"] == "Perlu perbaikan"
    assert {s["stage"]: s["count"] for s in body["byStage"]} == {
        "verifikasi": 2,  # A4, B3
        "teknis": 1,  # B4 (its late-arriving diajukan did not move it back)
        "persetujuan": 0,
        "penerbitan": 0,
    }
    a, b = row(body["byIzin"], "izinId", IZIN_A["id"]), row(body["byIzin"], "izinId", IZIN_B["id"])
    assert a["izinName"] == IZIN_A["name"]
    assert (*sla(a), a["openLate"]) == (4, 2, 2, 0, 100.0, 4.0, 1)  # A1, A2 on time; A4 open and late
    assert (*sla(b), b["openLate"]) == (4, 2, 1, 1, 50.0, 3.5, 1)  # B1 6 days, B2 1 day; B4
    # Every permit type of the catalogue is listed, with nothing counted for it in 2025.
    others = [r for r in body["byIzin"] if not r["izinId"].startswith("uji-")]
    assert len(others) >= 14 and all(sla(r) == (0, 0, 0, 0, None, None) and r["openLate"] == 0 for r in others)
    february, march = body["byMonth"]
    assert (february["month"], march["month"]) == ("2025-02", "2025-03")
    assert sla(february) == (2, 2, 1, 1, 50.0, 5.0)  # A1, B1 (B4 is a WITA March application)
    assert sla(march) == (6, 2, 2, 0, 100.0, 2.5)  # A2 (4), B2 (1)
    # Each month's applications by their status now: February's A1 and B1 were issued.
    assert [s["count"] for s in february["byStatus"]] == [0, 0, 0, 2, 0]
    # March's: A4, B4 diproses; B3 perbaikan; A2 terbit; A3, B2 ditolak.
    assert [(s["status"], s["count"]) for s in march["byStatus"]] == [
        ("diproses", 2),
        ("perbaikan", 1),
        ("disetujui", 0),
        ("terbit", 1),
        ("ditolak", 2),
    ]


def test_april_counts_what_finished_in_april(api, seeded, officers):
    body = summary(api, officers.token("admin"), "2025-04-01", "2025-04-30").json()
    # A3 was submitted in March and rejected on 9 Apr after 10 working days (SLA 5).
    assert sla(body) == (0, 1, 0, 1, 0.0, 10.0)
    assert body["openLate"] == 0  # nothing submitted in April
    assert all(s["count"] == 0 for s in body["byStatus"] + body["byStage"])
    assert sla(row(body["byIzin"], "izinId", IZIN_A["id"])) == (0, 1, 0, 1, 0.0, 10.0)
    assert [m["month"] for m in body["byMonth"]] == ["2025-04"]


def test_the_csv_export_has_the_same_figures(api, seeded, officers):
    token = officers.token("admin")
    for kwargs in ({"headers": {"Accept": "text/csv"}}, {}):
        params = {"from": "2025-02-01", "to": "2025-03-31", **({} if kwargs else {"format": "csv"})}
        response = api.get("/api/officer/reports/summary", token=token, params=params, **kwargs)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.headers["Content-Disposition"] == 'attachment; filename="laporan-2025-02-01_2025-03-31.csv"'
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        assert ["Periode", "2025-02-01 s.d. 2025-03-31"] in rows
        for expected in (
            ["Permohonan diajukan", "8"],
            ["Permohonan selesai (terbit atau ditolak)", "4"],
            ["Selesai tepat waktu (sesuai SLA)", "3"],
            ["Selesai terlambat", "1"],
            ["Masih terbuka dan terlambat", "2"],
            ["Tepat waktu (%)", "75,0"],
            ["Median waktu proses (hari kerja)", "4,0"],
            ["Sedang diproses", "2"],
            ["Perlu perbaikan", "1"],
            ["Kajian Teknis", "1"],
            [IZIN_A["name"], "4", "2", "2", "0", "100,0", "4,0", "1"],
            [IZIN_B["name"], "4", "2", "1", "1", "50,0", "3,5", "1"],
            ["2025-02", "2", "2", "1", "1", "50,0", "5,0", "0", "0", "0", "2", "0"],
            ["2025-03", "6", "2", "2", "0", "100,0", "2,5", "2", "1", "0", "1", "2"],
            [
                "Bulan",
                "Diajukan",
                "Selesai",
                "Selesai Tepat Waktu",
                "Selesai Terlambat",
                "Tepat Waktu (%)",
                "Median Hari Kerja",
                "Status Kini: Sedang diproses",
                "Status Kini: Perlu perbaikan",
                "Status Kini: Disetujui",
                "Status Kini: Izin terbit",
                "Status Kini: Ditolak",
            ],
        ):
            assert expected in rows, expected
        assert [
            "Jenis Izin",
            "Diajukan",
            "Selesai",
            "Selesai Tepat Waktu",
            "Selesai Terlambat",
            "Tepat Waktu (%)",
            "Median Hari Kerja",
            "Terbuka dan Terlambat",
        ] in rows


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2025-03-31"}, "from"),
        ({"from": "2025-02-01"}, "to"),
        ({"from": "2025-02-30", "to": "2025-03-31"}, "from"),
        ({"from": "kemarin", "to": "2025-03-31"}, "from"),
        ({"from": "2025-04-01", "to": "2025-03-31"}, "to"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "2025-02-01", "to": "2025-03-31", "format": "xlsx"}, "format"),
    ],
)
def test_a_bad_period_is_422_naming_it(api, officers, params, field):
    response = api.get("/api/officer/reports/summary", token=officers.token("admin"), params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "VALIDASI_GAGAL" and body["field"] == field and body["message"]


def test_kinerja_matches_the_hand_calculation(api, seeded):
    response = api.get("/api/public/kinerja")
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"].startswith("public, max-age=300")
    body = response.json()
    today = datetime.now(UTC).date()
    assert body["toMonth"] == f"{today.year:04d}-{today.month:02d}" and len(body["byMonth"]) == 12
    assert body["fromMonth"] == body["byMonth"][0]["month"]
    k = row(body["byIzin"], "izinId", IZIN_K["id"])
    # Five finished: three the day they came (0 working days), two after at least 13 (SLA 2).
    # Median of 0, 0, 0, >=13, >=13 = 0.0; on time 3 of 5. IKM from the three surveys: 83.33, B.
    assert k == {
        "izinId": IZIN_K["id"],
        "izinName": IZIN_K["name"],
        "respondents": 3,
        "ikm": 83.33,
        "grade": "B",
        "gradeLabel": "Baik",
        "finished": 5,
        "finishedOnTime": 3,
        "onTimeShare": 60.0,
        "medianWorkingDays": 0.0,
    }
    start = kinerja_start(today)
    month = row(body["byMonth"], "month", f"{start.year:04d}-{start.month:02d}")
    assert month["finished"] >= 3 and month["finishedOnTime"] >= 3
    # The office includes every permit type's figures (other tests' files too).
    assert body["office"]["finished"] >= 5 and body["office"]["respondents"] >= 3
    # Nothing personal: no names, NIKs, receipt numbers or application ids anywhere.
    text = response.text
    assert OWNER not in text and "2502-UJI0" not in text and "pemilik" not in text
    assert all(app_id not in text for app_id in seeded.event_ids)


def test_kinerja_of_a_fixed_day_counts_only_its_twelve_months(stack, seeded):
    """The same service on a fixed day (30 Apr 2025: May 2024 - Apr 2025): only the Feb-Apr 2025
    set is in its window, so the office's figures are exact. Finished: A1 (4), B1 (6, late),
    A2 (4), B2 (1), A3 (10, late): 3 of 5 on time, median of 1, 4, 4, 6, 10 = 4.0."""
    from eptsp.reports.repository import ReportsRepository
    from eptsp.reports.service import ReportsService
    from eptsp.surveys import IkmFigures

    ids = stack.provisioned.physical_ids
    table = boto3.resource("dynamodb", region_name=REGION).Table(ids["ReportsTable"])
    no_surveys = IkmFigures(respondents=0, nrr={}, ikm=None, grade=None, grade_label=None)
    service = ReportsService(ReportsRepository(table), lambda *_: no_surveys, dict)
    body = service.kinerja(today=date(2025, 4, 30)).model_dump(by_alias=True)
    assert (body["fromMonth"], body["toMonth"]) == ("2024-05", "2025-04")
    assert body["office"] == {
        "respondents": 0,
        "ikm": None,
        "grade": None,
        "gradeLabel": None,
        "finished": 5,
        "finishedOnTime": 3,
        "onTimeShare": 60.0,
        "medianWorkingDays": 4.0,
    }
    assert {m["month"]: (m["finished"], m["finishedOnTime"], m["finishedLate"]) for m in body["byMonth"]} == {
        **{f"2024-{m:02d}": (0, 0, 0) for m in range(5, 13)},
        "2025-01": (0, 0, 0),
        "2025-02": (2, 1, 1),
        "2025-03": (2, 2, 0),
        "2025-04": (1, 0, 1),
    }
    a = row(body["byIzin"], "izinId", IZIN_A["id"])
    assert (a["finished"], a["finishedOnTime"], a["onTimeShare"], a["medianWorkingDays"]) == (3, 2, 66.7, 4.0)


def test_a_real_application_is_counted_through_the_flow(api, stack, officers):
    _, token = registered_applicant(api)
    applicant = Applicant(api, token)
    submitted = applicant.submitted(RESEARCH)
    app_id = submitted["applicationId"]
    decide(api, officers, app_id, "verifikasi")
    decide(api, officers, app_id, "persetujuan")
    status_becomes(applicant, app_id, "terbit", timeout=60)
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.provisioned.physical_ids["ReportsTable"])

    def record():
        item = table.get_item(Key={"pk": f"PERMOHONAN#{app_id}", "sk": "LAPORAN"}, ConsistentRead=True).get("Item")
        return item if item and item["status"] == "terbit" else None

    item = wait_for(record, timeout=30, what="the issued application to be counted")
    assert item["izinId"] == RESEARCH_IZIN and "terbuka" not in item  # finished: out of the due-date index
    today = datetime.now(UTC).date().isoformat()  # the same WITA day unless the test runs at midnight WITA
    wita_today = (datetime.now(UTC) + timedelta(hours=8)).date().isoformat()
    report = summary(api, officers.token("kepala"), min(today, wita_today), wita_today).json()
    izin = row(report["byIzin"], "izinId", RESEARCH_IZIN)
    assert izin["submitted"] >= 1 and izin["finished"] >= 1 and izin["finishedOnTime"] >= 1
    assert izin["medianWorkingDays"] is not None
