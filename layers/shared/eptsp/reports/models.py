"""The reports' answers: the officers' summary and the public Kinerja figures."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from eptsp.models import ApiModel

Count = Annotated[int, Field(ge=0)]


def _count(description: str, example: int) -> object:
    return Field(description=description, examples=[example])


MEDIAN = "Median waktu proses (hari kerja, tanpa hari perbaikan oleh pemohon); kosong bila belum ada yang selesai"
SHARE = "Persentase permohonan selesai yang tepat waktu (sesuai SLA), satu desimal; kosong bila belum ada yang selesai"


class SlaFigures(ApiModel):
    submitted: Count = _count("Jumlah permohonan yang diajukan dalam periode", 40)
    finished: Count = _count("Jumlah permohonan yang selesai (terbit atau ditolak) dalam periode", 32)
    finished_on_time: Count = _count("Jumlah yang selesai dalam batas SLA (hari kerja)", 28)
    finished_late: Count = _count("Jumlah yang selesai melewati batas SLA", 4)
    on_time_share: float | None = Field(description=SHARE, examples=[87.5])
    median_working_days: float | None = Field(description=MEDIAN, examples=[4.5])


class StatusCount(ApiModel):
    status: str = Field(description="Status permohonan", examples=["diproses"])
    label: str = Field(description="Nama status untuk ditampilkan", examples=["Sedang diproses"])
    count: Count = _count("Jumlah permohonan yang diajukan dalam periode dan kini berstatus ini", 6)


class StageCount(ApiModel):
    stage: str = Field(description="Tahap alur persetujuan", examples=["verifikasi"])
    label: str = Field(description="Nama tahap untuk ditampilkan", examples=["Verifikasi Berkas"])
    count: Count = _count("Jumlah permohonan periode ini yang masih terbuka dan kini di tahap ini", 3)


class IzinFigures(SlaFigures):
    izin_id: str = Field(description="Kode jenis izin", examples=["siup-perikanan"])
    izin_name: str = Field(description="Nama jenis izin", examples=["Surat Izin Usaha Perikanan (SIUP)"])
    open_late: Count = _count("Jumlah permohonan periode ini yang masih terbuka dan sudah melewati SLA", 1)


class MonthFigures(SlaFigures):
    month: str = Field(description="Bulan kalender WITA (YYYY-MM)", examples=["2026-11"])
    by_status: list[StatusCount] = Field(
        description="Permohonan yang diajukan pada bulan ini menurut statusnya sekarang", examples=[[]]
    )


class SummaryOutput(SlaFigures):
    """Ringkasan laporan petugas untuk satu periode."""

    from_date: str = Field(description="Tanggal awal periode (WITA), termasuk", examples=["2026-01-01"])
    to_date: str = Field(description="Tanggal akhir periode (WITA), termasuk", examples=["2026-12-31"])
    open_late: Count = _count(
        "Jumlah permohonan yang diajukan dalam periode, masih terbuka, dan sudah melewati batas SLA hari ini", 2
    )
    by_status: list[StatusCount] = Field(
        description="Permohonan yang diajukan dalam periode menurut statusnya sekarang", examples=[[]]
    )
    by_stage: list[StageCount] = Field(
        description="Permohonan periode ini yang masih terbuka menurut tahapnya sekarang", examples=[[]]
    )
    by_izin: list[IzinFigures] = Field(description="Angka yang sama per jenis izin", examples=[[]])
    by_month: list[MonthFigures] = Field(description="Angka per bulan kalender WITA dalam periode", examples=[[]])
    generated_at: str = Field(description="Waktu laporan dibuat (UTC, ISO 8601)", examples=["2026-11-29T02:00:00Z"])


class KinerjaFigures(ApiModel):
    respondents: Count = _count("Jumlah responden Survei IKM dalam 12 bulan terakhir", 120)
    ikm: float | None = Field(
        description="Indeks Kepuasan Masyarakat (skala 25-100, dua desimal); kosong tanpa responden", examples=[82.64]
    )
    grade: str | None = Field(description="Mutu pelayanan (A, B, C, D)", examples=["B"])
    grade_label: str | None = Field(description="Kinerja unit pelayanan", examples=["Baik"])
    finished: Count = _count("Jumlah permohonan yang selesai (terbit atau ditolak) dalam 12 bulan terakhir", 320)
    finished_on_time: Count = _count("Jumlah yang selesai dalam batas SLA", 290)
    on_time_share: float | None = Field(description=SHARE, examples=[90.6])
    median_working_days: float | None = Field(description=MEDIAN, examples=[5.0])


class KinerjaIzin(KinerjaFigures):
    izin_id: str = Field(description="Kode jenis izin", examples=["siup-perikanan"])
    izin_name: str = Field(description="Nama jenis izin", examples=["Surat Izin Usaha Perikanan (SIUP)"])


class KinerjaMonth(ApiModel):
    month: str = Field(description="Bulan kalender WITA (YYYY-MM)", examples=["2026-11"])
    finished: Count = _count("Permohonan selesai pada bulan ini", 30)
    finished_on_time: Count = _count("Di antaranya yang tepat waktu", 27)
    finished_late: Count = _count("Di antaranya yang terlambat", 3)


class KinerjaOutput(ApiModel):
    """Kinerja pelayanan publik kantor: 12 bulan kalender WITA terakhir, tanpa data pribadi."""

    from_month: str = Field(description="Bulan pertama (YYYY-MM, WITA)", examples=["2025-12"])
    to_month: str = Field(description="Bulan terakhir, bulan berjalan (YYYY-MM, WITA)", examples=["2026-11"])
    office: KinerjaFigures = Field(description="Angka seluruh kantor")
    by_izin: list[KinerjaIzin] = Field(description="Angka per jenis izin", examples=[[]])
    by_month: list[KinerjaMonth] = Field(description="Permohonan selesai per bulan (untuk grafik)", examples=[[]])
    generated_at: str = Field(description="Waktu angka dihitung (UTC, ISO 8601)", examples=["2026-11-29T02:00:00Z"])
