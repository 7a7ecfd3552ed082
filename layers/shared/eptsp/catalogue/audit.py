"""The audit trail of catalogue and office-calendar changes: who, when, before, after.

Items ``AUDIT`` / ``<at>#<auditId>`` in the catalogue table, written in the same
transaction as the change they record (so no change goes unrecorded and no record
describes a change that failed), listed newest first with ``eptsp.dynamo`` cursors.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from eptsp.dynamo import CursorShape, from_item, query_page, to_item

AUDIT_PK = "AUDIT"
CURSOR = CursorShape(types={"pk": str, "sk": str}, owner="pk", pk_prefix=AUDIT_PK)

Target = Literal["izin", "layanan", "jenis_permohonan", "hari_libur"]
Action = Literal["tambah", "ubah", "hapus", "muat_seed"]
# Who changed it when no person did: the seed loader (tools/load_catalogue.py).
LOADER = ("seed/catalogue.yaml", "loader")


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class AuditEntry:
    audit_id: str
    at: str
    actor_username: str
    actor_role: str
    target: Target
    target_id: str
    izin_id: str | None
    action: Action
    version: int | None  # the version the change produced (None: a deletion)
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def new_entry(
    *,
    actor: tuple[str, str],
    target: Target,
    target_id: str,
    action: Action,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    izin_id: str | None = None,
    version: int | None = None,
) -> AuditEntry:
    return AuditEntry(
        audit_id=secrets.token_hex(4),
        at=now_text(),
        actor_username=actor[0],
        actor_role=actor[1],
        target=target,
        target_id=target_id,
        izin_id=izin_id,
        action=action,
        version=version,
        before=before,
        after=after,
    )


def audit_item(entry: AuditEntry) -> dict[str, Any]:
    return to_item(
        {
            "pk": AUDIT_PK,
            "sk": f"{entry.at}#{entry.audit_id}",
            "auditId": entry.audit_id,
            "at": entry.at,
            "actor": {"username": entry.actor_username, "role": entry.actor_role},
            "target": entry.target,
            "targetId": entry.target_id,
            "izinId": entry.izin_id,
            "action": entry.action,
            "version": entry.version,
            "before": entry.before,
            "after": entry.after,
        }
    )


def _entry(item: dict[str, Any]) -> AuditEntry:
    data = from_item(item)
    return AuditEntry(
        audit_id=data["auditId"],
        at=data["at"],
        actor_username=data["actor"]["username"],
        actor_role=data["actor"]["role"],
        target=data["target"],
        target_id=data["targetId"],
        izin_id=data.get("izinId"),
        action=data["action"],
        version=data.get("version"),
        before=data.get("before"),
        after=data.get("after"),
    )


class AuditRepository:
    def __init__(self, table: Any):
        self._table = table

    def page(self, limit: int, cursor: str | None) -> tuple[list[AuditEntry], str | None]:
        """Newest first; ``cursor`` from the previous page (a forged one is a 422)."""
        items, next_cursor = query_page(
            self._table,
            limit=limit,
            start=CURSOR.decode(cursor, AUDIT_PK),
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": AUDIT_PK},
            ScanIndexForward=False,
        )
        return [_entry(item) for item in items], next_cursor
