"""ReportsTable access. Items (pk / sk):

- ``HARI`` / ``<YYYY-MM-DD>``: the counters of one WITA day (names in ``figures``); a
  period is one Query of the partition between two days, never a Scan.
- ``PERMOHONAN#<applicationId>`` / ``LAPORAN``: what the counters know of one application:
  ``izinId``, ``submittedDay`` (the day its cohort counters live on), ``status``, ``stage``
  and ``order`` (the last event applied: ``<occurredAt>#<rank>``, so a late event does not
  move it back). While the office's clock runs (``diproses``, ``disetujui``) it carries
  ``terbuka = "1"`` and ``dueDate`` (its SLA's estimated finish), which puts it in the
  sparse index ``byDueDate``: "open and late" is one Query of ``dueDate < today``.
- ``PERISTIWA#<eventId>`` / ``LAPORAN``: the event was counted (TTL ``expiresAt``, 30 days,
  beyond the queue's retention); written in the same transaction as the counts it made.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eptsp.dynamo import from_item
from eptsp.errors import DomainError

DAYS = "HARI"
RECORD = "LAPORAN"
OPEN = "1"
DUE_INDEX = "byDueDate"
CLAIM_DAYS = 30


class CountingFailed(DomainError):
    code = "LAPORAN_GAGAL"
    default_message = "Angka laporan tidak dapat disimpan."


class TrackChanged(RuntimeError):
    """Another event of the same application was counted meanwhile: read again and retry."""


@dataclass(frozen=True)
class Tracked:
    application_id: str
    izin_id: str
    submitted_day: date
    status: str
    stage: str | None
    order: str
    due_date: date | None


@dataclass(frozen=True)
class OpenLate:
    application_id: str
    izin_id: str
    submitted_day: date
    due_date: date


@dataclass
class Change:
    """What counting one event writes, all or nothing."""

    event_id: str
    before: Tracked | None  # None: the application is new to the counters
    after: Tracked | None  # None: the event moves nothing (late or repeated), only its claim
    counts: dict[date, dict[str, int]] = field(default_factory=dict)
    names: dict[date, dict[str, str]] = field(default_factory=dict)

    def add(self, day: date, counter: str, delta: int = 1) -> None:
        day_counts = self.counts.setdefault(day, {})
        day_counts[counter] = day_counts.get(counter, 0) + delta

    def name(self, day: date, izin_id: str, izin_name: str) -> None:
        from eptsp.reports.figures import name_attribute

        self.names.setdefault(day, {})[name_attribute(izin_id)] = izin_name


def _tracked(item: Mapping[str, Any]) -> Tracked:
    return Tracked(
        application_id=item["applicationId"],
        izin_id=item["izinId"],
        submitted_day=date.fromisoformat(item["submittedDay"]),
        status=item["status"],
        stage=item.get("stage"),
        order=item["order"],
        due_date=date.fromisoformat(item["dueDate"]) if item.get("dueDate") else None,
    )


def _track_key(application_id: str) -> dict[str, str]:
    return {"pk": f"PERMOHONAN#{application_id}", "sk": RECORD}


class ReportsRepository:
    def __init__(self, table: Any):
        self._table = table
        self._client = table.meta.client
        self._name = table.name

    # ------------------------------------------------------------- counting
    def tracked(self, application_id: str) -> Tracked | None:
        item = self._table.get_item(Key=_track_key(application_id), ConsistentRead=True).get("Item")
        return _tracked(from_item(item)) if item else None

    def apply(self, change: Change) -> bool:
        """Write the event's claim, the application's record and the day counters in one
        transaction. False when the event was counted before; ``TrackChanged`` when the
        application's record is no longer what ``change.before`` read."""
        actions: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._name,
                    "Item": {
                        "pk": f"PERISTIWA#{change.event_id}",
                        "sk": RECORD,
                        "expiresAt": int(time.time()) + CLAIM_DAYS * 86400,
                    },
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        if change.after is not None:
            actions.append(self._track_action(change.before, change.after))
        for day in sorted(set(change.counts) | set(change.names)):
            action = self._day_action(day, change.counts.get(day, {}), change.names.get(day, {}))
            if action:
                actions.append(action)
        try:
            self._client.transact_write_items(TransactItems=actions)
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return False
            if len(reasons) > 1 and reasons[1] in ("ConditionalCheckFailed", "TransactionConflict"):
                raise TrackChanged() from None
            raise CountingFailed() from None
        return True

    def _track_action(self, before: Tracked | None, after: Tracked) -> dict[str, Any]:
        from eptsp.reports.figures import CLOCK_RUNNING

        values: dict[str, Any] = {
            ":app": after.application_id,
            ":izin": after.izin_id,
            ":day": after.submitted_day.isoformat(),
            ":status": after.status,
            ":order": after.order,
        }
        sets = ["applicationId = :app", "izinId = :izin", "submittedDay = :day", "#status = :status", "#order = :order"]
        removes = []
        if after.stage:
            sets.append("stage = :stage")
            values[":stage"] = after.stage
        else:
            removes.append("stage")
        if after.status in CLOCK_RUNNING and after.due_date:
            sets += ["terbuka = :open", "dueDate = :due"]
            values[":open"], values[":due"] = OPEN, after.due_date.isoformat()
        else:
            removes += ["terbuka", "dueDate"]
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        if before is None:
            condition = "attribute_not_exists(pk)"
        else:
            condition = "#order = :before"
            values[":before"] = before.order
        return {
            "Update": {
                "TableName": self._name,
                "Key": _track_key(after.application_id),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#status": "status", "#order": "order"},
                "ExpressionAttributeValues": values,
            }
        }

    def _day_action(self, day: date, counts: Mapping[str, int], names: Mapping[str, str]) -> dict[str, Any] | None:
        counts = {counter: delta for counter, delta in counts.items() if delta}
        if not counts and not names:
            return None
        attribute_names: dict[str, str] = {}
        values: dict[str, Any] = {}
        adds, sets = [], []
        for i, (counter, delta) in enumerate(sorted(counts.items())):
            attribute_names[f"#c{i}"] = counter
            values[f":c{i}"] = delta
            adds.append(f"#c{i} :c{i}")
        for i, (attribute, value) in enumerate(sorted(names.items())):
            attribute_names[f"#s{i}"] = attribute
            values[f":s{i}"] = value
            sets.append(f"#s{i} = :s{i}")
        expression = ("SET " + ", ".join(sets) + " " if sets else "") + ("ADD " + ", ".join(adds) if adds else "")
        return {
            "Update": {
                "TableName": self._name,
                "Key": {"pk": DAYS, "sk": day.isoformat()},
                "UpdateExpression": expression.strip(),
                "ExpressionAttributeNames": attribute_names,
                "ExpressionAttributeValues": values,
            }
        }

    # ------------------------------------------------------------- reading
    def days(self, start: date, end: date) -> list[dict[str, Any]]:
        """The counter items of every day from ``start`` to ``end`` that has any."""
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :start AND :end",
            "ExpressionAttributeValues": {":pk": DAYS, ":start": start.isoformat(), ":end": end.isoformat()},
        }
        while True:
            page = self._table.query(**kwargs)
            items += page.get("Items", [])
            if not page.get("LastEvaluatedKey"):
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def open_late(self, today: date, start: date, end: date) -> list[OpenLate]:
        """Open applications submitted from ``start`` to ``end`` whose SLA ended before ``today``."""
        found: list[OpenLate] = []
        kwargs: dict[str, Any] = {
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "terbuka = :open AND dueDate < :today",
            "FilterExpression": "submittedDay BETWEEN :start AND :end",
            "ExpressionAttributeValues": {
                ":open": OPEN,
                ":today": today.isoformat(),
                ":start": start.isoformat(),
                ":end": end.isoformat(),
            },
        }
        while True:
            page = self._table.query(**kwargs)
            for item in page.get("Items", []):
                found.append(
                    OpenLate(
                        application_id=item["applicationId"],
                        izin_id=item["izinId"],
                        submitted_day=date.fromisoformat(item["submittedDay"]),
                        due_date=date.fromisoformat(item["dueDate"]),
                    )
                )
            if not page.get("LastEvaluatedKey"):
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
