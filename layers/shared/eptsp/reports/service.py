"""The officers' summary (and its CSV) and the public Kinerja figures, from the day
counters (one Query per period), the due-date index of open applications (one Query) and,
for Kinerja, the Survey IKM figures of the surveys package."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from eptsp.reports import figures
from eptsp.reports.figures import Period, Tally
from eptsp.reports.models import (
    IzinFigures,
    KinerjaFigures,
    KinerjaIzin,
    KinerjaMonth,
    KinerjaOutput,
    MonthFigures,
    StageCount,
    StatusCount,
    SummaryOutput,
)
from eptsp.reports.repository import ReportsRepository
from eptsp.workdays import wita_date
from eptsp.workflow.words import STAGE_LABELS, STATUS_LABELS

# The order statuses and stages are listed in (the flow's own).
STATUSES = ("diproses", "perbaikan", "disetujui", "terbit", "ditolak")
STAGES = ("verifikasi", "teknis", "persetujuan", "penerbitan")


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _sla(tally: Tally, izin_id: str | None = None) -> dict[str, Any]:
    finished = tally.get(figures.FINISHED_COUNT, izin_id)
    on_time = tally.get(figures.ON_TIME, izin_id)
    return {
        "submitted": tally.get(figures.SUBMITTED, izin_id),
        "finished": finished,
        "finished_on_time": on_time,
        "finished_late": tally.get(figures.LATE, izin_id),
        "on_time_share": _number(figures.share(on_time, finished)),
        "median_working_days": _number(figures.median(tally.histogram(izin_id))),
    }


def _statuses(tally: Tally) -> list[StatusCount]:
    """Every status in the flow's order (and any other counted), with how many are in it now."""
    counted = tally.with_prefix("status#")
    return [
        StatusCount(status=s, label=STATUS_LABELS.get(s, s), count=counted.get(s, 0))
        for s in (*STATUSES, *sorted(set(counted) - set(STATUSES)))
    ]


IkmSource = Callable[[str | None, str, str], Any]  # eptsp.surveys.ikm_figures
IzinNames = Callable[[], dict[str, str]]  # the catalogue's permit types, id -> name


class ReportsService:
    def __init__(self, repository: ReportsRepository, ikm: IkmSource, izin_names: IzinNames):
        self._repository = repository
        self._ikm = ikm
        self._izin_names = izin_names

    def _by_day(self, period: Period) -> dict[date, dict[str, Any]]:
        return {date.fromisoformat(item["sk"]): item for item in self._repository.days(period.start, period.end)}

    # ------------------------------------------------------------- summary
    def summary(self, period: Period, today: date | None = None) -> SummaryOutput:
        today = today or wita_date(datetime.now(UTC))
        days = self._by_day(period)
        tally = Tally.of(days.values())
        open_late = self._repository.open_late(today, period.start, period.end)
        late_by_izin = Counter(item.izin_id for item in open_late)
        # Every permit type of the catalogue (today's names), and any counted before it left it.
        names = {**tally.names, **self._izin_names()}
        stages = tally.with_prefix("tahap#")
        by_month = []
        for month in period.months():
            month_tally = Tally.of(item for day, item in days.items() if figures.month_of(day) == month)
            by_month.append(MonthFigures(month=month, **_sla(month_tally), by_status=_statuses(month_tally)))
        izin_ids = sorted(set(names) | set(tally.izin_ids()) | set(late_by_izin), key=lambda i: (names.get(i, i), i))
        return SummaryOutput(
            from_date=period.start.isoformat(),
            to_date=period.end.isoformat(),
            **_sla(tally),
            open_late=len(open_late),
            by_status=_statuses(tally),
            by_stage=[
                StageCount(stage=s, label=STAGE_LABELS.get(s, s), count=stages.get(s, 0))
                for s in (*STAGES, *sorted(set(stages) - set(STAGES)))
            ],
            by_izin=[
                IzinFigures(izin_id=i, izin_name=names.get(i, i), open_late=late_by_izin.get(i, 0), **_sla(tally, i))
                for i in izin_ids
            ],
            by_month=by_month,
            generated_at=_now(),
        )

    # ------------------------------------------------------------- Kinerja
    def kinerja(self, today: date | None = None) -> KinerjaOutput:
        period = figures.last_months(today or wita_date(datetime.now(UTC)))
        months = period.months()
        days = self._by_day(period)
        tally = Tally.of(days.values())
        names = {**tally.names, **self._izin_names()}
        izin_ids = sorted(set(names), key=lambda i: (names[i], i))

        def kinerja_of(izin_id: str | None) -> dict[str, Any]:
            survey = self._ikm(izin_id, months[0], months[-1])
            sla = _sla(tally, izin_id)
            return {
                "respondents": survey.respondents,
                "ikm": _number(survey.ikm),
                "grade": survey.grade,
                "grade_label": survey.grade_label,
                "finished": sla["finished"],
                "finished_on_time": sla["finished_on_time"],
                "on_time_share": sla["on_time_share"],
                "median_working_days": sla["median_working_days"],
            }

        by_month = []
        for month in months:
            month_tally = Tally.of(item for day, item in days.items() if figures.month_of(day) == month)
            by_month.append(
                KinerjaMonth(
                    month=month,
                    finished=month_tally.get(figures.FINISHED_COUNT),
                    finished_on_time=month_tally.get(figures.ON_TIME),
                    finished_late=month_tally.get(figures.LATE),
                )
            )
        return KinerjaOutput(
            from_month=months[0],
            to_month=months[-1],
            office=KinerjaFigures(**kinerja_of(None)),
            by_izin=[KinerjaIzin(izin_id=i, izin_name=names[i], **kinerja_of(i)) for i in izin_ids],
            by_month=by_month,
            generated_at=_now(),
        )


def reports_service(reports_table: str, catalogue_table: str) -> ReportsService:
    from eptsp.aws import dynamodb_table
    from eptsp.catalogue.repository import CatalogueRepository
    from eptsp.surveys import ikm_figures

    catalogue = CatalogueRepository(dynamodb_table(catalogue_table))
    return ReportsService(
        ReportsRepository(dynamodb_table(reports_table)),
        ikm_figures,
        lambda: {izin.id: izin.name for izin in catalogue.list_izin()},
    )
