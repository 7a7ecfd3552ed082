"""Kirim, the receipt, Monitoring Izin, perbaikan and rejection (manual C.2.1-C.3) in the browser,
as an applicant follows an application through the officers' decisions."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

from playwright.sync_api import Page, Request, expect

from tests.conftest import Api
from tests.e2e.conftest import PageGuard, assert_no_horizontal_scroll, new_context
from tests.e2e.test_akun import alert, hash_of, main_heading, register_by_api
from tests.e2e.test_permohonan import MONTHS, UPLOAD_TIMEOUT_MS, go_to_sub_step, sign_in, upload_in
from tests.integration.accounts_helpers import demo_token, login
from tests.integration.documents_helpers import JPEG, PDF, uploaded
from tests.integration.test_applications import LOKASI, PERUSAHAAN, detail_data
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
RECEIPT = re.compile(r"^\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
DATE = rf"\d{{1,2}} ({MONTHS}) \d{{4}}"
WORKFLOW_TIMEOUT_S = 30
# Kirim starts the approval flow before it answers; on a busy machine that takes a few seconds.
SUBMIT_TIMEOUT_MS = 20_000


def choose_jenis():
    """An application type that needs company data, with the fewest mandatory requirements (at least two)."""
    found = [
        (sum(r.mandatory for r in jenis.persyaratan), len(jenis.detail_fields), izin, jenis)
        for izin in CATALOGUE.izin
        for layanan in izin.layanan
        for jenis in layanan.jenis_permohonan
        if jenis.company == "required" and sum(r.mandatory for r in jenis.persyaratan) >= 2
    ]
    assert found, "the catalogue has no application type with company data and two mandatory requirements"
    _, _, izin, jenis = min(found, key=lambda item: item[:2])
    return izin, jenis


IZIN, JENIS = choose_jenis()
MANDATORY = [r for r in JENIS.persyaratan if r.mandatory]


# ------------------------------------------------------------------ helpers


def api_of(site_url: str) -> Api:
    return Api(site_url.rstrip("/"))


def applicant_token(api: Api, person: dict[str, str]) -> str:
    answer = login(api, person["nik"], person["password"])
    assert answer.status_code == 200, answer.text
    return answer.json()["accessToken"]


def complete_draft(api: Api, token: str) -> dict:
    """A draft with every section, every mandatory attachment and the declaration, through the API."""
    started = api.post("/api/applications", token=token, json={"jenisPermohonanId": JENIS.id})
    assert started.status_code == 201, started.text
    draft = started.json()
    app_id = draft["applicationId"]
    pemohon = {**draft["prefill"]["pemohon"], "occupation": "Wiraswasta"}
    sections = {"pemohon": pemohon, "perusahaan": PERUSAHAAN, "lokasi": LOKASI, "detail": detail_data(JENIS)}
    for section, data in sections.items():
        body = {"version": draft["version"], "data": data}
        saved = api.put(f"/api/applications/{app_id}/sections/{section}", token=token, json=body)
        assert saved.status_code == 200, saved.text
        draft = saved.json()
    for requirement in MANDATORY:
        pdf = "pdf" in requirement.file_types
        kind = ("dok.pdf", "application/pdf", PDF) if pdf else ("foto.jpg", "image/jpeg", JPEG)
        upload = uploaded(api, token, *kind)
        path = f"/api/applications/{app_id}/attachments/{requirement.id}"
        attached = api.put(path, token=token, json={"fileId": upload["fileId"]})
        assert attached.status_code == 200, attached.text
        draft = attached.json()
    declared = api.put(
        f"/api/applications/{app_id}/declaration", token=token, json={"version": draft["version"], "agreed": True}
    )
    assert declared.status_code == 200, declared.text
    assert declared.json()["completeness"]["complete"] is True
    return declared.json()


def submit_by_api(api: Api, token: str, draft: dict) -> dict:
    answer = api.post(
        f"/api/applications/{draft['applicationId']}/submit",
        token=token,
        json={"version": draft["version"]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def officer_task(api: Api, officer: str, application_id: str) -> dict:
    """The officer's open task for the application, once the workflow has opened it."""
    deadline = time.monotonic() + WORKFLOW_TIMEOUT_S
    while True:
        listed = api.get("/api/officer/tasks", token=officer)
        assert listed.status_code == 200, listed.text
        task = next((t for t in listed.json()["items"] if t["applicationId"] == application_id), None)
        if task:
            return task
        assert time.monotonic() < deadline, f"no officer task for {application_id}"
        time.sleep(0.3)


