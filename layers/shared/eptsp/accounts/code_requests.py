"""Codes sent from a queue: Lupa Password's PIN and a new account's activation code.

The API hands one small request to the queue (``PasswordResetQueue``) and answers at once,
so its answer and its time say nothing about the account; the worker
(``functions/password_reset_worker``) looks the account up, issues the code (at most one a
minute) and sends it by e-mail and SMS. The code itself is never in the message.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from eptsp.accounts.models import ForgotPasswordRequest, ResendActivationRequest


class Kind(StrEnum):
    RESET_PIN = "pin"
    ACTIVATION = "activation"


CodeRequest = ForgotPasswordRequest | ResendActivationRequest
_MODELS: dict[Kind, type[CodeRequest]] = {
    Kind.RESET_PIN: ForgotPasswordRequest,
    Kind.ACTIVATION: ResendActivationRequest,
}


class CodeRequestQueue:
    """The API's side: one SQS message per request, nothing looked up."""

    def __init__(self, sqs: Any, queue_url: str):
        self._sqs = sqs
        self._queue_url = queue_url

    def send(self, kind: Kind, request: CodeRequest) -> None:
        body = {"kind": kind.value, **request.model_dump(mode="json")}
        self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=json.dumps(body))


def read_request(body: str) -> tuple[Kind, CodeRequest]:
    """A queued request; a body the API did not write raises (after the retries it rests in
    the dead-letter queue)."""
    fields = json.loads(body)
    kind = Kind(fields.pop("kind"))
    return kind, _MODELS[kind].model_validate(fields)
