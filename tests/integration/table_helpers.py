"""A scratch DynamoDB table on the session's emulator, keyed as every table of the stack is."""

from __future__ import annotations

import uuid
from typing import Any


def scratch_table(client: Any, prefix: str) -> str:
    """A new on-demand table with the stack's key schema (``pk``, ``sk``); its name."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return name
