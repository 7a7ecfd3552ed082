"""Idempotency recorded in the action's own DynamoDB transaction (Kirim, Kirim Ulang): the
answer is written together with the change it answers, so there is no "in progress" state
and no second write, and a duplicate that loses the race reads the winner's answer. The
Powertools records of ``eptsp.idempotency`` cost a put and an update around the action.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any, TypeVar

from pydantic import BaseModel

from eptsp.errors import Conflict, ValidationFailed

Output = TypeVar("Output", bound=BaseModel)

KEY_HEADER = "Idempotency-Key"

KEY_REUSED = ValidationFailed(
    "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi lain. Gunakan kunci baru.",
    field=KEY_HEADER,
    code="KUNCI_IDEMPOTENSI_DIPAKAI",
)


class RecordedAnswers:
    """One action's answers per caller and key. Records share Powertools' table (``id``,
    TTL ``expiration``) under their own prefix."""

    def __init__(self, action: str, table: Any, expires_after_seconds: int):
        self._action = action
        self._table = table  # a boto3 resource Table
        self._seconds = expires_after_seconds

    def _id(self, caller_id: str, key: str) -> str:
        digest = hashlib.sha256(f"{caller_id}\n{key}".encode()).hexdigest()
        return f"{self._action}#recorded#{digest}"

    @staticmethod
    def _validation(payload: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def record(
        self,
        *,
        caller_id: str,
        key: str,
        payload: dict[str, Any],
        answer: BaseModel,
        extra: dict[str, str] | None = None,
    ) -> tuple[dict[str, Any], Conflict]:
        """The Put of this answer for the caller's transaction (conditional on no live record
        of the key), and the refusal for that condition (the caller then asks ``replay``)."""
        now = int(time.time())
        item = {
            "id": self._id(caller_id, key),
            "expiration": now + self._seconds,
            "validation": self._validation(payload),
            "answer": answer.model_dump_json(),
            **(extra or {}),
        }
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(id) OR expiration <= :now",
                "ExpressionAttributeValues": {":now": now},
            }
        }
        return put, KeyAlreadyAnswered()

    def replay(
        self, *, caller_id: str, key: str, payload: dict[str, Any], output: type[Output]
    ) -> tuple[Output, dict[str, Any]] | None:
        """The answer recorded for this caller's key and the record's extra fields; None when
        there is none. The same key with another payload is a 422."""
        item = self._table.get_item(Key={"id": self._id(caller_id, key)}, ConsistentRead=True).get("Item")
        if not item or int(item.get("expiration", 0)) <= int(time.time()):
            return None
        if item.get("validation") != self._validation(payload):
            raise KEY_REUSED
        return output.model_validate_json(item["answer"]), item


class KeyAlreadyAnswered(Conflict):
    """The transaction found a live record of the key: another request with it went first
    (the action then answers with ``replay``; never an answer of its own)."""
