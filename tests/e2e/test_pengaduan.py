"""Pengaduan in the browser: from the dashboard's tile an applicant files a complaint about
one of their applications with a file from File Saya, an officer replies over the API, and
the applicant reads the reply from the Inbox's message and in the list, in both languages."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import Api
from tests.e2e.conftest import assert_no_horizontal_scroll
from tests.e2e.test_akun import hash_of, main_heading, register_by_api
from tests.e2e.test_permohonan import sign_in
from tests.integration.accounts_helpers import demo_token, login
from tests.integration.workflow_helpers import RESEARCH, Applicant, wait_for

TEXT = "Permohonan penelitian saya sudah lewat batas waktu, tetapi belum ada kabar dari petugas."
REPLY = "Mohon maaf atas keterlambatannya. Berkas Anda sudah diperiksa tim teknis dan lanjut ke persetujuan."


def test_an_applicant_files_a_complaint_and_reads_the_officers_reply(page: Page, site_url: str) -> None:
    # Given an applicant with a submitted application and a checked file in File Saya
    api = Api(site_url.rstrip("/"))
    person = register_by_api(site_url)
    answer = login(api, person["nik"], person["password"])
    assert answer.status_code == 200, answer.text
    applicant = Applicant(api, answer.json()["accessToken"])
    receipt = applicant.submitted(RESEARCH)["receiptNumber"]

    # The dashboard's tile leads to the page (no longer "Segera hadir")
    sign_in(page, site_url, person)
    page.get_by_test_id("tile-pengaduan").click()
    expect(main_heading(page, "Pengaduan")).to_be_visible()
    assert hash_of(page) == "#/pengaduan"
    expect(page.get_by_test_id("segera-hadir")).to_have_count(0)
    expect(page.get_by_test_id("pengaduan-kosong")).to_be_visible()

    # Sending without words says what is missing, next to the field
    form = page.get_by_test_id("form-pengaduan")
    form.get_by_role("button", name="Kirim Pengaduan").click()
    expect(form.get_by_text("Pilih kategori pengaduan.")).to_be_visible()
    expect(form.get_by_text("Isi pengaduan minimal 10 karakter.")).to_be_visible()

    # When they file it: a category, the text, their receipt number and the file
    form.get_by_label("Kategori").select_option(label="Waktu penyelesaian")
    form.get_by_label("Isi pengaduan").fill(TEXT)
    form.get_by_label("Nomor resi permohonan").select_option(value=receipt)
    form.get_by_label("Lampiran dari File Saya").select_option(label="dokumen.pdf")
    assert_no_horizontal_scroll(page)
    form.get_by_role("button", name="Kirim Pengaduan").click()

    # Then its page says it was received, with what was sent, and no reply yet
    expect(main_heading(page, "Detail Pengaduan")).to_be_visible()
    complaint_id = re.fullmatch(r"#/pengaduan/([A-Za-z0-9_-]+)", hash_of(page)).group(1)
    detail = page.get_by_test_id("pengaduan-detail")
    expect(detail.get_by_test_id("status-pengaduan")).to_have_text("Diterima")
    expect(detail.get_by_test_id("kategori-pengaduan")).to_have_text("Waktu penyelesaian")
    expect(detail.get_by_test_id("resi-pengaduan")).to_have_text(receipt)
    expect(detail.get_by_test_id("lampiran-pengaduan")).to_have_text("dokumen.pdf")
    expect(detail.get_by_test_id("isi-pengaduan")).to_have_text(TEXT)
    expect(page.get_by_test_id("belum-ada-balasan")).to_be_visible()

    # When the admin replies over the API
    admin = demo_token(api, "admin")
    waiting = api.get("/api/officer/complaints", token=admin, params={"status": "diterima", "limit": 100}).json()
    assert complaint_id in {c["complaintId"] for c in waiting["items"]}
    replied = api.post(f"/api/officer/complaints/{complaint_id}/replies", token=admin, json={"text": REPLY})
    assert replied.status_code == 201, replied.text
    wait_for(
        lambda: any(
            m["kind"] == "pengaduan_dibalas" for m in api.get("/api/inbox", token=applicant.token).json()["items"]
        ),
        what="the reply's Inbox message",
    )

    # Then the Inbox has the message, and opening it shows the complaint with the reply
    page.get_by_test_id("header-inbox").click()
    expect(main_heading(page, "Inbox")).to_be_visible()
    message = page.get_by_test_id("daftar-pesan").get_by_role("listitem").filter(has_text="Pengaduan Anda dibalas")
    expect(message).to_contain_text(REPLY)
    message.get_by_role("link").click()
    expect(main_heading(page, "Detail Pengaduan")).to_be_visible()
    assert hash_of(page) == f"#/pengaduan/{complaint_id}"
    expect(page.get_by_test_id("status-pengaduan")).to_have_text("Diproses")
    expect(page.get_by_test_id("balasan-pengaduan").get_by_test_id("isi-balasan")).to_have_text([REPLY])
    expect(page.get_by_test_id("balasan-pengaduan")).to_contain_text("Petugas DPMPTSP")
    assert_no_horizontal_scroll(page)

    # And in English
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(main_heading(page, "Complaint Details")).to_be_visible()
    expect(page.get_by_test_id("status-pengaduan")).to_have_text("In progress")
    expect(page.get_by_test_id("kategori-pengaduan")).to_have_text("Processing time")
    page.get_by_role("button", name=re.compile("^ID")).click()

    # And the list shows it with its status and one reply
    page.get_by_role("link", name="Kembali ke Pengaduan Saya").click()
    item = page.get_by_test_id(f"pengaduan-{complaint_id}")
    expect(item).to_contain_text("Diproses")
    expect(item).to_contain_text("1 balasan petugas")
