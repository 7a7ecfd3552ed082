"""events/: one sample event per route, still true for the handlers (and usable with
`sam local invoke <Function> -e events/<file>.json` where Docker exists)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_stack import template

EVENTS_DIR = template.ROOT / "events"
EVENT_FILES = sorted(EVENTS_DIR.glob("*.json"))
# What each sample gets from a freshly seeded stack (the samples use the demo accounts).
EXPECTED_STATUS = {
    "auth-post-auth-login.json": 400,  # its security code was never issued
    "auth-post-auth-refresh.json": 401,  # a sample refresh token is no session
    "auth-post-auth-register.json": 201,
    "auth-post-auth-reset-password.json": 400,  # no PIN was asked for
    "auth-post-auth-logout.json": 204,
    "auth-post-auth-forgot-password.json": 202,
    "officers-post-admin-officers.json": 201,
    "profile-post-me-password.json": 204,
}
ROUTES = {
    route.route_key: spec.logical_id
    for spec in template.functions(template.load_sam_template())
    for route in spec.routes
}


def test_every_route_has_a_sample_event():
    covered = {json.loads(path.read_text())["routeKey"] for path in EVENT_FILES}
    assert covered == set(ROUTES)


@pytest.mark.parametrize("path", EVENT_FILES, ids=[p.name for p in EVENT_FILES])
def test_sample_event_runs_on_its_function(stack, path: Path):
    event = json.loads(path.read_text())
    function = stack.functions[ROUTES[event["routeKey"]]]
    # When
    result = function.invoke(event)
    # Then
    assert result["statusCode"] == EXPECTED_STATUS.get(path.name, 200), result.get("body")
