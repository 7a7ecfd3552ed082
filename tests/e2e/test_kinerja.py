"""Kinerja Pelayanan Publik in the browser, signed out, on a 390 px phone: the footer's link
opens the page; the office's IKM, grade and figures, a bar chart drawn as inline SVG (with a
table of the same numbers), the permit types' rows, and the same page in English. An issued
application with its survey, made through the API, is among the figures."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import Api
from tests.e2e.conftest import assert_no_horizontal_scroll
from tests.e2e.test_akun import hash_of, main_heading, register_by_api
from tests.integration.accounts_helpers import login
from tests.integration.workflow_helpers import CATALOGUE, RESEARCH, Applicant, Officers, decide, status_becomes

RESEARCH_IZIN = next(
    izin
    for izin in CATALOGUE.izin
    for layanan in izin.layanan
    for jenis in layanan.jenis_permohonan
    if jenis.id == RESEARCH.id
)


def issued_and_surveyed(site_url: str) -> None:
    """An application of RESEARCH_IZIN issued (verifikasi, persetujuan) and its survey filled, all 4s."""
    api = Api(site_url.rstrip("/"))
    person = register_by_api(site_url)
    answer = login(api, person["nik"], person["password"])
    assert answer.status_code == 200, answer.text
    applicant = Applicant(api, answer.json()["accessToken"])
    officers = Officers(api)
    app_id = applicant.submitted(RESEARCH)["applicationId"]
    for stage in ("verifikasi", "persetujuan"):
        decide(api, officers, app_id, stage)
    status_becomes(applicant, app_id, "terbit", timeout=40)
    survey = api.post(
        "/api/surveys",
        token=applicant.token,
        json={"applicationId": app_id, "answers": {f"u{n}": 4 for n in range(1, 10)}},
    )
    assert survey.status_code == 201, survey.text


def test_kinerja_is_public_drawn_without_scripts_of_others_and_in_two_languages(page: Page, site_url: str) -> None:
    issued_and_surveyed(site_url)
    # Signed out, from the footer of any page.
    page.goto(site_url)
    page.get_by_test_id("footer-kinerja").click()
    expect(main_heading(page, "Kinerja Pelayanan Publik")).to_be_visible()
    assert hash_of(page) == "#/kinerja"
    expect(page.get_by_test_id("kinerja-periode")).to_contain_text("12 bulan terakhir")

    # The office's figures: an IKM with its grade, respondents, finished, on time, median.
    expect(page.get_by_test_id("kinerja-ikm")).to_contain_text(re.compile(r"\d+,\d{2}"))
    expect(page.get_by_test_id("kinerja-ikm")).to_contain_text(re.compile(r"Mutu [ABCD]: "))
    expect(page.get_by_test_id("kinerja-finished")).to_contain_text(re.compile(r"[1-9]"))
    expect(page.get_by_test_id("kinerja-onTime")).to_contain_text("%")
    expect(page.get_by_test_id("kinerja-median")).to_contain_text("hari kerja")

    # The chart: inline SVG named for screen readers, one bar group per month, this month's not empty.
    chart = page.get_by_test_id("kinerja-chart")
    expect(chart).to_have_attribute("role", "img")
    expect(page.get_by_role("img", name=re.compile("Grafik batang permohonan selesai per bulan"))).to_be_visible()
    months = chart.locator("g[data-month]")
    expect(months).to_have_count(12)
    assert int(months.last.get_attribute("data-finished")) >= 1
    expect(months.last.locator("rect.kinerja-bar-on-time")).to_have_count(1)
    # The same numbers as a table.
    page.get_by_text("Lihat angka per bulan dalam tabel").click()
    expect(page.get_by_test_id("kinerja-bulan").locator("tbody tr")).to_have_count(12)

    # The permit type of the issued application: its IKM (all 4s: 100,00, A) and its finished count.
    row = page.get_by_test_id("kinerja-izin").locator(f'tr[data-izin="{RESEARCH_IZIN.id}"]')
    expect(row).to_contain_text(RESEARCH_IZIN.name)
    expect(row).to_contain_text(re.compile(r"\d+,\d{2} \(mutu [ABCD], "))
    expect(row.locator("td").nth(2)).to_have_text(re.compile(r"^[1-9]\d*$"))  # finished
    # Every permit type of the catalogue is listed.
    assert page.get_by_test_id("kinerja-izin").locator("tbody tr").count() >= len(CATALOGUE.izin)
    assert_no_horizontal_scroll(page)

    # In English.
    page.get_by_role("button", name=re.compile("^EN")).click()
    expect(main_heading(page, "Public service performance")).to_be_visible()
    expect(page.get_by_test_id("kinerja-median")).to_contain_text("working days")
    expect(page.get_by_role("img", name=re.compile("Bar chart of applications completed per month"))).to_be_visible()
    expect(page.get_by_test_id("kinerja-izin").locator("thead")).to_contain_text("Permit type")
    page.get_by_role("button", name=re.compile("^ID")).click()
    expect(main_heading(page, "Kinerja Pelayanan Publik")).to_be_visible()
