"""What every document the office issues shares: the A4 page, its letterhead (the office's
identity, from configuration), text brought into the core fonts, and the QR code.

fpdf2 and segno ship only with the functions that render documents (the receipt and the
issuance functions' requirements.txt); they import this module on their first request.

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

from eptsp.office import OfficeIdentity

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


class Page(FPDF):
    def text_line(self, text: str, size: float, style: str = "", align: str = "L", height: float | None = None) -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(
            CONTENT_WIDTH, height or size * 0.5, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )


def letterhead(pdf: Page, office: OfficeIdentity) -> None:
    """The office's letterhead across the top of the page, then its double rule."""
    pdf.set_text_color(*INK)
    pdf.text_line(office.government.upper(), 11, "B", "C", 5.5)
    pdf.text_line(office.name.upper(), 12.5, "B", "C", 6.2)
    pdf.set_text_color(*MUTED)
    pdf.text_line(office.address, 9, "", "C", 4.8)
    for line in office.letterhead_lines:
        pdf.text_line(line, 9, "", "C", 4.8)
    pdf.text_line(f"Layanan perizinan online: {office.system}", 9, "", "C", 4.8)
    y = pdf.get_y() + 2.5
    # The letterhead's double rule: thick, then thin.
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    pdf.set_line_width(0.25)
    pdf.line(MARGIN, y + 1.3, PAGE_WIDTH - MARGIN, y + 1.3)
    pdf.set_y(y + 9)


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
