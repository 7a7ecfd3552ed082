"""Idempotent creation on a DynamoDB table (moto): the duplicate that arrives while the
first request is still running is a 409; a finished one replays the first answer."""

from __future__ import annotations

import uuid

import boto3
import pytest
from pydantic import BaseModel

from eptsp.errors import Conflict, ValidationFailed
from eptsp.idempotency import Idempotency


class Created(BaseModel):
    id: int


class LambdaContext:
    """What Powertools reads of the Lambda context: the time left, for the in-progress expiry."""

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture
def idempotency(stack):
    # A table of its own on the session's emulator: moto's in-process mock would reset the
    # emulator's state under the running local stack.
    client = boto3.client("dynamodb")
    name = f"idempotency-{uuid.uuid4().hex[:8]}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return Idempotency("tests.create", name, 60, client)


def test_a_duplicate_while_the_first_runs_is_409_and_a_later_one_replays(idempotency):
    runs = []

    def create_once(payload: dict, key: str = "kunci-satu") -> Created:
        return idempotency.once(
            caller_id="u-1", key=key, payload=payload, output=Created, create=make, lambda_context=LambdaContext()
        )

    def make() -> Created:
        runs.append(1)
        if len(runs) == 1:
            # the same request arrives again while this one is still running
            with pytest.raises(Conflict) as in_progress:
                create_once({"a": 1})
            assert in_progress.value.status == 409 and in_progress.value.code == "PERMINTAAN_SEDANG_DIPROSES"
        return Created(id=len(runs))

    first = create_once({"a": 1})
    assert first == Created(id=1)
    # once it has finished, the same request replays the first answer without running again
    assert create_once({"a": 1}) == first and len(runs) == 1
    # the same key with another payload is refused; another key runs again
    with pytest.raises(ValidationFailed):
        create_once({"a": 2})
    assert create_once({"a": 1}, key="kunci-dua") == Created(id=2) and len(runs) == 2


def test_without_a_key_every_call_creates(idempotency):
    calls = []
    for _ in range(2):
        idempotency.once(caller_id="u-1", key=None, payload={}, output=Created, create=lambda: Created(id=len(calls)))
        calls.append(1)
    assert len(calls) == 2
