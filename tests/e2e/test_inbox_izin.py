"""The end of an application in the browser: the Inbox (manual C.4) with the header's unread
count, Unduh Izin in Permohonan Saya, and the public verification page of the permit's QR code,
after the demo officers take an application through every stage over the API."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import Api
from tests.e2e.conftest import PageGuard, assert_no_horizontal_scroll, new_context
from tests.e2e.test_akun import hash_of, main_heading, register_by_api
from tests.e2e.test_permohonan import sign_in
from tests.integration.accounts_helpers import login
from tests.integration.workflow_helpers import (
    CATALOGUE,
    FISHING,
    Applicant,
    Officers,
    decide,
    status_becomes,
    wait_for,
)

WITA = timezone(timedelta(hours=8))
MONTH_NAMES = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
# FISHING has a technical review and no field survey: verifikasi -> teknis -> persetujuan.
STAGES = ["verifikasi", "teknis", "persetujuan"]
# What the applicant is told on the way, newest first: the survey invitation, issued, approved,
# two stage changes, submitted.
KINDS_NEWEST_FIRST = ["survei_diundang", "terbit", "disetujui", "tahap_berubah", "tahap_berubah", "diajukan"]
ISSUE_TIMEOUT_S = 40
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FISHING_IZIN_NAME = next(
    izin.name for izin in CATALOGUE.izin for layanan in izin.layanan if FISHING in layanan.jenis_permohonan
)


def in_wita(iso: str) -> str:
    """29 November 2026, 13.30 WITA: how the site writes a UTC time."""
    at = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(WITA)
    return f"{at.day} {MONTH_NAMES[at.month - 1]} {at.year}, {at:%H.%M} WITA"


def inbox_of(api: Api, token: str) -> list[dict]:
    response = api.get("/api/inbox", token=token)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def unread_of(api: Api, token: str) -> int:
    response = api.get("/api/inbox/unread-count", token=token)
    assert response.status_code == 200, response.text
    return response.json()["unread"]


def header_inbox(page: Page) -> Locator:
    return page.get_by_test_id("header-inbox")


def assert_tap_targets(page: Page, scope: Locator) -> None:
    targets = scope.locator("button:visible, a.btn:visible, a.inbox-open:visible")
    assert targets.count() > 0
    for target in targets.all():
        box = target.bounding_box()
        assert box and box["height"] >= 44, f"{target.inner_text()!r} is {box and box['height']} px high"


def altered(permit_id: str) -> str:
    """The same id with its last character changed to another valid one."""
    last = permit_id[-1]
    return permit_id[:-1] + next(c for c in CROCKFORD if c != last)


@pytest.fixture(scope="module")
def issued(site_url: str) -> dict:
    """An applicant whose application went through every stage to an issued permit, with its messages."""
    api = Api(site_url.rstrip("/"))
    person = register_by_api(site_url)
    answer = login(api, person["nik"], person["password"])
    assert answer.status_code == 200, answer.text
    applicant = Applicant(api, answer.json()["accessToken"])
    officers = Officers(api)
    app_id = applicant.submitted(FISHING)["applicationId"]
    for stage in STAGES:
        decide(api, officers, app_id, stage)
    application = status_becomes(applicant, app_id, "terbit", timeout=ISSUE_TIMEOUT_S)
    messages = wait_for(
        lambda: (lambda items: items if len(items) >= len(KINDS_NEWEST_FIRST) else None)(
            inbox_of(api, applicant.token)
        ),
        timeout=ISSUE_TIMEOUT_S,
        what="the Inbox messages of every stage",
    )
    return {
        "api": api,
        "person": person,
        "applicant": applicant,
        "officers": officers,
        "application": application,
        "messages": messages,
    }


def test_the_inbox_lists_every_stage_in_wita_and_reading_lowers_the_count(
    page: Page, site_url: str, issued: dict
) -> None:
    api, applicant, messages = issued["api"], issued["applicant"], issued["messages"]
    app_id = issued["application"]["applicationId"]
    assert [m["kind"] for m in messages] == KINDS_NEWEST_FIRST
    assert all(m["applicationId"] == app_id and not m["read"] for m in messages)
    total = len(messages)

    # The header says how many are unread, in its name as a screen reader reads it.
    sign_in(page, site_url, issued["person"])
    expect(header_inbox(page)).to_have_attribute("aria-label", f"Inbox, {total} belum dibaca")
    expect(header_inbox(page)).to_have_text(str(total))
    expect(page.get_by_role("link", name=f"Inbox, {total} belum dibaca").first).to_be_visible()
    box = header_inbox(page).bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, box
    assert_no_horizontal_scroll(page)
    # In English too.
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(header_inbox(page)).to_have_attribute("aria-label", f"Inbox, {total} unread")
    page.get_by_role("button", name=re.compile("^ID")).click()

    # The Inbox: every stage's message, newest first, its time in WITA, each marked unread.
    header_inbox(page).click()
    expect(main_heading(page, "Inbox")).to_be_visible()
    assert hash_of(page) == "#/inbox"
    items = page.get_by_test_id("daftar-pesan").get_by_role("listitem")
    expect(items).to_have_count(total)
    for index, message in enumerate(messages):
        item = items.nth(index)
        expect(item).to_have_attribute("data-testid", f"pesan-{message['messageId']}")
        expect(item).to_contain_text(message["title"])
        expect(item).to_contain_text("Belum dibaca")
        expect(item.get_by_test_id("waktu-pesan")).to_have_text(in_wita(message["createdAt"]))
    expect(items.nth(0)).to_contain_text("Bagaimana pelayanan kami?")
    expect(items.nth(1)).to_contain_text("Izin terbit")
    expect(items.nth(total - 1)).to_contain_text(issued["application"]["receiptNumber"])
    expect(page.get_by_test_id("jumlah-belum-dibaca")).to_have_text(f"{total} pesan belum dibaca.")
    assert_no_horizontal_scroll(page)
    assert_tap_targets(page, page.get_by_role("main"))

    # Opening one marks it read and goes to its application; the count drops by one.
    items.nth(1).get_by_role("link").click()
    expect(page.get_by_test_id("detail-informasi")).to_be_visible()
    assert hash_of(page) == f"#/permohonan-saya/{app_id}"
    expect(header_inbox(page)).to_have_attribute("aria-label", f"Inbox, {total - 1} belum dibaca")
    assert unread_of(api, applicant.token) == total - 1
    assert inbox_of(api, applicant.token)[1]["read"] is True

    # Back in the Inbox it reads "Sudah dibaca"; "Tandai semua dibaca" clears the rest.
    page.go_back()
    expect(items).to_have_count(total)
    expect(items.nth(1)).to_contain_text("Sudah dibaca")
    expect(items.nth(1)).to_have_attribute("data-read", "true")
    expect(items.nth(0)).to_contain_text("Belum dibaca")
    page.get_by_role("button", name="Tandai semua dibaca").click()
    expect(page.get_by_test_id("alert")).to_contain_text("Semua pesan telah ditandai dibaca.")
    expect(page.locator('[data-read="false"]')).to_have_count(0)
    expect(header_inbox(page)).to_have_attribute("aria-label", "Inbox")
    expect(header_inbox(page).locator("[data-inbox-badge]")).to_be_hidden()
    expect(page.get_by_role("button", name="Tandai semua dibaca")).to_be_hidden()
    assert unread_of(api, applicant.token) == 0

    # After a reload the server's count holds.
    page.reload()
    expect(main_heading(page, "Inbox")).to_be_visible()
    expect(items).to_have_count(total)
    expect(page.get_by_test_id("jumlah-belum-dibaca")).to_have_text("Semua pesan sudah dibaca.")
    expect(header_inbox(page)).to_have_attribute("aria-label", "Inbox")


def test_permohonan_saya_shows_the_permit_number_and_unduh_izin_downloads_the_pdf(
    page: Page, site_url: str, issued: dict
) -> None:
    application = issued["application"]
    app_id, number = application["applicationId"], application["permitNumber"]
    assert re.fullmatch(r"503/\d+/DPMPTSP-KU/[IVXL]+/\d{4}", number), number

    sign_in(page, site_url, issued["person"])
    page.goto(f"{site_url}#/permohonan-saya")
    item = page.get_by_test_id(f"permohonan-{app_id}")
    expect(item.get_by_test_id("status")).to_have_text("Izin terbit")
    expect(item.get_by_test_id("nomor-izin")).to_have_text(number)
    assert_tap_targets(page, item)
    assert_no_horizontal_scroll(page)

    with page.expect_download() as downloading:
        item.get_by_role("button", name=re.compile("^Unduh Izin")).click()
    download = downloading.value
    assert download.suggested_filename == f"izin-{number.replace('/', '-')}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    expect(page.get_by_test_id("alert")).to_contain_text(download.suggested_filename)

    # Detail Informasi says the same and links the permit's verification page.
    item.get_by_role("link", name=re.compile("^Detail Informasi")).click()
    info = page.get_by_test_id("detail-informasi")
    expect(info.get_by_test_id("nomor-izin")).to_have_text(number)
    expect(info.get_by_role("button", name="Unduh Izin")).to_be_visible()
    # The e-mail's link to the application offers it too.
    page.goto(f"{site_url}#/permohonan/{app_id}")
    expect(page.get_by_test_id("bukan-draf")).to_be_visible()
    expect(page.get_by_role("button", name="Unduh Izin")).to_be_visible()
    page.go_back()
    info.get_by_role("link", name="Cek Keaslian Izin").click()
    assert hash_of(page) == f"#/verifikasi/{application['permitId']}"
    expect(page.get_by_test_id("putusan")).to_have_text("Izin ASLI dan BERLAKU")


def test_the_verification_page_says_genuine_then_not_valid_when_altered_then_revoked(
    browser, page_guard: PageGuard, site_url: str, issued: dict
) -> None:
    api, application, person = issued["api"], issued["application"], issued["person"]
    permit_id = application["permitId"]
    assert re.fullmatch(rf"[{CROCKFORD}]{{16}}", permit_id), permit_id

    # Anyone scanning the QR code, not signed in.
    context = new_context(browser)
    context.on("request", page_guard.on_request)
    try:
        page = context.new_page()
        page.on("console", page_guard.on_console)
        page.on("pageerror", page_guard.on_page_error)
        page.goto(f"{site_url}#/verifikasi/{permit_id}")
        expect(main_heading(page, "Verifikasi Izin")).to_be_visible()
        verdict = page.get_by_test_id("hasil-verifikasi")
        expect(page.get_by_test_id("putusan")).to_have_text("Izin ASLI dan BERLAKU")
        expect(verdict).to_have_attribute("data-status", "berlaku")
        data = page.get_by_test_id("data-izin")
        expect(data.get_by_test_id("nomor-izin")).to_have_text(application["permitNumber"])
        expect(data).to_contain_text(FISHING_IZIN_NAME)
        expect(data).to_contain_text(person["name"])
        expect(data).not_to_contain_text(person["nik"])
        expect(data).to_contain_text(re.compile(r"Tanggal terbit\s*\d{1,2} \w+ \d{4}"))
        assert page.get_by_test_id("putusan").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 24
        assert_no_horizontal_scroll(page)
        assert_tap_targets(page, page.get_by_role("main"))
        expect(header_inbox(page)).to_have_count(0)  # no unread count for a visitor

        # One character changed: not valid, and nothing about the permit is shown.
        page.goto(f"{site_url}#/verifikasi/{altered(permit_id)}")
        expect(page.get_by_test_id("putusan")).to_have_text("Izin TIDAK VALID")
        expect(page.get_by_test_id("hasil-verifikasi")).not_to_contain_text(application["permitNumber"])
        expect(page.get_by_test_id("hasil-verifikasi")).not_to_contain_text(person["name"])
        # Not even id-like: the same verdict, not a missing page.
        page.goto(f"{site_url}#/verifikasi/{permit_id[:8]}*{permit_id[9:]}")
        expect(page.get_by_test_id("putusan")).to_have_text("Izin TIDAK VALID")
        # A code typed by hand is read as Crockford base32: any case, dashes ignored.
        page.get_by_label("Periksa izin lain").fill(f"{permit_id[:8].lower()}-{permit_id[8:]}")
        page.get_by_role("button", name="Periksa").click()
        expect(page.get_by_test_id("putusan")).to_have_text("Izin ASLI dan BERLAKU")

        # An admin revokes it: the page says so, with the reason and the date.
        reason = "Pemegang izin tidak lagi memenuhi persyaratan usaha perikanan."
        revoked = api.post(
            f"/api/officer/permits/{permit_id}/revoke",
            token=issued["officers"].token("admin"),
            json={"reason": reason},
        )
        assert revoked.status_code == 200, revoked.text
        page.reload()
        expect(page.get_by_test_id("putusan")).to_have_text("Izin telah DICABUT")
        expect(page.get_by_test_id("hasil-verifikasi")).to_have_attribute("data-status", "dicabut")
        expect(page.get_by_test_id("alasan-pencabutan")).to_contain_text(reason)
        expect(page.get_by_test_id("data-izin")).to_contain_text(re.compile(r"Tanggal pencabutan\s*\d{1,2} \w+ \d{4}"))
    finally:
        context.close()


def test_a_new_applicant_has_an_empty_inbox_and_a_visitor_is_asked_to_sign_in(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}#/inbox")
    expect(main_heading(page, "Masuk")).to_be_visible()
    expect(header_inbox(page)).to_have_count(0)

    person = register_by_api(site_url)
    sign_in(page, site_url, person, next_page="/inbox")
    expect(main_heading(page, "Inbox")).to_be_visible()
    expect(page.get_by_test_id("inbox-kosong")).to_contain_text("Belum ada pesan.")
    expect(header_inbox(page)).to_have_attribute("aria-label", "Inbox")
    expect(page.get_by_role("button", name="Tandai semua dibaca")).to_be_hidden()

    # The dashboard's Inbox tile opens it too, in English as well.
    page.goto(f"{site_url}#/")
    page.get_by_test_id("tile-inbox").click()
    expect(main_heading(page, "Inbox")).to_be_visible()
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(page.get_by_test_id("inbox-kosong")).to_contain_text("No messages yet.")
