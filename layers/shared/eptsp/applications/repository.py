"""Applications table access.

Item ``PERMOHONAN#<id>`` / ``META``: the draft, with a snapshot of the catalogue entry it
was started from (requirements, detail fields, sections), the section data, attachments,
the declaration and a ``version`` that every change increments (optimistic locking).
GSI ``byOwner`` (ownerId, createdAt) lists Permohonan Saya, newest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from eptsp.dynamo import CursorShape, encode_cursor, from_item, run_query, to_item

if TYPE_CHECKING:
    from eptsp.sessions import Prefetched

META = "META"
APPLICATION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_QUERY_CALLS = 10
# LastEvaluatedKey of the byOwner index: the table's key and the index's.
BY_OWNER_CURSOR = CursorShape(
    types={"pk": str, "sk": str, "ownerId": str, "createdAt": str}, owner="ownerId", pk_prefix="PERMOHONAN#"
)


def key(application_id: str) -> dict[str, str]:
    return {"pk": f"PERMOHONAN#{application_id}", "sk": META}


def named_in_path(table_name: Callable[[], str]) -> Callable[[dict[str, Any]], Iterator[tuple[str, dict[str, str]]]]:
    """The application a request's path names, for the session check to read along
    (``eptsp.sessions.read_along``); nothing for a path parameter that cannot be an id."""

    def keys(event: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
        application_id = str((event.get("pathParameters") or {}).get("applicationId", ""))
        if APPLICATION_ID.fullmatch(application_id):
            yield table_name(), key(application_id)

    return keys


class ApplicationsRepository:
    def __init__(self, table: Any, prefetched: Prefetched | None = None):
        self._table = table
        self._client = table.meta.client
        self.name = table.name
        # The request's first read of an application may come with the session check.
        self._prefetched = prefetched

    def create(self, item: dict[str, Any]) -> None:
        self._table.put_item(Item={**key(item["applicationId"]), **to_item(item)})

    def get(self, application_id: str) -> dict[str, Any] | None:
        read, item = self._prefetched.take(self.name, key(application_id)) if self._prefetched else (False, None)
        if not read:
            item = self._table.get_item(Key=key(application_id)).get("Item")
        return from_item(item) if item else None

    def update_action(
        self, application_id: str, owner_id: str, version: int, sets: dict[str, Any], removes: list[str] = ()
    ) -> dict[str, Any]:
        """A guarded change of a draft: same owner, still a draft, still at ``version``.

        ``sets`` and ``removes`` take paths like ``sectionData.pemohon``; the version goes up by one.
        """
        names: dict[str, str] = {"#status": "status", "#version": "version"}
        values: dict[str, Any] = {
            ":owner": owner_id,
            ":draft": "draft",
            ":perbaikan": "perbaikan",
            ":version": version,
            ":one": 1,
        }

        def path(dotted: str) -> str:
            parts = []
            for part in dotted.split("."):
                alias = f"#n{len(names)}"
                names[alias] = part
                parts.append(alias)
            return ".".join(parts)

        assignments = ["#version = #version + :one"]
        for i, (dotted, value) in enumerate(sets.items()):
            values[f":v{i}"] = to_item(value)
            assignments.append(f"{path(dotted)} = :v{i}")
        expression = "SET " + ", ".join(assignments)
        if removes:
            expression += " REMOVE " + ", ".join(path(dotted) for dotted in removes)
        return {
            "Update": {
                "TableName": self.name,
                "Key": key(application_id),
                "UpdateExpression": expression,
                # A file back for perbaikan changes too (the service checks which parts).
                "ConditionExpression": "ownerId = :owner AND #status IN (:draft, :perbaikan) AND #version = :version",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def delete_action(self, application_id: str, owner_id: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self.name,
                "Key": key(application_id),
                "ConditionExpression": "ownerId = :owner AND #status = :draft",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":owner": owner_id, ":draft": "draft"},
            }
        }

    def transact(self, actions: list[dict[str, Any]]) -> list[str]:
        """Run the actions together; returns the failed conditions' codes ([] on success)."""
        try:
            self._client.transact_write_items(TransactItems=actions)
        except self._client.exceptions.TransactionCanceledException as error:
            return [reason.get("Code", "None") for reason in error.response.get("CancellationReasons", [])]
        return []

    def list_for_owner(
        self,
        owner_id: str,
        limit: int,
        cursor: str | None,
        status: str | None,
        text: str | None,
        jenis_permohonan_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of the owner's applications, newest first, filtered; never more than ``limit``."""
        query: dict[str, Any] = {
            "IndexName": "byOwner",
            "KeyConditionExpression": "ownerId = :owner",
            "ExpressionAttributeValues": {":owner": owner_id},
            "ScanIndexForward": False,
        }
        filters, names = [], {}
        if status:
            filters.append("#status = :status")
            names["#status"] = "status"
            query["ExpressionAttributeValues"][":status"] = status
        if text:
            filters.append("contains(searchText, :text)")
            query["ExpressionAttributeValues"][":text"] = text.lower()
        if jenis_permohonan_id:
            filters.append("jenisPermohonan.id = :jenis")
            query["ExpressionAttributeValues"][":jenis"] = jenis_permohonan_id
        if filters:
            query["FilterExpression"] = " AND ".join(filters)
        if names:
            query["ExpressionAttributeNames"] = names
        start = BY_OWNER_CURSOR.decode(cursor, owner_id)
        items: list[dict[str, Any]] = []
        for _ in range(MAX_QUERY_CALLS):
            if start:
                query["ExclusiveStartKey"] = start
            # Asking for no more than what is missing keeps the cursor exact under filtering.
            answer = run_query(self._table, Limit=limit - len(items), **query)
            items.extend(from_item(item) for item in answer.get("Items", []))
            start = answer.get("LastEvaluatedKey")
            if not start or len(items) >= limit:
                break
        return items, encode_cursor(start)

    def latest_company_data(self, owner_id: str) -> dict[str, Any] | None:
        """Data Perusahaan of the owner's most recent application that has it."""
        answer = self._table.query(
            IndexName="byOwner",
            KeyConditionExpression="ownerId = :owner",
            ExpressionAttributeValues={":owner": owner_id},
            ScanIndexForward=False,
            Limit=20,
        )
        for item in answer.get("Items", []):
            company = (item.get("sectionData") or {}).get("perusahaan")
            if company:
                return from_item(company)
        return None
