"""The printed receipt's QR code, scanned from the PDF, opens Monitoring Izin at that receipt in
the browser, for anyone who holds the paper (nobody is signed in)."""

from __future__ import annotations

import pypdfium2
import zxingcpp
from playwright.sync_api import Page, expect

from tests.e2e.test_akun import main_heading, register_by_api
from tests.e2e.test_pengiriman import IZIN, api_of, applicant_token, complete_draft, submit_by_api


def test_the_receipts_qr_code_opens_monitoring_izin_at_that_receipt(page: Page, site_url: str) -> None:
    # Given a submitted application's receipt, as the applicant downloads it
    api = api_of(site_url)
    token = applicant_token(api, register_by_api(site_url))
    submitted = submit_by_api(api, token, complete_draft(api, token))
    number = submitted["receiptNumber"]
    receipt = api.get(f"/api/applications/{submitted['applicationId']}/receipt", token=token)
    assert receipt.status_code == 200, receipt.text[:300]
    # When its QR code is scanned from the printed page and opened in a browser that is not signed in
    printed = pypdfium2.PdfDocument(receipt.content)[0].render(scale=150 / 72).to_pil()
    (code,) = zxingcpp.read_barcodes(printed)
    assert code.text.startswith(site_url)
    page.goto(code.text)
    # Then Monitoring Izin shows that receipt's application
    expect(main_heading(page, "Monitoring Izin")).to_be_visible()
    result = page.get_by_test_id("hasil-monitoring")
    expect(result).to_contain_text(number)
    expect(result).to_contain_text(IZIN.name)
    expect(result).to_contain_text("Verifikasi Berkas")
