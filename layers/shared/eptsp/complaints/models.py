"""Complaints (pengaduan): entities, the fixed categories, and the API's requests and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, field_validator

from eptsp.models import ApiModel

ComplaintStatus = Literal["diterima", "diproses", "selesai"]
STATUSES: tuple[str, ...] = ("diterima", "diproses", "selesai")

# The categories an applicant chooses from (id -> the words shown and stored with the complaint).
CATEGORIES: dict[str, str] = {
    "pelayanan": "Pelayanan petugas",
    "persyaratan": "Persyaratan dan prosedur",
    "waktu": "Waktu penyelesaian",
    "biaya": "Biaya atau pungutan",
    "aplikasi": "Aplikasi e-PTSP",
    "saran": "Saran dan masukan",
    "lainnya": "Lainnya",
}
Category = Literal["pelayanan", "persyaratan", "waktu", "biaya", "aplikasi", "saran", "lainnya"]

TEXT_MIN, TEXT_MAX = 10, 3000
REPLY_MIN, REPLY_MAX = 2, 3000


@dataclass(frozen=True)
class Attachment:
    file_id: str
    file_name: str
    object_key: str | None = None  # the checked file in the documents bucket, for the officers' link


@dataclass(frozen=True)
class Reply:
    reply_id: str
    text: str
    officer_id: str
    officer_name: str
    created_at: str


@dataclass(frozen=True)
class Complaint:
    complaint_id: str
    owner_id: str
    owner_username: str
    owner_name: str
    category: str
    text: str
    status: str
    created_at: str
    updated_at: str
    reply_count: int
    receipt_number: str | None = None
    application_id: str | None = None
    attachment: Attachment | None = None
    closed_at: str | None = None


class ComplaintRequest(ApiModel):
    category: Category = Field(
        description="Kategori pengaduan: pelayanan, persyaratan, waktu, biaya, aplikasi, saran, atau lainnya.",
        examples=["waktu"],
    )
    text: Annotated[str, Field(min_length=TEXT_MIN, max_length=TEXT_MAX)] = Field(
        description=f"Isi pengaduan, {TEXT_MIN}-{TEXT_MAX} karakter.",
        examples=["Permohonan saya sudah lewat batas waktu tetapi belum ada kabar."],
    )
    receipt_number: Annotated[str | None, Field(max_length=40)] = Field(
        default=None,
        description="Nomor resi permohonan Anda sendiri yang diadukan (opsional).",
        examples=["2611-7K3M-Q9XD"],
    )
    file_id: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{10,64}$")] = Field(
        default=None,
        description="Lampiran (opsional): id berkas dari File Saya yang sudah lolos pemeriksaan.",
        examples=["q3Zt8Yb1Xk2Lm9Np0Rs7Tw"],
    )

    @field_validator("text")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        value = value.strip()
        if len(value) < TEXT_MIN:
            raise ValueError(f"Isi pengaduan minimal {TEXT_MIN} karakter.")
        return value


class ReplyRequest(ApiModel):
    text: Annotated[str, Field(min_length=REPLY_MIN, max_length=REPLY_MAX)] = Field(
        description=f"Isi balasan petugas, {REPLY_MIN}-{REPLY_MAX} karakter; dikirim ke pemohon.",
        examples=["Berkas Anda sedang diperiksa tim teknis; hasilnya kami kabarkan paling lambat Jumat."],
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if len(value) < REPLY_MIN:
            raise ValueError("Isi balasan tidak boleh kosong.")
        return value


class AttachmentOutput(ApiModel):
    file_id: str = Field(description="Id berkas di File Saya pemohon.", examples=["q3Zt8Yb1Xk2Lm9Np0Rs7Tw"])
    file_name: str = Field(description="Nama berkas lampiran.", examples=["bukti-pembayaran.pdf"])
    download_url: str | None = Field(
        default=None,
        description="Tautan unduh lampiran, berlaku 5 menit; hanya untuk petugas.",
        examples=["https://dokumen.example.go.id/files/abc/q3Zt8Yb1Xk2Lm9Np0Rs7Tw?X-Amz-Expires=300"],
    )


class ReplyOutput(ApiModel):
    reply_id: str = Field(description="Id balasan (urut waktu).", examples=["20261129T021500123Z-01"])
    text: str = Field(description="Isi balasan petugas.", examples=["Berkas Anda sedang diperiksa tim teknis."])
    created_at: str = Field(description="Waktu balasan (UTC, ISO 8601).", examples=["2026-11-29T02:15:00.123Z"])
    officer_name: str | None = Field(
        default=None,
        description="Nama petugas yang membalas; hanya terlihat oleh petugas.",
        examples=["Rahmat Hidayat"],
    )


class ComplaintOutput(ApiModel):
    complaint_id: str = Field(description="Id pengaduan.", examples=["Pq7xK2mN9vB4tR1s"])
    category: str = Field(description="Kode kategori pengaduan.", examples=["waktu"])
    category_label: str = Field(description="Nama kategori pengaduan.", examples=["Waktu penyelesaian"])
    text: str = Field(
        description="Isi pengaduan.", examples=["Permohonan saya sudah lewat batas waktu tetapi belum ada kabar."]
    )
    status: ComplaintStatus = Field(
        description="diterima (belum dibalas), diproses (sudah dibalas), selesai (ditutup petugas).",
        examples=["diproses"],
    )
    receipt_number: str | None = Field(
        default=None, description="Nomor resi permohonan yang diadukan, bila ada.", examples=["2611-7K3M-Q9XD"]
    )
    application_id: str | None = Field(
        default=None, description="Id permohonan yang diadukan, bila ada.", examples=["a1B2c3D4e5F6g7H8"]
    )
    attachment: AttachmentOutput | None = Field(default=None, description="Lampiran dari File Saya, bila ada.")
    created_at: str = Field(
        description="Waktu pengaduan dikirim (UTC, ISO 8601).", examples=["2026-11-29T01:00:00.000Z"]
    )
    updated_at: str = Field(
        description="Waktu perubahan terakhir (UTC, ISO 8601).", examples=["2026-11-29T02:15:00.123Z"]
    )
    reply_count: int = Field(description="Jumlah balasan petugas.", examples=[1])
    closed_at: str | None = Field(
        default=None,
        description="Waktu pengaduan dinyatakan selesai, bila sudah.",
        examples=["2026-11-30T03:00:00.000Z"],
    )


class OfficerComplaintOutput(ComplaintOutput):
    applicant_name: str = Field(description="Nama pemohon yang mengadu.", examples=["Nur Aisyah"])


class ComplaintDetailOutput(ComplaintOutput):
    replies: list[ReplyOutput] = Field(description="Balasan petugas, terlama dulu.")


class OfficerComplaintDetailOutput(OfficerComplaintOutput):
    replies: list[ReplyOutput] = Field(description="Balasan petugas, terlama dulu, dengan nama petugas.")


class ComplaintPage(ApiModel):
    items: list[ComplaintOutput] = Field(description="Pengaduan Anda, terbaru dulu.")
    cursor: str | None = Field(
        default=None, description="Kirim sebagai parameter cursor untuk halaman berikutnya; null di halaman terakhir."
    )


class OfficerComplaintPage(ApiModel):
    items: list[OfficerComplaintOutput] = Field(
        description="Pengaduan dengan status yang diminta: diterima dan diproses terlama dulu, selesai terbaru dulu."
    )
    cursor: str | None = Field(
        default=None, description="Kirim sebagai parameter cursor untuk halaman berikutnya; null di halaman terakhir."
    )
