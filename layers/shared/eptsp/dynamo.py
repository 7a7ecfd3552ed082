"""DynamoDB helpers shared by the repositories: stored forms of values, verifiable cursors for paginated queries."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from http import HTTPStatus
from typing import Any

from eptsp import jsonparse
from eptsp.errors import DomainError, ValidationFailed

INVALID_CURSOR = ValidationFailed("Parameter 'cursor' tidak valid. Muat ulang daftar.", field="cursor")
# Rounds of a BatchGetItem whose keys DynamoDB leaves unprocessed (it does so under throttling).
BATCH_GET_ROUNDS = 4


class ServiceBusy(DomainError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "LAYANAN_SIBUK"
    default_message = "Layanan sedang sibuk atau tidak dapat dihubungi. Silakan coba lagi dalam beberapa saat."


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


MAX_CURSOR_LENGTH = 1024


@dataclass(frozen=True)
class CursorShape:
    """The one key a paginated query may resume from, so that a cursor cannot be forged.

    A cursor is the query's ``LastEvaluatedKey``, base64url-encoded JSON. It is not signed
    (that would need a key to keep and rotate); instead it must be exactly the key this
    query returns: the same attribute names, each value of its type, ``pk`` with the
    table's prefix, and the partition value (``owner``) equal to the caller's own. Such a
    key can only start the caller's own query somewhere inside the caller's own partition,
    so an edited cursor shows nothing a valid one would not. Anything else is a 422.
    """

    types: Mapping[str, type]
    owner: str
    pk_prefix: str

    def decode(self, cursor: str | None, owner: str) -> dict[str, Any] | None:
        if not cursor:
            return None
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise INVALID_CURSOR
        try:
            raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
            key = jsonparse.loads(raw.decode())
        except ValueError:  # bad base64 (binascii.Error), non-ASCII text, not UTF-8, refused JSON
            raise INVALID_CURSOR from None
        if not isinstance(key, dict) or key.keys() != self.types.keys():
            raise INVALID_CURSOR
        for name, value in key.items():
            # bool is an int to Python, never to DynamoDB
            if isinstance(value, bool) or not isinstance(value, self.types[name]):
                raise INVALID_CURSOR
        if key[self.owner] != owner or not str(key["pk"]).startswith(self.pk_prefix):
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


def query_page(
    table: Any, *, limit: int, start: dict[str, Any] | None, **query: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a Query from ``start`` (a decoded cursor) and the cursor of the next page (None at the end)."""
    if start:
        query["ExclusiveStartKey"] = start
    answer = run_query(table, Limit=limit, **query)
    return answer.get("Items", []), encode_cursor(answer.get("LastEvaluatedKey"))


ItemName = tuple[str, tuple[tuple[str, Any], ...]]


def item_name(table: str, key: Mapping[str, Any]) -> ItemName:
    """A hashable name of one item: its table and key."""
    return table, tuple(sorted(key.items()))


def batch_get(
    client: Any,
    keys: Iterable[tuple[str, Mapping[str, Any]]],
    projections: Mapping[str, str] | None = None,
    consistent: Iterable[str] = (),
) -> dict[ItemName, dict[str, Any] | None]:
    """Items of several tables in one BatchGetItem (at most 100 keys), by ``item_name``; None
    for an absent item; strongly consistent reads in the ``consistent`` tables. A key named
    twice is asked for once; keys DynamoDB leaves unprocessed are asked for again.
    ``client`` is a resource's client (plain Python values)."""
    consistent = set(consistent)
    wanted = {item_name(table, key): (table, dict(key)) for table, key in keys}
    found: dict[ItemName, dict[str, Any] | None] = dict.fromkeys(wanted)
    request: dict[str, Any] = {}
    for table, key in wanted.values():
        if table not in request:
            projection = (projections or {}).get(table)
            request[table] = {"Keys": [], **({"ProjectionExpression": projection} if projection else {})}
            if table in consistent:
                request[table]["ConsistentRead"] = True
        request[table]["Keys"].append(key)
    for _ in range(BATCH_GET_ROUNDS):
        if not request:
            return found
        answer = client.batch_get_item(RequestItems=request)
        for table, items in answer.get("Responses", {}).items():
            for item in items:
                for name, (wanted_table, key) in wanted.items():
                    if wanted_table == table and all(item.get(k) == v for k, v in key.items()):
                        found[name] = item
        request = answer.get("UnprocessedKeys") or {}
    if request:
        raise ServiceBusy()
    return found
