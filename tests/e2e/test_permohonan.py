"""Langkah 4 "Isi Kelengkapan", Permohonan Saya and File Saya (manual C.2.1-C.2.3) in the browser,
as a newly registered applicant would use them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import requests
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PageGuard, assert_no_horizontal_scroll
from tests.e2e.test_akun import alert, hash_of, log_in, main_heading, register_by_api
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
JENIS = {j.id: j for izin in CATALOGUE.izin for layanan in izin.layanan for j in layanan.jenis_permohonan}
IZIN_OF = {j.id: izin for izin in CATALOGUE.izin for layanan in izin.layanan for j in layanan.jenis_permohonan}
MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
# The map asks our own origin for tiles; locally nothing serves them, so they answer 404.
TILE_404 = r"status of 404 .*/tiles/\d+/\d+/\d+\.png"
VALID_NPWP = "013000666091000"
STALE = "Permohonan ini sudah diubah di tempat lain"
IN_USE = "Berkas ini masih dipakai di permohonan"
DECLARATION = "Saya menyatakan bahwa data yang saya isi telah lengkap dan benar."
UPLOAD_TIMEOUT_MS = 20_000


@dataclass
class Permit:
    izin: object
    layanan: object
    jenis: object
    pdf_req: object
    jpeg_req: object
    reused: list


def choose_permit() -> Permit:
    """A permit whose company data is required, with the fewest mandatory requirements (at least 3),
    one of which takes a PDF and another a JPEG."""
    found = []
    for izin in CATALOGUE.izin:
        for layanan in izin.layanan:
            for jenis in layanan.jenis_permohonan:
                mandatory = [r for r in jenis.persyaratan if r.mandatory]
                if jenis.company != "required" or len(mandatory) < 3:
                    continue
                pdf_req = next((r for r in mandatory if r.file_types == ["pdf"]), None) or next(
                    (r for r in mandatory if "pdf" in r.file_types), None
                )
                jpeg_req = next((r for r in mandatory if "jpeg" in r.file_types and r is not pdf_req), None)
                if not pdf_req or not jpeg_req:
                    continue
                rest = [r for r in mandatory if r not in (pdf_req, jpeg_req)]
                if any("jpeg" not in r.file_types and "pdf" not in r.file_types for r in rest):
                    continue
                found.append(
                    (len(mandatory), len(jenis.detail_fields), Permit(izin, layanan, jenis, pdf_req, jpeg_req, rest))
                )
    assert found, "the catalogue has no permit with required company data and PDF/JPEG requirements"
    return min(found, key=lambda item: item[:2])[2]


PERMIT = choose_permit()


# ------------------------------------------------------------------ helpers


def api_token(site_url: str, person: dict[str, str]) -> dict[str, str]:
    """A second session of the same applicant, for changes made "elsewhere"."""
    captcha = requests.get(f"{site_url}api/auth/captcha", timeout=30).json()
    answer = requests.get(f"{site_url}_local/captcha/{captcha['captchaId']}", timeout=30).json()["answer"]
    login = requests.post(
        f"{site_url}api/auth/login",
        json={
            "username": person["nik"],
            "password": person["password"],
            "captchaId": captcha["captchaId"],
            "captchaAnswer": answer,
        },
        timeout=30,
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['accessToken']}"}


def create_application(site_url: str, auth: dict[str, str], jenis_id: str) -> str:
    answer = requests.post(
        f"{site_url}api/applications", json={"jenisPermohonanId": jenis_id}, headers=auth, timeout=30
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["applicationId"]


def sign_in(page: Page, site_url: str, person: dict[str, str], next_page: str = "") -> None:
    page.goto(f"{site_url}#/masuk" + (f"?next={next_page}" if next_page else ""))
    log_in(page, site_url, person["nik"], person["password"], person["name"])


def write_files(folder: Path) -> dict[str, Path]:
    files = {
        "pdf": folder / "surat-permohonan.pdf",
        "jpeg": folder / "scan-ktp.jpg",
        "fake_pdf": folder / "bukan-pdf.pdf",
        "text": folder / "catatan.txt",
        "big": folder / "terlalu-besar.pdf",
    }
    # Big enough that the progress bar has something to show on a throttled connection.
    files["pdf"].write_bytes(b"%PDF-1.4\n" + b"% e-PTSP uji\n" * 20_000 + b"%%EOF\n")
    files["jpeg"].write_bytes(
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 2048 + b"\xff\xd9"
    )
    files["fake_pdf"].write_text("Ini hanya teks biasa, bukan PDF.\n" * 10, encoding="utf-8")
    files["text"].write_text("catatan\n", encoding="utf-8")
    with files["big"].open("wb") as big:
        big.write(b"%PDF-1.4\n")
        big.truncate(10 * 1024 * 1024 + 1)
    return files


def sub_step(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", level=2, name=re.compile(rf"^{re.escape(name)}"))).to_be_visible()


def go_to_sub_step(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Bagian Isi Kelengkapan").get_by_role(
        "link", name=re.compile(rf"^{re.escape(label)}")
    ).click()


def lanjut(page: Page) -> None:
    page.get_by_role("button", name="Lanjut", exact=True).click()


def missing_items(page: Page) -> Locator:
    return page.get_by_test_id("missing-list").get_by_role("listitem")


def upload_in(page: Page, row: Locator, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        row.get_by_role("button", name="Unggah dari HP / Kamera").click()
    chooser.value.set_files(str(path))


def detail_values() -> dict[str, tuple[str, str]]:
    """Per detail field: (how to fill it, the value the input shows afterwards)."""
    values = {}
    for f in PERMIT.jenis.detail_fields:
        if f.type == "select":
            values[f.id] = ("select", f.options[-1])
        elif f.type == "boolean":
            values[f.id] = ("select", "true")
        elif f.type == "date":
            values[f.id] = ("fill", "2026-12-01")
        elif f.type == "integer":
            n = int(f.min if f.min is not None else 1) + (1 if f.max is None or (f.min or 1) + 1 <= f.max else 0)
            values[f.id] = ("fill", str(n))
        elif f.type == "number":
            low = f.min if f.min is not None else 1
            values[f.id] = ("fill", f"{low + 0.5:g}".replace(".", ","))
        elif f.type == "textarea":
            values[f.id] = ("fill", f"Uraian {f.label.lower()} untuk pengujian.")
        else:
            values[f.id] = ("fill", f"UJI/{f.id[:8].upper()}/2026")
    return values


# ------------------------------------------------------------------ the whole journey


def test_applicant_completes_step_4_leaves_and_resumes_from_permohonan_saya(
    page: Page, page_guard: PageGuard, site_url: str, tmp_path: Path
) -> None:
    page_guard.allow_console(TILE_404)
    page_guard.allow_console(r"status of 409")  # deleting a file that is in use, on purpose
    person = register_by_api(site_url)
    files = write_files(tmp_path)
    izin, layanan, jenis = PERMIT.izin, PERMIT.layanan, PERMIT.jenis
    sign_in(page, site_url, person)

    # Langkah 1-3, then Lanjut starts the draft.
    main = page.get_by_role("main")
    main.get_by_role("link", name="Pengajuan Permohonan", exact=True).click()
    main.get_by_test_id(f"izin-{izin.id}").click()
    main.get_by_test_id(f"layanan-{layanan.id}").click()
    main.get_by_test_id(f"permohonan-{jenis.id}").click()
    expect(page.get_by_test_id("persyaratan")).to_be_visible()
    lanjut(page)

    # Data Pemohon, prefilled from the account; the NIK cannot be changed.
    pemohon = page.get_by_test_id("section-pemohon")
    expect(pemohon).to_be_visible()
    address = re.fullmatch(r"#/permohonan/([A-Za-z0-9_-]+)\?bagian=pemohon", hash_of(page))
    assert address, hash_of(page)
    application_id = address.group(1)
    expect(page.get_by_test_id("step-indicator").locator('[aria-current="step"]')).to_contain_text("Isi Kelengkapan")
    nik = pemohon.get_by_label("NIK", exact=True)
    expect(nik).to_have_value(person["nik"])
    expect(nik).to_have_attribute("readonly", "")
    expect(pemohon.get_by_label("Nama Lengkap")).to_have_value(person["name"])
    expect(pemohon.get_by_label("Email")).to_have_value(person["email"])
    expect(pemohon.get_by_label("Kabupaten/Kota")).to_have_value(person["kabupatenKota"])
    assert_no_horizontal_scroll(page)
    lanjut(page)
    expect(pemohon.get_by_label("Pekerjaan")).to_have_attribute("aria-invalid", "true")
    expect(pemohon.get_by_label("Pekerjaan")).to_be_focused()
    pemohon.get_by_label("Pekerjaan").fill("Wiraswasta")
    pemohon.get_by_label("Jabatan").fill("Direktur")
    lanjut(page)

    # Data Perusahaan is required for this permit: the API's field error shows next to its input.
    perusahaan = page.get_by_test_id("section-perusahaan")
    sub_step(page, "Data Perusahaan")
    expect(perusahaan).to_be_visible()
    expect(page.get_by_text("Data perusahaan wajib diisi untuk izin ini.")).to_be_visible()
    assert_no_horizontal_scroll(page)
    perusahaan.get_by_label("Nama Perusahaan").fill("PT Samudra Kaltara")
    perusahaan.get_by_label("Bentuk Badan Usaha").select_option("PT")
    perusahaan.get_by_label("NPWP Perusahaan").fill("012345678901234")  # 15 digits, wrong check digit
    perusahaan.get_by_label("NIB").fill("9120001234567")
    perusahaan.get_by_label("Kabupaten/Kota").select_option("6571")
    perusahaan.get_by_label("Alamat Perusahaan").fill("Jl. Yos Sudarso No. 88, Tarakan")
    page_guard.allow_console(r"status of 422")
    lanjut(page)
    npwp = perusahaan.get_by_label("NPWP Perusahaan")
    expect(npwp).to_have_attribute("aria-invalid", "true")
    expect(perusahaan).to_contain_text("NPWP tidak valid")
    expect(perusahaan.get_by_label("Nama Perusahaan")).to_have_value("PT Samudra Kaltara")
    npwp.fill(VALID_NPWP)
    lanjut(page)

    # Lokasi Izin: the map loads without tiles, says so, and a click still fills the coordinates.
    lokasi = page.get_by_test_id("section-lokasi")
    sub_step(page, "Lokasi Izin")
    the_map = page.get_by_test_id("map")
    expect(the_map).to_be_visible()
    expect(page.get_by_test_id("map-note")).to_have_text(
        "Peta tidak dapat dimuat. Isi koordinat secara manual atau lewati; koordinat tidak wajib."
    )
    expect(the_map.locator(".leaflet-container, .leaflet-pane").first).to_be_attached()
    box = the_map.bounding_box()
    the_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude, longitude = lokasi.get_by_label("Lintang (latitude)"), lokasi.get_by_label("Bujur (longitude)")
    expect(latitude).not_to_have_value("")
    assert 0.8 <= float(latitude.input_value()) <= 4.8
    assert 114.3 <= float(longitude.input_value()) <= 118.3
    expect(the_map.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_no_horizontal_scroll(page)
    lokasi.get_by_label("Kabupaten/Kota").select_option(label="Kota Tarakan")
    lokasi.get_by_label("Kecamatan").fill("Tarakan Barat")
    lokasi.get_by_label("Desa/Kelurahan").fill("Karang Anyar")
    lokasi.get_by_label("Alamat Lokasi").fill("Jl. Mulawarman No. 12, dekat dermaga")
    latitude.fill("3,3")  # typed by hand, with a decimal comma
    longitude.fill("117.6")
    lanjut(page)

    # Validasi Data already lists what is left: the detail section and every attachment.
    detail = page.get_by_test_id("section-detail")
    sub_step(page, "Data Detail")
    go_to_sub_step(page, "Validasi Data")
    expect(page.get_by_test_id("checklist")).to_be_visible()
    mandatory = [r for r in jenis.persyaratan if r.mandatory]
    expect(missing_items(page)).to_have_count(1 + len(mandatory))
    expect(page.get_by_test_id("pernyataan")).to_have_count(0)  # the declaration comes after the summary
    missing_items(page).filter(has_text="Data Detail").get_by_role("link").click()

    # Data Detail: the permit's own fields.
    sub_step(page, "Data Detail")
    values = detail_values()
    for field_id, (how, value) in values.items():
        control = detail.locator(f'[name="{field_id}"]')
        if how == "select":
            control.select_option(value)
        else:
            control.fill(value)

    # Lampiran Persyaratan: a PDF and a JPEG uploaded, with the progress bar, then attached.
    lampiran = page.get_by_test_id("lampiran")
    expect(lampiran).to_be_visible()
    pdf_row = page.get_by_test_id(f"lampiran-{PERMIT.pdf_req.id}")
    jpeg_row = page.get_by_test_id(f"lampiran-{PERMIT.jpeg_req.id}")
    expect(pdf_row).to_contain_text(PERMIT.pdf_req.name)
    expect(pdf_row).to_contain_text("Wajib")
    expect(pdf_row).to_contain_text("PDF")

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 64 * 1024},
    )
    upload_in(page, pdf_row, files["pdf"])
    progress = pdf_row.get_by_test_id("upload-progress")
    expect(progress).to_be_visible()
    expect(progress.locator("progress")).to_be_visible()
    expect(progress).to_contain_text("%")
    page.wait_for_function(
        """() => { const p = document.querySelector('[data-testid="upload-progress"] progress');
                   return p && p.value > 0 && p.value < 100; }""",
        timeout=UPLOAD_TIMEOUT_MS,
    )
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(progress).to_contain_text("100%", timeout=UPLOAD_TIMEOUT_MS)
    expect(pdf_row.get_by_test_id("berkas-terlampir")).to_contain_text(files["pdf"].name, timeout=UPLOAD_TIMEOUT_MS)
    expect(progress).to_contain_text("siap dan telah dilampirkan")

    upload_in(page, jpeg_row, files["jpeg"])
    expect(jpeg_row.get_by_test_id("upload-progress")).to_be_visible()
    expect(jpeg_row.get_by_test_id("berkas-terlampir")).to_contain_text(files["jpeg"].name, timeout=UPLOAD_TIMEOUT_MS)
    expect(jpeg_row.get_by_test_id("upload-progress")).to_contain_text("100%")

    # A file of the wrong kind is refused before anything is sent.
    upload_in(page, pdf_row, files["text"])
    expect(pdf_row.get_by_role("alert")).to_contain_text("tidak diterima")
    expect(pdf_row.get_by_test_id("berkas-terlampir")).to_contain_text(files["pdf"].name)

    # "Ambil dari File Saya" reuses a file uploaded before for the other requirements.
    for req in PERMIT.reused:
        reuse = files["jpeg"] if "jpeg" in req.file_types else files["pdf"]
        row = page.get_by_test_id(f"lampiran-{req.id}")
        row.get_by_role("button", name="Ambil dari File Saya").click()
        dialog = page.get_by_test_id("pilih-file")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(req.name)
        dialog.get_by_role("button", name=re.compile(re.escape(reuse.name))).click()
        expect(dialog).to_have_count(0)
        expect(row.get_by_test_id("berkas-terlampir")).to_contain_text(reuse.name)
    expect(page.get_by_test_id("jumlah-lampiran")).to_have_text(
        f"Lampiran wajib: {len(mandatory)} dari {len(mandatory)} sudah dilampirkan."
    )
    # "Lepas" detaches a file (it stays in File Saya); it can be chosen again.
    jpeg_row.get_by_role("button", name=re.compile("^Lepas")).click()
    expect(jpeg_row).to_contain_text("Belum ada berkas.")
    expect(page.get_by_test_id("jumlah-lampiran")).to_contain_text(f"{len(mandatory) - 1} dari {len(mandatory)}")
    jpeg_row.get_by_role("button", name="Ambil dari File Saya").click()
    page.get_by_test_id("pilih-file").get_by_role("button", name=re.compile(re.escape(files["jpeg"].name))).click()
    expect(jpeg_row.get_by_test_id("berkas-terlampir")).to_contain_text(files["jpeg"].name)
    assert_no_horizontal_scroll(page)
    lanjut(page)

    # Validasi Data: the list has shrunk to nothing.
    sub_step(page, "Validasi Data")
    expect(missing_items(page)).to_have_count(0)
    expect(page.get_by_test_id("lengkap")).to_be_visible()
    assert_no_horizontal_scroll(page)
    lanjut(page)

    # Tahap Akhir (Gambar 15): everything at a glance, then the declaration, then Kirim.
    review = page.get_by_test_id("review")
    expect(review).to_be_visible()
    expect(review).to_contain_text("Wiraswasta")
    expect(review).to_contain_text("PT Samudra Kaltara")
    expect(review).to_contain_text("Kota Tarakan")
    expect(review).to_contain_text("Karang Anyar")
    expect(review).to_contain_text(files["pdf"].name)
    expect(review).to_contain_text(files["jpeg"].name)
    kirim = page.get_by_role("button", name="Kirim", exact=True)
    expect(kirim).to_be_disabled()
    declaration = page.get_by_label(DECLARATION)
    expect(declaration).to_be_enabled()
    declaration.check()
    expect(page.get_by_test_id("pernyataan-box")).to_contain_text("Pernyataan tersimpan.")
    expect(declaration).to_be_checked()
    expect(kirim).to_be_visible()
    expect(kirim).to_be_enabled()
    expect(page.get_by_test_id("kirim-note")).to_have_text(
        "Periksa kembali data Anda. Setelah dikirim, permohonan tidak dapat diubah lagi."
    )
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Kembali", exact=True).click()
    sub_step(page, "Lokasi Izin")  # as the manual says: Kembali returns to Lokasi Izin

    # Leave, reload, and come back through Permohonan Saya.
    page.get_by_role("link", name=re.compile("^e-PTSP Kalimantan Utara")).click()
    expect(main_heading(page, "Dashboard")).to_be_visible()
    page.reload()
    expect(main_heading(page, "Dashboard")).to_be_visible()
    main.get_by_role("link", name="Permohonan Saya", exact=True).click()
    expect(main_heading(page, "Permohonan Saya")).to_be_visible()
    item = page.get_by_test_id(f"permohonan-{application_id}")
    expect(item).to_contain_text(izin.name)
    expect(item).to_contain_text(layanan.name)
    expect(item).to_contain_text(jenis.name)
    expect(item.get_by_test_id("status")).to_have_text("Siap dikirim")
    parts = 4 + len(mandatory)  # Data Pemohon, Perusahaan (required here), Lokasi, Detail and each attachment
    expect(item.get_by_test_id("kemajuan")).to_contain_text(f"{parts} dari {parts} terpenuhi")
    expect(item.get_by_test_id("id-permohonan")).to_have_text(application_id)
    expect(item.get_by_test_id("perubahan-terakhir")).to_contain_text("WITA")
    expect(item).to_contain_text(re.compile(rf"\d{{1,2}} ({MONTHS}) \d{{4}}"))
    assert_no_horizontal_scroll(page)

    page.get_by_label("Cari nama izin atau nomor resi").fill("tidak ada izin seperti ini")
    expect(page.get_by_test_id("daftar-kosong")).to_be_visible()
    page.get_by_label("Cari nama izin atau nomor resi").fill(izin.name.split()[-1].lower())
    expect(item).to_be_visible()

    item.get_by_role("link", name=re.compile("^Lanjutkan")).click()
    sub_step(page, "Validasi Data")
    expect(missing_items(page)).to_have_count(0)
    lanjut(page)
    expect(page.get_by_label(DECLARATION)).to_be_checked()
    go_to_sub_step(page, "Data Pemohon")
    expect(page.get_by_label("Pekerjaan")).to_have_value("Wiraswasta")
    expect(page.get_by_label("Jabatan")).to_have_value("Direktur")
    go_to_sub_step(page, "Data Perusahaan")
    expect(page.get_by_label("NPWP Perusahaan")).to_have_value(VALID_NPWP)
    go_to_sub_step(page, "Lokasi Izin")
    expect(page.get_by_label("Lintang (latitude)")).to_have_value("3.3")
    expect(page.get_by_label("Bujur (longitude)")).to_have_value("117.6")
    expect(page.get_by_test_id("map").locator(".leaflet-marker-icon")).to_have_count(1)  # the saved point
    expect(page.get_by_label("Desa/Kelurahan")).to_have_value("Karang Anyar")
    go_to_sub_step(page, "Data Detail")
    for field_id, (_how, value) in values.items():
        expect(page.get_by_test_id("section-detail").locator(f'[name="{field_id}"]')).to_have_value(value)
    expect(pdf_row.get_by_test_id("berkas-terlampir")).to_contain_text(files["pdf"].name)
    expect(jpeg_row.get_by_test_id("berkas-terlampir")).to_contain_text(files["jpeg"].name)

    # Detail Informasi shows everything.
    page.goto(f"{site_url}#/permohonan-saya/{application_id}")
    info = page.get_by_test_id("detail-informasi")
    expect(main_heading(page, "Detail Informasi")).to_be_visible()
    expect(info).to_contain_text("Siap dikirim")
    expect(info).to_contain_text("PT Samudra Kaltara")
    expect(info).to_contain_text(files["jpeg"].name)

    # File Saya: both files, where they are used; a used file cannot be deleted.
    page.goto(f"{site_url}#/file-saya")
    expect(main_heading(page, "File Saya")).to_be_visible()
    for path, kind in ((files["pdf"], "PDF"), (files["jpeg"], "JPEG")):
        entry = page.locator('[data-testid^="file-"]').filter(has_text=path.name)
        expect(entry).to_have_count(1)
        expect(entry.get_by_test_id("status-berkas")).to_have_text("Siap")
        expect(entry).to_contain_text(kind)
        expect(entry).to_contain_text(re.compile(r"\d+(,\d)? KB"))
        expect(entry).to_contain_text("WITA")
        expect(entry.get_by_test_id("dipakai-di")).to_contain_text(f"Dipakai di: {izin.name}")
    assert_no_horizontal_scroll(page)
    used = page.locator('[data-testid^="file-"]').filter(has_text=files["pdf"].name)
    used.get_by_role("button", name="Hapus").click()
    page.get_by_role("dialog", name="Hapus berkas?").get_by_role("button", name="Ya, hapus").click()
    expect(alert(page)).to_contain_text(IN_USE)
    expect(used).to_be_visible()


# ------------------------------------------------------------------ File Saya


def test_file_saya_uploads_checks_refuses_and_deletes(
    page: Page, page_guard: PageGuard, site_url: str, tmp_path: Path
) -> None:
    person = register_by_api(site_url)
    files = write_files(tmp_path)
    sign_in(page, site_url, person)
    page.get_by_role("main").get_by_role("link", name="File Saya", exact=True).click()
    expect(main_heading(page, "File Saya")).to_be_visible()
    expect(page.get_by_test_id("berkas-kosong")).to_be_visible()
    assert_no_horizontal_scroll(page)

    def upload(path: Path) -> None:
        with page.expect_file_chooser() as chooser:
            page.get_by_test_id("upload-file").click()
        chooser.value.set_files(str(path))

    # Refused before uploading: too big, or not PDF/JPEG/PNG.
    upload(files["big"])
    expect(page.get_by_role("alert").filter(has_text="melebihi batas 10 MB")).to_be_visible()
    upload(files["text"])
    expect(page.get_by_role("alert").filter(has_text="tidak diterima")).to_be_visible()

    # A ".pdf" that is really text is uploaded, checked, and refused with the reason.
    upload(files["fake_pdf"])
    status = page.get_by_test_id("upload-progress").filter(has_text=files["fake_pdf"].name)
    expect(status).to_be_visible()
    expect(status).to_contain_text("Berkas ditolak: Isi berkas bukan PDF", timeout=UPLOAD_TIMEOUT_MS)
    refused = page.locator('[data-testid^="file-"]').filter(has_text=files["fake_pdf"].name)
    expect(refused.get_by_test_id("status-berkas")).to_have_text("Ditolak")
    expect(refused.get_by_test_id("alasan-ditolak")).to_contain_text("Isi berkas bukan PDF")
    expect(refused.get_by_role("button", name="Lihat")).to_have_count(0)

    # A real JPEG becomes Siap; Lihat shows it on the page (an image, typed as the API says), no download.
    upload(files["jpeg"])
    ready = page.locator('[data-testid^="file-"]').filter(has_text=files["jpeg"].name)
    expect(ready.get_by_test_id("status-berkas")).to_have_text("Siap", timeout=UPLOAD_TIMEOUT_MS)
    expect(ready.get_by_test_id("dipakai-di")).to_contain_text("Belum dipakai")
    ready.get_by_role("button", name="Lihat").click()
    viewer = page.get_by_test_id("lihat-berkas")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_role("heading")).to_have_text(files["jpeg"].name)
    expect(viewer.get_by_test_id("lihat-gambar")).to_have_attribute("src", re.compile(r"^blob:"))
    assert_no_horizontal_scroll(page)
    viewer.get_by_role("button", name="Tutup").click()
    expect(viewer).to_have_count(0)

    # An unused file is deleted after confirmation.
    refused.get_by_role("button", name="Hapus").click()
    dialog = page.get_by_role("dialog", name="Hapus berkas?")
    dialog.get_by_role("button", name="Tidak").click()
    expect(refused).to_be_visible()
    refused.get_by_role("button", name="Hapus").click()
    dialog.get_by_role("button", name="Ya, hapus").click()
    expect(alert(page)).to_contain_text("telah dihapus")
    expect(refused).to_have_count(0)
    page.reload()
    expect(ready).to_be_visible()
    expect(page.locator('[data-testid^="file-"]').filter(has_text=files["fake_pdf"].name)).to_have_count(0)


# ------------------------------------------------------------------ saving


def test_stale_version_is_explained_and_the_input_kept(page: Page, page_guard: PageGuard, site_url: str) -> None:
    page_guard.allow_console(r"status of 409")
    person = register_by_api(site_url)
    auth = api_token(site_url, person)
    application_id = create_application(site_url, auth, PERMIT.jenis.id)

    sign_in(page, site_url, person, next_page=f"%2Fpermohonan%2F{application_id}")
    pemohon = page.get_by_test_id("section-pemohon")
    expect(pemohon).to_be_visible()
    assert hash_of(page) == f"#/permohonan/{application_id}?bagian=pemohon"
    pemohon.get_by_label("Pekerjaan").fill("Nelayan")

    # Meanwhile the same section is saved elsewhere (another tab or device).
    elsewhere = requests.put(
        f"{site_url}api/applications/{application_id}/sections/pemohon",
        json={
            "version": 1,
            "data": {
                "nik": person["nik"],
                "name": person["name"],
                "email": person["email"],
                "phone": person["phone"],
                "address": person["address"],
                "kabupatenKota": person["kabupatenKota"],
                "occupation": "Petani",
            },
        },
        headers=auth,
        timeout=30,
    )
    assert elsewhere.status_code == 200, elsewhere.text

    lanjut(page)
    expect(alert(page)).to_contain_text(STALE)
    expect(alert(page)).to_contain_text("Isian Anda tetap ada")
    expect(pemohon.get_by_label("Pekerjaan")).to_have_value("Nelayan")
    sub_step(page, "Data Pemohon")

    alert(page).get_by_role("button", name="Muat ulang").click()
    expect(page.get_by_test_id("section-pemohon").get_by_label("Pekerjaan")).to_have_value("Nelayan")
    expect(page.get_by_text("Isian yang belum tersimpan dipulihkan.")).to_be_visible()
    lanjut(page)
    sub_step(page, "Data Perusahaan")
    saved = requests.get(f"{site_url}api/applications/{application_id}", headers=auth, timeout=30).json()
    assert saved["data"]["pemohon"]["occupation"] == "Nelayan"
    assert saved["version"] == 3


def test_a_reload_returns_to_the_same_draft_and_sub_step(page: Page, page_guard: PageGuard, site_url: str) -> None:
    page_guard.allow_console(TILE_404)
    person = register_by_api(site_url)
    sign_in(page, site_url, person)
    page.goto(
        f"{site_url}#/pengajuan?izin={PERMIT.izin.id}&layanan={PERMIT.layanan.id}"
        f"&permohonan={PERMIT.jenis.id}&langkah=3"
    )
    expect(page.get_by_test_id("persyaratan")).to_be_visible()
    lanjut(page)
    expect(page.get_by_test_id("section-pemohon")).to_be_visible()
    page.get_by_label("Pekerjaan").fill("Pedagang")
    lanjut(page)
    expect(page.get_by_test_id("section-perusahaan")).to_be_visible()
    address = hash_of(page)
    page.get_by_label("Nama Perusahaan").fill("CV Belum Tersimpan")

    page.reload()

    expect(page.get_by_test_id("section-perusahaan")).to_be_visible()
    assert hash_of(page) == address
    # Not saved yet, but kept in this tab.
    expect(page.get_by_label("Nama Perusahaan")).to_have_value("CV Belum Tersimpan")
    go_to_sub_step(page, "Data Pemohon")
    expect(page.get_by_label("Pekerjaan")).to_have_value("Pedagang")
    go_to_sub_step(page, "Lokasi Izin")
    expect(page.get_by_test_id("map")).to_be_visible()
    assert_no_horizontal_scroll(page)


def test_step_4_uses_two_columns_on_a_wide_screen(page: Page, page_guard: PageGuard, site_url: str) -> None:
    page_guard.allow_console(TILE_404)
    page.set_viewport_size({"width": 1280, "height": 900})
    person = register_by_api(site_url)
    auth = api_token(site_url, person)
    application_id = create_application(site_url, auth, PERMIT.jenis.id)
    sign_in(page, site_url, person, next_page=f"%2Fpermohonan%2F{application_id}")
    pemohon = page.get_by_test_id("section-pemohon")
    expect(pemohon).to_be_visible()
    nik, name = pemohon.get_by_label("NIK", exact=True), pemohon.get_by_label("Nama Lengkap")
    assert round(nik.bounding_box()["y"]) == round(name.bounding_box()["y"])
    assert name.bounding_box()["x"] > nik.bounding_box()["x"] + nik.bounding_box()["width"]
    assert_no_horizontal_scroll(page)
    go_to_sub_step(page, "Lokasi Izin")
    expect(page.get_by_test_id("map")).to_be_visible()
    assert page.get_by_test_id("map").bounding_box()["height"] >= 300
    assert_no_horizontal_scroll(page)


# Together these have every type of Data Detail field: text, textarea, integer, number, select, date, boolean.
TYPED_PERMITS = ["sipi-baru", "rekomendasi-penelitian-mahasiswa-baru", "pengesahan-pp-baru"]


def decimal(number: float) -> str:
    """As the page writes numbers: a decimal comma, no thousands dots."""
    return f"{number:g}".replace(".", ",")


def test_data_detail_renders_each_field_type_and_saves_typed_values(
    page: Page, page_guard: PageGuard, site_url: str
) -> None:
    page_guard.allow_console(TILE_404)
    person = register_by_api(site_url)
    auth = api_token(site_url, person)
    sign_in(page, site_url, person)
    seen_types: set[str] = set()
    limits_checked = 0

    for jenis_id in TYPED_PERMITS:
        jenis = JENIS[jenis_id]
        application_id = create_application(site_url, auth, jenis_id)
        page.goto(f"{site_url}#/permohonan/{application_id}?bagian=detail")
        form = page.get_by_test_id("section-detail")
        expect(form).to_be_visible()
        expected: dict[str, object] = {}
        for f in jenis.detail_fields:
            seen_types.add(f.type)
            control = form.locator(f'[name="{f.id}"]')
            label = f"{f.label} ({f.unit})" if f.unit else f.label
            expect(form.get_by_label(label, exact=False).first).to_be_attached()
            if f.help:
                expect(form).to_contain_text(f.help)
            if f.type in ("integer", "number") and f.min is not None and f.max is not None:
                unit = f" {f.unit}" if f.unit else ""
                expect(form).to_contain_text(f"Antara {decimal(f.min)} dan {decimal(f.max)}{unit}.")
            if f.type == "integer":
                value = int(f.min or 1) + 1
                control.fill(str(value))
                expected[f.id] = value
            elif f.type == "number":
                value = (f.min or 1) + 0.5
                control.fill(f"{value:g}".replace(".", ","))
                expected[f.id] = value
            elif f.type == "select":
                control.select_option(f.options[1])
                expected[f.id] = f.options[1]
            elif f.type == "boolean":
                expect(control.locator("option")).to_have_text(["-- Pilih --", "Ya", "Tidak"])
                control.select_option(label="Tidak")
                expected[f.id] = False
            elif f.type == "date":
                expect(control).to_have_attribute("type", "date")
                control.fill("2027-01-15")
                expected[f.id] = "2027-01-15"
            elif f.required:
                control.fill(f"Isian {f.label}")
                expected[f.id] = f"Isian {f.label}"
        # A value above the maximum is caught before anything is sent, next to its field.
        limited = next((f for f in jenis.detail_fields if f.type in ("integer", "number") and f.max is not None), None)
        if limited:
            control = form.locator(f'[name="{limited.id}"]')
            good = control.input_value()
            control.fill(str(int(limited.max) + 1))
            lanjut(page)
            expect(control).to_have_attribute("aria-invalid", "true")
            unit = f" {limited.unit}" if limited.unit else ""
            expect(form).to_contain_text(f"Maksimal {decimal(limited.max)}{unit}.")
            control.fill(good)
            limits_checked += 1
        lanjut(page)
        sub_step(page, "Validasi Data")
        saved = requests.get(f"{site_url}api/applications/{application_id}", headers=auth, timeout=30).json()
        assert saved["data"]["detail"] == expected, jenis_id
        for key, value in expected.items():
            assert type(saved["data"]["detail"][key]) is type(value), (jenis_id, key)

    assert seen_types == {"text", "textarea", "integer", "number", "select", "date", "boolean"}
    assert limits_checked, f"none of {TYPED_PERMITS} has a numeric field with a maximum"


def first_jenis_with_company(rule: str):
    return next(j for j in JENIS.values() if j.company == rule)


def test_company_data_is_optional_or_absent_as_the_permit_says(
    page: Page, page_guard: PageGuard, site_url: str
) -> None:
    page_guard.allow_console(TILE_404)
    person = register_by_api(site_url)
    auth = api_token(site_url, person)
    sign_in(page, site_url, person)
    nav = page.get_by_role("navigation", name="Bagian Isi Kelengkapan")

    optional = create_application(site_url, auth, first_jenis_with_company("optional").id)
    page.goto(f"{site_url}#/permohonan/{optional}?bagian=perusahaan")
    expect(page.get_by_test_id("section-perusahaan")).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile(r"^Data Perusahaan \(opsional\)"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Data Perusahaan (opsional)")).to_be_visible()
    lanjut(page)  # left empty: skipped, nothing saved
    sub_step(page, "Lokasi Izin")
    saved = requests.get(f"{site_url}api/applications/{optional}", headers=auth, timeout=30).json()
    assert "perusahaan" not in saved["data"] and saved["version"] == 1
    go_to_sub_step(page, "Data Perusahaan")
    page.get_by_label("Nama Perusahaan").fill("Koperasi Nelayan Sejahtera")
    lanjut(page)  # half filled: the rest is asked for
    expect(page.get_by_label("Bentuk Badan Usaha")).to_have_attribute("aria-invalid", "true")
    sub_step(page, "Data Perusahaan")

    none = create_application(site_url, auth, first_jenis_with_company("none").id)
    page.goto(f"{site_url}#/permohonan/{none}")
    expect(page.get_by_test_id("section-pemohon")).to_be_visible()
    expect(nav.get_by_role("link")).to_have_text(
        [
            re.compile(r"Data Pemohon"),
            re.compile(r"Lokasi Izin"),
            re.compile(r"Data Detail"),
            re.compile(r"Validasi Data"),
            re.compile(r"Tahap Akhir"),
        ]
    )
    page.get_by_label("Pekerjaan").fill("Mahasiswa")
    lanjut(page)
    sub_step(page, "Lokasi Izin")


def test_permohonan_saya_pages_searches_and_cancels(page: Page, page_guard: PageGuard, site_url: str) -> None:
    person = register_by_api(site_url)
    auth = api_token(site_url, person)
    other = first_jenis_with_company("none")
    created = [create_application(site_url, auth, other.id if n == 0 else PERMIT.jenis.id) for n in range(22)]
    sign_in(page, site_url, person, next_page="%2Fpermohonan-saya")
    expect(main_heading(page, "Permohonan Saya")).to_be_visible()
    items = page.locator('[data-testid^="permohonan-"]')
    expect(items).to_have_count(20)
    # Newest first.
    expect(items.first).to_have_attribute("data-testid", f"permohonan-{created[-1]}")
    expect(items.first.get_by_test_id("status")).to_have_text("Draf - belum dikirim")
    page.get_by_role("button", name="Muat lebih banyak").click()
    expect(items).to_have_count(22)
    expect(page.get_by_role("button", name="Muat lebih banyak")).to_be_hidden()
    expect(items.last).to_have_attribute("data-testid", f"permohonan-{created[0]}")

    # The search goes to the server and is kept in the address.
    izin_name = IZIN_OF[other.id].name
    page.get_by_label("Cari nama izin atau nomor resi").fill(izin_name)
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(izin_name)
    assert "q=" in hash_of(page)
    page.reload()
    expect(page.get_by_label("Cari nama izin atau nomor resi")).to_have_value(izin_name)
    expect(items).to_have_count(1)

    # Batalkan asks first, then deletes the draft.
    items.first.get_by_role("button", name=re.compile("^Batalkan")).click()
    dialog = page.get_by_role("dialog", name="Batalkan permohonan?")
    dialog.get_by_role("button", name="Tidak").click()
    expect(items).to_have_count(1)
    items.first.get_by_role("button", name=re.compile("^Batalkan")).click()
    dialog.get_by_role("button", name="Ya, batalkan").click()
    expect(alert(page)).to_contain_text("telah dibatalkan")
    expect(items).to_have_count(0)
    expect(page.get_by_test_id("daftar-kosong")).to_be_visible()
    gone = requests.get(f"{site_url}api/applications/{created[0]}", headers=auth, timeout=30)
    assert gone.status_code == 404
    assert_no_horizontal_scroll(page)
