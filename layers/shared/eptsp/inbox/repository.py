"""Inbox table access. Items (pk / sk):

- ``INBOX#<userId>`` / ``MSG#<messageId>``: a message. ``messageId`` is its creation time
  (``YYYYMMDDTHHMMSSmmmZ``) and a random suffix, so the partition read backwards is newest first.
- ``INBOX#<userId>`` / ``UNREAD``: ``unread`` (the count) and ``readAllUpTo`` (the last
  message id that Tandai semua dibaca covered). The count changes in the same transaction
  as the message it counts, so the header's number is one GetItem, never a Scan or a
  Query over the messages; read-all is one update (count 0, watermark now) however many
  messages there are: a message at or below the watermark reads as read.
- ``DELIVERY#<eventId>`` / ``<channel>``: an event delivered (or being delivered) on one
  channel (``inbox``, ``email``, ``sms``, ``email#<officer>``), claimed before the send so
  a redelivered event is not sent twice; TTL ``expiresAt`` (30 days, far beyond the queue's
  retention).
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Any

from eptsp.dynamo import CursorShape, query_page
from eptsp.errors import NotFound
from eptsp.inbox.models import Delivery, InboxMessage

CLAIM_DAYS = 30
UNREAD = "UNREAD"
CURSOR = CursorShape(types={"pk": str, "sk": str}, owner="pk", pk_prefix="INBOX#")


class MessageNotFound(NotFound):
    default_message = "Pesan tidak ditemukan."


def _partition(owner_id: str) -> str:
    return f"INBOX#{owner_id}"


def new_message_id(now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}Z-" + secrets.token_hex(4)


def _iso(message_id: str) -> str:
    moment = datetime.strptime(message_id[:18], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _message(item: dict[str, Any], read_all_up_to: str) -> InboxMessage:
    message_id = item["messageId"]
    return InboxMessage(
        message_id=message_id,
        owner_id=item["ownerId"],
        created_at=_iso(message_id),
        kind=item["kind"],
        title=item["title"],
        body=item["body"],
        application_id=item.get("applicationId"),
        receipt_number=item.get("receiptNumber"),
        link=item["link"],
        read=bool(item.get("read")) or message_id <= read_all_up_to,
    )


class InboxRepository:
    def __init__(self, table: Any):
        self._table = table
        self._client = table.meta.client
        self._name = table.name

    # ------------------------------------------------------------- delivery claims
    def claim(self, event_id: str, channel: str) -> bool:
        """True when this call owns the event's delivery on ``channel``; False when it was
        delivered (or claimed) before."""
        try:
            self._table.put_item(
                Item={
                    "pk": f"DELIVERY#{event_id}",
                    "sk": channel,
                    "expiresAt": int(time.time()) + CLAIM_DAYS * 86400,
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def release(self, event_id: str, channel: str) -> None:
        """The send failed: the next delivery of the event may send it."""
        self._table.delete_item(Key={"pk": f"DELIVERY#{event_id}", "sk": channel})

    # ------------------------------------------------------------- messages
    def add(self, delivery: Delivery, attempts: int = 3) -> InboxMessage | None:
        """The event's message, its claim and the unread count in one transaction; None
        when the event was already put in the Inbox."""
        partition = _partition(delivery.owner_id)
        for _ in range(attempts):
            message_id = new_message_id()
            item = {
                "pk": partition,
                "sk": f"MSG#{message_id}",
                "messageId": message_id,
                "ownerId": delivery.owner_id,
                "eventId": delivery.event_id,
                "kind": delivery.kind,
                "title": delivery.title,
                "body": delivery.body,
                "link": delivery.link,
                "read": False,
                **({"applicationId": delivery.application_id} if delivery.application_id else {}),
                **({"receiptNumber": delivery.receipt_number} if delivery.receipt_number else {}),
            }
            try:
                self._client.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": self._name,
                                "Item": {
                                    "pk": f"DELIVERY#{delivery.event_id}",
                                    "sk": "inbox",
                                    "messageId": message_id,
                                    "expiresAt": int(time.time()) + CLAIM_DAYS * 86400,
                                },
                                "ConditionExpression": "attribute_not_exists(pk)",
                            }
                        },
                        {"Put": {"TableName": self._name, "Item": item}},
                        {
                            "Update": {
                                "TableName": self._name,
                                "Key": {"pk": partition, "sk": UNREAD},
                                "UpdateExpression": "ADD unread :one",
                                # A read-all that committed after this id was drawn covers it
                                # already: draw a newer id instead of counting a read message.
                                "ConditionExpression": "attribute_not_exists(readAllUpTo) OR readAllUpTo < :id",
                                "ExpressionAttributeValues": {":one": 1, ":id": message_id},
                            }
                        },
                    ]
                )
            except self._client.exceptions.TransactionCanceledException as error:
                reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
                if reasons and reasons[0] == "ConditionalCheckFailed":
                    return None  # delivered before
                if len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed":
                    time.sleep(0.002)  # the next id is drawn in a later millisecond
                    continue
                raise
            return _message(item, "")
        raise RuntimeError("Inbox message not stored: the read-all watermark kept moving")

    def _watermark(self, owner_id: str) -> dict[str, Any]:
        return self._table.get_item(Key={"pk": _partition(owner_id), "sk": UNREAD}, ConsistentRead=True).get(
            "Item"
        ) or {"unread": 0}

    def page(self, owner_id: str, limit: int, cursor: str | None) -> tuple[list[InboxMessage], str | None]:
        partition = _partition(owner_id)
        start = CURSOR.decode(cursor, partition)
        items, next_cursor = query_page(
            self._table,
            limit=limit,
            start=start,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :msg)",
            ExpressionAttributeValues={":pk": partition, ":msg": "MSG#"},
            ScanIndexForward=False,
        )
        read_all_up_to = str(self._watermark(owner_id).get("readAllUpTo") or "")
        return [_message(item, read_all_up_to) for item in items], next_cursor

    def unread(self, owner_id: str) -> int:
        return max(0, int(self._watermark(owner_id).get("unread") or 0))

    def mark_read(self, owner_id: str, message_id: str) -> None:
        partition = _partition(owner_id)
        key = {"pk": partition, "sk": f"MSG#{message_id}"}
        # Another user's message is not in the caller's partition: not found, like a made-up id.
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        if item is None:
            raise MessageNotFound()
        if _message(item, str(self._watermark(owner_id).get("readAllUpTo") or "")).read:
            return
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self._name,
                            "Key": key,
                            "UpdateExpression": "SET #read = :true",
                            "ConditionExpression": "#read = :false",
                            "ExpressionAttributeNames": {"#read": "read"},
                            "ExpressionAttributeValues": {":true": True, ":false": False},
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._name,
                            "Key": {"pk": partition, "sk": UNREAD},
                            "UpdateExpression": "ADD unread :minus",
                            "ConditionExpression": "unread > :zero AND (attribute_not_exists(readAllUpTo) "
                            "OR readAllUpTo < :id)",
                            "ExpressionAttributeValues": {":minus": -1, ":zero": 0, ":id": message_id},
                        }
                    },
                ]
            )
        except self._client.exceptions.TransactionCanceledException:
            # Read meanwhile (another tab, or read-all covered it): only the flag is left to set.
            self._table.update_item(
                Key=key,
                UpdateExpression="SET #read = :true",
                ExpressionAttributeNames={"#read": "read"},
                ExpressionAttributeValues={":true": True},
            )

    def mark_all_read(self, owner_id: str) -> None:
        # "~" sorts after every suffix: every message drawn up to now is covered.
        self._table.update_item(
            Key={"pk": _partition(owner_id), "sk": UNREAD},
            UpdateExpression="SET unread = :zero, readAllUpTo = :mark",
            ExpressionAttributeValues={":zero": 0, ":mark": new_message_id()[:19] + "~"},
        )
