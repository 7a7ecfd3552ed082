"""Delivering one event: the Inbox message, the e-mail and the SMS to the applicant, or the
e-mail to every officer of the role whose worklist a task landed in.

Each channel is delivered at most once per event: it is claimed (``DELIVERY#<eventId>`` /
channel) before the send and released when the send fails, so a redelivered event skips
what went out and retries only what failed. The Inbox message is written with its claim in
one transaction. Channels are independent: a failing e-mail does not hold back the SMS.
A channel that failed makes the event fail (``DeliveryFailed``) so the queue brings it back,
and after the queue's maxReceiveCount it rests in the dead-letter queue.
(Claimed and then lost to a crash between claim and send is the price of at most once: the
claim then stays and that channel is not sent; the log says which.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from eptsp.events import ApplicationEvent
from eptsp.inbox import messages
from eptsp.inbox.models import Delivery
from eptsp.inbox.repository import InboxRepository
from eptsp.observability import logger

# An application that ends invites its applicant to the Survey IKM.
SURVEY_INVITING = frozenset({"terbit", "ditolak"})


@dataclass(frozen=True)
class Recipient:
    key: str  # stable per person: the username
    name: str
    email: str | None
    phone: str | None


class DeliveryFailed(RuntimeError):
    """At least one channel failed; the message goes back to the queue."""


class UnknownRecipient(RuntimeError):
    """The event names an application or owner that does not exist (a poison message)."""


class Recipients(Protocol):
    def applicant(self, event: ApplicationEvent) -> Recipient: ...

    def officers(self, role: str) -> Iterable[Recipient]: ...


class Sender(Protocol):
    def email(self, to: str, subject: str, body: str) -> None: ...

    def sms(self, phone: str, text: str) -> None: ...


class EventCounter(Protocol):
    def count(self, event: ApplicationEvent) -> bool: ...


class Notifier:
    def __init__(
        self,
        inbox: InboxRepository,
        recipients: Recipients,
        sender: Sender,
        site_domain: str,
        counter: EventCounter | None = None,
    ):
        self._inbox = inbox
        self._recipients = recipients
        self._sender = sender
        self._site = site_domain
        # The laporan channel: the report counters (eptsp.reports.counters), claimed once per event.
        self._counter = counter

    def deliver(self, event: ApplicationEvent) -> list[str]:
        """The channels sent by this call (empty when all were sent before)."""
        counted = ["laporan"] if self._counter is not None and self._counter.count(event) else []
        if event.kind == "tugas_baru":
            return counted + self._to_officers(event)
        sent = counted + self._to_applicant(event)
        if event.kind in SURVEY_INVITING:
            # Its own event id: its own claims, so each of its channels also goes out once.
            invitation = event.model_copy(update={"event_id": f"{event.event_id}#survei", "kind": "survei_diundang"})
            sent += [f"survei:{channel}" for channel in self._to_applicant(invitation)]
        return sent

    def _to_applicant(self, event: ApplicationEvent) -> list[str]:
        person = self._recipients.applicant(event)  # first: an event of no application stores nothing
        words = messages.wording(event)
        sent: list[str] = []
        stored = self._inbox.add(
            Delivery(
                event_id=event.event_id,
                owner_id=event.owner_id,
                kind=event.kind,
                title=words.title,
                body=words.body,
                application_id=event.application_id,
                receipt_number=event.receipt_number,
                link=messages.link(event),
            )
        )
        if stored is not None:
            sent.append("inbox")
        failed: list[str] = []
        if person.email:
            subject, body = messages.email(event, person.name, self._site)
            self._once(event, "email", lambda: self._sender.email(person.email, subject, body), sent, failed)
        if person.phone and words.sms:
            text = messages.sms(event)
            self._once(event, "sms", lambda: self._sender.sms(person.phone, text), sent, failed)
        if failed:
            raise DeliveryFailed(f"{event.event_id}: {', '.join(failed)} not sent")
        return sent

    def _to_officers(self, event: ApplicationEvent) -> list[str]:
        if not event.role:
            raise UnknownRecipient(f"{event.event_id}: a task event without its role")
        sent: list[str] = []
        failed: list[str] = []
        for officer in self._recipients.officers(event.role):
            if not officer.email:
                continue
            subject, body = messages.email(event, officer.name, self._site)
            address = officer.email
            self._once(
                event,
                f"email#{officer.key}",
                lambda address=address, subject=subject, body=body: self._sender.email(address, subject, body),
                sent,
                failed,
            )
        if failed:
            raise DeliveryFailed(f"{event.event_id}: {', '.join(failed)} not sent")
        return sent

    def _once(self, event: ApplicationEvent, channel: str, send: Callable[[], None], sent: list, failed: list) -> None:
        if not self._inbox.claim(event.event_id, channel):
            return  # sent by an earlier delivery of this event
        try:
            send()
        except Exception:  # any failure of the provider: release, and let the queue retry
            logger.exception("Notification not sent", extra={"eventId": event.event_id, "channel": channel})
            self._inbox.release(event.event_id, channel)
            failed.append(channel)
            return
        sent.append(channel)


class AccountRecipients:
    """The applicant from the application's owner and their profile; officers from the user
    pool's group of their role (ListUsersInGroup: no Scan of any table)."""

    def __init__(self, applications: Any, accounts: Any, cognito: Any, user_pool_id: str):
        self._applications = applications
        self._accounts = accounts
        self._cognito = cognito
        self._pool = user_pool_id

    def applicant(self, event: ApplicationEvent) -> Recipient:
        if event.complaint_id:
            # A complaint's event names its owner's account: there is no application to ask.
            if not event.owner_username:
                raise UnknownRecipient(f"{event.event_id}: a complaint event without its owner")
            return self._person(event.owner_username)
        application = self._applications.get(event.application_id) if event.application_id else None
        if not application or application.get("ownerId") != event.owner_id:
            raise UnknownRecipient(f"{event.event_id}: no application {event.application_id} of that owner")
        return self._person(application["ownerUsername"])

    def _person(self, username: str) -> Recipient:
        profile = self._accounts.get_profile(username) or {}
        return Recipient(
            key=username,
            name=profile.get("name") or username,
            email=profile.get("email"),
            phone=profile.get("phone"),
        )

    def officers(self, role: str) -> Iterable[Recipient]:
        paginator = self._cognito.get_paginator("list_users_in_group")
        for page in paginator.paginate(UserPoolId=self._pool, GroupName=role):
            for user in page.get("Users", []):
                if not user.get("Enabled", True):
                    continue
                attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                yield Recipient(
                    key=user["Username"],
                    name=attributes.get("name") or user["Username"],
                    email=attributes.get("email"),
                    phone=None,  # officers hear of tasks by e-mail only
                )


def notifier(
    inbox_table: str,
    applications_table: str,
    accounts_table: str,
    user_pool_id: str,
    sender: str,
    site_domain: str,
    reports_table: str | None = None,
    catalogue_table: str | None = None,
) -> Notifier:
    from eptsp.accounts.repository import AccountsRepository
    from eptsp.applications.repository import ApplicationsRepository
    from eptsp.aws import client, dynamodb_table
    from eptsp.notify import Messenger
    from eptsp.reports.counters import report_counter

    return Notifier(
        InboxRepository(dynamodb_table(inbox_table)),
        AccountRecipients(
            ApplicationsRepository(dynamodb_table(applications_table)),
            AccountsRepository(dynamodb_table(accounts_table)),
            client("cognito-idp"),
            user_pool_id,
        ),
        # One attempt per send: the queue is the retry, and a slow provider must not hold the batch.
        Messenger(client("ses", attempts=1), client("sns", attempts=1), sender),
        site_domain,
        report_counter(reports_table, applications_table, catalogue_table) if reports_table else None,
    )
