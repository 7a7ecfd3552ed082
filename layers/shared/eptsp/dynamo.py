"""DynamoDB helpers shared by the repositories: opaque cursors for paginated queries."""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal
from typing import Any

from eptsp.errors import ValidationFailed

INVALID_CURSOR = ValidationFailed("Parameter 'cursor' tidak valid. Muat ulang daftar.", field="cursor")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def to_item(value: Any) -> Any:
    """Python data in the form DynamoDB stores: floats as Decimal, no nulls."""
    if isinstance(value, dict):
        return {k: to_item(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [to_item(v) for v in value]
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def from_item(value: Any) -> Any:
    """An item as plain Python data: Decimals back to int or float."""
    if isinstance(value, dict):
        return {k: from_item(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [from_item(v) for v in value]
    if isinstance(value, Decimal):
        return _plain(value)
    return value


def encode_cursor(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, default=_plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError):
        raise INVALID_CURSOR from None
    if not isinstance(key, dict) or not all(isinstance(v, (str, int)) for v in key.values()):
        raise INVALID_CURSOR
    return key


def run_query(table: Any, **query: Any) -> dict[str, Any]:
    """A Query whose ExclusiveStartKey came from a caller's cursor: a foreign cursor is a 422."""
    try:
        return table.query(**query)
    except table.meta.client.exceptions.ClientError as error:
        # A cursor from another query (or edited by hand) is refused by DynamoDB.
        if "ExclusiveStartKey" in query and error.response["Error"]["Code"] == "ValidationException":
            raise INVALID_CURSOR from None
        raise


def query_page(table: Any, *, limit: int, cursor: str | None, **query: Any) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a Query and the cursor of the next page (None at the end)."""
    start = decode_cursor(cursor)
    if start:
        query["ExclusiveStartKey"] = start
    answer = run_query(table, Limit=limit, **query)
    return answer.get("Items", []), encode_cursor(answer.get("LastEvaluatedKey"))
