"""The Inbox's entities and its API's answers."""

from __future__ import annotations

from dataclasses import dataclass

from eptsp.models import ApiModel


@dataclass(frozen=True)
class InboxMessage:
    """One message in a user's Inbox. ``message_id`` starts with its creation time, so
    ordering by it is ordering by time."""

    message_id: str
    owner_id: str
    created_at: str
    kind: str
    title: str
    body: str
    application_id: str | None
    receipt_number: str | None
    link: str
    read: bool


@dataclass(frozen=True)
class Delivery:
    """What to put in the Inbox for one event (the notifier composes it)."""

    event_id: str
    owner_id: str
    kind: str
    title: str
    body: str
    application_id: str | None
    receipt_number: str | None
    link: str


class InboxItemOutput(ApiModel):
    message_id: str
    created_at: str
    kind: str
    title: str
    body: str
    application_id: str | None
    receipt_number: str | None
    link: str
    read: bool


class InboxPage(ApiModel):
    items: list[InboxItemOutput]
    cursor: str | None


class UnreadCountOutput(ApiModel):
    unread: int
