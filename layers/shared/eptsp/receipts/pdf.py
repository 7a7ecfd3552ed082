"""The receipt as a one-page A4 PDF: fpdf2 for the page, segno for the QR code.

Both libraries ship with the receipt function only (functions/receipt/requirements.txt),
and only that function imports this module, on its first request: no other function (nor
the API console, which imports every handler to read its routes) pays for them.

The page, its letterhead and the QR code are those of every document (``eptsp.documents.page``).
"""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from eptsp.documents.page import (
    CONTENT_WIDTH,
    INK,
    LABEL_WIDTH,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    RULE,
    SHADE,
    Page,
    draw_qr,
    latin1,
    letterhead,
)
from eptsp.receipts.document import Receipt, date_text, wita_time_text

__all__ = ["latin1", "render_receipt"]


def render_receipt(receipt: Receipt) -> bytes:
    pdf = Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 16, MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(latin1(f"Tanda Terima Permohonan {receipt.receipt_number}"))
    pdf.set_subject("Tanda terima (resi) permohonan izin")
    pdf.set_author(latin1(receipt.office.name))
    pdf.set_creator(latin1(receipt.office.system))
    pdf.set_lang("id")
    pdf.set_creation_date(receipt.submitted_at)  # the same receipt gives the same file, whenever printed
    pdf.add_page()
    letterhead(pdf, receipt.office)
    _title(pdf)
    _number_and_qr(pdf, receipt)
    _details(pdf, receipt)
    _notes(pdf, receipt)
    _footer(pdf, receipt)
    return bytes(pdf.output())


def _title(pdf: Page) -> None:
    pdf.set_text_color(*INK)
    pdf.text_line("TANDA TERIMA PERMOHONAN", 15, "B", "C", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.text_line("Resi Pengajuan Permohonan Izin", 10, "", "C", 5.5)
    pdf.set_y(pdf.get_y() + 6)


def _number_and_qr(pdf: Page, receipt: Receipt) -> None:
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


def _details(pdf: Page, receipt: Receipt) -> None:
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


def _notes(pdf: Page, receipt: Receipt) -> None:
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


def _footer(pdf: Page, receipt: Receipt) -> None:
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