def decide(api: Api, application_id: str, decision: dict) -> None:
    """The demo verifikator claims the application's task and decides it."""
    officer = demo_token(api, "verifikator")
    task = officer_task(api, officer, application_id)
    claimed = api.post(f"/api/officer/tasks/{task['taskId']}/claim", token=officer, json={})
    assert claimed.status_code == 200, claimed.text
    decided = api.post(f"/api/officer/tasks/{task['taskId']}/decision", token=officer, json=decision)
    assert decided.status_code == 200, decided.text


def wait_for_status(api: Api, token: str, application_id: str, status: str) -> dict:
    deadline = time.monotonic() + WORKFLOW_TIMEOUT_S
    while True:
        app = api.get(f"/api/applications/{application_id}", token=token).json()
        if app.get("status") == status:
            return app
        assert time.monotonic() < deadline, f"{application_id} stayed {app.get('status')}, not {status}"
        time.sleep(0.3)


def open_tahap_akhir(page: Page, site_url: str, application_id: str) -> None:
    page.goto(f"{site_url}#/permohonan/{application_id}?bagian=ringkasan")
    expect(page.get_by_test_id("review")).to_be_visible()


def assert_tap_targets(page: Page) -> None:
    """Every button, button-like link and link of the new notes in the page is at least 44 px high."""
    targets = page.get_by_role("main").locator(
        "button:visible, a.btn:visible, .note-box a:visible, .kirim-note a:visible"
    )
    assert targets.count() > 0
    for target in targets.all():
        box = target.bounding_box()
        assert box and box["height"] >= 44, f"{target.inner_text()!r} is {box and box['height']} px high"


def submit_requests(page: Page) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if r.method == "POST" and r.url.endswith("/submit") else None)
    return seen


# ------------------------------------------------------------------ Kirim, the receipt, Monitoring Izin


