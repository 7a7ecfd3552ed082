"""Kotak Masuk as its owner reads it: newest first, the unread count, marking read."""

from __future__ import annotations

from eptsp.inbox.models import InboxItemOutput, InboxMessage, InboxPage, UnreadCountOutput
from eptsp.inbox.repository import InboxRepository


def item_output(message: InboxMessage) -> InboxItemOutput:
    return InboxItemOutput(
        message_id=message.message_id,
        created_at=message.created_at,
        kind=message.kind,
        title=message.title,
        body=message.body,
        application_id=message.application_id,
        receipt_number=message.receipt_number,
        link=message.link,
        read=message.read,
    )


class InboxService:
    def __init__(self, inbox: InboxRepository):
        self._inbox = inbox

    def page(self, owner_id: str, limit: int, cursor: str | None) -> InboxPage:
        messages, next_cursor = self._inbox.page(owner_id, limit, cursor)
        return InboxPage(items=[item_output(m) for m in messages], cursor=next_cursor)

    def unread(self, owner_id: str) -> UnreadCountOutput:
        return UnreadCountOutput(unread=self._inbox.unread(owner_id))

    def mark_read(self, owner_id: str, message_id: str) -> None:
        self._inbox.mark_read(owner_id, message_id)

    def mark_all_read(self, owner_id: str) -> None:
        self._inbox.mark_all_read(owner_id)


def inbox_service(inbox_table: str) -> InboxService:
    from eptsp.aws import dynamodb_table

    return InboxService(InboxRepository(dynamodb_table(inbox_table)))
