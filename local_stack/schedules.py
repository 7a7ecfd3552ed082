"""Schedules as EventBridge runs them: the template's scheduled rules (a function's
``Schedule`` event) and EventBridge Scheduler schedules (``ScheduleV2``) invoke their
functions on their ``rate(...)``, ``cron(...)`` or ``at(...)`` expression, from one
scheduler thread; tests and developers can also run one now.

The clock can run faster than real time (``speed``), so a test sees ``rate(1 minute)``
fire without waiting a minute.
"""

from __future__ import annotations

import calendar
import contextlib
import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local_stack.functions import LocalFunction

LOGGER = logging.getLogger("local_stack.schedules")
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {name: i for i, name in enumerate(calendar.month_abbr) if name}
_WEEKDAYS = {name.upper(): i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}


class ScheduleExpressionError(ValueError):
    pass


def _values(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """One cron field: ``*``, ``5``, ``1-5``, ``*/15``, ``10/5``, ``MON-FRI``, lists of these."""
    names = {k.upper(): v for k, v in (names or {}).items()}
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            start, end = low, high
        else:
            first, _, last = span.partition("-")
            start = names.get(first.upper()) or int(first)
            end = (names.get(last.upper()) or int(last)) if last else (high if step_text else start)
        if not (low <= start <= high and low <= end <= high) or step < 1:
            raise ScheduleExpressionError(f"{part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


@dataclass(frozen=True)
class Cron:
    """AWS's six-field cron: minutes hours day-of-month month day-of-week year.

    Day-of-week runs 1-7 from Sunday, and one of the two day fields must be ``?``.
    ``L`` (last day of the month) and ``n#k`` (k-th weekday n of the month) are supported;
    ``W`` is not.
    """

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None  # None: ?
    last_day: bool
    months: frozenset[int]
    weekdays: frozenset[int] | None  # None: ?
    nth_weekday: tuple[int, int] | None
    years: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> Cron:
        fields = text.split()
        if len(fields) != 6:
            raise ScheduleExpressionError(f"cron({text}) needs 6 fields")
        minute, hour, day, month, weekday, year = fields
        if (day == "?") == (weekday == "?"):
            raise ScheduleExpressionError(f"cron({text}): exactly one of day-of-month and day-of-week must be ?")
        if "W" in day.upper():
            raise ScheduleExpressionError(f"cron({text}): W (nearest weekday) is not supported locally")
        nth = None
        if "#" in weekday:
            name, _, k = weekday.partition("#")
            nth = (next(iter(_values(name, 1, 7, _WEEKDAYS))), int(k))
        return cls(
            minutes=frozenset(_values(minute, 0, 59)),
            hours=frozenset(_values(hour, 0, 23)),
            days=None if day in ("?", "L") else frozenset(_values(day, 1, 31)),
            last_day=day == "L",
            months=frozenset(_values(month, 1, 12, _MONTHS)),
            weekdays=None if weekday == "?" or nth else frozenset(_values(weekday, 1, 7, _WEEKDAYS)),
            nth_weekday=nth,
            years=frozenset(_values(year, 1970, 2199)),
        )

    def _day_matches(self, day: datetime) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        weekday = day.isoweekday() % 7 + 1  # AWS: 1 = Sunday
        if self.last_day:
            return day.day == calendar.monthrange(day.year, day.month)[1]
        if self.days is not None:
            return day.day in self.days
        if self.nth_weekday is not None:
            return weekday == self.nth_weekday[0] and (day.day - 1) // 7 + 1 == self.nth_weekday[1]
        return self.weekdays is not None and weekday in self.weekdays

    def next_after(self, moment: datetime) -> datetime | None:
        """The first matching minute strictly after ``moment`` (in moment's time zone)."""
        start = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.replace(hour=0, minute=0)
        for _ in range(366 * 5):
            if self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = day.replace(hour=hour, minute=minute)
                        if candidate >= start:
                            return candidate
            day = (day + timedelta(days=1)).replace(hour=0, minute=0)
        return None


def next_run(expression: str, after: datetime, created: datetime, timezone: str = "UTC") -> datetime | None:
    """When a schedule next runs after ``after`` (UTC); ``created`` anchors rates."""
    if match := _RATE.match(expression):
        amount, unit = int(match.group(1)), match.group(2)
        if amount < 1 or (amount == 1) != (not unit.endswith("s")):
            # AWS refuses rate(1 minutes) and rate(5 minute).
            raise ScheduleExpressionError(f"{expression}: use the singular unit for 1 and the plural otherwise")
        period = timedelta(seconds=amount * _UNIT_SECONDS[unit.rstrip("s")])
        periods = (after - created) // period + 1
        return created + periods * period
    zone = ZoneInfo(timezone)
    if match := _CRON.match(expression):
        found = Cron.parse(match.group(1)).next_after(after.astimezone(zone))
        return found.astimezone(UTC) if found else None
    if match := _AT.match(expression):
        at = datetime.fromisoformat(match.group(1)).replace(tzinfo=zone).astimezone(UTC)
        return at if at > after else None
    raise ScheduleExpressionError(f"{expression!r} is not rate(...), cron(...) or at(...)")


@dataclass
class Schedule:
    name: str  # logical id of the rule or schedule
    function: LocalFunction
    expression: str
    arn: str
    source: str  # aws.events (rules) or aws.scheduler
    enabled: bool = True
    timezone: str = "UTC"
    input: str | None = None  # the target's constant input, sent instead of the event
    next_run: datetime | None = None
    runs: int = 0
    history: list[str] = field(default_factory=list)

    def event(self, scheduled: datetime) -> Any:
        time_text = scheduled.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.input is not None:
            text = self.input
            if self.source == "aws.scheduler":
                # Scheduler's context attributes, replaced in the input as Scheduler does.
                for key, value in {
                    "<aws.scheduler.schedule-arn>": self.arn,
                    "<aws.scheduler.scheduled-time>": time_text,
                    "<aws.scheduler.execution-id>": uuid.uuid4().hex[:16],
                    "<aws.scheduler.attempt-number>": "1",
                }.items():
                    text = text.replace(key, value)
            return json.loads(text)
        account, region = self.arn.split(":")[4], self.arn.split(":")[3]
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": self.source,
            "account": account,
            "time": time_text,
            "region": region,
            "resources": [self.arn],
            "detail": {},
        }


def schedules(
    served: dict[str, dict[str, Any]],
    functions: dict[str, LocalFunction],
    physical_ids: dict[str, str],
    region: str,
    account_id: str,
    stack_name: str,
) -> list[Schedule]:
    """The template's scheduled rules and Scheduler schedules (references already resolved)."""
    by_arn = {f.arn: f for f in functions.values()}
    found = []
    for name, resource in served.items():
        props = resource["Properties"]
        if resource["Type"] == "AWS::Events::Rule":
            rule_name = physical_ids.get(name, name)
            for target in props.get("Targets", []):
                found.append(
                    Schedule(
                        name=name,
                        function=by_arn[target["Arn"]],
                        expression=props["ScheduleExpression"],
                        arn=f"arn:aws:events:{region}:{account_id}:rule/{rule_name}",
                        source="aws.events",
                        enabled=props.get("State", "ENABLED") == "ENABLED",
                        input=target.get("Input"),
                    )
                )
        elif resource["Type"] == "AWS::Scheduler::Schedule":
            target = props["Target"]
            schedule_name = props.get("Name", f"{stack_name}-{name}")
            group = props.get("GroupName", "default")
            found.append(
                Schedule(
                    name=name,
                    function=by_arn[target["Arn"]],
                    expression=props["ScheduleExpression"],
                    arn=f"arn:aws:scheduler:{region}:{account_id}:schedule/{group}/{schedule_name}",
                    source="aws.scheduler",
                    enabled=props.get("State", "ENABLED") == "ENABLED",
                    timezone=props.get("ScheduleExpressionTimezone", "UTC"),
                    input=target.get("Input"),
                )
            )
    return found


class Scheduler:
    """Runs each enabled schedule when its time comes; ``failures`` records failed runs."""

    def __init__(self, entries: list[Schedule], speed: float = 1.0):
        self.schedules = entries
        self._speed = speed
        self._started_real = time.monotonic()
        self._started = datetime.now(UTC)
        self._stopping = threading.Event()
        self._changed = threading.Condition()
        self.failures: list[str] = []
        for entry in entries:
            # Fails the start on an expression AWS would refuse.
            entry.next_run = next_run(entry.expression, self._started, self._started, entry.timezone)
        self._thread = threading.Thread(target=self._loop, name="local-scheduler", daemon=True)

    def now(self) -> datetime:
        return self._started + timedelta(seconds=(time.monotonic() - self._started_real) * self._speed)

    def start(self) -> None:
        if any(entry.enabled for entry in self.schedules):
            self._thread.start()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            due = [e for e in self.schedules if e.enabled and e.next_run is not None]
            if not due:
                return
            entry = min(due, key=lambda e: e.next_run)
            wait = (entry.next_run - self.now()).total_seconds() / self._speed
            if wait > 0:
                self._stopping.wait(min(wait, 1.0))
                continue
            scheduled = entry.next_run
            entry.next_run = next_run(entry.expression, scheduled, self._started, entry.timezone)
            with contextlib.suppress(Exception):  # recorded in failures; the scheduler goes on
                self._invoke(entry, scheduled)

    def _invoke(self, entry: Schedule, scheduled: datetime) -> Any:
        """Invoke the schedule's function; returns the event it got."""
        entry.runs += 1
        entry.history.append(scheduled.astimezone(UTC).isoformat())
        event = entry.event(scheduled)
        try:
            entry.function.invoke(event)
            return event
        except Exception as error:
            LOGGER.exception("schedule %s: %s failed", entry.name, entry.function.spec.logical_id)
            self.failures.append(f"{entry.name}: {entry.function.spec.logical_id}: {error!r}")
            raise

    def run_now(self, name: str) -> list[tuple[Schedule, Any]]:
        """Run, now, the schedule with this logical id, or every schedule of this function;
        returns each schedule with the event its function got."""
        chosen = [e for e in self.schedules if name in (e.name, e.function.spec.logical_id)]
        if not chosen:
            raise KeyError(name)
        return [(entry, self._invoke(entry, self.now())) for entry in chosen]

    def status(self) -> list[dict[str, Any]]:
        return [
            {
                "name": e.name,
                "function": e.function.spec.logical_id,
                "expression": e.expression,
                "enabled": e.enabled,
                "nextRun": e.next_run.isoformat() if e.enabled and e.next_run else None,
                "runs": e.runs,
            }
            for e in self.schedules
        ]

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
