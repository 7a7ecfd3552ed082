"""Complaints table access, behind typed entities and domain exceptions. Items (pk / sk):

- ``PENGADUAN#<complaintId>`` / ``META``: the complaint: owner (id, username, name),
  category, text, optional receipt number (and its application) and attachment (a File
  Saya file), ``status`` (``diterima`` -> ``diproses`` -> ``selesai``), ``replyCount``,
  ``createdAt``/``updatedAt``/``closedAt``. GSI ``byOwner`` (ownerId, createdAt) lists an
  applicant's own, newest first; GSI ``byStatus`` (status, createdAt) is the officers'
  list of one status. Only META items carry ``ownerId`` and ``status``.
- ``PENGADUAN#<complaintId>`` / ``BALASAN#<replyId>``: one officer reply; ``replyId``
  starts with its time, so the partition reads them in order.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from eptsp.complaints.models import Attachment, Complaint, Reply
from eptsp.dynamo import CursorShape, query_page
from eptsp.errors import Conflict, NotFound

META = "META"
REPLY = "BALASAN#"
BY_OWNER_CURSOR = CursorShape(
    types={"pk": str, "sk": str, "ownerId": str, "createdAt": str}, owner="ownerId", pk_prefix="PENGADUAN#"
)
BY_STATUS_CURSOR = CursorShape(
    types={"pk": str, "sk": str, "status": str, "createdAt": str}, owner="status", pk_prefix="PENGADUAN#"
)


class ComplaintNotFound(NotFound):
    default_message = "Pengaduan tidak ditemukan."


class ComplaintClosed(Conflict):
    code = "PENGADUAN_SELESAI"
    default_message = "Pengaduan ini sudah selesai dan tidak dapat dibalas atau ditutup lagi."


def now_iso() -> str:
    # Milliseconds: lists sort by these times.
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_reply_id(moment: datetime | None = None) -> str:
    at = (moment or datetime.now(UTC)).astimezone(UTC)
    return at.strftime("%Y%m%dT%H%M%S") + f"{at.microsecond // 1000:03d}Z-" + secrets.token_hex(2)


def _key(complaint_id: str) -> dict[str, str]:
    return {"pk": f"PENGADUAN#{complaint_id}", "sk": META}


def _complaint(item: dict[str, Any]) -> Complaint:
    attachment = item.get("attachment")
    return Complaint(
        complaint_id=item["complaintId"],
        owner_id=item["ownerId"],
        owner_username=item["ownerUsername"],
        owner_name=item["ownerName"],
        category=item["category"],
        text=item["text"],
        status=item["status"],
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        reply_count=int(item.get("replyCount") or 0),
        receipt_number=item.get("receiptNumber"),
        application_id=item.get("applicationId"),
        attachment=Attachment(
            file_id=attachment["fileId"], file_name=attachment["fileName"], object_key=attachment.get("objectKey")
        )
        if attachment
        else None,
        closed_at=item.get("closedAt"),
    )


def _reply(item: dict[str, Any]) -> Reply:
    return Reply(
        reply_id=item["replyId"],
        text=item["text"],
        officer_id=item["officerId"],
        officer_name=item["officerName"],
        created_at=item["createdAt"],
    )


class ComplaintsRepository:
    def __init__(self, table: Any):
        self._table = table
        self._client = table.meta.client
        self._name = table.name

    def create(self, complaint: Complaint) -> None:
        item: dict[str, Any] = {
            **_key(complaint.complaint_id),
            "complaintId": complaint.complaint_id,
            "ownerId": complaint.owner_id,
            "ownerUsername": complaint.owner_username,
            "ownerName": complaint.owner_name,
            "category": complaint.category,
            "text": complaint.text,
            "status": complaint.status,
            "createdAt": complaint.created_at,
            "updatedAt": complaint.updated_at,
            "replyCount": complaint.reply_count,
        }
        if complaint.receipt_number:
            item["receiptNumber"] = complaint.receipt_number
            item["applicationId"] = complaint.application_id
        if complaint.attachment:
            item["attachment"] = {
                "fileId": complaint.attachment.file_id,
                "fileName": complaint.attachment.file_name,
                "objectKey": complaint.attachment.object_key,
            }
        self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")

    def get(self, complaint_id: str) -> Complaint:
        item = self._table.get_item(Key=_key(complaint_id), ConsistentRead=True).get("Item")
        if item is None:
            raise ComplaintNotFound()
        return _complaint(item)

    def replies(self, complaint_id: str) -> list[Reply]:
        found: list[Reply] = []
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :reply)",
            "ExpressionAttributeValues": {":pk": f"PENGADUAN#{complaint_id}", ":reply": REPLY},
            "ConsistentRead": True,
        }
        while True:
            answer = self._table.query(**query)
            found.extend(_reply(item) for item in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer:
                return found
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def page_for_owner(self, owner_id: str, limit: int, cursor: str | None) -> tuple[list[Complaint], str | None]:
        items, next_cursor = query_page(
            self._table,
            limit=limit,
            start=BY_OWNER_CURSOR.decode(cursor, owner_id),
            IndexName="byOwner",
            KeyConditionExpression="ownerId = :o",
            ExpressionAttributeValues={":o": owner_id},
            ScanIndexForward=False,
        )
        return [_complaint(item) for item in items], next_cursor

    def page_by_status(self, status: str, limit: int, cursor: str | None) -> tuple[list[Complaint], str | None]:
        # Open complaints first come, first served; finished ones newest first.
        items, next_cursor = query_page(
            self._table,
            limit=limit,
            start=BY_STATUS_CURSOR.decode(cursor, status),
            IndexName="byStatus",
            KeyConditionExpression="#status = :s",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":s": status},
            ScanIndexForward=status != "selesai",
        )
        return [_complaint(item) for item in items], next_cursor

    def add_reply(self, complaint_id: str, reply: Reply) -> None:
        """The reply and the complaint's move to ``diproses`` in one transaction; refused once ``selesai``."""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self._name,
                            "Key": _key(complaint_id),
                            "UpdateExpression": "SET #status = :diproses, updatedAt = :at ADD replyCount :one",
                            "ConditionExpression": "attribute_exists(pk) AND #status <> :selesai",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {
                                ":diproses": "diproses",
                                ":selesai": "selesai",
                                ":at": reply.created_at,
                                ":one": 1,
                            },
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._name,
                            "Item": {
                                "pk": f"PENGADUAN#{complaint_id}",
                                "sk": f"{REPLY}{reply.reply_id}",
                                "replyId": reply.reply_id,
                                "text": reply.text,
                                "officerId": reply.officer_id,
                                "officerName": reply.officer_name,
                                "createdAt": reply.created_at,
                            },
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except self._client.exceptions.TransactionCanceledException:
            self._refusal(complaint_id)

    def close(self, complaint_id: str, officer_id: str, at: str) -> None:
        try:
            self._table.update_item(
                Key=_key(complaint_id),
                UpdateExpression="SET #status = :selesai, closedAt = :at, closedBy = :by, updatedAt = :at",
                ConditionExpression="attribute_exists(pk) AND #status <> :selesai",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":selesai": "selesai", ":at": at, ":by": officer_id},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            self._refusal(complaint_id)

    def _refusal(self, complaint_id: str) -> None:
        """Why a guarded change was refused: no such complaint (404), or it is closed (409)."""
        if self.get(complaint_id).status == "selesai":
            raise ComplaintClosed()
        raise Conflict()  # changed under us in another way: the caller may try again
