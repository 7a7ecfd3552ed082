"""Accessibility and English, on a phone and a desktop: axe-core (vendored) on every page of the
router and the main states (menus open, a refused form, steps 1-3, every sub-step of step 4,
Permohonan Saya with a draft) with no serious or critical violation; login and steps 1-3 done
with the keyboard alone; the English site reads the API's errors, tab names and units in English
and marks the catalogue's Indonesian content as such."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import PHONE_VIEWPORT, PROJECT_ROOT, PageGuard, new_context
from tests.e2e.test_akun import captcha_answer, log_in, register_by_api
from tools.load_catalogue import read_catalogue

DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
CATALOGUE = read_catalogue()
# A permit whose application has a company section and Data Detail fields with units.
KNOWN_UNITS = ("orang", "titik", "ton/tahun", "m³/tahun", "bulan", "pelanggan", "unit", "tempat tidur")
JENIS, LAYANAN, IZIN = next(
    (j, lay, i)
    for i in CATALOGUE.izin
    for lay in i.layanan
    for j in lay.jenis_permohonan
    if any(f.unit in KNOWN_UNITS for f in j.detail_fields)
)
STEP4_PARTS = ["pemohon", "perusahaan", "lokasi", "detail", "validasi", "ringkasan"]
SAMPLE_PATHS = {"/monitoring/": "2611-AAAA-BBBB", "/verifikasi/": "TIDAKADA1234"}


def router_pages() -> tuple[list[str], list[str]]:
    """Every page of the router (statics/js/app.js), public and behind login, read from its table
    so a page added by anyone is checked too."""
    source = (PROJECT_ROOT / "statics" / "js" / "app.js").read_text(encoding="utf-8")
    public, signed_in = [], []
    for path, body in re.findall(r"^  '(/[a-z-]*)': (\{.*?\}|soon\(.*?\)),?$", source, re.M | re.S):
        (signed_in if "auth: true" in body else public).append(path)
    return public, signed_in


class Audit:
    """Runs axe on each state and keeps what it found, for one message naming every state."""

    def __init__(self, page: Page, viewport: str):
        self.page = page
        self.viewport = viewport
        self.found: dict[str, list] = {}
        self.states = 0

    def check(self, state: str) -> None:
        self.page.wait_for_load_state("networkidle")
        violations = serious_violations(self.page)
        self.states += 1
        if violations:
            self.found[state] = [(v["id"], v["impact"], v["targets"]) for v in violations]

    def visit(self, site_url: str, hash_: str, state: str | None = None, ready: Callable[[], None] | None = None):
        self.page.goto(f"{site_url}#{hash_}")
        expect(self.page.locator("main h1").first).to_be_visible()
        if ready:
            ready()
        self.check(state or hash_)


def open_disclosure(page: Page, selector: str) -> None:
    button = page.locator(selector).first
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")


def walk_steps_1_to_3(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}#/pengajuan")
    page.get_by_test_id(f"izin-{IZIN.id}").click()
    page.get_by_test_id(f"layanan-{LAYANAN.id}").click()
    page.get_by_test_id(f"permohonan-{JENIS.id}").click()
    expect(page.get_by_test_id(f"permohonan-{JENIS.id}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("persyaratan")).to_be_visible()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_no_serious_or_critical_axe_violation_on_any_page_or_state(browser, site_url: str, viewport: str) -> None:
    size = PHONE_VIEWPORT if viewport == "phone" else DESKTOP_VIEWPORT
    context = new_context(browser, viewport=size)
    page = context.new_page()
    audit = Audit(page, viewport)
    public, signed_in = router_pages()
    try:
        for path in public:
            audit.visit(site_url, path)
        for prefix, sample in SAMPLE_PATHS.items():
            audit.visit(site_url, prefix + sample)
        # Menus open, and a form refused with its errors shown.
        audit.visit(site_url, "/")
        open_disclosure(page, ".nav-toggle")
        open_disclosure(page, "[data-nav-group]")
        audit.check("/ with the main menu open")
        open_disclosure(page, '[data-testid="user-menu-button"]')
        audit.check("/ with the account menu open")
        audit.visit(site_url, "/masuk")
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(page.locator("[aria-invalid='true']").first).to_be_visible()
        audit.check("/masuk refused (empty)")
        # Steps 1-3, a search without a match included.
        audit.visit(site_url, "/pengajuan")
        search = page.get_by_role("searchbox").first
        if search.count():
            search.fill("sumur bor angkot xyz")
            audit.check("/pengajuan step 1, no match")
        walk_steps_1_to_3(page, site_url)
        audit.check("/pengajuan step 3")

        person = register_by_api(site_url)
        page.goto(f"{site_url}#/masuk")
        log_in(page, site_url, person["nik"], person["password"], person["name"])
        for path in signed_in:
            audit.visit(site_url, path)
        walk_steps_1_to_3(page, site_url)
        page.get_by_role("button", name="Lanjut", exact=True).click()
        expect(page).to_have_url(re.compile(r"#/permohonan/[A-Za-z0-9_-]+"), timeout=20_000)
        application_id = re.search(r"#/permohonan/([A-Za-z0-9_-]+)", page.url).group(1)
        for part in STEP4_PARTS:
            audit.visit(site_url, f"/permohonan/{application_id}?bagian={part}", f"step 4: {part}")
        audit.visit(site_url, "/permohonan-saya", "/permohonan-saya with a draft")
        audit.visit(site_url, f"/permohonan-saya/{application_id}", "Detail Informasi of the draft")
    finally:
        context.close()
    print(f"axe ({viewport}): {audit.states} states, serious/critical: {audit.found or 'none'}")
    assert not audit.found, audit.found


def press_tab_until(page: Page, matches: str, text: str = "", limit: int = 80) -> None:
    """Tab (the keyboard only) until the focused element matches the CSS selector (and reads ``text``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, text]) => { const e = document.activeElement;"
            " return Boolean(e && e.matches(s) && (!text || e.textContent.trim() === text)); }",
            [matches, text],
        ):
            return
    raise AssertionError(f"{matches} never got the keyboard focus in {limit} Tab presses")