def test_applicant_submits_sees_the_receipt_downloads_it_and_follows_it_in_monitoring(
    page: Page, page_guard: PageGuard, site_url: str, browser
) -> None:
    api = api_of(site_url)
    person = register_by_api(site_url)
    draft = complete_draft(api, applicant_token(api, person))
    app_id = draft["applicationId"]
    sign_in(page, site_url, person)
    open_tahap_akhir(page, site_url, app_id)

    # Kirim asks first; the dialog starts on "Periksa lagi", and Escape sends nothing.
    sent = submit_requests(page)
    kirim = page.get_by_role("button", name="Kirim", exact=True)
    expect(kirim).to_be_enabled()
    assert_no_horizontal_scroll(page)
    kirim.click()
    dialog = page.get_by_role("dialog", name="Kirim permohonan?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("tidak dapat diubah lagi")
    expect(dialog.get_by_role("button", name="Periksa lagi")).to_be_focused()
    for button in dialog.get_by_role("button").all():
        assert button.bounding_box()["height"] >= 44
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(kirim).to_be_focused()
    assert sent == []

    # With the keyboard alone: Kirim, Tab to "Ya, kirim", Enter.
    kirim.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Ya, kirim")).to_be_focused()
    page.keyboard.press("Enter")

    # The receipt page.
    expect(main_heading(page, "Permohonan berhasil dikirim")).to_be_visible(timeout=SUBMIT_TIMEOUT_MS)
    assert hash_of(page) == f"#/permohonan/{app_id}/resi?baru=1"
    number = page.get_by_test_id("nomor-resi")
    receipt = number.inner_text().strip()
    assert RECEIPT.match(receipt), receipt
    assert number.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 24
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.get_by_role("button", name="Salin Nomor Resi Perizinan").click()
    expect(page.get_by_test_id("resi")).to_contain_text("Nomor resi telah disalin.")
    assert page.evaluate("() => navigator.clipboard.readText()") == receipt
    resi = page.get_by_test_id("resi")
    expect(resi).to_contain_text(IZIN.name)
    expect(resi).to_contain_text(JENIS.name)
    expect(resi).to_contain_text(re.compile(rf"Waktu pengajuan\s*{DATE}, \d{{2}}\.\d{{2}} WITA"))
    expect(resi).to_contain_text("Verifikasi Berkas")
    expect(page.get_by_test_id("perkiraan-selesai")).to_have_text(re.compile(rf"^Perkiraan selesai {DATE}$"))
    assert len(sent) == 1
    assert re.fullmatch(r"[A-Za-z0-9_.:-]{8,128}", sent[0].headers.get("idempotency-key", ""))
    assert_no_horizontal_scroll(page)
    assert_tap_targets(page)

    # "Cetak Resi" saves the PDF fetched with the bearer token.
    with page.expect_download() as downloading:
        resi.get_by_role("button", name="Cetak Resi").click()
    download = downloading.value
    assert download.suggested_filename == f"resi-{receipt}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    expect(alert(page)).to_contain_text(f"resi-{receipt}.pdf")

    # Monitoring Izin for the receipt, signed in: the facts and the History Proses.
    resi.get_by_role("link", name="Lihat di Monitoring Izin").click()
    expect(main_heading(page, "Monitoring Izin")).to_be_visible()
    result = page.get_by_test_id("hasil-monitoring")
    expect(result).to_contain_text(receipt)
    expect(result).to_contain_text(IZIN.name)
    expect(result).to_contain_text("Sedang diproses")
    expect(result).to_contain_text("Verifikasi Berkas")
    history = page.get_by_test_id("history-proses")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history.locator("tbody tr").first).to_contain_text("Permohonan diajukan")
    expect(history.locator("tbody tr").first).to_contain_text(re.compile(rf"{DATE}\s*\d{{2}}\.\d{{2}} WITA"))
    assert_no_horizontal_scroll(page)
    assert_tap_targets(page)

    # Permohonan Saya: status, stage, receipt number, Cetak Resi; no Lanjutkan or Batalkan.
    page.goto(f"{site_url}#/permohonan-saya")
    item = page.get_by_test_id(f"permohonan-{app_id}")
    expect(item.get_by_test_id("status")).to_have_text("Sedang diproses")
    expect(item).to_contain_text("Verifikasi Berkas")
    expect(item.get_by_test_id("nomor-resi")).to_have_text(receipt)
    expect(item.get_by_role("button", name=re.compile("^Cetak Resi"))).to_be_visible()
    expect(item.get_by_role("link", name=re.compile("^Lanjutkan"))).to_have_count(0)
    expect(item.get_by_role("button", name=re.compile("^Batalkan"))).to_have_count(0)
    # Detail Informasi of a submitted application: its receipt, stage and Cetak Resi, no checklist.
    item.get_by_role("link", name=re.compile("^Detail Informasi")).click()
    info = page.get_by_test_id("detail-informasi")
    expect(info).to_contain_text(receipt)
    expect(info).to_contain_text("Verifikasi Berkas")
    expect(info.get_by_role("button", name="Cetak Resi")).to_be_visible()
    expect(info.get_by_role("link", name="Monitoring Izin")).to_have_attribute("href", f"#/monitoring/{receipt}")
    expect(page.get_by_test_id("missing-list")).to_have_count(0)
    # The submitted application no longer opens for editing.
    page.goto(f"{site_url}#/permohonan/{app_id}")
    expect(page.get_by_test_id("bukan-draf")).to_be_visible()

    # Signed out (the QR code's address), typed loosely: the facts, no history, a hint to sign in.
    visitor = new_context(browser)
    try:
        other = visitor.new_page()
        other.on("console", page_guard.on_console)
        other.on("pageerror", page_guard.on_page_error)
        other.on("request", page_guard.on_request)
        page_guard.allow_console(r"status of 404")  # the unknown receipt number below
        loose = receipt.replace("-", "").lower().replace("0", "o")
        other.goto(f"{site_url}#/monitoring/{loose}")
        expect(other.get_by_test_id("hasil-monitoring")).to_contain_text(IZIN.name)
        assert hash_of(other) == f"#/monitoring/{receipt}"
        expect(other.get_by_test_id("history-proses")).to_have_count(0)
        expect(other.get_by_test_id("history-masuk")).to_contain_text("Masuk dengan akun pemilik permohonan")
        expect(other.get_by_label("Nomor Resi Perizinan")).to_have_value(receipt)
        assert_no_horizontal_scroll(other)
        # The box itself: a wrong shape is explained next to it; an unknown number says so.
        box = other.get_by_label("Nomor Resi Perizinan")
        box.fill("12345")
        other.get_by_role("button", name="Cari").click()
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(other.get_by_role("search")).to_contain_text("Nomor resi terdiri dari 4 angka")
        box.fill("2611-ZZZZ-ZZZZ")
        box.press("Enter")
        expect(other.get_by_test_id("monitoring-tidak-ada")).to_contain_text(
            "Tidak ada permohonan dengan nomor resi 2611-ZZZZ-ZZZZ."
        )
        # From the dashboard tile.
        other.goto(site_url)
        other.get_by_test_id("tile-monitoring").click()
        expect(main_heading(other, "Monitoring Izin")).to_be_visible()
        other.get_by_label("Nomor Resi Perizinan").fill(receipt)
        other.get_by_role("button", name="Cari").click()
        expect(other.get_by_test_id("hasil-monitoring")).to_contain_text("Verifikasi Berkas")
        # English.
        other.locator('[data-lang="en"]').click()
        expect(other.get_by_test_id("hasil-monitoring")).to_contain_text("Document Verification")
        expect(other.get_by_test_id("hasil-monitoring")).to_contain_text("Being processed")
    finally:
        visitor.close()


