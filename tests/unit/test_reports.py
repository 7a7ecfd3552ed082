"""The reports' arithmetic: medians from histograms and SLA buckets (properties over
generated data), report periods, counting events (what each event moves, in what order,
once), the summary's and Kinerja's figures from counters, and the CSV file."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eptsp.errors import ValidationFailed
from eptsp.events import ApplicationEvent
from eptsp.reports import figures
from eptsp.reports.counters import ApplicationFacts, ReportCounter, order_key
from eptsp.reports.export import summary_csv
from eptsp.reports.models import SummaryOutput
from eptsp.reports.repository import Tracked
from eptsp.workdays import WorkingCalendar, wita_date

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
days_off = st.frozensets(days, max_size=60)
WITA_MORNING = timedelta(hours=1)  # 09:00 WITA as UTC: the same WITA date


def at(day: date, hour: int = 1) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# ------------------------------------------------------------------ median


@given(st.lists(st.integers(min_value=0, max_value=120), max_size=200))
def test_the_median_of_a_histogram_is_the_median_of_its_values(values):
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    expected = Decimal(str(statistics.median(values))).quantize(Decimal("0.1")) if values else None
    assert figures.median(histogram) == expected


@given(st.dictionaries(st.integers(0, 60), st.integers(0, 50)), st.dictionaries(st.integers(0, 60), st.integers(0, 50)))
def test_histograms_added_day_by_day_give_the_median_of_the_whole(first, second):
    """The summary adds up day histograms: the order of adding does not matter."""
    whole = {k: first.get(k, 0) + second.get(k, 0) for k in set(first) | set(second)}
    values = [k for k, n in whole.items() for _ in range(n)]
    tally = figures.Tally.of(
        [
            {figures.days_counter(k): Decimal(n) for k, n in first.items()},
            {figures.days_counter(k): n for k, n in second.items()},
        ]
    )
    assert tally.histogram() == {k: n for k, n in whole.items() if n}
    assert figures.median(tally.histogram()) == (
        Decimal(str(statistics.median(values))).quantize(Decimal("0.1")) if values else None
    )


def test_median_by_hand():
    assert figures.median({}) is None
    assert figures.median({3: 1}) == Decimal("3.0")
    assert figures.median({2: 1, 3: 1}) == Decimal("2.5")
    assert figures.median({1: 2, 9: 1}) == Decimal("1.0")
    assert figures.median({0: 0, 4: 2, 7: 2}) == Decimal("5.5")


# ------------------------------------------------------------------ SLA buckets


@st.composite
def finished_files(draw):
    off = draw(days_off)
    calendar = WorkingCalendar(off)
    submitted = draw(days)
    sla = draw(st.integers(min_value=1, max_value=20))
    # Up to two perbaikan pauses, in order, then the finish on or after the last.
    pauses, cursor = [], submitted
    for _ in range(draw(st.integers(0, 2))):
        start = cursor + timedelta(days=draw(st.integers(0, 15)))
        end = start + timedelta(days=draw(st.integers(0, 15)))
        pauses.append((at(start), at(end)))
        cursor = end
    finished = cursor + timedelta(days=draw(st.integers(0, 40)))
    return calendar, at(submitted), at(finished), pauses, sla


@given(finished_files())
def test_within_sla_is_finishing_by_the_deadline_the_applicant_was_told(case):
    calendar, submitted, finished, pauses, sla = case
    working = figures.processing_days(calendar, submitted, finished, pauses)
    deadline = calendar.deadline(submitted, sla, pauses)
    if calendar.is_working_day(wita_date(finished)):
        assert figures.within_sla(working, sla) == (wita_date(finished) <= deadline)
    else:  # a weekend or holiday finish counts as the working day before it
        assert figures.within_sla(working, sla) == (working <= sla)
    assert working >= 0


@given(finished_files())
def test_perbaikan_days_are_not_the_offices(case):
    calendar, submitted, finished, pauses, _ = case
    without = calendar.count_between(wita_date(submitted), wita_date(finished))
    paused = sum(calendar.count_between(wita_date(s), wita_date(e)) for s, e in pauses)
    assert figures.processing_days(calendar, submitted, finished, pauses) == without - paused


def test_a_file_finished_late_in_the_evening_wita_counts_that_wita_day():
    calendar = WorkingCalendar(frozenset())
    monday = date(2026, 11, 2)
    # Friday 23:30 WITA is 15:30 UTC the same day; Saturday 00:30 WITA is Friday 16:30 UTC.
    friday_evening = datetime(2026, 11, 6, 15, 30, tzinfo=UTC)
    saturday_early = datetime(2026, 11, 6, 16, 30, tzinfo=UTC)
    assert figures.processing_days(calendar, at(monday), friday_evening, []) == 4
    assert wita_date(saturday_early) == date(2026, 11, 7)
    assert figures.processing_days(calendar, at(monday), saturday_early, []) == 4


# ------------------------------------------------------------------ periods


def test_periods_up_to_24_calendar_months():
    period = figures.report_period(date(2025, 1, 15), date(2026, 12, 3))
    assert period.months()[0] == "2025-01" and period.months()[-1] == "2026-12" and len(period.months()) == 24
    with pytest.raises(ValidationFailed) as refused:
        figures.report_period(date(2025, 1, 31), date(2027, 1, 1))
    assert refused.value.field == "to"
    with pytest.raises(ValidationFailed):
        figures.report_period(date(2026, 2, 1), date(2026, 1, 31))
    assert figures.report_period(date(2026, 3, 1), date(2026, 3, 1)).months() == ["2026-03"]


def test_kinerja_covers_the_12_months_up_to_this_one():
    period = figures.last_months(date(2026, 1, 10))
    assert (period.start, period.end) == (date(2025, 2, 1), date(2026, 1, 10))
    assert period.months()[0] == "2025-02" and period.months()[-1] == "2026-01"


# ------------------------------------------------------------------ counting events

MONDAY = date(2026, 11, 2)
FACTS = ApplicationFacts(
    application_id="app1",
    izin_id="sipa",
    izin_name="Surat Izin Pengambilan Air Tanah",
    submitted_at=at(MONDAY),
    sla_working_days=5,
    estimated_finish=MONDAY + timedelta(days=7),
    pauses=(),
    unanswered_perbaikan_since=None,
)


def event(kind: str, day: date, stage: str | None = None, hour: int = 1, n: int = 1) -> ApplicationEvent:
    return ApplicationEvent(
        event_id=f"app1#{kind}#{n}",
        kind=kind,
        application_id="app1",
        owner_id="o",
        stage=stage,
        occurred_at=at(day, hour).isoformat().replace("+00:00", "Z"),
    )


counter = ReportCounter(repository=None, facts=None, calendar=lambda: WorkingCalendar(frozenset()))


def test_the_first_event_counts_the_application_submitted_on_its_day():
    change = counter.change(event("diajukan", MONDAY, "verifikasi"), FACTS, None)
    assert change.counts == {
        MONDAY: {"diajukan": 1, "izin#sipa#diajukan": 1, "status#diproses": 1, "tahap#verifikasi": 1}
    }
    assert change.names == {MONDAY: {"nama#sipa": "Surat Izin Pengambilan Air Tanah"}}
    assert change.after.status == "diproses" and change.after.due_date == FACTS.estimated_finish


def tracked(status: str, stage: str | None, kind: str, day: date, hour: int = 1) -> Tracked:
    return Tracked("app1", "sipa", MONDAY, status, stage, order_key(at(day, hour).isoformat(), kind), None)


def test_a_later_event_moves_the_cohorts_status_and_stage():
    before = tracked("diproses", "verifikasi", "diajukan", MONDAY)
    change = counter.change(event("perbaikan", MONDAY + timedelta(days=1), "verifikasi"), FACTS, before)
    assert change.counts == {MONDAY: {"status#diproses": -1, "status#perbaikan": 1}}
    change = counter.change(event("tahap_berubah", MONDAY + timedelta(days=1), "persetujuan"), FACTS, before)
    assert change.counts == {MONDAY: {"tahap#verifikasi": -1, "tahap#persetujuan": 1}}


def test_finishing_counts_on_the_finish_day_with_its_working_days_and_sla_bucket():
    before = tracked("disetujui", "penerbitan", "disetujui", MONDAY + timedelta(days=9))
    finished_on = MONDAY + timedelta(days=9)  # Wednesday of the next week: 7 working days > 5
    change = counter.change(event("terbit", finished_on, "selesai"), FACTS, before)
    assert change.counts == {
        MONDAY: {"status#disetujui": -1, "status#terbit": 1, "tahap#penerbitan": -1},
        finished_on: {
            "selesai": 1,
            "terlambat": 1,
            "hk#7": 1,
            "izin#sipa#selesai": 1,
            "izin#sipa#terlambat": 1,
            "izin#sipa#hk#7": 1,
        },
    }
    assert change.after.status == "terbit" and change.after.stage is None


def test_an_unanswered_perbaikan_is_not_the_offices_time():
    facts = ApplicationFacts(**{**FACTS.__dict__, "unanswered_perbaikan_since": at(MONDAY + timedelta(days=1))})
    before = tracked("perbaikan", "verifikasi", "perbaikan", MONDAY + timedelta(days=1))
    rejected_on = MONDAY + timedelta(days=16)
    change = counter.change(event("ditolak", rejected_on, "selesai"), facts, before)
    assert change.counts[rejected_on]["hk#1"] == 1 and change.counts[rejected_on]["tepatWaktu"] == 1


def test_an_event_older_than_the_last_counted_moves_nothing():
    before = tracked("diproses", "persetujuan", "tahap_berubah", MONDAY + timedelta(days=2))
    late = counter.change(event("tahap_berubah", MONDAY + timedelta(days=1), "teknis"), FACTS, before)
    assert late.counts == {} and late.after is None
    # Penerbitan's disetujui and terbit within one second still apply in the flow's order.
    approved = tracked("disetujui", "penerbitan", "disetujui", MONDAY + timedelta(days=2), hour=5)
    assert counter.change(event("terbit", MONDAY + timedelta(days=2), hour=5), FACTS, approved).after.status == "terbit"
    done = tracked("terbit", None, "terbit", MONDAY + timedelta(days=2), hour=5)
    assert counter.change(event("disetujui", MONDAY + timedelta(days=2), hour=5), FACTS, done).after is None


def test_task_events_count_nothing():
    assert counter.count(event("tugas_baru", MONDAY, "verifikasi")) is False


# ------------------------------------------------------------------ the CSV


def test_the_csv_opens_in_an_indonesian_spreadsheet():
    summary = SummaryOutput(
        from_date="2026-01-01",
        to_date="2026-01-31",
        submitted=3,
        finished=2,
        finished_on_time=1,
        finished_late=1,
        on_time_share=50.0,
        median_working_days=4.5,
        open_late=1,
        by_status=[{"status": "terbit", "label": "Izin terbit", "count": 2}],
        by_stage=[{"stage": "verifikasi", "label": "Verifikasi Berkas", "count": 1}],
        by_izin=[
            {
                "izin_id": "x",
                "izin_name": "=HYPERLINK(1)",
                "submitted": 3,
                "finished": 2,
                "finished_on_time": 1,
                "finished_late": 1,
                "on_time_share": 50.0,
                "median_working_days": None,
                "open_late": 1,
            }
        ],
        by_month=[],
        generated_at="2026-02-01T00:00:00Z",
    )
    text = summary_csv(summary)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert ["Median waktu proses (hari kerja)", "4,5"] in rows
    assert ["Tepat waktu (%)", "50,0"] in rows
    assert ["Izin terbit", "2"] in rows
    assert ["'=HYPERLINK(1)", "3", "2", "1", "1", "50,0", "-", "1"] in rows


# ------------------------------------------------------------------ the notifier's laporan channel


class MemoryReports:
    """ReportsTable's claims, records and day counters in memory; ``conflicts`` writes refused first."""

    def __init__(self, conflicts: int = 0):
        self.claims: set[str] = set()
        self.records: dict[str, Tracked] = {}
        self.days: dict[date, dict[str, int]] = {}
        self.conflicts = conflicts

    def tracked(self, application_id):
        return self.records.get(application_id)

    def apply(self, change):
        from eptsp.reports.repository import TrackChanged

        if self.conflicts:
            self.conflicts -= 1
            raise TrackChanged()
        if change.event_id in self.claims:
            return False
        self.claims.add(change.event_id)
        if change.after is not None:
            self.records[change.after.application_id] = change.after
        for day, counts in change.counts.items():
            for counter_name, delta in counts.items():
                self.days.setdefault(day, {})
                self.days[day][counter_name] = self.days[day].get(counter_name, 0) + delta
        return True


class OneApplication:
    def get(self, application_id):
        return FACTS if application_id == "app1" else None


def test_the_notifier_counts_each_event_once_on_its_laporan_channel():
    from eptsp.inbox.notifier import Notifier
    from tests.unit.test_notifications import FakeInbox, FakeRecipients, FlakySender

    reports = MemoryReports(conflicts=1)  # another event of the application was counted meanwhile
    sender = FlakySender()
    sender.email_works = True
    counting = ReportCounter(reports, OneApplication(), lambda: WorkingCalendar(frozenset()))
    notifier = Notifier(FakeInbox(), FakeRecipients(), sender, "d111.cloudfront.net", counting)
    submitted = event("diajukan", MONDAY, "verifikasi")
    assert notifier.deliver(submitted) == ["laporan", "inbox", "email", "sms"]
    # Delivered again: nothing is counted or sent twice.
    assert notifier.deliver(submitted) == []
    assert reports.days == {
        MONDAY: {"diajukan": 1, "izin#sipa#diajukan": 1, "status#diproses": 1, "tahap#verifikasi": 1}
    }
    # A task event moves no counter.
    assert "laporan" not in notifier.deliver(
        event("tugas_baru", MONDAY, "verifikasi").model_copy(update={"role": "verifikator"})
    )
