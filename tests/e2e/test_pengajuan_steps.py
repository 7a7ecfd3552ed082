"""Steps 1-3 of Pengajuan Permohonan, walked in the browser as a new (signed-out) user would."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PageGuard, assert_no_horizontal_scroll, transferred_bytes
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
IZIN = {izin.id: izin for izin in CATALOGUE.izin}

DASHBOARD_TILES = [
    "Pengajuan Permohonan",
    "Permohonan Saya",
    "File Saya",
    "Monitoring Izin",
    "Inbox",
    "Survey IKM",
    "Pengaduan",
]
COMPANY_TEXT = {
    "required": "Wajib diisi",
    "optional": "Opsional (isi jika memiliki perusahaan)",
    "none": "Tidak diperlukan",
}
STEP_NAMES = ["Jenis Izin", "Jenis Layanan", "Jenis Permohonan & Persyaratan", "Isi Kelengkapan"]
DASHBOARD_BUDGET_BYTES = 250 * 1024


def hash_of(page: Page) -> str:
    return page.evaluate("() => window.location.hash")


def expect_current_step(page: Page, number: int) -> None:
    indicator = page.get_by_test_id("step-indicator")
    current = indicator.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(indicator.get_by_role("listitem").nth(number - 1)).to_have_attribute("aria-current", "step")
    expect(current).to_contain_text(f"Langkah {number} dari 4")
    expect(current).to_contain_text(STEP_NAMES[number - 1])


def step_heading(page: Page, number: int) -> Locator:
    return page.get_by_role("heading", level=2, name=re.compile(rf"^Langkah {number}:"))


def open_dashboard(page: Page, site_url: str) -> Locator:
    page.goto(site_url)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    return main


def expect_dashboard_tiles(main: Locator) -> None:
    tiles = main.get_by_role("list", name="Pilihan menu").get_by_role("listitem")
    expect(tiles).to_have_count(len(DASHBOARD_TILES))
    expect(tiles.get_by_role("heading", level=2)).to_have_text(DASHBOARD_TILES)


def walk_to_step3(page: Page, site_url: str, izin_id: str) -> None:
    """Dashboard → Pengajuan Permohonan → the permit → its first service → its first application type."""
    izin = IZIN[izin_id]
    layanan = izin.layanan[0]
    jenis = layanan.jenis_permohonan[0]

    main = open_dashboard(page, site_url)
    expect_dashboard_tiles(main)
    main.get_by_role("link", name="Pengajuan Permohonan", exact=True).click()
    expect(step_heading(page, 1)).to_be_visible()
    expect_current_step(page, 1)

    main.get_by_test_id(f"izin-{izin.id}").click()
    expect(step_heading(page, 2)).to_be_visible()
    expect_current_step(page, 2)

    main.get_by_test_id(f"layanan-{layanan.id}").click()
    expect(step_heading(page, 3)).to_be_visible()
    choice = main.get_by_test_id(f"permohonan-{jenis.id}")
    expect(choice).to_contain_text(jenis.name)
    choice.click()
    expect(choice).to_have_attribute("aria-pressed", "true")


def expect_requirements_of(page: Page, izin_id: str) -> None:
    jenis = IZIN[izin_id].layanan[0].jenis_permohonan[0]
    requirements = page.get_by_test_id("persyaratan")
    expect(requirements.locator(".req-name")).to_have_text([p.name for p in jenis.persyaratan])
    expect(requirements.get_by_role("listitem")).to_have_count(len(jenis.persyaratan))
    badge = {True: "Wajib", False: "Opsional"}
    expect(requirements.locator(".badge")).to_have_text(
        ["Wajib bagi badan usaha" if p.applies_to == "badan_usaha" else badge[p.mandatory] for p in jenis.persyaratan]
    )
    info = page.get_by_role("region", name="Informasi permohonan")
    expect(info).to_contain_text(f"Lama proses: {jenis.sla_working_days} hari kerja")
    expect(info).to_contain_text(f"Data perusahaan: {COMPANY_TEXT[jenis.company]}")


def test_dashboard_shows_the_seven_tiles(page: Page, site_url: str) -> None:
    main = open_dashboard(page, site_url)

    expect_dashboard_tiles(main)
    for name in DASHBOARD_TILES:
        expect(main.get_by_role("link", name=name, exact=True)).to_be_visible()


@pytest.mark.parametrize("izin_id", list(IZIN))
def test_steps_1_to_3_for_each_permit(page: Page, site_url: str, izin_id: str) -> None:
    jenis = IZIN[izin_id].layanan[0].jenis_permohonan[0]

    walk_to_step3(page, site_url, izin_id)

    expect_requirements_of(page, izin_id)
    expect_current_step(page, 3)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Lanjut", exact=True).click()

    expect(step_heading(page, 4)).to_be_visible()
    expect_current_step(page, 4)
    login = page.get_by_test_id("perlu-masuk")
    expect(login).to_be_visible()
    expect(login.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    expect(login.get_by_role("link", name="Daftar", exact=True)).to_be_visible()
    assert f"permohonan={jenis.id}" in hash_of(page)


FIRST_IZIN = CATALOGUE.izin[0]
FIRST_LAYANAN = FIRST_IZIN.layanan[0]
FIRST_JENIS = FIRST_LAYANAN.jenis_permohonan[0]


def test_reload_at_step_3_keeps_the_choices(page: Page, site_url: str) -> None:
    walk_to_step3(page, site_url, FIRST_IZIN.id)
    expect_requirements_of(page, FIRST_IZIN.id)
    address = hash_of(page)
    for part in (f"izin={FIRST_IZIN.id}", f"layanan={FIRST_LAYANAN.id}", f"permohonan={FIRST_JENIS.id}", "langkah=3"):
        assert part in address

    page.reload()

    expect(step_heading(page, 3)).to_be_visible()
    expect_current_step(page, 3)
    expect(page.get_by_test_id(f"permohonan-{FIRST_JENIS.id}")).to_have_attribute("aria-pressed", "true")
    summary = page.get_by_role("region", name="Pilihan Anda")
    expect(summary).to_contain_text(FIRST_IZIN.name)
    expect(summary).to_contain_text(FIRST_LAYANAN.name)
    expect_requirements_of(page, FIRST_IZIN.id)
    assert hash_of(page) == address


def test_kembali_goes_back_one_step(page: Page, site_url: str) -> None:
    walk_to_step3(page, site_url, FIRST_IZIN.id)
    expect_requirements_of(page, FIRST_IZIN.id)
    page.get_by_role("button", name="Lanjut", exact=True).click()
    expect(page.get_by_test_id("perlu-masuk")).to_be_visible()
    back = page.get_by_role("button", name="Kembali", exact=True)

    back.click()
    expect(step_heading(page, 3)).to_be_visible()
    expect_current_step(page, 3)
    expect(page.get_by_test_id(f"permohonan-{FIRST_JENIS.id}")).to_have_attribute("aria-pressed", "true")

    back.click()
    expect(step_heading(page, 2)).to_be_visible()
    expect_current_step(page, 2)
    expect(page.get_by_test_id(f"layanan-{FIRST_LAYANAN.id}")).to_be_visible()

    back.click()
    expect(step_heading(page, 1)).to_be_visible()
    expect_current_step(page, 1)
    expect(page.get_by_test_id(f"izin-{FIRST_IZIN.id}")).to_be_visible()


def test_batal_asks_before_returning_to_the_dashboard(page: Page, site_url: str) -> None:
    walk_to_step3(page, site_url, FIRST_IZIN.id)
    expect_requirements_of(page, FIRST_IZIN.id)
    dialog = page.get_by_role("dialog", name="Batalkan pengajuan?")

    page.get_by_role("button", name="Batal", exact=True).click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Tidak, lanjutkan pengajuan").click()
    expect(dialog).to_have_count(0)
    expect(step_heading(page, 3)).to_be_visible()
    assert "langkah=3" in hash_of(page)

    page.get_by_role("button", name="Batal", exact=True).click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Ya, batalkan").click()

    expect(page.get_by_role("main").get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    assert hash_of(page) == "#/"
    expect(dialog).to_have_count(0)


def test_dashboard_is_light_indonesian_and_fits_a_phone(page: Page, site_url: str) -> None:
    open_dashboard(page, site_url)
    page.wait_for_load_state("networkidle")

    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert_no_horizontal_scroll(page)
    total = transferred_bytes(page)
    assert 0 < total < DASHBOARD_BUDGET_BYTES, f"dashboard transferred {total} bytes"


def test_step_3_is_indonesian_and_fits_a_phone(page: Page, site_url: str) -> None:
    walk_to_step3(page, site_url, FIRST_IZIN.id)
    expect_requirements_of(page, FIRST_IZIN.id)

    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert_no_horizontal_scroll(page)


def test_api_error_is_shown_in_the_alert(page: Page, page_guard: PageGuard, site_url: str) -> None:
    answer = requests.get(f"{site_url}api/catalogue/izin/tidak-ada", timeout=30)
    assert answer.status_code == 404
    message = answer.json()["message"]
    assert "tidak ditemukan" in message
    page_guard.allow_console(r"status of 404")

    page.goto(f"{site_url}#/pengajuan?izin=tidak-ada&langkah=2")

    alert = page.get_by_test_id("alert")
    expect(alert).to_contain_text(message)
    expect(alert).to_contain_text("Terjadi kesalahan")
    expect(alert.get_by_role("link", name="Pilih izin lain")).to_have_attribute("href", "#/pengajuan?langkah=1")
    expect(step_heading(page, 2)).to_be_visible()