def test_a_double_click_on_kirim_submits_once(page: Page, site_url: str) -> None:
    api = api_of(site_url)
    person = register_by_api(site_url)
    draft = complete_draft(api, applicant_token(api, person))
    sign_in(page, site_url, person)
    open_tahap_akhir(page, site_url, draft["applicationId"])
    sent = submit_requests(page)

    page.get_by_role("button", name="Kirim", exact=True).dblclick()
    page.get_by_role("dialog", name="Kirim permohonan?").get_by_role("button", name="Ya, kirim").dblclick()
    expect(main_heading(page, "Permohonan berhasil dikirim")).to_be_visible(timeout=SUBMIT_TIMEOUT_MS)
    page.evaluate("0")
    assert len(sent) == 1
    assert len(page.get_by_role("dialog").all()) == 0


def test_a_lost_answer_is_retried_with_the_same_key_and_submits_once(
    page: Page, page_guard: PageGuard, site_url: str
) -> None:
    page_guard.allow_console(r"net::ERR_FAILED|Failed to load resource")
    api = api_of(site_url)
    person = register_by_api(site_url)
    token = applicant_token(api, person)
    draft = complete_draft(api, token)
    sign_in(page, site_url, person)
    open_tahap_akhir(page, site_url, draft["applicationId"])
    sent = submit_requests(page)

    # The first request reaches the server, but its answer is lost on the way back.
    def lose_the_answer(route):
        route.fetch()
        route.abort()
        page.unroute("**/submit", lose_the_answer)

    page.route("**/submit", lose_the_answer)
    kirim = page.get_by_role("button", name="Kirim", exact=True)
    kirim.click()
    page.get_by_role("button", name="Ya, kirim").click()
    expect(alert(page)).to_contain_text("Tidak dapat terhubung ke server")
    expect(alert(page)).to_contain_text("tidak akan terkirim dua kali")
    kirim.click()
    page.get_by_role("button", name="Ya, kirim").click()
    expect(main_heading(page, "Permohonan berhasil dikirim")).to_be_visible(timeout=SUBMIT_TIMEOUT_MS)

    assert len(sent) == 2
    assert sent[0].headers["idempotency-key"] == sent[1].headers["idempotency-key"]
    receipt = page.get_by_test_id("nomor-resi").inner_text().strip()
    app = api.get(f"/api/applications/{draft['applicationId']}", token=token).json()
    assert app["receiptNumber"] == receipt and app["status"] == "diproses"
    mine = api.get("/api/applications", token=token).json()["items"]
    assert [a["receiptNumber"] for a in mine] == [receipt]


def test_kirim_waits_for_a_complete_declared_draft_and_a_stale_one_is_reloaded(
    page: Page, page_guard: PageGuard, site_url: str
) -> None:
    page_guard.allow_console(r"status of 409")  # the stale version, on purpose
    api = api_of(site_url)
    person = register_by_api(site_url)
    token = applicant_token(api, person)
    started = api.post("/api/applications", token=token, json={"jenisPermohonanId": JENIS.id})
    assert started.status_code == 201, started.text
    sign_in(page, site_url, person)

    # An incomplete draft: Kirim is there but disabled, and the note says where to go.
    open_tahap_akhir(page, site_url, started.json()["applicationId"])
    expect(page.get_by_role("button", name="Kirim", exact=True)).to_be_disabled()
    note = page.get_by_test_id("kirim-note")
    expect(note).to_contain_text("Kirim dapat ditekan setelah data dan lampiran lengkap")
    note.get_by_role("link", name="Ke Validasi Data").click()
    expect(page.get_by_test_id("checklist")).to_be_visible()

    # A complete draft changed elsewhere after the page was drawn: the 409 asks to reload, nothing is sent.
    draft = complete_draft(api, token)
    open_tahap_akhir(page, site_url, draft["applicationId"])
    redeclared = api.put(
        f"/api/applications/{draft['applicationId']}/declaration",
        token=token,
        json={"version": draft["version"], "agreed": True},
    )
    assert redeclared.status_code == 200, redeclared.text
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_role("button", name="Ya, kirim").click()
    expect(alert(page)).to_contain_text("Tekan Muat ulang untuk melihat versi terbaru permohonan")
    assert api.get(f"/api/applications/{draft['applicationId']}", token=token).json()["status"] == "draft"
    alert(page).get_by_role("button", name="Muat ulang").click()
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.get_by_role("button", name="Ya, kirim").click()
    expect(main_heading(page, "Permohonan berhasil dikirim")).to_be_visible(timeout=SUBMIT_TIMEOUT_MS)


