"""The admin API's requests and answers: catalogue changes, the audit trail, the office calendar.

The catalogue parts are the seed document's own models (``Izin``, ``Layanan``,
``JenisPermohonan`` and what they hold), so an admin's change obeys exactly the rules the
loader enforces on ``seed/catalogue.yaml``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from eptsp.catalogue.calendar import DayOffKind
from eptsp.catalogue.models import Izin, JenisPermohonan, Layanan
from eptsp.models import ApiModel

Version = Field(ge=1, description="Versi jenis izin yang terakhir Anda baca (dari GET).", examples=[3])


class AdminRequest(ApiModel):
    model_config = ConfigDict(extra="forbid")


class IzinChangeRequest(AdminRequest):
    """Mengganti satu jenis izin seutuhnya (layanan, jenis permohonan, persyaratan, isian)."""

    version: int = Version
    izin: Izin = Field(description="Jenis izin yang baru, lengkap; id-nya sama dengan id pada alamat.")


class LayananChangeRequest(AdminRequest):
    """Menambah atau mengganti satu layanan beserta jenis permohonannya."""

    version: int = Version
    layanan: Layanan = Field(description="Layanan yang baru, lengkap; id-nya sama dengan id pada alamat.")


class JenisPermohonanChangeRequest(AdminRequest):
    """Mengubah satu jenis permohonan: SLA, batas perbaikan, biaya, persyaratan, isian Data Detail."""

    version: int = Version
    jenis_permohonan: JenisPermohonan = Field(
        description="Jenis permohonan yang baru, lengkap; id-nya sama dengan id pada alamat."
    )


class IzinAdminOutput(ApiModel):
    izin: Izin = Field(description="Jenis izin seperti yang disimpan (bentuk yang sama dengan seed/catalogue.yaml).")
    version: int = Field(description="Versi saat ini; kirim kembali saat mengubah.", examples=[3])
    origin: Literal["seed", "admin"] = Field(
        description="Asal isi: seed (dari seed/catalogue.yaml) atau admin (diubah lewat API).", examples=["admin"]
    )
    updated_at: str = Field(
        description="Waktu perubahan terakhir (UTC, ISO 8601).", examples=["2026-11-29T02:15:00.000Z"]
    )
    updated_by: str = Field(
        description="Siapa yang terakhir mengubah (NIP, atau seed/catalogue.yaml).", examples=["199104172019031004"]
    )


class AuditActorOutput(ApiModel):
    username: str = Field(
        description="NIP petugas, atau seed/catalogue.yaml untuk pemuat katalog.", examples=["199104172019031004"]
    )
    role: str = Field(description="Peran pelaku: admin, atau loader untuk pemuat katalog.", examples=["admin"])


class AuditEntryOutput(ApiModel):
    audit_id: str = Field(description="Kode catatan audit.", examples=["9f2c41ab"])
    at: str = Field(description="Waktu perubahan (UTC, ISO 8601).", examples=["2026-11-29T02:15:00.000Z"])
    actor: AuditActorOutput = Field(description="Siapa yang mengubah.")
    target: Literal["izin", "layanan", "jenis_permohonan", "hari_libur"] = Field(
        description="Apa yang diubah: izin, layanan, jenis_permohonan, atau hari_libur (kalender kantor).",
        examples=["jenis_permohonan"],
    )
    target_id: str = Field(
        description="Id yang diubah (tanggal untuk hari libur).", examples=["izin-usaha-perikanan-baru"]
    )
    izin_id: str | None = Field(
        default=None, description="Jenis izin yang memuatnya.", examples=["izin-usaha-perikanan"]
    )
    action: Literal["tambah", "ubah", "hapus", "muat_seed"] = Field(
        description="Tindakan: tambah, ubah, hapus, atau muat_seed (dimuat dari seed/catalogue.yaml).",
        examples=["ubah"],
    )
    version: int | None = Field(
        default=None, description="Versi setelah perubahan (kosong bila dihapus).", examples=[4]
    )
    before: dict[str, Any] | None = Field(
        default=None, description="Isi sebelum perubahan (kosong bila baru).", examples=[{"slaWorkingDays": 10}]
    )
    after: dict[str, Any] | None = Field(
        default=None, description="Isi sesudah perubahan (kosong bila dihapus).", examples=[{"slaWorkingDays": 7}]
    )


class AuditPage(ApiModel):
    items: list[AuditEntryOutput] = Field(description="Perubahan, terbaru dulu.")
    cursor: str | None = Field(
        default=None,
        description="Kirim sebagai parameter cursor untuk halaman berikutnya; kosong di halaman terakhir.",
        examples=["eyJwayI6IkFVRElUIn0"],
    )


class DayOffRequest(AdminRequest):
    kind: DayOffKind = Field(
        description="Jenis: libur_daerah (hari libur daerah), penutupan_kantor (kantor tutup), atau lainnya.",
        examples=["libur_daerah"],
    )
    reason: str = Field(
        min_length=3,
        max_length=200,
        pattern=r"\S",
        description="Nama hari libur atau alasan kantor tutup.",
        examples=["Hari Jadi Provinsi Kalimantan Utara"],
    )
    version: int | None = Field(
        default=None,
        ge=1,
        description="Kosongkan untuk menambah hari libur baru; untuk mengubah, kirim versi yang terakhir dibaca.",
        examples=[None],
    )


class DayOffOutput(ApiModel):
    date: dt.date = Field(description="Tanggal libur (WITA).", examples=["2026-10-26"])
    kind: DayOffKind = Field(description="Jenis hari libur kantor.", examples=["libur_daerah"])
    reason: str = Field(description="Nama hari libur atau alasan.", examples=["Hari Jadi Provinsi Kalimantan Utara"])
    version: int = Field(description="Versi saat ini; kirim kembali saat mengubah atau menghapus.", examples=[1])
    updated_at: str = Field(
        description="Waktu perubahan terakhir (UTC, ISO 8601).", examples=["2026-11-29T02:15:00.000Z"]
    )
    updated_by: str = Field(description="NIP admin yang terakhir mengubah.", examples=["199104172019031004"])


class NationalHolidayOutput(ApiModel):
    date: dt.date = Field(description="Tanggal libur nasional atau cuti bersama.", examples=["2026-12-25"])
    name: str = Field(description="Nama hari libur.", examples=["Hari Raya Natal"])


class CalendarOutput(ApiModel):
    year: int = Field(description="Tahun kalender.", examples=[2026])
    office_days_off: list[DayOffOutput] = Field(
        description="Hari libur kantor tambahan (diatur admin), yang tidak dihitung sebagai hari kerja SLA."
    )
    national_holidays: list[NationalHolidayOutput] = Field(
        description="Hari libur nasional dan cuti bersama (dari paket holidays), sudah bukan hari kerja."
    )
