"""The receipt as a one-page A4 PDF: fpdf2 for the page, segno for the QR code.

Both libraries ship with the receipt function only (functions/receipt/requirements.txt),
and only that function imports this module, on its first request: no other function (nor
the API console, which imports every handler to read its routes) pays for them.

The page uses the PDF core fonts (Helvetica, Courier): no font file to ship or subset, and
text that any viewer and printer renders alike. They cover Latin-1, so text is brought into
it first (``latin1``). The QR code is drawn as filled squares, not an image, so it stays
sharp at any print size.
"""

from __future__ import annotations

import unicodedata

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from eptsp.receipts.document import Receipt, date_text, wita_time_text

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0  # A4, mm
MARGIN = 20.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 40.0  # mm; about 1 mm per module for a monitoring URL, easily read by a phone camera
LABEL_WIDTH = 48.0
INK = (0, 0, 0)
MUTED = (85, 85, 85)
RULE = (150, 150, 150)
SHADE = (242, 242, 242)

# Typography beyond Latin-1 that people paste into names, with its plain equivalent.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u00a0": " ",
    }
)


def latin1(text: str) -> str:
    """``text`` as the core fonts can print it: typographic marks made plain, accents kept
    where Latin-1 has them, dropped where it has not (``Ś`` -> ``S``), anything else ``?``."""
    out = []
    for char in unicodedata.normalize("NFC", text.translate(_PLAIN)):
        if ord(char) < 256:
            out.append(char if char.isprintable() else " ")
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256 and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


class _Page(FPDF):
    def text_line(self, text: str, size: float, style: str = "", align: str = "L", height: float | None = None) -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(
            CONTENT_WIDTH, height or size * 0.5, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )


def render_receipt(receipt: Receipt) -> bytes:
    pdf = _Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 16, MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(latin1(f"Tanda Terima Permohonan {receipt.receipt_number}"))
    pdf.set_subject("Tanda terima (resi) permohonan izin")
    pdf.set_author(latin1(receipt.office.name))
    pdf.set_creator(latin1(receipt.office.system))
    pdf.set_lang("id")
    pdf.set_creation_date(receipt.submitted_at)  # the same receipt gives the same file, whenever printed
    pdf.add_page()
    _letterhead(pdf, receipt)
    _title(pdf)
    _number_and_qr(pdf, receipt)
    _details(pdf, receipt)
    _notes(pdf, receipt)
    _footer(pdf, receipt)
    return bytes(pdf.output())


def _letterhead(pdf: _Page, receipt: Receipt) -> None:
    office = receipt.office
    pdf.set_text_color(*INK)
    pdf.text_line(office.government.upper(), 11, "B", "C", 5.5)
    pdf.text_line(office.name.upper(), 12.5, "B", "C", 6.2)
    pdf.set_text_color(*MUTED)
    pdf.text_line(office.address, 9, "", "C", 4.8)
    pdf.text_line(f"Layanan perizinan online: {office.system}", 9, "", "C", 4.8)
    y = pdf.get_y() + 2.5
    # The letterhead's double rule: thick, then thin.
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    pdf.set_line_width(0.25)
    pdf.line(MARGIN, y + 1.3, PAGE_WIDTH - MARGIN, y + 1.3)
    pdf.set_y(y + 9)