# ------------------------------------------------------------------ perbaikan and rejection


def test_perbaikan_shows_what_to_fix_allows_only_that_and_is_sent_again(
    page: Page, page_guard: PageGuard, site_url: str, tmp_path: Path
) -> None:
    page_guard.allow_console(r"status of 404 .*/tiles/")  # the map's tiles are not served locally
    api = api_of(site_url)
    person = register_by_api(site_url)
    token = applicant_token(api, person)
    draft = complete_draft(api, token)
    app_id = draft["applicationId"]
    submitted = submit_by_api(api, token, draft)
    to_fix = MANDATORY[0]
    notes = "Alamat lokasi tidak sesuai dengan peta. Unggah ulang surat yang sudah ditandatangani."
    fix = {"sections": ["lokasi"], "requirements": [to_fix.id]}
    decide(api, app_id, {"decision": "perbaikan", "notes": notes, "fix": fix})
    wait_for_status(api, token, app_id, "perbaikan")
    sign_in(page, site_url, person)

    # Permohonan Saya: the notes, the deadline and "Perbaiki".
    page.goto(f"{site_url}#/permohonan-saya")
    item = page.get_by_test_id(f"permohonan-{app_id}")
    expect(item.get_by_test_id("status")).to_have_text("Perlu perbaikan")
    expect(item.get_by_test_id("catatan-perbaikan")).to_have_text(notes)
    expect(item.get_by_test_id("batas-perbaikan")).to_have_text(re.compile(rf"^Batas perbaikan: {DATE}$"))
    assert_no_horizontal_scroll(page)
    assert_tap_targets(page)
    item.get_by_role("link", name=re.compile("^Perbaiki")).click()

    # The perbaikan screen opens on the section to fix, with the notes and the list.
    box = page.get_by_test_id("perbaikan")
    expect(box.get_by_test_id("catatan-perbaikan")).to_have_text(notes)
    expect(box.get_by_test_id("yang-diperbaiki")).to_contain_text("Bagian Lokasi Izin")
    expect(box.get_by_test_id("yang-diperbaiki")).to_contain_text(f"Lampiran {to_fix.name}")
    lokasi = page.get_by_test_id("section-lokasi")
    expect(lokasi).to_be_visible()
    assert_no_horizontal_scroll(page)
    for link in box.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44

    # Other sections are read-only: no form, no inputs.
    go_to_sub_step(page, "Data Perusahaan")
    expect(page.get_by_test_id("bagian-terkunci")).to_be_visible()
    expect(page.get_by_test_id("terkunci-perusahaan")).to_contain_text(PERUSAHAAN["companyName"])
    expect(page.get_by_test_id("section-perusahaan")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("textbox")).to_have_count(0)

    # Only the listed requirement can be changed; the others are locked.
    go_to_sub_step(page, "Data Detail")
    listed = page.get_by_test_id(f"lampiran-{to_fix.id}")
    expect(listed.get_by_role("button", name="Unggah dari HP / Kamera")).to_be_visible()
    expect(listed.get_by_role("button", name=re.compile("^Lepas"))).to_be_visible()
    for other in MANDATORY[1:]:
        locked = page.get_by_test_id(f"lampiran-{other.id}")
        expect(locked).to_have_attribute("data-locked", "true")
        expect(locked.get_by_role("button")).to_have_count(0)
    # The listed attachment is replaced by a new upload.
    signed = tmp_path / "surat-bertanda-tangan.pdf"
    signed.write_bytes(PDF)
    upload_in(page, listed, signed)
    expect(listed.get_by_test_id("berkas-terlampir")).to_contain_text(signed.name, timeout=UPLOAD_TIMEOUT_MS)

    # Fix the location and send it again.
    go_to_sub_step(page, "Lokasi Izin")
    page.get_by_test_id("section-lokasi").get_by_label("Kecamatan").fill("Tanjung Palas")
    page.get_by_role("button", name="Lanjut", exact=True).click()
    expect(page.get_by_test_id("section-detail").or_(page.get_by_test_id("lampiran"))).to_be_visible()
    page.goto(f"{site_url}#/permohonan/{app_id}?bagian=ringkasan")
    expect(page.get_by_test_id("review")).to_contain_text("Tanjung Palas")
    page.get_by_role("button", name="Kirim Ulang").click()
    dialog = page.get_by_role("dialog", name="Kirim ulang permohonan?")
    dialog.get_by_role("button", name="Ya, kirim ulang").click()

    # Back in Monitoring Izin: processing again, the perbaikan and the resubmission in the history.
    expect(main_heading(page, "Monitoring Izin")).to_be_visible(timeout=SUBMIT_TIMEOUT_MS)
    expect(alert(page)).to_contain_text("berhasil dikirim ulang")
    expect(page.get_by_test_id("hasil-monitoring")).to_contain_text("Sedang diproses")
    rows = page.get_by_test_id("history-proses").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Dikembalikan untuk perbaikan")
    expect(rows.nth(1)).to_contain_text(notes)
    expect(rows.nth(2)).to_contain_text("Diajukan ulang setelah perbaikan")
    assert submitted["receiptNumber"] in hash_of(page)
    changed = api.get(f"/api/applications/{app_id}", token=token).json()
    assert changed["data"]["lokasi"]["kecamatan"] == "Tanjung Palas"
    attached = {a["requirementId"]: a["fileName"] for a in changed["attachments"]}
    assert attached[to_fix.id] == signed.name
    assert {attached[r.id] for r in MANDATORY[1:]} <= {"dok.pdf", "foto.jpg"}
    assert changed["status"] == "diproses"


