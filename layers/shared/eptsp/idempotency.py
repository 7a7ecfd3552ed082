"""Creation that happens once per ``Idempotency-Key``: a double tap or a retried request
gets the first answer again instead of a second draft or upload slot.

Powertools idempotency on DynamoDB keeps one record per action, caller and key (TTL on
``expiration``). The request's payload is checked too: the same key with another body is
a 422, and a duplicate arriving while the first is still running is a 409. (Kirim and Kirim
Ulang record theirs in their own transaction: ``eptsp.transactional_idempotency``.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from pydantic import BaseModel

from eptsp.errors import Conflict
from eptsp.transactional_idempotency import KEY_REUSED

Output = TypeVar("Output", bound=BaseModel)

IN_PROGRESS = Conflict(
    "Permintaan yang sama sedang diproses. Tunggu sebentar lalu coba lagi.", code="PERMINTAAN_SEDANG_DIPROSES"
)


class Idempotency:
    """One action (``applications.create``, ``files.presign``) made idempotent per caller and key."""

    def __init__(self, action: str, table_name: str, expires_after_seconds: int, dynamodb_client: Any):
        self._action = action
        self._persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb_client)
        # The key is the caller and the Idempotency-Key; the payload is checked, not part of the key,
        # so that reusing a key for another request is refused rather than run again.
        self._config = IdempotencyConfig(
            event_key_jmespath="[caller, key]",
            payload_validation_jmespath="payload",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
        )

    def once(
        self,
        *,
        caller_id: str,
        key: str | None,
        payload: dict[str, Any],
        output: type[Output],
        create: Callable[[], Output],
        lambda_context: Any = None,
    ) -> Output:
        """``create()``, or the answer it gave the first time this caller sent ``key``."""
        if key is None:
            return create()
        if lambda_context is not None:
            # A record left "in progress" by a timed-out invocation then expires with it.
            self._config.register_lambda_context(lambda_context)

        @idempotent_function(
            data_keyword_argument="request",
            persistence_store=self._persistence,
            config=self._config,
            output_serializer=PydanticSerializer(output),
            key_prefix=self._action,
        )
        def create_once(request: dict[str, Any]) -> Output:
            return create()

        try:
            return create_once(request={"caller": caller_id, "key": key, "payload": payload})
        except IdempotencyValidationError:
            raise KEY_REUSED from None
        except IdempotencyAlreadyInProgressError:
            raise IN_PROGRESS from None
