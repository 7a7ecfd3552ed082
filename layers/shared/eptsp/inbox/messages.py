"""The words of each notification: the Inbox message, the e-mail and the SMS of an event.

Plain Indonesian, short lines that read on a phone, the receipt number on every one, and a
link back to the application on the site (the officers' e-mail links Monitoring Izin).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from eptsp.events import ApplicationEvent
from eptsp.receipts.document import site_origin
from eptsp.workflow.words import STAGE_LABELS

OFFICE = "DPMPTSP"
SMS_LIMIT = 160
EMAIL_WIDTH = 72


@dataclass(frozen=True)
class Wording:
    title: str
    body: str  # the Inbox message's text (also the heart of the e-mail)
    sms: str


def application_link(application_id: str) -> str:
    return f"#/permohonan/{application_id}"


def complaint_link(complaint_id: str) -> str:
    return f"#/pengaduan/{complaint_id}"


def survey_link(application_id: str) -> str:
    return f"#/survei/{application_id}"


def monitoring_link(receipt_number: str) -> str:
    return f"#/monitoring/{receipt_number}"


def _stage(event: ApplicationEvent) -> str:
    return STAGE_LABELS.get(event.stage or "", event.stage or "")


def wording(event: ApplicationEvent) -> Wording:
    izin = event.izin_name or "izin"
    resi = event.receipt_number or "-"
    notes = (event.notes or "").strip()
    with_notes = f"\n\nCatatan petugas:\n{notes}" if notes else ""
    match event.kind:
        case "diajukan":
            return Wording(
                "Permohonan diterima",
                f"Permohonan {izin} Anda sudah kami terima dengan nomor resi {resi}. "
                f"Berkas sedang diperiksa pada tahap {_stage(event)}.",
                f"{OFFICE}: Permohonan {resi} diterima dan sedang diperiksa.",
            )
        case "tahap_berubah":
            return Wording(
                f"Masuk tahap {_stage(event)}",
                f"Permohonan {izin} (resi {resi}) lolos tahap sebelumnya dan kini pada tahap {_stage(event)}.",
                f"{OFFICE}: Permohonan {resi} kini pada tahap {_stage(event)}.",
            )
        case "perbaikan":
            return Wording(
                "Permohonan perlu perbaikan",
                f"Permohonan {izin} (resi {resi}) perlu diperbaiki. Buka permohonan, perbaiki bagian yang "
                f"diminta, lalu kirim ulang sebelum batas waktunya.{with_notes}",
                f"{OFFICE}: Permohonan {resi} perlu perbaikan. Cek email atau Kotak Masuk.",
            )
        case "diajukan_ulang":
            return Wording(
                "Perbaikan diterima",
                f"Perbaikan permohonan {izin} (resi {resi}) sudah kami terima dan diperiksa kembali "
                f"pada tahap {_stage(event)}.",
                f"{OFFICE}: Perbaikan permohonan {resi} diterima.",
            )
        case "ditolak":
            return Wording(
                "Permohonan ditolak",
                f"Mohon maaf, permohonan {izin} (resi {resi}) ditolak.{with_notes}",
                f"{OFFICE}: Permohonan {resi} ditolak. Cek email atau Kotak Masuk.",
            )
        case "disetujui":
            return Wording(
                "Permohonan disetujui",
                f"Permohonan {izin} (resi {resi}) disetujui. Surat izin sedang diterbitkan.",
                f"{OFFICE}: Permohonan {resi} disetujui.",
            )
        case "terbit":
            number = event.permit_number or "-"
            return Wording(
                "Izin terbit",
                f"Izin {izin} (resi {resi}) telah terbit dengan nomor {number}. Unduh surat izin dari Permohonan Saya.",
                f"{OFFICE}: Izin {resi} terbit, nomor {number}. Unduh di Permohonan Saya.",
            )
        case "pengaduan_dibalas":
            about = f" tentang permohonan {resi}" if event.receipt_number else ""
            return Wording(
                "Pengaduan Anda dibalas",
                f"Petugas membalas pengaduan Anda{about}.\n\nBalasan petugas:\n{notes}",
                f"{OFFICE}: Pengaduan Anda sudah dibalas. Baca di menu Pengaduan.",
            )
        case "pengaduan_selesai":
            return Wording(
                "Pengaduan selesai",
                "Pengaduan Anda telah dinyatakan selesai oleh petugas. Terima kasih atas masukan Anda.",
                f"{OFFICE}: Pengaduan Anda dinyatakan selesai. Terima kasih.",
            )
        case "survei_diundang":
            return Wording(
                "Bagaimana pelayanan kami?",
                f"Permohonan {izin} (resi {resi}) sudah selesai. Mohon nilai pelayanan kami dalam Survei "
                "Kepuasan Masyarakat: sembilan pertanyaan singkat, sekali isi.",
                "",  # an invitation is not worth an SMS
            )
        case "tugas_baru":
            return Wording(
                f"Tugas baru: {_stage(event)}",
                f"Permohonan {izin} (resi {resi}) menunggu di daftar tugas {_stage(event)}.",
                "",
            )
    raise ValueError(f"no wording for {event.kind}")


def link(event: ApplicationEvent) -> str:
    """The Inbox's link: the application, the complaint, or Monitoring Izin for an officer's task."""
    if event.complaint_id:
        return complaint_link(event.complaint_id)
    if event.kind == "survei_diundang":
        return survey_link(event.application_id)
    if event.kind == "tugas_baru" and event.receipt_number:
        return monitoring_link(event.receipt_number)
    return application_link(event.application_id)


def _facts(event: ApplicationEvent) -> list[str]:
    """The e-mail's reference lines, each block followed by a blank line."""
    if event.complaint_id:
        return [f"Nomor resi: {event.receipt_number}", ""] if event.receipt_number else []
    return [f"Nomor resi: {event.receipt_number or '-'}", f"Jenis izin: {event.izin_name or '-'}", ""]


def _see(event: ApplicationEvent) -> str:
    if event.kind == "survei_diundang":
        return "Isi survei:"
    if event.complaint_id:
        return "Lihat pengaduan:"
    return "Lihat permohonan:" if event.kind != "tugas_baru" else "Lihat berkas:"


def email(event: ApplicationEvent, name: str, site_domain: str) -> tuple[str, str]:
    """Subject and plain-text body: greeting, what happened, receipt, the link, sign-off."""
    words = wording(event)
    url = f"{site_origin(site_domain)}/{link(event)}"
    subject = f"{words.title} - {event.receipt_number or 'e-PTSP'}"
    lines = [
        f"Yth. {name},",
        "",
        *words.body.splitlines(),
        "",
        *_facts(event),
        _see(event),
        url,
        "",
        "Email ini dikirim otomatis; mohon tidak dibalas.",
        f"{OFFICE} e-PTSP",
    ]
    # Plain text wrapped as e-mail is, so no client shows one long line to scroll on a phone
    # (the link stays whole, to be tapped).
    return subject, "\n".join(
        line if line == url or not line else textwrap.fill(line, EMAIL_WIDTH, break_long_words=False) for line in lines
    )


def sms(event: ApplicationEvent) -> str:
    return wording(event).sms[:SMS_LIMIT]
