"""The signed-in caller of a request, with sign-out honoured.

API Gateway's JWT authorizer checks signature, issuer, audience and expiry, but it cannot
know that a session was signed out or that a password reset ended every session. Routes
behind login therefore ask ``SessionGuard`` for the caller: one DynamoDB round trip.

That round trip is a BatchGetItem, so it can carry the route's own first read as well: a
function names, per route, the items the request will read first (``read_along``), the
session check fetches them with its own, and the route takes them with ``prefetched``
instead of a second round trip. The session is still checked before the route runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from eptsp.accounts.repository import AccountsRepository
from eptsp.dynamo import ItemName, item_name
from eptsp.errors import Unauthenticated
from eptsp.identity import APPLICANT, Caller, caller_from_event
from eptsp.observability import logger

SESSION_ENDED = Unauthenticated("Sesi Anda telah berakhir. Silakan masuk kembali.")

# (table name, key) of one item
ItemKey = tuple[str, dict[str, Any]]
ReadAlong = Callable[[dict[str, Any]], Iterable[ItemKey]]

# Route key -> the items its request reads first, named from the (not yet validated) event.
_READ_ALONG: dict[str, ReadAlong] = {}
# What the session check of the request running on this thread fetched along.
_fetched = threading.local()


def _raw(event: Any) -> dict[str, Any]:
    return event.raw_event if hasattr(event, "raw_event") else event


def _claims(event: Any) -> dict[str, Any]:
    return _raw(event)["requestContext"]["authorizer"]["jwt"]["claims"]


def read_along(route_key: str, keys: ReadAlong) -> None:
    """Fetch ``keys(event)`` in the session check of ``route_key``. The event is not validated
    yet: ``keys`` returns nothing for parameters that cannot name an item."""
    _READ_ALONG[route_key] = keys


class Prefetched:
    """Items the session check read for this request; each is taken once (a later read of
    the same item, e.g. after a refused write, goes to the table)."""

    def __init__(self, items: dict[ItemName, dict[str, Any] | None] | None = None):
        self._items = dict(items or {})

    def take(self, table: str, key: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
        """(True, the item or None if absent) when it was read along; (False, None) otherwise."""
        name = item_name(table, key)
        if name not in self._items:
            return False, None
        return True, self._items.pop(name)


def prefetched(event: Any) -> Prefetched:
    """What the session check of ``event`` read along (nothing for another request's event)."""
    if getattr(_fetched, "event", None) is not _raw(event):
        return Prefetched()
    items, _fetched.items = _fetched.items, {}
    return Prefetched(items)


def _read_along_keys(event: dict[str, Any]) -> list[ItemKey]:
    keys = _READ_ALONG.get(str(event.get("routeKey", "")))
    if keys is None:
        return []
    try:
        return list(keys(event))
    except Exception:  # a malformed request reads nothing along; the route refuses it later
        logger.info("Nothing read along with the session", extra={"routeKey": event.get("routeKey")})
        return []


class SessionGuard:
    def __init__(self, accounts: AccountsRepository):
        self._accounts = accounts

    def caller(self, event: Any) -> Caller:
        caller = caller_from_event(event)
        claims = _claims(event)
        raw = _raw(event)
        _fetched.event, _fetched.items = None, {}
        extra = _read_along_keys(raw)
        revoked, valid_after, items = self._accounts.session_state_with(
            caller.username, claims.get("origin_jti", ""), extra
        )
        if revoked or int(claims.get("iat", 0)) < valid_after:
            raise SESSION_ENDED
        _fetched.event, _fetched.items = raw, items
        return caller


def session_id(event: Any) -> str:
    return _claims(event).get("origin_jti", "")


def token_expiry(event: Any) -> int:
    return int(_claims(event).get("exp", 0))


def current_caller(event: Any, accounts_table: str) -> Caller:
    """The signed-in caller of ``event``; 401 when the session was ended."""
    from eptsp.aws import dynamodb_table

    return SessionGuard(AccountsRepository(dynamodb_table(accounts_table))).caller(event)


def current_applicant(event: Any, accounts_table: str) -> Caller:
    """The signed-in applicant; officers get 403 (they use their own routes)."""
    caller = current_caller(event, accounts_table)
    caller.require_role(APPLICANT)
    return caller
