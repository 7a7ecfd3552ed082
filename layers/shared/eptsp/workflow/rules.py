"""The workflow's pure rules: which stages a file goes through, what comes after a
decision, what a decision must carry, and the SLA's dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from eptsp.errors import ValidationFailed
from eptsp.workdays import WorkingCalendar, wita_date
from eptsp.workflow.words import HUMAN_STAGES

PENERBITAN = "penerbitan"
SELESAI = "selesai"


def stages_for(technical_review: bool) -> list[str]:
    """The human stages of a file: kajian teknis only where the catalogue asks for it."""
    return [stage for stage in HUMAN_STAGES if technical_review or stage != "teknis"]


def next_stage(stages: list[str], current: str) -> str:
    """The stage after ``current`` is approved: the next human stage, or penerbitan."""
    position = stages.index(current)
    return stages[position + 1] if position + 1 < len(stages) else PENERBITAN


@dataclass(frozen=True)
class Outcome:
    """Where the application stands after a decision."""

    status: str
    stage: str


def outcome(decision: str, stages: list[str], current: str) -> Outcome:
    if decision == "setuju":
        return Outcome("diproses", next_stage(stages, current))
    if decision == "perbaikan":
        return Outcome("perbaikan", current)
    return Outcome("ditolak", SELESAI)


def check_decision(
    decision: str,
    notes: str | None,
    fix_sections: list[str],
    fix_requirements: list[str],
    has_bap: bool,
    *,
    stage: str,
    field_survey: bool,
    section_ids: list[str],
    requirement_ids: list[str],
) -> None:
    """Refuse a decision that lacks what it needs (notes, what to fix, the BAP), naming the field."""
    if decision in ("perbaikan", "tolak") and not notes:
        raise ValidationFailed("Catatan wajib diisi untuk keputusan perbaikan atau tolak.", field="notes")
    if decision == "perbaikan":
        if not fix_sections and not fix_requirements:
            raise ValidationFailed("Sebutkan bagian atau persyaratan yang harus diperbaiki.", field="fix")
        unknown = [s for s in fix_sections if s not in section_ids]
        if unknown:
            raise ValidationFailed(f"Bagian {unknown} tidak ada pada permohonan ini.", field="fix.sections")
        unknown = [r for r in fix_requirements if r not in requirement_ids]
        if unknown:
            raise ValidationFailed(f"Persyaratan {unknown} tidak ada pada permohonan ini.", field="fix.requirements")
    elif fix_sections or fix_requirements:
        raise ValidationFailed("Daftar perbaikan hanya untuk keputusan perbaikan.", field="fix")
    needs_bap = stage == "teknis" and field_survey
    if has_bap and not needs_bap:
        raise ValidationFailed("Berita acara (BAP) hanya untuk kajian teknis dengan tinjauan lapangan.", field="bap")
    if needs_bap and decision == "setuju" and not has_bap:
        raise ValidationFailed("Izin ini memerlukan tinjauan lapangan: lampirkan berita acara (BAP).", field="bap")


def estimated_finish(
    calendar: WorkingCalendar, submitted_at: datetime, sla_working_days: int, pauses: list[tuple[datetime, datetime]]
) -> date:
    """The SLA's finish date in WITA, the perbaikan pauses added."""
    return calendar.deadline(submitted_at, sla_working_days, pauses)


def perbaikan_deadline(requested_at: datetime, days: int, calendar: WorkingCalendar | None = None) -> date:
    """The last WITA calendar day on which the applicant may send the file back.

    With the office's ``calendar``, a last day on which the office is closed (a weekend, a
    holiday, an office day off) moves to its next working day.
    """
    last = wita_date(requested_at) + timedelta(days=days)
    while calendar is not None and not calendar.is_working_day(last):
        last += timedelta(days=1)
    return last


def perbaikan_expired(deadline: date, now: datetime) -> bool:
    return wita_date(now) > deadline