def _title(pdf: _Page) -> None:
    pdf.set_text_color(*INK)
    pdf.text_line("TANDA TERIMA PERMOHONAN", 15, "B", "C", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.text_line("Resi Pengajuan Permohonan Izin", 10, "", "C", 5.5)
    pdf.set_y(pdf.get_y() + 6)


def _number_and_qr(pdf: _Page, receipt: Receipt) -> None:
    top = pdf.get_y()
    box_width = CONTENT_WIDTH - QR_SIZE - 12
    box_height = QR_SIZE
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.4)
    pdf.rect(MARGIN, top, box_width, box_height)
    pdf.set_text_color(*MUTED)
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_xy(MARGIN + 6, top + 6)
    pdf.cell(box_width - 12, 5, "NOMOR RESI")
    pdf.set_text_color(*INK)
    # Monospaced and large: read aloud over the phone, copied by hand.
    pdf.set_font("Courier", "B", 26)
    pdf.set_xy(MARGIN + 6, top + 14)
    pdf.cell(box_width - 12, 11, latin1(receipt.receipt_number))
    pdf.set_text_color(*MUTED)
    pdf.set_font("Helvetica", "", 8.5)
    pdf.set_xy(MARGIN + 6, top + 28)
    pdf.multi_cell(
        box_width - 12,
        4,
        "Sebutkan atau ketik nomor ini di menu Monitoring Izin untuk mengikuti proses permohonan.",
        align="L",
    )

    qr_x = PAGE_WIDTH - MARGIN - QR_SIZE
    draw_qr(pdf, receipt.monitoring_url, qr_x, top, QR_SIZE)
    pdf.set_font("Helvetica", "", 7.5)
    pdf.set_xy(qr_x - 6, top + QR_SIZE + 1)
    pdf.cell(QR_SIZE + 12, 4, "Pindai untuk Monitoring Izin", align="C")
    pdf.set_y(top + QR_SIZE + 11)


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code of ``url``, row by row, dark modules True (no quiet zone)."""
    code = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


def draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` in a square of ``size`` mm at (x, y); the page around it is the
    quiet zone, so nothing is drawn within four modules of it."""
    matrix = qr_matrix(url)
    module = size / len(matrix)
    pdf.set_fill_color(*INK)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            # One rectangle per run of dark modules, a hair taller so rows print without seams.
            pdf.rect(x + start * module, y + row_index * module, (column - start) * module, module + 0.02, style="F")


def _details(pdf: _Page, receipt: Receipt) -> None:
    rows = [
        ("Nama Pemohon", receipt.applicant_name or "-"),
        ("NIK", receipt.applicant_nik_masked),
        ("Jenis Izin", receipt.izin),
        ("Layanan", receipt.layanan),
        ("Jenis Permohonan", receipt.jenis_permohonan),
        ("Waktu Pengajuan", wita_time_text(receipt.submitted_at)),
        ("Perkiraan Selesai", date_text(receipt.estimated_finish)),
    ]
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, pdf.get_y(), PAGE_WIDTH - MARGIN, pdf.get_y())
    for label, value in rows:
        top = pdf.get_y()
        pdf.set_text_color(*MUTED)
        pdf.set_font("Helvetica", "", 10)
        pdf.set_xy(MARGIN, top + 2)
        pdf.cell(LABEL_WIDTH, 5.5, label)
        pdf.set_text_color(*INK)
        pdf.set_font("Helvetica", "B" if label in ("Perkiraan Selesai",) else "", 10.5)
        pdf.set_xy(MARGIN + LABEL_WIDTH, top + 2)
        pdf.multi_cell(CONTENT_WIDTH - LABEL_WIDTH, 5.5, latin1(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = pdf.get_y() + 2
        pdf.line(MARGIN, bottom, PAGE_WIDTH - MARGIN, bottom)
        pdf.set_y(bottom)
    pdf.set_y(pdf.get_y() + 8)


def _notes(pdf: _Page, receipt: Receipt) -> None:
    top = pdf.get_y()
    notes = [
        "Simpan tanda terima ini. Nomor resi diperlukan untuk mengikuti permohonan di menu Monitoring Izin "
        "dan bila Anda menghubungi petugas.",
        "Perkiraan selesai dihitung dalam hari kerja (Senin sampai Jumat, di luar libur nasional dan cuti "
        "bersama). Selama permohonan dikembalikan kepada Anda untuk perbaikan, waktunya tidak dihitung.",
        f"Monitoring Izin: {receipt.monitoring_url}",
    ]
    pdf.set_fill_color(*SHADE)
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN, top)
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(
        CONTENT_WIDTH, 5, "Perhatian", fill=True, padding=(2.5, 4, 1, 4), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font("Helvetica", "", 9.5)
    for note in notes:
        pdf.set_x(MARGIN)
        pdf.multi_cell(
            CONTENT_WIDTH,
            5,
            latin1(note),
            align="L",
            fill=True,
            padding=(0.5, 4, 0.5, 4),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.set_x(MARGIN)
    pdf.cell(CONTENT_WIDTH, 3, "", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _footer(pdf: _Page, receipt: Receipt) -> None:
    y = PAGE_HEIGHT - 22
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    pdf.set_text_color(*MUTED)
    pdf.set_y(y + 2)
    pdf.text_line(
        f"Tanda terima ini dibuat secara elektronik oleh {receipt.office.system} "
        f"({receipt.office.name}) pada saat permohonan diterima.",
        8,
        "",
        "C",
        4,
    )
