"""Events the applicant (or an officer's role) cares about, handed to the notifier.

``publish`` is one SQS SendMessage to the notification queue: the notifier turns each
event into an Inbox message, an e-mail and an SMS (or, for ``tugas_baru``, e-mails to the
role's officers), each at most once per channel, keyed on ``eventId``. The id is
deterministic (the history entry's id, or ``<applicationId>#<kind>#<n>``) so that a
retried step publishes the same event and the notifier sends it once.

Delivery never breaks the step that publishes: a failure to send the message is logged
and swallowed (``publish`` returns False). Callers publish from the step that is retried
anyway where they can, so a lost message is sent again by the retry.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field

from eptsp.models import ApiModel

EventKind = Literal[
    "diajukan",
    "tahap_berubah",
    "perbaikan",
    "diajukan_ulang",
    "ditolak",
    "disetujui",
    "terbit",
    "tugas_baru",
    # Derived by the notifier from terbit/ditolak (event id "<eventId>#survei"): the Survey IKM invitation.
    "survei_diundang",
    "pengaduan_dibalas",
    "pengaduan_selesai",
]

QUEUE_URL_VARIABLE = "NOTIFICATION_QUEUE_URL"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ApplicationEvent(ApiModel):
    event_id: str = Field(min_length=1, max_length=300)
    kind: EventKind
    # None for an event of no application (a complaint's).
    application_id: str | None = None
    owner_id: str
    receipt_number: str | None = None
    izin_name: str | None = None
    stage: str | None = None
    notes: str | None = None
    permit_number: str | None = None
    occurred_at: str = Field(default_factory=_now)
    # Only for ``tugas_baru``: the role whose worklist the task landed in.
    role: str | None = None
    # Only for ``pengaduan_*``: the complaint, and its owner's username (whose profile has the
    # contacts; there is no application to find the owner through).
    complaint_id: str | None = None
    owner_username: str | None = None


def publish(event: ApplicationEvent, queue_url: str | None = None) -> bool:
    """Queue ``event`` for the notifier; True when queued. Never raises."""
    from eptsp.observability import logger

    url = queue_url or os.environ.get(QUEUE_URL_VARIABLE)
    if not url:
        logger.warning("No notification queue configured; event not sent", extra={"eventId": event.event_id})
        return False
    try:
        from eptsp import aws

        aws.client("sqs").send_message(QueueUrl=url, MessageBody=event.model_dump_json())
    except Exception:  # a notification must never fail the transition
        logger.exception("Notification event not queued", extra={"eventId": event.event_id, "kind": event.kind})
        return False
    return True


def publish_all(batch: list[ApplicationEvent], queue_url: str | None = None) -> bool:
    """Queue up to 10 events in one SendMessageBatch; True when every one was queued. Never raises."""
    from eptsp.observability import logger

    url = queue_url or os.environ.get(QUEUE_URL_VARIABLE)
    if not url:
        logger.warning("No notification queue configured; events not sent", extra={"count": len(batch)})
        return False
    try:
        from eptsp import aws

        answer = aws.client("sqs").send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(n), "MessageBody": event.model_dump_json()} for n, event in enumerate(batch)],
        )
    except Exception:  # a notification must never fail the transition
        logger.exception("Notification events not queued", extra={"eventIds": [e.event_id for e in batch]})
        return False
    failed = answer.get("Failed") or []
    for entry in failed:
        logger.error("Notification event not queued", extra={"eventId": batch[int(entry["Id"])].event_id})
    return not failed


def for_dossier(dossier: Any, kind: EventKind, event_id: str, **fields: Any) -> ApplicationEvent:
    """The event of a submitted application (a workflow ``Dossier``), with its receipt and permit name."""
    return ApplicationEvent(
        event_id=event_id,
        kind=kind,
        application_id=dossier.application_id,
        owner_id=dossier.owner_id,
        receipt_number=dossier.receipt_number,
        izin_name=(dossier.izin or {}).get("name"),
        stage=fields.pop("stage", dossier.stage),
        **fields,
    )


def token_key(task_token: str) -> str:
    """A short stable key of a task token: a retried step that holds the same token publishes the same id."""
    import hashlib

    return hashlib.sha256(task_token.encode()).hexdigest()[:20]
