"""No route answers a 5xx to garbage: malformed JSON, wrong shapes, wrong types, odd ids.
Every refusal is in the one error shape with an Indonesian message."""

from __future__ import annotations

import pytest

from local_stack import template
from tests.integration.accounts_helpers import demo_token, registered_applicant

GARBAGE_BODIES = [
    b"{not json",
    b"[]",
    b'"teks"',
    b"null",
    b'{"version": "satu", "data": [], "fileId": 7, "nik": {"a": 1}, "size": -1}',
    '{"name": "\u0000\u202e", "username": "\' OR 1=1 --"}'.encode(),
]
ODD_SEGMENTS = ["x", "..%2F..%2Fetc", "A" * 300, "%00", "rekomendasi-penelitian"]

ROUTES = [route for spec in template.functions(template.load_sam_template()) for route in spec.routes]


@pytest.fixture(scope="module")
def tokens(api):
    _, applicant = registered_applicant(api)
    return {"pemohon": applicant, "admin": demo_token(api, "admin")}


def concrete_paths(path: str) -> list[str]:
    if "{" not in path:
        return [path]
    import re

    return [re.sub(r"\{[^}]+\}", segment, path) for segment in ODD_SEGMENTS]


@pytest.mark.parametrize("route", ROUTES, ids=[r.route_key for r in ROUTES])
def test_garbage_never_gets_a_5xx(api, tokens, route):
    token = tokens["admin" if "/admin/" in route.path else "pemohon"]
    if route.path == "/api/auth/logout":
        token = registered_applicant(api)[1]  # its own session, so the others stay signed in
    bodies = GARBAGE_BODIES if route.method in ("POST", "PUT") else [None]
    for path in concrete_paths(route.path):
        for body in bodies:
            response = api.request(
                route.method, path, token=token, data=body, headers={"Content-Type": "application/json"}
            )
            assert response.status_code < 500, (route.route_key, path, body, response.text)
            if response.status_code >= 400:
                error = response.json()
                assert error["code"] and error["message"], error
