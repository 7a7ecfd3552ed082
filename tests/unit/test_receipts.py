"""The receipt (Cetak Resi): its words and formats, and the PDF as a reader and a phone see it.

The PDF is rendered, then opened with pdfium (the engine of Chrome's viewer): its text is
read from the page and the page is rasterised and scanned for its QR code with zxing-cpp,
as a phone camera would, rather than trusting what the renderer was asked to draw.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

import pypdfium2
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st

from eptsp.office import OFFICE
from eptsp.receipts.document import (
    NotSubmitted,
    Receipt,
    date_text,
    mask_nik,
    monitoring_url,
    site_origin,
    wita_time_text,
)
from eptsp.receipts.pdf import latin1, render_receipt
from local_stack import template

NIK = "6501014508900001"
NUMBER = "2611-7H3K-9QXM"
CLOUDFRONT = "d111111abcdef8.cloudfront.net"
A4_POINTS = (595, 842)


def a_receipt(**changes) -> Receipt:
    fields = {
        "receipt_number": NUMBER,
        "applicant_name": "Siti Rahmawati",
        "applicant_nik_masked": mask_nik(NIK),
        "izin": "Perizinan Berusaha Penangkapan Ikan (Kapal di atas 5 GT sampai dengan 30 GT)",
        "layanan": "Surat Izin Usaha Perikanan (SIUP) Penangkapan Ikan",
        "jenis_permohonan": "Permohonan Baru",
        "submitted_at": datetime(2026, 11, 29, 5, 30, tzinfo=UTC),
        "estimated_finish": date(2026, 12, 4),
        "monitoring_url": monitoring_url(CLOUDFRONT, NUMBER),
    }
    return Receipt(**{**fields, **changes})


def open_pdf(data: bytes) -> pypdfium2.PdfDocument:
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return pypdfium2.PdfDocument(data)


def page_text(data: bytes) -> str:
    document = open_pdf(data)
    assert len(document) == 1
    return document[0].get_textpage().get_text_range()


def scanned_codes(data: bytes, dpi: int = 150) -> list[zxingcpp.Barcode]:
    """The codes a scanner finds on the printed page (rendered at ``dpi``)."""
    image = open_pdf(data)[0].render(scale=dpi / 72).to_pil()
    return zxingcpp.read_barcodes(image)


# ------------------------------------------------------------------ words and formats
def test_the_nik_shows_only_its_last_four_digits():
    assert mask_nik(NIK) == "**** **** **** 0001"
    assert mask_nik("0123456789012345") == "**** **** **** 2345"


@given(st.text(alphabet="0123456789", min_size=4, max_size=16))
def test_no_masked_nik_shows_more_than_its_last_four_digits(nik):
    masked = mask_nik(nik)
    digits = [ch for ch in masked if ch.isdigit()]
    assert "".join(digits) == nik[-4:]
    assert masked.replace(" ", "").endswith(nik[-4:]) and masked.count("*") == len(nik) - 4


def test_times_are_wita_and_dates_indonesian():
    assert wita_time_text(datetime(2026, 11, 29, 5, 30, tzinfo=UTC)) == "29 November 2026 13.30 WITA"
    # UTC+8: late on New Year's Eve in UTC is already the next year in Tanjung Selor
    assert wita_time_text(datetime(2026, 12, 31, 16, 5, tzinfo=UTC)) == "1 Januari 2027 00.05 WITA"
    assert date_text(date(2026, 12, 4)) == "4 Desember 2026"
    assert [date_text(date(2027, month, 1)).split()[1] for month in (2, 5, 8)] == ["Februari", "Mei", "Agustus"]


def test_the_qr_code_leads_to_monitoring_izin_on_the_site():
    assert site_origin(CLOUDFRONT) == f"https://{CLOUDFRONT}"
    assert monitoring_url(CLOUDFRONT, NUMBER) == f"https://{CLOUDFRONT}/#/monitoring/{NUMBER}"
    # The local stack stands in for CloudFront on a loopback address, over plain http
    assert site_origin("127.0.0.1:3000") == "http://127.0.0.1:3000"
    assert site_origin("localhost:8080") == "http://localhost:8080"
    assert site_origin("e-ptsp.kaltaraprov.go.id") == "https://e-ptsp.kaltaraprov.go.id"


def test_a_draft_has_no_receipt_yet():
    error = NotSubmitted()
    assert (error.status, error.code) == (409, "BELUM_DIAJUKAN")
    assert "belum dikirim" in error.message


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("Siti Rahmawati", "Siti Rahmawati"),
        ("Andi \u2018Ucok\u2019 \u201cSiregar\u201d", "Andi 'Ucok' \"Siregar\""),
        ("Jl. Sudirman 3\u20135 \u2014 Tarakan\u2026", "Jl. Sudirman 3-5 - Tarakan..."),
        ("Jos\u00e9 M\u00fcller", "Jos\u00e9 M\u00fcller"),  # Latin-1 keeps its accents
        ("\u015aukma", "Sukma"),  # beyond Latin-1, the letter without its accent
        ("\u0141ukasz", "?ukasz"),  # no Latin-1 letter underneath
        ("\u6c49\u5b57", "??"),
        ("Tab\tand\nnewline", "Tab and newline"),
    ],
)
def test_text_is_brought_into_what_the_core_fonts_print(text, printed):
    assert latin1(text) == printed
    latin1(text).encode("latin-1")


# ------------------------------------------------------------------ the PDF
def test_the_receipt_reads_as_a_receipt():
    # Given a submitted application's receipt
    receipt = a_receipt()
    # When it is rendered
    data = render_receipt(receipt)
    text = page_text(data)
    # Then it is one A4 page with the office, the title, the number and everything the applicant keeps
    assert tuple(round(v) for v in open_pdf(data)[0].get_size()) == A4_POINTS
    for expected in (
        "PEMERINTAH PROVINSI KALIMANTAN UTARA",
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        OFFICE.address,
        "TANDA TERIMA PERMOHONAN",
        "NOMOR RESI",
        NUMBER,
        "Siti Rahmawati",
        "**** **** **** 0001",
        "Surat Izin Usaha Perikanan (SIUP) Penangkapan Ikan",
        "Permohonan Baru",
        "29 November 2026 13.30 WITA",
        "Perkiraan Selesai",
        "4 Desember 2026",
        "Simpan tanda terima ini.",
        monitoring_url(CLOUDFRONT, NUMBER),
    ):
        assert expected in text, expected
    # A long permit name wraps within its column rather than being cut
    assert "Perizinan Berusaha Penangkapan Ikan (Kapal di atas 5 GT sampai" in text
    assert "dengan 30 GT)" in text
    # And nothing shows the whole NIK
    assert NIK not in text.replace(" ", "") and NIK.encode() not in data


def test_its_qr_code_scans_to_monitoring_izin_for_that_receipt():
    data = render_receipt(a_receipt())
    codes = scanned_codes(data)
    assert [(code.format.name, code.text) for code in codes] == [
        ("QRCode", f"https://{CLOUDFRONT}/#/monitoring/{NUMBER}")
    ]


def test_the_qr_code_still_scans_from_a_low_resolution_print():
    # A phone photo of a cheap print is worse than a 300 dpi scan; 100 dpi is about 4 pixels a module.
    data = render_receipt(a_receipt(monitoring_url=monitoring_url("127.0.0.1:45123", NUMBER)))
    assert [code.text for code in scanned_codes(data, dpi=100)] == [f"http://127.0.0.1:45123/#/monitoring/{NUMBER}"]


def test_names_beyond_latin1_and_long_values_still_fit_one_page():
    receipt = a_receipt(
        applicant_name="\u015aiti \u201cRahma\u201d \u2014 Wati",
        izin="Izin " + "Sangat Panjang " * 20,
        layanan="Layanan " + "Bernama Panjang " * 12,
    )
    text = page_text(render_receipt(receipt))
    assert 'Siti "Rahma" - Wati' in text
    assert "Perkiraan Selesai" in text and "Simpan tanda terima ini." in text


def test_the_same_receipt_gives_the_same_file():
    assert render_receipt(a_receipt()) == render_receipt(a_receipt())


def test_the_document_is_titled_with_its_receipt_number():
    document = open_pdf(render_receipt(a_receipt()))
    metadata = document.get_metadata_dict()
    assert metadata["Title"] == f"Tanda Terima Permohonan {NUMBER}"
    assert metadata["Author"] == OFFICE.name


# ------------------------------------------------------------------ who carries the libraries
PDF_LIBRARIES = ("fpdf", "segno")
RECEIPT_REQUIREMENTS = template.ROOT / "functions" / "receipt" / "requirements.txt"
ISSUANCE_REQUIREMENTS = template.ROOT / "functions" / "issuance" / "requirements.txt"


def test_only_the_receipt_and_issuance_functions_ship_the_pdf_libraries_at_the_pinned_versions():
    pinned = dict(
        line.split("==")
        for line in (template.ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    pinned = {name.lower(): version for name, version in pinned.items()}
    for line in RECEIPT_REQUIREMENTS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            assert pinned[name.lower()] == version, line
    shared = (template.ROOT / "layers" / "shared" / "requirements.txt").read_text().lower()
    assert "fpdf2" not in shared and "segno" not in shared
    # The permit PDF's issuance function ships the same libraries, pinned alike.
    assert ISSUANCE_REQUIREMENTS.read_text().splitlines()[1:] == RECEIPT_REQUIREMENTS.read_text().splitlines()[1:]
    carriers = (RECEIPT_REQUIREMENTS, ISSUANCE_REQUIREMENTS)
    others = [p for p in (template.ROOT / "functions").glob("*/requirements.txt") if p not in carriers]
    assert not [p for p in others if "fpdf2" in p.read_text() or "segno" in p.read_text()]


def test_no_handler_imports_the_pdf_libraries_when_loaded():
    # Lambda and the API console (which imports every handler) load these modules; none of
    # them may pull in fpdf2 or segno, which only the receipt function's package has.
    modules = [str(spec.module_path) for spec in template.functions(template.load_sam_template())]
    probe = (
        "import importlib.util, sys\n"
        f"for index, path in enumerate({modules!r}):\n"
        "    spec = importlib.util.spec_from_file_location(f'handler{index}', path)\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {PDF_LIBRARIES!r}))\n"
    )
    paths = [str(template.ROOT / "layers" / "shared"), str(template.ROOT)]
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path[:0] = {paths!r}\n" + probe],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_the_cold_start_benchmark_counts_the_pdf_libraries_of_the_first_request():
    import json
    import os

    from benchmarks import cold_start

    sam = template.load_sam_template()
    receipt = next(spec for spec in template.functions(sam) if spec.logical_id == "ReceiptFunction")
    # The benchmark's own probe serves the receipt's sample event with no AWS to answer it (the
    # request fails early), and still ends with both PDF libraries loaded, as a first real one would.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_REGION": "ap-southeast-3",
        "ACCOUNTS_TABLE": "tidak-ada",
        "BENCH_PATHS": os.pathsep.join([str(receipt.code_dir), *map(str, template.layer_dirs(sam))]),
        "BENCH_WATCH_MODULES": ",".join(PDF_LIBRARIES),
    }
    event = cold_start.sample_event(receipt)
    command = [sys.executable, str(cold_start.PROBE), str(receipt.module_path), "lambda_handler", str(event), "512"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=True)
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["loaded"] == sorted(PDF_LIBRARIES)
