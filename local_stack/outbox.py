"""Every e-mail (SES) and SMS (SNS) the system sent, read from the emulator.

moto keeps sent messages without a time, so the gateway stamps new ones right after each
invocation: the time is when the handler that sent them finished.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from local_stack.resources import ACCOUNT_ID


class Outbox:
    def __init__(self, region: str):
        self.region = region
        self._seen: set[str] = set()
        self._messages: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def _pending(self) -> list[dict[str, Any]]:
        from moto.ses.models import ses_backends
        from moto.sns.models import sns_backends

        found = []
        for message in ses_backends[ACCOUNT_ID][self.region].sent_messages:
            destinations = message.destinations
            to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else list(destinations)
            found.append(
                {
                    "id": message.id,
                    "channel": "email",
                    "to": ", ".join(to),
                    "subject": getattr(message, "subject", ""),
                    "body": getattr(message, "body", getattr(message, "raw_data", "")),
                }
            )
        for message_id, (phone, text) in sns_backends[ACCOUNT_ID][self.region].sms_messages.items():
            found.append({"id": message_id, "channel": "sms", "to": phone, "subject": "", "body": text})
        return [m for m in found if m["id"] not in self._seen]

    def collect(self) -> None:
        with self._lock:
            now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            for message in self._pending():
                self._seen.add(message["id"])
                self._messages.append({**message, "sentAt": now})

    def messages(self) -> list[dict[str, Any]]:
        self.collect()
        with self._lock:
            return list(self._messages)