def test_login_and_steps_1_to_3_with_the_keyboard_alone(page: Page, site_url: str) -> None:
    person = register_by_api(site_url)
    page.goto(f"{site_url}#/masuk")
    expect(page.get_by_test_id("captcha-image")).to_be_visible()
    press_tab_until(page, "input[autocomplete='username'], input[name='username']")
    page.keyboard.type(person["nik"])
    press_tab_until(page, "input[type='password']")
    page.keyboard.type(person["password"])
    press_tab_until(page, "input[name='captchaAnswer'], input[name='captcha']")
    page.keyboard.type(captcha_answer(site_url, page))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("user-menu-button")).to_contain_text(person["name"])

    # Step 1 from the header's menu, then each step's choice, all with Tab and Enter/Space.
    press_tab_until(page, "a[href='#/pengajuan']:not([hidden])")
    page.keyboard.press("Enter")
    press_tab_until(page, f"[data-testid='izin-{IZIN.id}']")
    page.keyboard.press("Enter")
    press_tab_until(page, f"[data-testid='layanan-{LAYANAN.id}']")
    page.keyboard.press("Enter")
    press_tab_until(page, f"[data-testid='permohonan-{JENIS.id}']")
    page.keyboard.press("Space")
    expect(page.get_by_test_id(f"permohonan-{JENIS.id}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("persyaratan")).to_be_visible()
    press_tab_until(page, "button", "Lanjut")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#/permohonan/[A-Za-z0-9_-]+"), timeout=20_000)
    expect(page.locator("main h1").first).to_be_visible()


# Units the catalogue uses, as the English site writes them.
ENGLISH_UNITS = {
    "orang": "people",
    "titik": "points",
    "ton/tahun": "tonnes/year",
    "m³/tahun": "m³/year",
    "bulan": "months",
    "pelanggan": "customers",
    "unit": "units",
    "tempat tidur": "beds",
}


def sign_in_in_english(page: Page, site_url: str, person: dict[str, str], answer: str) -> None:
    page.goto(f"{site_url}#/masuk")
    page.get_by_label("NIK / Email", exact=True).fill(person["nik"])
    page.get_by_label("Password", exact=True).fill(person["password"])
    page.locator("input[name='captchaAnswer']").fill(answer)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_the_english_site_reads_errors_tabs_and_units_in_english(
    page: Page, page_guard: PageGuard, site_url: str
) -> None:
    page_guard.allow_console(r"status of 400 .*api/auth/login")
    person = register_by_api(site_url)
    page.goto(f"{site_url}#/masuk")
    page.locator("[data-lang='en']").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # A wrong security code: the API answers in Indonesian, the page in English (by the error's code).
    expect(page.get_by_test_id("captcha-image")).to_be_visible()
    sign_in_in_english(page, site_url, person, "ZZZZZ")
    expect(page.get_by_text(re.compile("security code is wrong", re.I)).first).to_be_visible()
    expect(page.get_by_text(re.compile("Kode keamanan salah", re.I))).to_have_count(0)

    expect(page.get_by_test_id("captcha-image")).to_be_visible()
    sign_in_in_english(page, site_url, person, captcha_answer(site_url, page))
    expect(page.get_by_test_id("user-menu-button")).to_contain_text(person["name"])
    # The catalogue stays Indonesian and says so.
    walk_steps_1_to_3(page, site_url)
    expect(page.locator(f"[data-testid='permohonan-{JENIS.id}'] [lang='id']").first).to_be_attached()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page).to_have_url(re.compile(r"#/permohonan/[A-Za-z0-9_-]+"), timeout=20_000)
    # Step 4's tabs in English, the Data Detail units too.
    tabs = page.locator(".substeps-nav")
    expect(tabs).to_contain_text("Applicant Data")
    expect(tabs).not_to_contain_text("Data Pemohon")
    application_id = re.search(r"#/permohonan/([A-Za-z0-9_-]+)", page.url).group(1)
    page.goto(f"{site_url}#/permohonan/{application_id}?bagian=detail")
    field = next((f for f in JENIS.detail_fields if f.unit in ENGLISH_UNITS), None)
    assert field is not None, f"{JENIS.id} has no field with a unit the test knows"
    expect(page.locator("main")).to_contain_text(f"({ENGLISH_UNITS[field.unit]})")
