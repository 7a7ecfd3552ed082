"""The signed-in caller of a request, with sign-out honoured.

API Gateway's JWT authorizer checks signature, issuer, audience and expiry, but it cannot
know that a session was signed out or that a password reset ended every session. Routes
behind login therefore ask ``SessionGuard`` for the caller: one DynamoDB round trip.
"""

from __future__ import annotations

from typing import Any

from eptsp.accounts.repository import AccountsRepository
from eptsp.errors import Unauthenticated
from eptsp.identity import APPLICANT, Caller, caller_from_event

SESSION_ENDED = Unauthenticated("Sesi Anda telah berakhir. Silakan masuk kembali.")


def _claims(event: Any) -> dict[str, Any]:
    raw = event.raw_event if hasattr(event, "raw_event") else event
    return raw["requestContext"]["authorizer"]["jwt"]["claims"]


class SessionGuard:
    def __init__(self, accounts: AccountsRepository):
        self._accounts = accounts

    def caller(self, event: Any) -> Caller:
        caller = caller_from_event(event)
        claims = _claims(event)
        revoked, valid_after = self._accounts.session_state(caller.username, claims.get("origin_jti", ""))
        if revoked or int(claims.get("iat", 0)) < valid_after:
            raise SESSION_ENDED
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
