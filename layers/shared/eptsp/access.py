"""Who may call each route, checked before anything of the request is read.

Powertools validates a request (path, query, body) before any middleware runs, so a
refusal made inside a route comes after the schema's complaints: an applicant posting
``{}`` to an admin route would learn the admin schema (422) instead of hearing 403. Each
function therefore declares one table, route key -> ``Access``, and wraps its
``lambda_handler`` in ``guarded``, which, keyed by the event's ``routeKey``:

1. refuses a route with no entry in the table (fail closed: a route added to the
   template but not to the table is never open by accident);
2. for signed-in routes, reads the caller from the verified claims (access tokens only),
   checks that the session was not ended (``eptsp.sessions``, one DynamoDB read) -> 401,
   and the caller's role -> 403;
3. checks that path parameters and the body can be read (``eptsp.http``);
4. then calls the handler, whose routes take the checked caller with ``signed_in(app)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from eptsp.errors import DomainError, Forbidden, Unauthenticated
from eptsp.http import check_path_parameters, check_request_body, proxy_error
from eptsp.identity import APPLICANT, OFFICER_ROLES, Caller
from eptsp.observability import logger
from eptsp.settings import SignedInSettings

_CALLER = "eptsp_caller"
NO_POLICY = Forbidden("Rute ini belum dibuka untuk siapa pun.")


@dataclass(frozen=True)
class Access:
    """Who may call a route: anyone, or a signed-in caller with a live session and one of ``roles``."""

    signed_in: bool
    roles: frozenset[str] = frozenset()  # empty: any role

    def admits(self, caller: Caller) -> bool:
        return not self.roles or bool(caller.roles & self.roles)


ANYONE = Access(signed_in=False)
# Applicants and officers sign in to different user pools, and each route takes one pool's
# tokens (API Gateway's authorizer), so every signed-in route is for one or the other.
APPLICANT_ONLY = Access(signed_in=True, roles=frozenset({APPLICANT}))
ANY_OFFICER = Access(signed_in=True, roles=OFFICER_ROLES)


def officers(*roles: str) -> Access:
    unknown = set(roles) - OFFICER_ROLES
    if not roles or unknown:
        raise ValueError(f"not officer roles: {sorted(unknown) or 'none given'}")
    return Access(signed_in=True, roles=frozenset(roles))


def admit(event: Mapping[str, Any], routes: Mapping[str, Access], accounts_table: Callable[[], str]) -> Caller | None:
    """The checked caller of ``event`` (None on a public route), or the refusal."""
    access = routes.get(str(event.get("routeKey", "")))
    if access is None:
        logger.error("Route without an access policy", extra={"routeKey": event.get("routeKey")})
        raise NO_POLICY
    if not access.signed_in:
        return None
    # Imported here: the session check pulls in the accounts package, which public-only
    # functions (catalogue, console) never need at cold start.
    from eptsp.sessions import current_caller

    caller = current_caller(event, accounts_table())
    if not access.admits(caller):
        raise Forbidden()
    return caller


def guarded(
    app: APIGatewayHttpResolver,
    routes: Mapping[str, Access],
    settings: type[SignedInSettings] | None = None,
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Wrap a ``lambda_handler``: access and a readable body are checked before ``app.resolve``.

    ``settings`` names the accounts table that sessions are checked against; a function with
    only public routes passes none.
    """
    if settings is None and any(access.signed_in for access in routes.values()):
        raise ValueError("signed-in routes need settings with the accounts table")

    def accounts_table() -> str:
        return settings.load().accounts_table  # type: ignore[union-attr]  # checked above

    def decorate(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        @functools.wraps(handler)
        def guarded_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            try:
                caller = admit(event, routes, accounts_table)
                check_path_parameters(event)
                check_request_body(event)
            except DomainError as refusal:
                logger.info("Request refused before routing", extra={"code": refusal.code, "field": refusal.field})
                return proxy_error(refusal)
            if caller is not None:
                app.append_context(**{_CALLER: caller})
            return handler(event, context)

        return guarded_handler

    return decorate


def signed_in(app: APIGatewayHttpResolver) -> Caller:
    """The caller ``guarded`` checked for this request; a route reached without one is refused."""
    caller = app.context.get(_CALLER)
    if caller is None:
        raise Unauthenticated()
    return caller
