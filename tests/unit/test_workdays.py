"""Working-day arithmetic of the SLA: properties over generated calendars, and the real
2026 calendar of national holidays and cuti bersama."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eptsp import workdays
from eptsp.workdays import WorkingCalendar, national_calendar, national_holidays, wita_date

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
days_off = st.frozensets(days, max_size=60)
counts = st.integers(min_value=0, max_value=60)


@given(days_off, days, st.integers(min_value=1, max_value=60))
def test_adding_working_days_lands_on_a_working_day(off, start, n):
    calendar = WorkingCalendar(off)
    finish = calendar.add(start, n)
    assert finish > start
    assert finish.weekday() < 5
    assert finish not in off


@given(days_off, days, counts)
def test_counting_undoes_adding(off, start, n):
    calendar = WorkingCalendar(off)
    assert calendar.count_between(start, calendar.add(start, n)) == n


@given(days_off, days, counts)
def test_one_more_working_day_is_the_next_working_day(off, start, n):
    calendar = WorkingCalendar(off)
    this, following = calendar.add(start, n), calendar.add(start, n + 1)
    assert following > this
    assert not any(calendar.is_working_day(this + timedelta(days=k)) for k in range(1, (following - this).days))


@given(days_off, days, st.integers(min_value=1, max_value=30), st.lists(st.tuples(counts, counts), max_size=3))
def test_pauses_add_exactly_their_working_days(off, start, sla, pause_offsets):
    calendar = WorkingCalendar(off)
    received = datetime(start.year, start.month, start.day, 2, tzinfo=UTC)  # 10.00 WITA
    pauses = [
        (received + timedelta(days=begin), received + timedelta(days=begin + length)) for begin, length in pause_offsets
    ]
    paused = sum(calendar.count_between(wita_date(a), wita_date(b)) for a, b in pauses)
    deadline = calendar.deadline(received, sla, pauses)
    assert deadline == calendar.add(start, sla + paused)
    assert calendar.count_between(start, deadline) == sla + paused


def test_received_late_in_the_evening_counts_from_the_wita_date():
    calendar = WorkingCalendar(frozenset())
    # 2026-11-30 17.30 UTC is Tuesday 1 December 01.30 WITA.
    received = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    assert calendar.deadline(received, 1) == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("start", "sla", "expected"),
    [
        (date(2026, 3, 17), 1, date(2026, 3, 25)),  # Nyepi, Idul Fitri and cuti bersama 18-24 March
        (date(2026, 12, 23), 1, date(2026, 12, 28)),  # cuti bersama 24th, Natal 25th, weekend
        (date(2026, 8, 14), 1, date(2026, 8, 18)),  # weekend, then Hari Kemerdekaan on Monday 17th
        (date(2026, 11, 27), 5, date(2026, 12, 4)),  # an ordinary week: Friday + 5 working days
    ],
)
def test_national_holidays_and_cuti_bersama_are_not_working_days(start, sla, expected):
    assert national_calendar().add(start, sla) == expected


def test_office_closures_are_honoured_besides_the_national_calendar():
    closed = date(2026, 12, 1)
    assert national_calendar().add(date(2026, 11, 30), 1) == closed
    assert national_calendar(frozenset({closed})).add(date(2026, 11, 30), 1) == date(2026, 12, 2)


def test_lateness_is_judged_by_the_wita_date():
    calendar = WorkingCalendar(frozenset())
    deadline = date(2026, 12, 1)
    assert not calendar.is_late(deadline, datetime(2026, 12, 1, 15, 59, tzinfo=UTC))  # 23.59 WITA
    assert calendar.is_late(deadline, datetime(2026, 12, 1, 16, 0, tzinfo=UTC))  # 00.00 WITA the next day


def test_the_shipped_table_of_national_days_off_is_what_the_holidays_package_says():
    shipped = json.loads(workdays.TABLE.read_text(encoding="utf-8"))
    assert shipped == workdays.national_days_off_table(workdays.TABLE_YEARS), (
        "run `python -m tools.national_days_off` and commit layers/shared/eptsp/national_days_off.json"
    )


def test_a_year_outside_the_table_is_asked_of_the_holidays_package():
    year = workdays.TABLE_YEARS[-1] + 1
    assert (date(year, 1, 1), "Tahun Baru Masehi") in national_holidays(year)
    assert (date(year, 8, 17), "Hari Kemerdekaan Republik Indonesia") in national_holidays(year)
    new_year = date(year, 1, 1)
    assert new_year.weekday() < 5 and not national_calendar().is_working_day(new_year)
