"""Cetak Resi end to end: an applicant submits, then downloads the receipt through the
local gateway as a browser would, and the PDF is read as a reader and a phone read it
(pdfium's text of the page; the rendered page scanned for its QR code with zxing-cpp).
The expected words and dates are written out here, not taken from the code under test."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pypdfium2
import pytest
import zxingcpp

from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.test_accounts import assert_error
from tests.integration.workflow_helpers import FISHING, Applicant

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
WITA = timedelta(hours=8)


@pytest.fixture(scope="module")
def owner(api) -> tuple[dict, Applicant]:
    body, token = registered_applicant(api)
    return body, Applicant(api, token)


@pytest.fixture(scope="module")
def submitted(owner) -> dict:
    _, applicant = owner
    answer = applicant.submitted(FISHING)
    return applicant.application(answer["applicationId"])


def receipt_of(api, application_id: str, token: str | None):
    return api.get(f"/api/applications/{application_id}/receipt", token=token)


def indonesian_date(day: date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def test_the_owner_downloads_the_receipt_of_a_submitted_application(api, stack, owner, submitted):
    body, applicant = owner
    number = submitted["receiptNumber"]
    # When the owner asks for the receipt
    response = receipt_of(api, submitted["applicationId"], applicant.token)
    # Then it is a PDF to save, named after the receipt number, never cached by the way
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="resi-{number}.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    document = pypdfium2.PdfDocument(response.content)
    assert len(document) == 1
    text = document[0].get_textpage().get_text_range()
    # with the number, the applicant (NIK masked but its last four), the permit and its dates in WITA
    submitted_wita = datetime.fromisoformat(submitted["submittedAt"].replace("Z", "+00:00")) + WITA
    pemohon = submitted["data"]["pemohon"]
    for expected in (
        "TANDA TERIMA PERMOHONAN",
        number,
        pemohon["name"],
        f"**** **** **** {body['nik'][-4:]}",
        submitted["izin"]["name"],
        submitted["layanan"]["name"],
        submitted["jenisPermohonan"]["name"],
        f"{indonesian_date(submitted_wita.date())} {submitted_wita:%H.%M} WITA",
        indonesian_date(date.fromisoformat(submitted["estimatedFinish"])),
        "Simpan tanda terima ini.",
    ):
        assert expected in " ".join(text.split()), expected
    assert body["nik"] not in text.replace(" ", "")
    # And its QR code opens Monitoring Izin for this receipt on the site it came from
    page = document[0].render(scale=150 / 72).to_pil()
    assert [code.text for code in zxingcpp.read_barcodes(page)] == [f"{stack.url}/#/monitoring/{number}"]


def test_a_draft_has_no_receipt_yet(api, owner):
    _, applicant = owner
    draft = applicant.call("POST", "/api/applications", 201, json={"jenisPermohonanId": FISHING.id})
    response = receipt_of(api, draft["applicationId"], applicant.token)
    error = assert_error(response, 409, "BELUM_DIAJUKAN")
    assert "belum dikirim" in error["message"]


def test_only_the_owner_gets_the_receipt(api, submitted):
    application_id = submitted["applicationId"]
    _, other = registered_applicant(api)
    # Another applicant does not learn that the application exists
    assert_error(receipt_of(api, application_id, other), 404)
    # Officers read applications through their own routes (their tokens are of another user pool)
    assert_error(receipt_of(api, application_id, demo_token(api, "verifikator")), 401)
    assert_error(receipt_of(api, application_id, None), 401)
    # And an id that is no application is the same 404
    assert_error(receipt_of(api, "tidakAdaPermohonan1", other), 404)
