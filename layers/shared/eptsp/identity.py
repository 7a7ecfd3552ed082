"""The caller, read only from the JWT claims API Gateway has already verified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eptsp.errors import Forbidden, Unauthenticated

APPLICANT = "pemohon"
OFFICER_ROLES = frozenset({"verifikator", "teknis", "kepala", "admin"})


def _roles(claim: Any) -> frozenset[str]:
    """The officer role groups a token carries; a token with none is an applicant's.

    Applicants and officers sign in to two user pools, and API Gateway's authorizers keep
    each pool's tokens on its own routes (every /api/officer/ and /api/admin/ route takes
    only the officers' pool), so only officers need a group. Applicants registered before
    carry the ``pemohon`` group, which reads the same."""
    # HTTP API hands array claims to Lambda as a string such as "[verifikator]".
    if isinstance(claim, list):
        names = claim
    elif isinstance(claim, str):
        names = claim.strip("[]").replace(",", " ").split()
    else:
        names = []
    return frozenset(name for name in names if name in OFFICER_ROLES) or frozenset({APPLICANT})


@dataclass(frozen=True)
class Caller:
    user_id: str
    username: str
    roles: frozenset[str]

    @property
    def is_officer(self) -> bool:
        return bool(self.roles & OFFICER_ROLES)

    def require_role(self, *roles: str) -> None:
        if not self.roles.intersection(roles):
            raise Forbidden()


NOT_AN_ACCESS_TOKEN = Unauthenticated("Gunakan token akses (accessToken), bukan token identitas.")


def caller_from_event(event: Any) -> Caller:
    """The verified caller of an API Gateway v2 event (a Powertools event or a plain dict).

    Only access tokens are API credentials: an ID token carries the same signature, issuer
    and audience, so API Gateway's authorizer accepts it; its ``token_use`` tells them apart.
    """
    raw = event.raw_event if hasattr(event, "raw_event") else event
    claims = (((raw.get("requestContext") or {}).get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    if not claims.get("sub"):
        raise Unauthenticated()
    if claims.get("token_use") != "access":
        raise NOT_AN_ACCESS_TOKEN
    username = claims.get("cognito:username") or claims.get("username") or claims["sub"]
    return Caller(user_id=claims["sub"], username=username, roles=_roles(claims.get("cognito:groups")))
