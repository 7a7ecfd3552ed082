"""The workflow's words: API values and their Indonesian labels (no imports, so any module may use them)."""

from typing import Literal

Status = Literal["draft", "diproses", "perbaikan", "disetujui", "terbit", "ditolak", "gangguan"]
STATUS_LABELS: dict[str, str] = {
    "draft": "Draf - belum dikirim",
    "diproses": "Sedang diproses",
    "perbaikan": "Perlu perbaikan",
    "disetujui": "Disetujui",
    "terbit": "Izin terbit",
    "ditolak": "Ditolak",
    "gangguan": "Tertunda",
}
Stage = Literal["verifikasi", "teknis", "persetujuan", "penerbitan", "selesai"]
STAGE_LABELS: dict[str, str] = {
    "verifikasi": "Verifikasi Berkas",
    "teknis": "Kajian Teknis",
    "persetujuan": "Persetujuan Kepala",
    "penerbitan": "Penerbitan",
    "selesai": "Selesai",
}
HUMAN_STAGES = ("verifikasi", "teknis", "persetujuan")
STAGE_ROLES: dict[str, str] = {"verifikasi": "verifikator", "teknis": "teknis", "persetujuan": "kepala"}
ADMIN = "admin"
Decision = Literal["setuju", "perbaikan", "tolak"]
Action = Literal[
    "diajukan",
    "setuju",
    "perbaikan",
    "tolak",
    "diajukan_ulang",
    "batas_perbaikan_lewat",
    "gangguan",
    "dilanjutkan",
    "disetujui",
    "terbit",
]
ACTION_LABELS: dict[str, str] = {
    "diajukan": "Diajukan",
    "setuju": "Disetujui tahap ini",
    "perbaikan": "Dikembalikan untuk perbaikan",
    "tolak": "Ditolak",
    "diajukan_ulang": "Diajukan ulang setelah perbaikan",
    "batas_perbaikan_lewat": "Batas waktu perbaikan lewat",
    "gangguan": "Tertunda karena gangguan sistem",
    "dilanjutkan": "Dilanjutkan oleh admin",
    "disetujui": "Permohonan disetujui",
    "terbit": "Izin terbit",
}
TaskStatus = Literal["terbuka", "diputuskan", "usang", "dilanjutkan"]
TaskKind = Literal["tahap", "gangguan"]
ERROR_STATE_NAMES = ("OpenStage", "AwaitResubmission", "Penerbitan")
