"""Pieces of the local stack that must behave as AWS does."""

from __future__ import annotations

from local_stack.gateway import CompiledRoute, _claim_value
from local_stack.resources import Known, substitute
from local_stack.template import Route


def test_substitute_replaces_known_references_and_keeps_the_rest():
    known = {"UserPool": Known("pool-1", {"Arn": "arn:pool-1"}), "Stage": Known("prod")}
    node = {
        "a": {"Ref": "UserPool"},
        "b": {"Fn::GetAtt": ["UserPool", "Arn"]},
        "c": {"Fn::GetAtt": "UserPool.Arn"},
        "d": {"Fn::Sub": "https://x/${UserPool}/${Stage}"},
        "e": {"Fn::Sub": "${Other}-${Stage}"},
        "f": {"Ref": "Other"},
        "g": [{"Ref": "Stage"}],
    }
    assert substitute(node, known) == {
        "a": "pool-1",
        "b": "arn:pool-1",
        "c": "arn:pool-1",
        "d": "https://x/pool-1/prod",
        "e": {"Fn::Sub": "${Other}-prod"},
        "f": {"Ref": "Other"},
        "g": ["prod"],
    }


def test_literal_routes_win_over_parameters_and_greedy_ones():
    routes = sorted(
        (CompiledRoute.of(Route("GET", p, "F", False)) for p in ["/api/{proxy+}", "/api/x/{id}", "/api/x/me"]),
        key=lambda c: c.specificity,
    )
    assert [c.route.path for c in routes] == ["/api/x/me", "/api/x/{id}", "/api/{proxy+}"]
    assert routes[1].pattern.match("/api/x/abc").groupdict() == {"id": "abc"}
    assert not routes[1].pattern.match("/api/x/a/b")


def test_claims_reach_lambda_as_strings_like_api_gateway_sends_them():
    assert _claim_value(["pemohon", "admin"]) == "[pemohon admin]"
    assert _claim_value(1700000000) == "1700000000"
