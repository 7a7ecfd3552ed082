"""Monitoring Izin: anyone holding a receipt number sees where the file is, never whose
it is; the owner and officers also see the History Proses and the notes; another
applicant learns nothing."""

from __future__ import annotations

import pytest

from tests.integration.accounts_helpers import registered_applicant
from tests.integration.workflow_helpers import RESEARCH, Applicant, Officers, decide

PUBLIC_KEYS = {
    "receiptNumber",
    "izin",
    "layanan",
    "jenisPermohonan",
    "status",
    "statusLabel",
    "stage",
    "stageLabel",
    "submittedAt",
    "estimatedFinish",
}


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def owner(api):
    body, token = registered_applicant(api)
    return body, Applicant(api, token)


@pytest.fixture(scope="module")
def returned(api, owner, officers) -> dict:
    """A file the verifikator sent back for perbaikan."""
    submitted = owner[1].submitted(RESEARCH)
    decide(
        api,
        officers,
        submitted["applicationId"],
        "verifikasi",
        "perbaikan",
        notes="Surat pengantar belum ditandatangani dekan.",
        fix={"sections": [], "requirements": ["surat-pengantar"]},
    )
    return submitted


def test_anyone_sees_the_stage_without_personal_data(api, owner, returned):
    body, _ = owner
    receipt = returned["receiptNumber"]
    response = api.get(f"/api/monitoring/{receipt}")
    assert response.status_code == 200, response.text
    shown = response.json()
    assert set(shown) == PUBLIC_KEYS
    assert shown["izin"]["id"] and shown["jenisPermohonan"]["jenis"] == "baru"
    assert (
        shown["status"] == "perbaikan" and shown["stage"] == "verifikasi" and shown["stageLabel"] == "Verifikasi Berkas"
    )
    assert shown["estimatedFinish"] == returned["estimatedFinish"]
    for personal in (body["nik"], body["name"], body["email"], "Surat pengantar belum"):
        assert personal not in response.text


@pytest.mark.parametrize("typed", ["lower", "spaces", "no-dashes", "o-for-zero"])
def test_a_receipt_is_found_however_it_is_typed(api, returned, typed):
    receipt = returned["receiptNumber"]
    variants = {
        "lower": receipt.lower(),
        "spaces": receipt.replace("-", " "),
        "no-dashes": receipt.replace("-", ""),
        "o-for-zero": receipt.replace("0", "O").replace("1", "l").lower(),
    }
    response = api.get(f"/api/monitoring/{variants[typed]}")
    assert response.status_code == 200 and response.json()["receiptNumber"] == receipt, response.text


@pytest.mark.parametrize("receipt", ["2611-0000-0000", "UUUU-UUUU-UUUU", "12345678"])
def test_an_unknown_or_impossible_receipt_is_404(api, receipt):
    response = api.get(f"/api/monitoring/{receipt}")
    assert response.status_code == 404 and response.json()["code"] == "TIDAK_DITEMUKAN", response.text


def test_the_owner_reads_the_history_and_the_notes_without_officer_names(api, owner, returned):
    _, applicant = owner
    response = api.get(f"/api/monitoring/{returned['receiptNumber']}/riwayat", token=applicant.token)
    assert response.status_code == 200, response.text
    trail = response.json()
    assert [(e["stage"], e["action"]) for e in trail["history"]] == [
        ("verifikasi", "diajukan"),
        ("verifikasi", "perbaikan"),
    ]
    assert trail["history"][1]["actorRole"] == "verifikator" and trail["history"][1]["actionLabel"]
    assert all(e["actorName"] is None for e in trail["history"])
    assert trail["perbaikan"]["requirements"] == ["surat-pengantar"]
    assert trail["perbaikan"]["notes"] == "Surat pengantar belum ditandatangani dekan."


def test_officers_see_who_decided(api, officers, returned):
    response = api.get(f"/api/officer/monitoring/{returned['receiptNumber']}/riwayat", token=officers.token("kepala"))
    assert response.status_code == 200, response.text
    assert response.json()["history"][1]["actorName"]


def test_another_applicant_and_anonymous_callers_get_nothing_more(api, returned):
    _, other = registered_applicant(api)
    foreign = api.get(f"/api/monitoring/{returned['receiptNumber']}/riwayat", token=other)
    assert foreign.status_code == 404, foreign.text
    anonymous = api.get(f"/api/monitoring/{returned['receiptNumber']}/riwayat")
    assert anonymous.status_code == 401, anonymous.text
