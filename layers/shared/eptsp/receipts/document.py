"""What a receipt says, in the words and formats printed on it; no PDF library here.

``receipt_for`` turns the application an applicant reads (``GET /api/applications/{id}``)
into a ``Receipt``; ``eptsp.receipts.pdf`` draws it. The full NIK never reaches the
renderer: only its masked form is part of a ``Receipt``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from eptsp.errors import Conflict
from eptsp.office import OfficeIdentity
from eptsp.workdays import WITA

if TYPE_CHECKING:
    from eptsp.applications.models import ApplicationOutput

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
VISIBLE_NIK_DIGITS = 4


class NotSubmitted(Conflict):
    code = "BELUM_DIAJUKAN"
    default_message = "Permohonan ini belum dikirim, jadi belum memiliki tanda terima (resi). Kirim permohonan dulu."


@dataclass(frozen=True)
class Receipt:
    receipt_number: str
    applicant_name: str
    applicant_nik_masked: str
    izin: str
    layanan: str
    jenis_permohonan: str
    submitted_at: datetime  # aware
    estimated_finish: date  # a WITA calendar date
    monitoring_url: str
    office: OfficeIdentity = field(default_factory=OfficeIdentity.load)

    @property
    def file_name(self) -> str:
        return f"resi-{self.receipt_number}.pdf"


def mask_nik(nik: str) -> str:
    """``**** **** **** 0001``: only the last four digits show, in groups of four as on a KTP card."""
    digits = "".join(ch for ch in nik if ch.isdigit())
    masked = "*" * max(len(digits) - VISIBLE_NIK_DIGITS, 0) + digits[-VISIBLE_NIK_DIGITS:]
    groups = [masked[max(end - 4, 0) : end] for end in range(len(masked), 0, -4)]
    return " ".join(reversed(groups))


def date_text(day: date) -> str:
    """``4 Desember 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def wita_time_text(moment: datetime) -> str:
    """``29 November 2026 13.30 WITA`` for an aware moment."""
    local = moment.astimezone(WITA)
    return f"{date_text(local.date())} {local:%H.%M} WITA"


def site_origin(site_domain: str) -> str:
    """The site's origin from the CloudFront domain name (``d111.cloudfront.net``, https only).

    A loopback address is the local stack standing in for CloudFront, which serves plain http.
    """
    host = site_domain.rsplit(":", 1)[0] if site_domain.count(":") == 1 else site_domain
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    return f"{'http' if loopback else 'https'}://{site_domain}"


def monitoring_url(site_domain: str, receipt_number: str) -> str:
    """Monitoring Izin opened at this receipt, the page the QR code leads to."""
    return f"{site_origin(site_domain)}/#/monitoring/{receipt_number}"


def _aware(timestamp: str | datetime) -> datetime:
    moment = timestamp if isinstance(timestamp, datetime) else datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        raise ValueError(f"submission time without a time zone: {timestamp!r}")
    return moment


def receipt_for(application: ApplicationOutput, site_domain: str, account_nik: str) -> Receipt:
    """The receipt of a submitted application; a draft has none (409 ``BELUM_DIAJUKAN``).

    The applicant is the one named in Data Pemohon, whose NIK the service keeps equal to
    the account's (``account_nik``, used should the section lack it).
    """
    # Submission writes the number, the time and the estimated finish together.
    if application.status == "draft" or not (
        application.receipt_number and application.submitted_at and application.estimated_finish
    ):
        raise NotSubmitted()
    pemohon = application.data.get("pemohon") or {}
    finish = application.estimated_finish
    return Receipt(
        receipt_number=application.receipt_number,
        applicant_name=str(pemohon.get("name") or ""),
        applicant_nik_masked=mask_nik(str(pemohon.get("nik") or account_nik)),
        izin=application.izin.name,
        layanan=application.layanan.name,
        jenis_permohonan=application.jenis_permohonan.name,
        submitted_at=_aware(application.submitted_at),
        estimated_finish=finish if isinstance(finish, date) else date.fromisoformat(finish),
        monitoring_url=monitoring_url(site_domain, application.receipt_number),
    )