def test_a_rejected_application_shows_why_to_its_owner_only(
    page: Page, page_guard: PageGuard, site_url: str, browser
) -> None:
    api = api_of(site_url)
    person = register_by_api(site_url)
    token = applicant_token(api, person)
    draft = complete_draft(api, token)
    app_id = draft["applicationId"]
    submitted = submit_by_api(api, token, draft)
    notes = "Lokasi usaha berada di kawasan lindung; izin tidak dapat diberikan."
    decide(api, app_id, {"decision": "tolak", "notes": notes})
    wait_for_status(api, token, app_id, "ditolak")
    sign_in(page, site_url, person)

    page.goto(f"{site_url}#/permohonan-saya")
    item = page.get_by_test_id(f"permohonan-{app_id}")
    expect(item.get_by_test_id("status")).to_have_text("Ditolak")
    expect(item.get_by_test_id("catatan-penolakan")).to_contain_text(notes)
    expect(item.get_by_role("link", name=re.compile("^Perbaiki"))).to_have_count(0)

    page.goto(f"{site_url}#/monitoring/{submitted['receiptNumber']}")
    expect(page.get_by_test_id("catatan-penolakan")).to_contain_text(notes)
    rows = page.get_by_test_id("history-proses").locator("tbody tr")
    expect(rows.last).to_contain_text("Ditolak")
    expect(rows.last).to_contain_text(notes)
    assert_no_horizontal_scroll(page)

    # Another applicant holding the receipt sees the public facts, not the history or the notes.
    page_guard.allow_console(r"status of 404")
    stranger = register_by_api(site_url)
    other_context = new_context(browser)
    try:
        other = other_context.new_page()
        other.on("console", page_guard.on_console)
        other.on("pageerror", page_guard.on_page_error)
        other.on("request", page_guard.on_request)
        sign_in(other, site_url, stranger)
        other.goto(f"{site_url}#/monitoring/{submitted['receiptNumber']}")
        expect(other.get_by_test_id("hasil-monitoring")).to_contain_text("Ditolak")
        expect(other.get_by_test_id("history-bukan-pemilik")).to_be_visible()
        expect(other.get_by_test_id("history-proses")).to_have_count(0)
        expect(other.get_by_role("main")).not_to_contain_text(notes)
    finally:
        other_context.close()
