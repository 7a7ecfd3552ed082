"""The arithmetic of the reports, with no I/O: report periods, the SLA bucket and working
days of a finished application, medians from histograms, and the names of the counters.

Counters live in one item per WITA day (see ``repository``); each attribute is one count:

- ``diajukan``: applications submitted that day;
- ``status#<status>`` / ``tahap#<stage>``: of the applications submitted that day, how many
  are now in each status, and (while open) at each stage: the counts move as they do;
- ``selesai``, ``tepatWaktu``, ``terlambat``: applications finished (``terbit`` or
  ``ditolak``) that day, within their SLA or after it;
- ``hk#<n>``: of those, how many took ``n`` working days (the histogram a median needs);
- ``izin#<izinId>#<counter>``: the same per permit type; ``nama#<izinId>`` its name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from eptsp.errors import ValidationFailed
from eptsp.workdays import WorkingCalendar, wita_date

MAX_MONTHS = 24
FINISHED = ("terbit", "ditolak")
# The status each workflow event leaves an application in (tugas_baru moves nothing).
EVENT_STATUS = {
    "diajukan": "diproses",
    "tahap_berubah": "diproses",
    "perbaikan": "perbaikan",
    "diajukan_ulang": "diproses",
    "disetujui": "disetujui",
    "terbit": "terbit",
    "ditolak": "ditolak",
}
# Events of one application stamped within the same second still apply in the flow's order.
EVENT_RANK = {
    "diajukan": 0,
    "tahap_berubah": 1,
    "perbaikan": 1,
    "diajukan_ulang": 1,
    "disetujui": 2,
    "terbit": 3,
    "ditolak": 3,
}
# Statuses in which the office's clock runs: these are "open" for lateness (perbaikan waits on the applicant).
CLOCK_RUNNING = ("diproses", "disetujui")

SUBMITTED = "diajukan"
FINISHED_COUNT = "selesai"
ON_TIME = "tepatWaktu"
LATE = "terlambat"


def status_counter(status: str) -> str:
    return f"status#{status}"


def stage_counter(stage: str) -> str:
    return f"tahap#{stage}"


def days_counter(working_days: int) -> str:
    return f"hk#{working_days}"


def izin_counter(izin_id: str, counter: str) -> str:
    return f"izin#{izin_id}#{counter}"


def name_attribute(izin_id: str) -> str:
    return f"nama#{izin_id}"


# ------------------------------------------------------------------ periods


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def first_of_month(month_index: int) -> date:
    return date(month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """WITA calendar days ``start`` to ``end``, both included."""

    start: date
    end: date

    def months(self) -> list[str]:
        return [month_of(first_of_month(i)) for i in range(_month_index(self.start), _month_index(self.end) + 1)]

    def days(self) -> Iterable[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)


def report_period(start: date, end: date) -> Period:
    """The period of ``from``..``to``, refused when reversed or longer than 24 calendar months."""
    if end < start:
        raise ValidationFailed("Tanggal 'to' tidak boleh sebelum tanggal 'from'.", field="to")
    if _month_index(end) - _month_index(start) + 1 > MAX_MONTHS:
        raise ValidationFailed(f"Rentang laporan paling panjang {MAX_MONTHS} bulan.", field="to")
    return Period(start, end)


def last_months(today: date, months: int = 12) -> Period:
    """The ``months`` WITA calendar months up to and including ``today``'s (Kinerja's window)."""
    return Period(first_of_month(_month_index(today) - months + 1), today)


# ------------------------------------------------------------------ SLA


def processing_days(
    calendar: WorkingCalendar,
    submitted_at: datetime,
    finished_at: datetime,
    pauses: Iterable[tuple[datetime, datetime]],
) -> int:
    """Working days from submission to finish, without the days the file was back with the
    applicant for perbaikan (the same days the SLA's deadline adds back)."""
    total = calendar.count_between(wita_date(submitted_at), wita_date(finished_at))
    paused = sum(calendar.count_between(wita_date(start), wita_date(end)) for start, end in pauses)
    return max(0, total - paused)


def within_sla(working_days: int, sla_working_days: int) -> bool:
    """Finished within the SLA: no more working days than it allows (the deadline's own count)."""
    return working_days <= sla_working_days


# ------------------------------------------------------------------ medians


def median(histogram: Mapping[int, int]) -> Decimal | None:
    """The median of the values a histogram ``{value: how many}`` counts (None when empty);
    the mean of the two middle values for an even count, to one decimal."""
    counts = sorted((value, n) for value, n in histogram.items() if n > 0)
    total = sum(n for _, n in counts)
    if not total:
        return None
    wanted = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value, n in counts:
        while len(found) < 2 and wanted[len(found)] < seen + n:
            found.append(value)
        seen += n
        if len(found) == 2:
            break
    return (Decimal(found[0] + found[1]) / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal; None of nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ adding days up


@dataclass
class Tally:
    """Counters added up over days: ``get('diajukan')``, ``histogram()``, per permit type."""

    counts: dict[str, int]
    names: dict[str, str]

    @classmethod
    def of(cls, days: Iterable[Mapping[str, object]]) -> Tally:
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for day in days:
            for attribute, value in day.items():
                if attribute.startswith("nama#"):
                    names[attribute[5:]] = str(value)
                elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                    counts[attribute] = counts.get(attribute, 0) + int(value)
        return cls(counts, names)

    def get(self, counter: str, izin_id: str | None = None) -> int:
        return self.counts.get(izin_counter(izin_id, counter) if izin_id else counter, 0)

    def histogram(self, izin_id: str | None = None) -> dict[int, int]:
        prefix = izin_counter(izin_id, "hk#") if izin_id else "hk#"
        return {
            int(attribute[len(prefix) :]): n
            for attribute, n in self.counts.items()
            if n and attribute.startswith(prefix) and attribute[len(prefix) :].isdigit()
        }

    def with_prefix(self, prefix: str) -> dict[str, int]:
        return {attribute[len(prefix) :]: n for attribute, n in self.counts.items() if attribute.startswith(prefix)}

    def izin_ids(self) -> list[str]:
        ids = {attribute.split("#")[1] for attribute in self.counts if attribute.startswith("izin#")}
        return sorted(ids | set(self.names))
