"""The office calendar: days off the office declares beyond the national holidays and cuti
bersama the ``holidays`` package knows (a regional holiday, an office closure).

Items ``CALENDAR`` / ``DAY#<YYYY-MM-DD>`` in the catalogue table, each with a ``version``
for optimistic concurrency; every change is written in one transaction with its audit
item. Every SLA computation reads them with ``office_calendar``: one Query per invocation
(the office has a few such days a year, so it is one small page), and the calendar built
from them is cached per set of days, so a day declared now counts for the next deadline.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from eptsp.catalogue.audit import AuditEntry, audit_item, new_entry, now_text
from eptsp.dynamo import from_item
from eptsp.errors import Conflict, NotFound, ValidationFailed
from eptsp.workdays import WITA, WorkingCalendar, national_days_off, national_holidays

CALENDAR_PK = "CALENDAR"
DAY_PREFIX = "DAY#"
DayOffKind = Literal["libur_daerah", "penutupan_kantor", "lainnya"]
SATURDAY = 5


@dataclass(frozen=True)
class DayOff:
    day: date
    kind: DayOffKind
    reason: str
    version: int
    updated_at: str
    updated_by: str

    def audit_view(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}


class DayOffNotFound(NotFound):
    code = "HARI_LIBUR_TIDAK_ADA"
    default_message = "Tanggal ini bukan hari libur kantor."


class DayOffExists(Conflict):
    code = "HARI_LIBUR_SUDAH_ADA"
    default_message = "Tanggal ini sudah menjadi hari libur kantor. Kirim versinya untuk mengubahnya."


class StaleDayOff(Conflict):
    code = "VERSI_USANG"
    default_message = "Hari libur ini telah diubah oleh orang lain. Muat ulang lalu ulangi perubahan Anda."


def _key(day: date) -> dict[str, str]:
    return {"pk": CALENDAR_PK, "sk": f"{DAY_PREFIX}{day.isoformat()}"}


def _day_off(item: dict[str, Any]) -> DayOff:
    data = from_item(item)
    return DayOff(
        day=date.fromisoformat(data["sk"].removeprefix(DAY_PREFIX)),
        kind=data["kind"],
        reason=data["reason"],
        version=data["version"],
        updated_at=data["updatedAt"],
        updated_by=data["updatedBy"],
    )


class CalendarRepository:
    def __init__(self, table: Any):
        self._table = table

    def _query(self, **condition: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = {**condition}
        while True:
            answer = self._table.query(**query)
            items.extend(answer["Items"])
            if "LastEvaluatedKey" not in answer:
                return items
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def all_days(self) -> frozenset[date]:
        items = self._query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": CALENDAR_PK},
            ProjectionExpression="sk",
        )
        return frozenset(date.fromisoformat(item["sk"].removeprefix(DAY_PREFIX)) for item in items)

    def in_year(self, year: int) -> list[DayOff]:
        items = self._query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": CALENDAR_PK,
                ":first": f"{DAY_PREFIX}{year:04d}-01-01",
                ":last": f"{DAY_PREFIX}{year:04d}-12-31",
            },
        )
        return [_day_off(item) for item in items]

    def get(self, day: date) -> DayOff | None:
        item = self._table.get_item(Key=_key(day), ConsistentRead=True).get("Item")
        return _day_off(item) if item else None

    def _transact(self, change: dict[str, Any], audit: AuditEntry, refusal: Conflict | NotFound) -> None:
        client = self._table.meta.client
        try:
            client.transact_write_items(
                TransactItems=[change, {"Put": {"TableName": self._table.name, "Item": audit_item(audit)}}]
            )
        except client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise refusal from None
            raise Conflict() from None

    def put(self, day_off: DayOff, expected_version: int | None, audit: AuditEntry) -> None:
        if expected_version is None:
            guard: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
            refusal: Conflict = DayOffExists()
        else:
            guard = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": expected_version}}
            refusal = StaleDayOff()
        item = {
            **_key(day_off.day),
            "kind": day_off.kind,
            "reason": day_off.reason,
            "version": day_off.version,
            "updatedAt": day_off.updated_at,
            "updatedBy": day_off.updated_by,
        }
        self._transact({"Put": {"TableName": self._table.name, "Item": item, **guard}}, audit, refusal)

    def delete(self, day: date, expected_version: int, audit: AuditEntry) -> None:
        change = {
            "Delete": {
                "TableName": self._table.name,
                "Key": _key(day),
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": expected_version},
            }
        }
        self._transact(change, audit, StaleDayOff())


def _today() -> date:
    return datetime.now(UTC).astimezone(WITA).date()


class CalendarService:
    """Declaring, changing and removing office days off (admins), each audited."""

    def __init__(self, repository: CalendarRepository):
        self._repository = repository

    def year(self, year: int) -> tuple[list[DayOff], list[tuple[date, str]]]:
        """The office's days off of ``year`` and the national holidays and cuti bersama it adds to."""
        return self._repository.in_year(year), national_holidays(year)

    @staticmethod
    def _check_day(day: date) -> None:
        this_year = _today().year
        if not this_year - 1 <= day.year <= this_year + 2:
            raise ValidationFailed(
                f"Hari libur kantor hanya untuk tahun {this_year - 1} sampai {this_year + 2}.", field="date"
            )
        if day.weekday() >= SATURDAY:
            raise ValidationFailed("Tanggal ini hari Sabtu atau Minggu: sudah bukan hari kerja.", field="date")
        national = dict(national_holidays(day.year))
        if day in national:
            raise ValidationFailed(
                f"Tanggal ini sudah hari libur nasional atau cuti bersama ({national[day]}).", field="date"
            )

    def put(
        self, actor: tuple[str, str], day: date, kind: DayOffKind, reason: str, version: int | None
    ) -> tuple[DayOff, bool]:
        """Declare (``version`` None) or change a day off; returns it and whether it is new."""
        self._check_day(day)
        before = self._repository.get(day)
        if version is None and before is not None:
            raise DayOffExists()
        if version is not None:
            if before is None:
                raise DayOffNotFound()
            if before.version != version:
                raise StaleDayOff()
        after = DayOff(
            day=day,
            kind=kind,
            reason=reason.strip(),
            version=(before.version + 1) if before else 1,
            updated_at=now_text(),
            updated_by=actor[0],
        )
        audit = new_entry(
            actor=actor,
            target="hari_libur",
            target_id=day.isoformat(),
            action="ubah" if before else "tambah",
            before=before.audit_view() if before else None,
            after=after.audit_view(),
            version=after.version,
        )
        self._repository.put(after, version, audit)
        return after, before is None

    def delete(self, actor: tuple[str, str], day: date, version: int) -> None:
        before = self._repository.get(day)
        if before is None:
            raise DayOffNotFound()
        if before.version != version:
            raise StaleDayOff()
        audit = new_entry(
            actor=actor,
            target="hari_libur",
            target_id=day.isoformat(),
            action="hapus",
            before=before.audit_view(),
            after=None,
        )
        self._repository.delete(day, version, audit)


class _OfficeDaysOff:
    """The office's days off beside the national ones, read when a date is first asked about."""

    def __init__(self, catalogue_table: str):
        self._table = catalogue_table
        self._days: Container[date] | None = None

    def __contains__(self, day: object) -> bool:
        if self._days is None:
            from eptsp.aws import dynamodb_table

            self._days = national_days_off(CalendarRepository(dynamodb_table(self._table)).all_days())
        return day in self._days


def office_calendar(catalogue_table: str) -> WorkingCalendar:
    """Working days of this office: national holidays, cuti bersama and the office's own days off.

    Make one per invocation: the office's days off are read (one small Query) the first time
    a computation needs them, so a request that computes no deadline reads nothing; the
    national and office days off are cached per set of office days.
    """
    return WorkingCalendar(_OfficeDaysOff(catalogue_table))
