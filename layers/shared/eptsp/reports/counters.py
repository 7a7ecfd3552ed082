"""Counting the workflow's events as they happen, once each.

The notifier hands every event to ``ReportCounter.count`` (its ``laporan`` channel). The
counter reads what it needs of the application (permit type, submission time, SLA, its
perbaikan pauses and current estimated finish) and writes, in one transaction with the
event's claim, the moves of the day counters (``figures``) and the application's record:

- the first event seen of an application counts it as submitted on its submission day;
- each later event moves its status (and stage) counters on that same day, unless an event
  that happened after it was applied already (events may arrive out of order);
- ``terbit`` or ``ditolak`` counts it finished on the day it happened, within its SLA or
  late, with its working days in the day's histogram; nothing moves it after that.

A redelivered event finds its claim and counts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from eptsp.events import ApplicationEvent
from eptsp.observability import logger
from eptsp.reports import figures
from eptsp.reports.repository import Change, CountingFailed, ReportsRepository, TrackChanged, Tracked
from eptsp.workdays import WorkingCalendar, wita_date

ATTEMPTS = 5


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def order_key(occurred_at: str, kind: str) -> str:
    """Orders one application's events: the moment (to the microsecond, UTC), then the flow's order."""
    moment = parse_time(occurred_at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return f"{moment}#{figures.EVENT_RANK[kind]}"


@dataclass(frozen=True)
class ApplicationFacts:
    """What the counters need to know of a submitted application."""

    application_id: str
    izin_id: str
    izin_name: str
    submitted_at: datetime
    sla_working_days: int
    estimated_finish: date | None
    pauses: tuple[tuple[datetime, datetime], ...]
    unanswered_perbaikan_since: datetime | None  # sent back and never resubmitted


class Facts(Protocol):
    def get(self, application_id: str) -> ApplicationFacts | None: ...


class DossierFacts:
    """The facts from the workflow's own record of the application."""

    def __init__(self, workflow: Any):
        self._workflow = workflow

    def get(self, application_id: str) -> ApplicationFacts | None:
        dossier = self._workflow.get(application_id)
        if dossier is None or not dossier.submitted_at:
            return None
        pauses = tuple((parse_time(p.start), parse_time(p.end)) for p in dossier.pauses)
        unanswered = None
        if dossier.perbaikan is not None:
            requested = parse_time(dossier.perbaikan.requested_at)
            if all(start != requested for start, _ in pauses):
                unanswered = requested
        return ApplicationFacts(
            application_id=application_id,
            izin_id=dossier.izin["id"],
            izin_name=dossier.izin["name"],
            submitted_at=parse_time(dossier.submitted_at),
            sla_working_days=dossier.sla_working_days,
            estimated_finish=dossier.estimated_finish,
            pauses=pauses,
            unanswered_perbaikan_since=unanswered,
        )


class ReportCounter:
    def __init__(self, repository: ReportsRepository, facts: Facts, calendar: Callable[[], WorkingCalendar]):
        self._repository = repository
        self._facts = facts
        # The office's calendar, read only when an application finishes (its working days).
        self._calendar = calendar

    def count(self, event: ApplicationEvent) -> bool:
        """True when this call counted the event; False when it was counted before or moves nothing."""
        if event.kind not in figures.EVENT_STATUS or not event.application_id:
            return False
        facts = self._facts.get(event.application_id)
        if facts is None:
            logger.warning("Event of no submitted application not counted", extra={"eventId": event.event_id})
            return False
        for _ in range(ATTEMPTS):
            change = self.change(event, facts, self._repository.tracked(event.application_id))
            try:
                return self._repository.apply(change)
            except TrackChanged:
                continue  # another event of this application was counted meanwhile
        raise CountingFailed()

    def change(self, event: ApplicationEvent, facts: ApplicationFacts, before: Tracked | None) -> Change:
        """What counting ``event`` writes, given the application's record as it stands."""
        order = order_key(event.occurred_at, event.kind)
        status = figures.EVENT_STATUS[event.kind]
        submitted_day = wita_date(facts.submitted_at)
        change = Change(event_id=event.event_id, before=before, after=None)
        if before is None:
            change.add(submitted_day, figures.SUBMITTED)
            change.add(submitted_day, figures.izin_counter(facts.izin_id, figures.SUBMITTED))
            change.name(submitted_day, facts.izin_id, facts.izin_name)
            previous_status, previous_stage = None, None
        elif before.status in figures.FINISHED or order <= before.order:
            return change  # finished, or a later event was counted already: only the claim
        else:
            previous_status, previous_stage = before.status, before.stage
        # Open, it stays at the event's stage (approved: penerbitan); finished, it has none.
        stage = None
        if status not in figures.FINISHED:
            stage = "penerbitan" if status == "disetujui" else (event.stage or previous_stage)
        change.after = Tracked(
            application_id=facts.application_id,
            izin_id=facts.izin_id,
            submitted_day=submitted_day,
            status=status,
            stage=stage,
            order=order,
            due_date=facts.estimated_finish,
        )
        if previous_status != status:
            if previous_status:
                change.add(submitted_day, figures.status_counter(previous_status), -1)
            change.add(submitted_day, figures.status_counter(status))
        if previous_stage != stage:
            if previous_stage:
                change.add(submitted_day, figures.stage_counter(previous_stage), -1)
            if stage:
                change.add(submitted_day, figures.stage_counter(stage))
        if status in figures.FINISHED:
            self._finish(change, event, facts)
        return change

    def _finish(self, change: Change, event: ApplicationEvent, facts: ApplicationFacts) -> None:
        finished_at = parse_time(event.occurred_at)
        pauses = list(facts.pauses)
        if facts.unanswered_perbaikan_since is not None:
            pauses.append((facts.unanswered_perbaikan_since, finished_at))
        days = figures.processing_days(self._calendar(), facts.submitted_at, finished_at, pauses)
        bucket = figures.ON_TIME if figures.within_sla(days, facts.sla_working_days) else figures.LATE
        day = wita_date(finished_at)
        for counter in (figures.FINISHED_COUNT, bucket, figures.days_counter(days)):
            change.add(day, counter)
            change.add(day, figures.izin_counter(facts.izin_id, counter))
        change.name(day, facts.izin_id, facts.izin_name)


def report_counter(reports_table: str, applications_table: str, catalogue_table: str | None) -> ReportCounter:
    from eptsp.aws import dynamodb_table
    from eptsp.workflow.repository import WorkflowRepository

    def calendar() -> WorkingCalendar:
        # The same calendar as the SLA's deadlines: national days off and the office's own.
        if catalogue_table:
            from eptsp.catalogue.calendar import office_calendar

            return office_calendar(catalogue_table)
        from eptsp.workdays import national_calendar

        return national_calendar()

    return ReportCounter(
        ReportsRepository(dynamodb_table(reports_table)),
        DossierFacts(WorkflowRepository(dynamodb_table(applications_table))),
        calendar,
    )
