"""The permit ("surat izin") as a one-page A4 PDF, on the office's letterhead.

Drawn with the page, letterhead and QR code of every document (``eptsp.documents.page``);
only the issuance function imports this module, on its first task.
"""

from __future__ import annotations

from datetime import datetime

from fpdf.enums import XPos, YPos

from eptsp.documents.page import (
    CONTENT_WIDTH,
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    Page,
    draw_qr,
    latin1,
    letterhead,
)
from eptsp.office import OfficeIdentity
from eptsp.permits.models import Permit
from eptsp.receipts.document import date_text

QR_SIZE = 32.0
LABEL_WIDTH = 52.0


def render_permit(permit: Permit, office: OfficeIdentity, verification_url: str) -> bytes:
    pdf = Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(latin1(f"Surat Izin {permit.number}"))
    pdf.set_subject(latin1(permit.izin_name))
    pdf.set_author(latin1(office.name))
    pdf.set_creator(latin1(office.system))
    pdf.set_lang("id")
    pdf.set_creation_date(datetime.fromisoformat(permit.issued_at.replace("Z", "+00:00")))
    pdf.add_page()
    letterhead(pdf, office)
    _title(pdf, permit)
    _rows(pdf, "Diberikan kepada", _holder_rows(permit))
    _rows(pdf, "Perihal izin", _subject_rows(permit))
    _signature_and_qr(pdf, permit, office, verification_url)
    _footer(pdf, permit, office)
    return bytes(pdf.output())


def _title(pdf: Page, permit: Permit) -> None:
    pdf.set_text_color(*INK)
    pdf.text_line("SURAT IZIN", 15, "B", "C", 7)
    pdf.text_line(permit.izin_name.upper(), 11.5, "B", "C", 6)
    pdf.set_font("Courier", "B", 12)
    pdf.cell(CONTENT_WIDTH, 6, latin1(f"Nomor: {permit.number}"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(pdf.get_y() + 4)
    pdf.set_text_color(*MUTED)
    pdf.text_line(
        "Berdasarkan permohonan yang telah diverifikasi, dikaji dan disetujui, dengan ini diberikan izin kepada:",
        9.5,
        "",
        "L",
        4.8,
    )
    pdf.set_y(pdf.get_y() + 2)


def _holder_rows(permit: Permit) -> list[tuple[str, str]]:
    rows = [("Nama", permit.holder.name or "-"), ("NIK", permit.holder.nik_masked or "-")]
    if permit.holder.company_name:
        rows.append(("Perusahaan", permit.holder.company_name))
    if permit.location:
        rows.append(("Lokasi", permit.location))
    return rows


def _subject_rows(permit: Permit) -> list[tuple[str, str]]:
    rows = [
        ("Jenis Izin", permit.izin_name),
        ("Layanan", permit.layanan_name),
        ("Jenis Permohonan", permit.jenis_permohonan_name),
        *permit.details,
    ]
    if permit.valid_until:
        rows.append(("Masa Berlaku", f"{date_text(permit.issued_on)} s.d. {date_text(permit.valid_until)}"))
    else:
        rows.append(("Masa Berlaku", "Selama kegiatan sesuai izin ini berlangsung"))
    rows.append(("Nomor Resi", permit.receipt_number))
    return rows


def _rows(pdf: Page, heading: str, rows: list[tuple[str, str]]) -> None:
    pdf.set_text_color(*INK)
    pdf.text_line(heading, 10, "B", "L", 5.5)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    for label, value in rows:
        top = pdf.get_y()
        pdf.set_text_color(*MUTED)
        pdf.set_font("Helvetica", "", 9.5)
        pdf.set_xy(MARGIN + 4, top + 1)
        pdf.cell(LABEL_WIDTH, 5, latin1(label))
        pdf.set_text_color(*INK)
        pdf.set_font("Helvetica", "B" if label in ("Nama", "Masa Berlaku") else "", 10)
        pdf.set_xy(MARGIN + 4 + LABEL_WIDTH, top + 1)
        pdf.multi_cell(
            CONTENT_WIDTH - LABEL_WIDTH - 4, 5, latin1(f": {value}"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_y(pdf.get_y() + 0.5)
    pdf.set_y(pdf.get_y() + 4)


def _signature_and_qr(pdf: Page, permit: Permit, office: OfficeIdentity, verification_url: str) -> None:
    top = max(pdf.get_y() + 2, 178.0)
    # Left: the QR code to the public verification page.
    draw_qr(pdf, verification_url, MARGIN, top, QR_SIZE)
    pdf.set_text_color(*MUTED)
    pdf.set_font("Helvetica", "", 7.5)
    pdf.set_xy(MARGIN, top + QR_SIZE + 1)
    pdf.multi_cell(
        QR_SIZE + 30, 3.6, latin1(f"Pindai untuk memeriksa keaslian izin ini, atau buka {verification_url}"), align="L"
    )
    # Right: place and date of issue, the head's position, name and NIP.
    column_x = PAGE_WIDTH / 2 + 5
    width = PAGE_WIDTH - MARGIN - column_x
    pdf.set_text_color(*INK)
    pdf.set_xy(column_x, top)
    pdf.set_font("Helvetica", "", 10)
    for line in (f"Ditetapkan di {office.city}", f"pada tanggal {date_text(permit.issued_on)}"):
        pdf.set_x(column_x)
        pdf.cell(width, 5, latin1(line), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_x(column_x)
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.multi_cell(width, 4.6, latin1(office.head_title), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_x(column_x)
    pdf.set_font("Helvetica", "I", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(width, 4, "Ditandatangani secara elektronik", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_x(column_x)
    pdf.set_text_color(*INK)
    pdf.set_font("Helvetica", "BU", 10)
    pdf.cell(width, 5, latin1(office.head_name), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(column_x)
    pdf.set_font("Helvetica", "", 9.5)
    pdf.cell(width, 5, latin1(f"NIP. {office.head_nip}"), new_x=XPos.LEFT, new_y=YPos.NEXT)


def _footer(pdf: Page, permit: Permit, office: OfficeIdentity) -> None:
    y = PAGE_HEIGHT - 20
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    pdf.set_text_color(*MUTED)
    pdf.set_y(y + 2)
    pdf.text_line(
        f"Dokumen ini diterbitkan secara elektronik oleh {office.system} dan ditandatangani dengan kunci "
        f"digital {office.name}. Keasliannya dapat diperiksa dengan kode QR di atas (ID izin {permit.permit_id}).",
        7.5,
        "",
        "C",
        3.8,
    )
