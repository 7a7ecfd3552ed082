"""The session check reads a route's first item along (one BatchGetItem instead of two
round trips): the item goes only to the request whose session was checked, once, and
never before that session is known to be live."""

from __future__ import annotations

import pytest

from eptsp import sessions
from eptsp.dynamo import item_name
from eptsp.errors import Unauthenticated
from eptsp.sessions import SessionGuard, prefetched, read_along

ROUTE = "GET /api/uji/{applicationId}"
TABLE = "Applications"
DRAFT = {"pk": "PERMOHONAN#abcdefgh", "sk": "META", "version": 3}


class Accounts:
    """The session check's store: what the BatchGetItem would answer."""

    def __init__(self, revoked: bool = False):
        self.revoked = revoked
        self.asked: list[list[tuple[str, dict]]] = []

    def session_state_with(self, username, origin_jti, extra):
        self.asked.append(extra)
        items = {item_name(t, k): (DRAFT if k["pk"] == DRAFT["pk"] else None) for t, k in extra}
        return self.revoked, 0, items


def event(application_id: str = "abcdefgh") -> dict:
    claims = {"sub": "s-1", "username": "6571015203950001", "token_use": "access", "iat": "100"}
    return {
        "routeKey": ROUTE,
        "pathParameters": {"applicationId": application_id},
        "requestContext": {"authorizer": {"jwt": {"claims": claims}}},
    }


def the_draft(e: dict):
    application_id = e["pathParameters"]["applicationId"]
    if len(application_id) < 8:
        raise ValueError("not an id")
    yield TABLE, {"pk": f"PERMOHONAN#{application_id}", "sk": "META"}


@pytest.fixture(autouse=True)
def route():
    read_along(ROUTE, the_draft)
    yield
    sessions._READ_ALONG.pop(ROUTE)


def test_the_item_read_along_goes_to_its_own_request_once():
    accounts, checked = Accounts(), event()
    SessionGuard(accounts).caller(checked)
    # One round trip asked for the session and the draft together
    assert accounts.asked == [[(TABLE, {"pk": DRAFT["pk"], "sk": "META"})]]
    # Another request's event (even an equal one) gets nothing of it
    assert prefetched(event()).take(TABLE, {"pk": DRAFT["pk"], "sk": "META"}) == (False, None)
    # Its own request takes it once; a second read of the same item goes to the table
    found = prefetched(checked)
    assert found.take(TABLE, {"pk": DRAFT["pk"], "sk": "META"}) == (True, DRAFT)
    assert found.take(TABLE, {"pk": DRAFT["pk"], "sk": "META"}) == (False, None)
    assert prefetched(checked).take(TABLE, {"pk": DRAFT["pk"], "sk": "META"}) == (False, None)


def test_an_absent_item_is_read_as_absent():
    checked = event("tidakada")
    SessionGuard(Accounts()).caller(checked)
    assert prefetched(checked).take(TABLE, {"pk": "PERMOHONAN#tidakada", "sk": "META"}) == (True, None)


def test_a_path_that_names_no_item_reads_nothing_along():
    accounts, checked = Accounts(), event("x")
    SessionGuard(accounts).caller(checked)
    assert accounts.asked == [[]]


def test_an_ended_session_keeps_nothing_it_read():
    checked = event()
    with pytest.raises(Unauthenticated):
        SessionGuard(Accounts(revoked=True)).caller(checked)
    assert prefetched(checked).take(TABLE, {"pk": DRAFT["pk"], "sk": "META"}) == (False, None)
