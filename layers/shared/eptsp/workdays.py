"""Working days (hari kerja) in Asia/Makassar: the clock of every SLA.

A working day is a weekday that is neither an Indonesian national holiday nor a cuti
bersama day (the ``holidays`` package lists both), nor a day the office declares closed.
Counting follows PTSP practice: the day a file is received does not count; the SLA's
n-th working day after it is the estimated finish. While a file is back with the applicant
for perbaikan the clock stops: the working days of each pause are added to the deadline.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
SATURDAY = 5


def wita_date(moment: datetime) -> date:
    """The calendar date in WITA of an aware UTC (or any aware) moment."""
    return moment.astimezone(WITA).date()


class WorkingCalendar:
    def __init__(self, days_off: Container[date]):
        self._days_off = days_off

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self._days_off

    def add(self, start: date, working_days: int) -> date:
        """The ``working_days``-th working day after ``start`` (``start`` itself when 0)."""
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day = start
        remaining = working_days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def count_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def deadline(
        self, received_at: datetime, sla_working_days: int, pauses: Iterable[tuple[datetime, datetime]] = ()
    ) -> date:
        """Estimated finish of a file received at ``received_at`` with an SLA, after its pauses.

        Each pause (sent back for perbaikan at its start, resubmitted at its end) adds the
        working days it covered, so the office is not charged for the applicant's time.
        """
        paused = sum(self.count_between(wita_date(start), wita_date(end)) for start, end in pauses)
        return self.add(wita_date(received_at), sla_working_days + paused)

    def is_late(self, deadline: date, now: datetime | None = None) -> bool:
        return wita_date(now or datetime.now(UTC)) > deadline


# The holidays package's answers for these years, shipped with the layer
# (tools/national_days_off.py writes it; tests/unit/test_workdays.py keeps it current).
TABLE = Path(__file__).with_name("national_days_off.json")
TABLE_YEARS = range(2020, 2041)


@cache
def _package_calendar() -> Any:
    # Importing holidays loads its registry of every country (about 0.2 s): only a year
    # outside the shipped table pays for it.
    from holidays.countries.indonesia import Indonesia

    return Indonesia(categories=("public", "government"), language="id")


def _package_year(year: int) -> list[tuple[date, str]]:
    calendar = _package_calendar()
    calendar.get(date(year, 1, 1))  # fills in the year
    return sorted((day, name) for day, name in calendar.items() if day.year == year)


def national_days_off_table(years: range) -> dict[str, Any]:
    """What the holidays package says of ``years``, as the shipped table holds it."""
    days = [entry for year in years for entry in _package_year(year)]
    return {"years": [years[0], years[-1]], "days": {day.isoformat(): name for day, name in days}}


@cache
def _national_holidays() -> tuple[range, dict[date, str]]:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    first, last = table["years"]
    return range(first, last + 1), {date.fromisoformat(day): name for day, name in table["days"].items()}


def national_holiday(day: date) -> str | None:
    """The Indonesian name of the national holiday or cuti bersama on ``day``, if it is one."""
    if isinstance(day, datetime):
        day = day.date()
    years, names = _national_holidays()
    if day.year in years:
        return names.get(day)
    return _package_calendar().get(day)


class _NationalDaysOff:
    """National holidays and cuti bersama, plus the office's own closures."""

    def __init__(self, extra: frozenset[date]):
        self._extra = extra

    def __contains__(self, day: object) -> bool:
        return day in self._extra or (isinstance(day, date) and national_holiday(day) is not None)


def national_holidays(year: int) -> list[tuple[date, str]]:
    """The national holidays and cuti bersama of ``year``, by date, with their Indonesian names."""
    years, names = _national_holidays()
    if year not in years:
        return _package_year(year)
    return sorted((day, name) for day, name in names.items() if day.year == year)


# A few sets at once: the office's days off change rarely, and each set is one calendar.
@lru_cache(maxsize=8)
def national_days_off(extra_days_off: frozenset[date] = frozenset()) -> Container[date]:
    """Indonesia's national holidays and cuti bersama (any year), plus ``extra_days_off``."""
    return _NationalDaysOff(extra_days_off)


def national_calendar(extra_days_off: frozenset[date] = frozenset()) -> WorkingCalendar:
    """The calendar of Indonesia's national holidays and cuti bersama (any year), plus
    ``extra_days_off``: the office's own (``eptsp.catalogue.calendar.office_calendar``)."""
    return WorkingCalendar(national_days_off(extra_days_off))
