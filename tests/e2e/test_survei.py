"""Survey IKM in the browser, on a 390 px phone: the dashboard's tile leads to the pending
survey of an issued application; the form shows the nine elements with the regulation's
labels (and English ones); an incomplete form says what is missing; the survey is filled
once, and a second attempt (a tab opened before) is refused in words, as is the form's
address afterwards."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import Api
from tests.e2e.conftest import PageGuard, assert_no_horizontal_scroll
from tests.e2e.test_akun import hash_of, main_heading, register_by_api
from tests.e2e.test_permohonan import sign_in
from tests.integration.accounts_helpers import login
from tests.integration.test_surveys import REGULATION_ELEMENTS as ELEMENTS
from tests.integration.workflow_helpers import FISHING, Applicant, Officers, decide, status_becomes

SCORES = [4, 3, 3, 4, 3, 4, 4, 3, 2]


@pytest.fixture(scope="module")
def ended(site_url: str) -> dict:
    """An applicant whose application was issued.

    FISHING (verifikasi, teknis, persetujuan): no other browser test fills a survey of its permit
    type, so the report's figures for it are this test's alone, whichever tests share the stack."""
    api = Api(site_url.rstrip("/"))
    person = register_by_api(site_url)
    answer = login(api, person["nik"], person["password"])
    assert answer.status_code == 200, answer.text
    applicant = Applicant(api, answer.json()["accessToken"])
    officers = Officers(api)
    app_id = applicant.submitted(FISHING)["applicationId"]
    for stage in ("verifikasi", "teknis", "persetujuan"):
        decide(api, officers, app_id, stage)
    application = status_becomes(applicant, app_id, "terbit", timeout=40)
    return {"api": api, "person": person, "applicant": applicant, "application": application}


def fill(form_page: Page) -> None:
    for n, score in enumerate(SCORES, start=1):
        form_page.get_by_test_id(f"pilih-u{n}-{score}").click()


def test_the_survey_is_filled_once_from_the_dashboard_and_a_second_time_refused(
    page: Page, context: BrowserContext, page_guard: PageGuard, site_url: str, ended: dict
) -> None:
    application = ended["application"]
    app_id = application["applicationId"]
    sign_in(page, site_url, ended["person"])

    # The dashboard's tile is no longer "Segera hadir" and leads to the pending survey.
    page.goto(f"{site_url}#/")
    tile = page.get_by_test_id("tile-survey")
    expect(tile).to_be_visible()
    expect(page.locator(".tile", has=tile).get_by_test_id("segera-hadir-badge")).to_have_count(0)
    tile.click()
    expect(main_heading(page, "Survey IKM")).to_be_visible()
    assert hash_of(page) == "#/survei"
    entry = page.get_by_test_id(f"survei-{app_id}")
    expect(entry).to_contain_text(application["receiptNumber"])
    expect(entry).to_contain_text("Izin terbit")
    entry.click()

    # The form: nine elements in the regulation's order and words, four labelled choices each.
    expect(main_heading(page, "Survei Kepuasan Masyarakat")).to_be_visible()
    assert hash_of(page) == f"#/survei/{app_id}"
    elements = page.locator("fieldset.survei-unsur")
    expect(elements).to_have_count(9)
    for index, name in enumerate(ELEMENTS):
        expect(elements.nth(index).locator("legend")).to_contain_text(name)
        expect(elements.nth(index).locator("label")).to_have_count(4)
    expect(page.get_by_test_id("unsur-u1").locator("label")).to_have_text(
        ["1Tidak sesuai", "2Kurang sesuai", "3Sesuai", "4Sangat sesuai"]
    )
    expect(page.get_by_test_id("unsur-u4").locator("label").last).to_have_text("4Gratis")
    # On a 390 px phone: one column, nothing sideways, each element's four choices on one row, 44 px targets.
    assert_no_horizontal_scroll(page)
    for index in range(9):
        boxes = [label.bounding_box() for label in elements.nth(index).locator("label").all()]
        assert len({round(box["y"]) for box in boxes}) == 1 and all(box["height"] >= 44 for box in boxes), boxes
    # In English, the regulation's text is translated.
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(page.get_by_test_id("unsur-u1").locator("legend")).to_contain_text("Requirements")
    expect(page.get_by_test_id("unsur-u4").locator("label").last).to_have_text("4Free")
    page.get_by_role("button", name=re.compile("^ID")).click()
    expect(page.get_by_test_id("unsur-u1").locator("legend")).to_contain_text("Persyaratan")

    # A second tab opened on the same form before it is sent.
    other = context.new_page()
    other.on("console", page_guard.on_console)
    other.on("pageerror", page_guard.on_page_error)
    page_guard.allow_console(r"status of 409")
    other.goto(f"{site_url}#/survei/{app_id}")
    expect(other.locator("fieldset.survei-unsur")).to_have_count(9)

    # An incomplete form says which elements are missing and sends nothing.
    fill_partly = SCORES[:7]
    for n, score in enumerate(fill_partly, start=1):
        page.get_by_test_id(f"pilih-u{n}-{score}").click()
    page.get_by_role("button", name="Kirim Penilaian").click()
    expect(page.get_by_test_id("alert")).to_contain_text("Unsur nomor 8, 9 belum dinilai.")
    assert hash_of(page) == f"#/survei/{app_id}"

    # Filled in full with a suggestion: thanked, and the list has nothing left.
    fill(page)
    page.get_by_test_id("saran").fill("Petugas ramah, proses cepat.")
    page.get_by_role("button", name="Kirim Penilaian").click()
    expect(page.get_by_test_id("alert")).to_contain_text("Terima kasih. Penilaian Anda sudah kami terima.")
    assert hash_of(page) == "#/survei"
    expect(page.get_by_test_id("survei-kosong")).to_be_visible()

    # The tab opened before sends it again: refused, in words, and no form is left to fill.
    fill(other)
    other.get_by_role("button", name="Kirim Penilaian").click()
    expect(other.get_by_test_id("alert")).to_contain_text("Survei untuk permohonan ini sudah diisi.")
    expect(other.get_by_test_id("alert")).to_contain_text("Setiap permohonan hanya dapat dinilai satu kali.")
    expect(other.locator("fieldset.survei-unsur")).to_have_count(0)
    other.close()

    # The invitation's link, opened again, no longer offers the form.
    page.goto(f"{site_url}#/survei/{app_id}")
    expect(page.get_by_test_id("survei-tidak-menunggu")).to_contain_text("sudah Anda isi")
    expect(page.locator("fieldset.survei-unsur")).to_have_count(0)

    # And the office counted it once, with these answers.
    report = ended["api"].get("/api/officer/reports/ikm", token=Officers(ended["api"]).token("kepala")).json()
    row = next(r for r in report["perIzin"] if r["izinId"] == application["izin"]["id"])
    assert row["respondents"] == 1
    assert row["nrr"] == {f"u{n}": float(score) for n, score in enumerate(SCORES, start=1)}
