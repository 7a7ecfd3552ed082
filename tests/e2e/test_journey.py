"""What a first-time applicant stumbles on (issue 12), screen by screen: the way in, step 1
without a match, step 4 on a phone (asked once: perorangan or badan usaha; the section in
view; coordinates pasted, located or tapped; Data Detail from Lokasi Izin; photos of pages
made into one PDF over a connection that drops; summary, declaration, Kirim), the existing
draft offered again, Permohonan Saya's cards, File Saya's Lihat, the security code and the
words of Ubah Password."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.conftest import EXPECT_TIMEOUT_MS, PageGuard, assert_no_horizontal_scroll, new_context
from tests.e2e.test_akun import main_heading, register_by_api
from tests.e2e.test_permohonan import DECLARATION, TILE_404, lanjut, sign_in, sub_step
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIPA_IZIN = next(izin for izin in CATALOGUE.izin if izin.id == "persetujuan-penggunaan-air-tanah")
SIPA_LAYANAN = SIPA_IZIN.layanan[0]
SIPA = next(j for j in SIPA_LAYANAN.jenis_permohonan if j.id == "sipa-baru")
FOR_PERSONS = [r for r in SIPA.persyaratan if r.mandatory and r.applies_to is None]
PHOTOS_TO = next(r for r in FOR_PERSONS if r.file_types == ["pdf"])  # only PDF: photos become one
MY_LOCATION = {"latitude": 3.3, "longitude": 117.6}
UPLOAD_TIMEOUT_MS = 30_000


def step3_hash() -> str:
    return f"#/pengajuan?izin={SIPA_IZIN.id}&layanan={SIPA_LAYANAN.id}&permohonan={SIPA.id}&langkah=3"


def photo_file(folder: Path, name: str, shade: int) -> Path:
    """A real phone-camera-like JPEG of a page."""
    image = Image.new("RGB", (900, 1200), (shade, shade, shade - 20))
    ImageDraw.Draw(image).rectangle((80, 100, 600, 220), fill=(10, 10, 10))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def top_of(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("(el) => el.getBoundingClientRect().top")


# ------------------------------------------------------------------ the way in and step 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_visitor_sees_the_way_in_and_step_1_explains_a_miss(page: Page, site_url: str, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.goto(site_url)
    expect(main_heading(page, "Dashboard")).to_be_visible()

    # Masuk and Daftar on the first screen, with no menu opened; the person icon has a word.
    way_in = page.get_by_test_id("masuk-daftar")
    for name in ("Masuk", "Daftar"):
        link = way_in.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= viewport["height"], f"{name} is below the first screen"
    expect(page.get_by_test_id("user-menu-button")).to_have_text(re.compile(r"Akun"))
    expect(page.get_by_test_id("user-menu-button").locator(".user-btn-label")).to_be_visible()

    # A tile of a page not built yet says so on the tile itself, and only such a tile.
    tiles = page.locator(".tile")
    for i in range(tiles.count()):
        tile = tiles.nth(i)
        soon = tile.get_attribute("data-soon") == "true"
        expect(tile.get_by_test_id("segera-hadir-badge")).to_have_count(1 if soon else 0)
        if soon:
            tile.get_by_role("link").click()
            expect(page.get_by_test_id("segera-hadir")).to_be_visible()
            page.go_back()
            expect(main_heading(page, "Dashboard")).to_be_visible()
    assert_no_horizontal_scroll(page)

    # Step 1: a municipal permit finds nothing, and the page says where it comes from.
    page.get_by_role("main").get_by_role("link", name="Pengajuan Permohonan", exact=True).click()
    search = page.get_by_test_id("cari-izin")
    search.fill("angkot")
    miss = page.get_by_test_id("tidak-ada-izin")
    expect(miss).to_be_visible()
    expect(miss).to_contain_text('Tidak ada izin provinsi yang cocok dengan "angkot"')
    expect(miss).to_contain_text("OSS RBA")
    expect(miss).to_contain_text("kabupaten/kota")
    expect(page.locator(".cards > li:visible")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    miss.get_by_role("button", name="Tampilkan semua izin").click()
    expect(page.locator(".cards > li:visible")).to_have_count(len(CATALOGUE.izin))
    expect(search).to_have_value("")
    # The catalogue's synonyms: "sumur bor" finds SIPA and says why.
    search.fill("sumur bor")
    expect(page.locator(".cards > li:visible")).to_have_count(1)
    card = page.get_by_test_id(f"izin-{SIPA_IZIN.id}")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Dikenal juga sebagai: sumur bor")

    # The security code: a larger image, a new one with one tap.
    page.goto(f"{site_url}#/masuk")
    image = page.get_by_test_id("captcha-image")
    expect(image).to_be_visible()
    assert image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [280, 90]
    first = image.get_attribute("data-captcha-id")
    page.get_by_role("button", name="Ganti kode keamanan").click()
    expect(image).not_to_have_attribute("data-captcha-id", first or "")


# ------------------------------------------------------------------ step 4 on a phone


def test_step_4_on_a_phone_from_the_first_field_to_kirim(
    browser: Browser, page_guard: PageGuard, site_url: str, tmp_path: Path
) -> None:
    page_guard.allow_console(TILE_404)
    page_guard.allow_console(r"ERR_CONNECTION_RESET")  # the upload dropped on purpose
    context = new_context(browser, has_touch=True, is_mobile=True, geolocation=MY_LOCATION, permissions=["geolocation"])
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    context.on("request", page_guard.on_request)
    page = context.new_page()
    page.on("console", page_guard.on_console)
    page.on("pageerror", page_guard.on_page_error)
    try:
        walk_step_4(page, page_guard, site_url, tmp_path)
    finally:
        context.close()


def walk_step_4(page: Page, page_guard: PageGuard, site_url: str, tmp_path: Path) -> None:
    person = register_by_api(site_url)
    sign_in(page, site_url, person)
    page.goto(f"{site_url}{step3_hash()}")
    requirements = page.get_by_test_id("persyaratan")
    expect(requirements).to_be_visible()
    # NIB and akta: for a badan usaha only, and said so; photos are welcome for every requirement.
    nib = requirements.get_by_role("listitem").filter(has_text="Nomor Induk Berusaha")
    expect(nib).to_contain_text("Wajib bagi badan usaha")
    expect(page.get_by_test_id("foto-diterima")).to_be_visible()
    lanjut(page)

    # Data Pemohon: the section, not the page title, is in view; the header takes a line or two.
    pemohon = page.get_by_test_id("section-pemohon")
    expect(pemohon).to_be_visible()
    application_id = re.search(r"#/permohonan/([A-Za-z0-9_-]+)", page.url).group(1)
    page.wait_for_function(
        """() => { const r = document.getElementById('bagian-heading').getBoundingClientRect();
                   return r.top >= 0 && r.top < 40; }"""
    )
    expect(page.get_by_role("heading", level=1, name="Pengajuan Permohonan")).to_be_attached()
    first_field = page.get_by_label("Anda mengajukan sebagai")
    assert first_field.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY") < 700
    assert_no_horizontal_scroll(page)

    # Asked once: perorangan or badan usaha; Jabatan only for a business.
    jabatan = pemohon.get_by_label("Jabatan")
    expect(jabatan).to_be_hidden()
    first_field.select_option("badan_usaha")
    expect(jabatan).to_be_visible()
    first_field.select_option("perorangan")
    expect(jabatan).to_be_hidden()
    # An empty required field: moved to with its label in view, not under the screen's edge.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    lanjut(page)
    occupation = pemohon.get_by_label("Pekerjaan")
    expect(occupation).to_be_focused()
    expect(occupation).to_have_attribute("aria-invalid", "true")
    label_top = top_of(page, '[data-field-wrap="occupation"] label')
    assert 0 <= label_top < PHONE["height"] / 2, label_top
    occupation.fill("Petani")
    lanjut(page)

    # A person has no Data Perusahaan: straight to Lokasi Izin.
    sub_step(page, "Lokasi Izin")
    tabs = page.get_by_role("navigation", name="Bagian Isi Kelengkapan")
    expect(tabs.get_by_role("link", name=re.compile("Data Perusahaan"))).to_have_count(0)
    lokasi = page.get_by_test_id("section-lokasi")
    expect(page.get_by_test_id("map-hint")).to_have_text("Ketuk peta untuk mengisi lintang dan bujur.")
    lokasi.get_by_label("Kabupaten/Kota").select_option(label="Kabupaten Bulungan")
    lokasi.get_by_label("Kecamatan").fill("Tanjung Selor")
    lokasi.get_by_label("Desa/Kelurahan").fill("Tanjung Selor Hilir")
    lokasi.get_by_label("Alamat Lokasi").fill("Jl. Katamso RT 05")
    latitude, longitude = lokasi.get_by_label("Lintang (latitude)"), lokasi.get_by_label("Bujur (longitude)")
    # A pair pasted from Google Maps goes to both fields.
    latitude.fill("2.8375, 117.3652")
    latitude.press("Tab")
    expect(latitude).to_have_value("2.8375")
    expect(longitude).to_have_value("117.3652")
    expect(page.get_by_test_id("koordinat-status")).to_contain_text("dipisah")
    # "Gunakan lokasi saya": the browser's position.
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(latitude).to_have_value("3.3")
    expect(longitude).to_have_value("117.6")
    expect(page.get_by_test_id("koordinat-status")).to_contain_text("Lokasi Anda diisikan")
    latitude.fill("2,9")  # a decimal comma is fine too
    lanjut(page)

    # Data Detail starts from Lokasi Izin.
    sub_step(page, "Data Detail")
    detail = page.get_by_test_id("section-detail")
    expect(page.get_by_test_id("detail-dari-lokasi")).to_be_visible()
    expect(detail.locator('[name="koordinatSumur"]')).to_have_value("2.9, 117.6")
    expect(detail.locator('[name="kabupatenKota"]')).to_have_value("Kabupaten Bulungan")
    detail.locator('[name="peruntukan"]').select_option("Pertanian dan perkebunan")
    detail.locator('[name="jenisSumur"]').select_option("Sumur bor")
    detail.locator('[name="jumlahSumur"]').fill("1")
    detail.locator('[name="kedalamanSumur"]').fill("60")
    detail.locator('[name="debitPengambilan"]').fill("12,5")

    # Only what a person needs; no "Ambil dari File Saya" before there is a file; the camera on touch.
    for req in SIPA.persyaratan:
        expect(page.get_by_test_id(f"lampiran-{req.id}")).to_have_count(0 if req.applies_to == "badan_usaha" else 1)
    row = page.get_by_test_id(f"lampiran-{PHOTOS_TO.id}")
    expect(row).to_contain_text("maksimal 10 MB")
    expect(row.get_by_role("button", name="Ambil dari File Saya")).to_be_hidden()
    expect(row.get_by_test_id(f"kamera-{PHOTOS_TO.id}")).to_be_visible()
    expect(row.get_by_test_id(f"kamera-{PHOTOS_TO.id}-input")).to_have_attribute("capture", "environment")
    expect(row.get_by_test_id(f"unggah-{PHOTOS_TO.id}-input")).to_have_attribute("multiple", "")

    # Two photos of a PDF-only document, over a connection that drops once: tried again, then one PDF.
    dropped = []

    def drop_first_upload(route: Route) -> None:
        request = route.request
        if (
            request.method == "POST"
            and "multipart/form-data" in (request.headers.get("content-type") or "")
            and not dropped
        ):
            dropped.append(request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*"), drop_first_upload)
    pages = [photo_file(tmp_path, "hal-1.jpg", 230), photo_file(tmp_path, "hal-2.jpg", 200)]
    with page.expect_file_chooser() as chooser:
        row.get_by_role("button", name="Unggah dari HP / Kamera").click()
    chooser.value.set_files([str(p) for p in pages])
    progress = row.get_by_test_id("upload-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("data-retries", "1", timeout=UPLOAD_TIMEOUT_MS)
    merged_name = f"{PHOTOS_TO.name}.pdf"
    expect(row.get_by_test_id("berkas-terlampir")).to_contain_text(merged_name, timeout=UPLOAD_TIMEOUT_MS)
    page.unroute(re.compile(r".*"))
    assert dropped, "the upload was never interrupted"
    expect(detail.locator('[name="debitPengambilan"]')).to_have_value("12,5")  # nothing typed was lost

    # Every other requirement but one takes the same PDF from File Saya.
    others = [r for r in FOR_PERSONS if r.id != PHOTOS_TO.id]
    for req in others[:-1]:
        take_from_file_saya(page, req.id, merged_name)
    lanjut(page)  # saves Data Detail

    # One attachment missing: neither Data Detail nor Validasi Data is ticked.
    sub_step(page, "Validasi Data")
    expect(page.get_by_test_id("missing-list").get_by_role("listitem")).to_have_count(1)
    expect(page.locator('.substep.is-done a[data-bagian="detail"]')).to_have_count(0)
    expect(page.locator('.substep.is-done a[data-bagian="validasi"]')).to_have_count(0)
    expect(page.locator('.substep.is-done a[data-bagian="lokasi"]')).to_have_count(1)
    page.get_by_test_id("missing-list").get_by_role("link").click()
    take_from_file_saya(page, others[-1].id, merged_name)
    expect(page.locator('.substep.is-done a[data-bagian="detail"]')).to_have_count(1)
    lanjut(page)
    sub_step(page, "Validasi Data")
    expect(page.get_by_test_id("lengkap")).to_be_visible()
    expect(page.get_by_test_id("pernyataan")).to_have_count(0)
    lanjut(page)

    # Tahap Akhir: the summary, then the declaration, then Kirim.
    review = page.get_by_test_id("review")
    expect(review).to_contain_text("Petani")
    expect(review).to_contain_text(merged_name)
    order = page.evaluate(
        """() => ['review', 'pernyataan-box', 'kirim-note'].map(
             (id) => document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect().top)"""
    )
    assert order == sorted(order), order
    # The tabs are one row on a phone, scrolled so the current one shows.
    tab = page.locator(".substep.is-current a").bounding_box()
    assert tab and tab["x"] >= 0 and tab["x"] + tab["width"] <= PHONE["width"], tab
    kirim = page.get_by_role("button", name="Kirim", exact=True)
    expect(kirim).to_be_disabled()
    page.get_by_label(DECLARATION).check()
    expect(kirim).to_be_enabled()
    assert_no_horizontal_scroll(page)

    # Back at step 3, Lanjut offers the draft instead of a second, empty one.
    page.goto(f"{site_url}{step3_hash()}")
    expect(page.get_by_test_id("persyaratan")).to_be_visible()
    lanjut(page)
    offer = page.get_by_test_id("draf-ada")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(application_id)
    expect(offer).to_contain_text(f"{3 + len(FOR_PERSONS)} dari {3 + len(FOR_PERSONS)} terpenuhi")
    offer.get_by_role("link", name="Lanjutkan draf").click()
    expect(page.get_by_test_id("checklist").or_(page.get_by_test_id("review"))).to_be_visible()
    assert f"#/permohonan/{application_id}" in page.url

    # Permohonan Saya: one card, ready to send, with its progress, last change and id.
    page.goto(f"{site_url}#/permohonan-saya")
    cards = page.locator('[data-testid^="permohonan-"]').filter(has=page.get_by_test_id("status"))
    expect(cards).to_have_count(1)
    card = page.get_by_test_id(f"permohonan-{application_id}")
    expect(card.get_by_test_id("status")).to_have_text("Siap dikirim")
    expect(card.get_by_test_id("kemajuan")).to_contain_text(f"{3 + len(FOR_PERSONS)} dari {3 + len(FOR_PERSONS)}")
    expect(card.get_by_test_id("perubahan-terakhir")).to_contain_text("WITA")
    expect(card.get_by_test_id("id-permohonan")).to_have_text(application_id)
    assert_no_horizontal_scroll(page)


def take_from_file_saya(page: Page, requirement_id: str, file_name: str) -> None:
    row = page.get_by_test_id(f"lampiran-{requirement_id}")
    row.get_by_role("button", name="Ambil dari File Saya").click()
    dialog = page.get_by_test_id("pilih-file")
    dialog.get_by_role("button", name=re.compile(re.escape(file_name))).first.click()
    expect(dialog).to_have_count(0)
    expect(row.get_by_test_id("berkas-terlampir")).to_contain_text(file_name)


# ------------------------------------------------------------------ File Saya and Ubah Password


def test_file_saya_shows_a_pdf_on_the_page_and_ubah_password_names_the_new_one(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    person = register_by_api(site_url)
    sign_in(page, site_url, person)
    page.goto(f"{site_url}#/file-saya")
    expect(main_heading(page, "File Saya")).to_be_visible()
    # The size limit is the API's (GET /api/meta), not a copy in the page
    expect(page.get_by_text("maksimal 10 MB per berkas")).to_be_visible()
    button = page.get_by_test_id("upload-file")
    expect(button).to_have_text(re.compile("Unggah"))
    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(pdf))
    entry = page.locator('[data-testid^="file-"]').filter(has_text=pdf.name)
    expect(entry.get_by_test_id("status-berkas")).to_have_text("Siap", timeout=UPLOAD_TIMEOUT_MS)
    entry.get_by_role("button", name="Lihat").click()
    viewer = page.get_by_test_id("lihat-berkas")
    expect(viewer).to_be_visible()
    frame = viewer.get_by_test_id("lihat-pdf")
    expect(frame).to_have_attribute("src", re.compile(r"^blob:"))
    expect(frame).to_have_attribute("data-type", "application/pdf")
    viewer.get_by_role("button", name="Tutup").click()
    expect(viewer).to_have_count(0)

    # Ubah Password: "password baru" where the new password is meant.
    page.goto(f"{site_url}#/ubah-password")
    page.get_by_label("Password Lama").fill(person["password"])
    page.get_by_label("Password Baru", exact=True).fill("abc")
    page.get_by_label("Konfirmasi Password Baru").fill("abd")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Password baru minimal 8 karakter.")).to_be_visible()
    expect(page.get_by_text("Konfirmasi password baru tidak sama dengan password baru.")).to_be_visible()
