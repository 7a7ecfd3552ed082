"""The guard in front of every API function: each template route has an access entry, a
route without one is refused, and bodies the API cannot read are refused in the one error
shape before the resolver sees them."""

from __future__ import annotations

import base64
import importlib.util
import json
import sys

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from eptsp.access import ANYONE, APPLICANT_ONLY, Access, guarded, officers
from eptsp.errors import DomainError, Unauthenticated
from eptsp.http import check_path_parameters, check_request_body
from eptsp.identity import caller_from_event
from local_stack import template

API_FUNCTIONS = [spec for spec in template.functions(template.load_sam_template()) if spec.routes]


def load_module(spec: template.FunctionSpec):
    sys.path.insert(0, str(spec.code_dir))
    try:
        module_spec = importlib.util.spec_from_file_location(f"access_{spec.logical_id}", spec.module_path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(spec.code_dir))
    return module


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=[f.logical_id for f in API_FUNCTIONS])
def test_every_template_route_has_exactly_one_access_entry(spec):
    # Given the function as Lambda imports it
    module = load_module(spec)
    # Then its access table names exactly the routes the template gives it: a new route
    # without an entry would be refused by the guard (fail closed) and fails here first
    assert set(module.ACCESS) == {route.route_key for route in spec.routes}
    assert all(isinstance(access, Access) for access in module.ACCESS.values())
    # And public routes are exactly the template's routes without the JWT authorizer
    public = {key for key, access in module.ACCESS.items() if not access.signed_in}
    assert public == {route.route_key for route in spec.routes if not route.authorized}


def answer(handler, event):
    result = handler(event, None)
    return result["statusCode"], json.loads(result["body"]) if result.get("body") else None


def test_a_route_missing_from_the_table_is_refused():
    # Given a function whose table forgot one of its routes
    app = APIGatewayHttpResolver(enable_validation=True)
    reached = []

    @guarded(app, {"GET /api/a": ANYONE})
    def handler(event, context):
        reached.append(event["routeKey"])
        return {"statusCode": 200}

    # When the forgotten route (or an event with no route at all) is called
    for event in ({"routeKey": "GET /api/b"}, {}):
        status, body = answer(handler, event)
        # Then it is refused in the one error shape and the handler never runs
        assert status == 403 and body["code"] == "TIDAK_BERWENANG" and body["message"]
    assert answer(handler, {"routeKey": "GET /api/a"})[0] == 200
    assert reached == ["GET /api/a"]


def test_signed_in_routes_need_settings_and_roles_must_be_officer_roles():
    app = APIGatewayHttpResolver(enable_validation=True)
    with pytest.raises(ValueError):
        guarded(app, {"GET /api/a": APPLICANT_ONLY})
    with pytest.raises(ValueError):
        officers("pemohon")
    with pytest.raises(ValueError):
        officers()


def claims_event(**claims):
    return {"requestContext": {"authorizer": {"jwt": {"claims": {"sub": "u-1", "cognito:username": "u", **claims}}}}}


@pytest.mark.parametrize("token_use", ["id", "", None, "refresh"])
def test_only_access_tokens_are_credentials(token_use):
    claims = {} if token_use is None else {"token_use": token_use}
    with pytest.raises(Unauthenticated):
        caller_from_event(claims_event(**claims))
    assert caller_from_event(claims_event(token_use="access")).user_id == "u-1"


def body_event(body: bytes | str | None, content_type: str | None = None, base64_encoded: bool = False):
    event = {"headers": {"content-type": content_type} if content_type else {}}
    if body is not None:
        if base64_encoded:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        else:
            event["body"] = body if isinstance(body, str) else body.decode()
    return event


def refusal(event) -> tuple[int, str] | None:
    try:
        check_request_body(event)
    except DomainError as error:
        return int(error.status), error.code
    return None


@pytest.mark.parametrize(
    "content_type",
    [None, "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"],
)
def test_json_bodies_pass_with_a_json_type_or_none(content_type):
    assert refusal(body_event('{"a": [1, 2.5, "x"]}', content_type)) is None
    assert refusal(body_event(b'{"a": 1}', content_type, base64_encoded=True)) is None
    assert refusal(body_event(None, content_type)) is None


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "application/vnd.api+json",
        "application/octet-stream",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/jsonx",
    ],
)
def test_other_declared_types_are_415_with_or_without_a_body(content_type):
    assert refusal(body_event('{"a": 1}', content_type)) == (415, "JENIS_ISI_TIDAK_DIDUKUNG")
    assert refusal(body_event(None, content_type)) == (415, "JENIS_ISI_TIDAK_DIDUKUNG")


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_bodies_that_are_not_utf8_are_400(content_type):
    assert refusal(body_event(b"\xff\xfe", content_type, base64_encoded=True))[0] == 400
    assert refusal(body_event("\udcff", content_type))[0] == 400  # a raw body with a lone surrogate
    assert refusal({"headers": {}, "body": "%%%", "isBase64Encoded": True})[0] == 400


@pytest.mark.parametrize(
    "body",
    [
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": -Infinity}',
        '{"a": 1e999}',
        "[" * 1000 + "]" * 1000,
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 40 + "1" + "}" * 40,
        "{bukan json",
        "1" * 5000,
        '{"a": "x\\ud800"}',
        '{"\\udc00": 1}',
    ],
    ids=[
        *("nan", "inf", "-inf", "overflow", "deep-1000", "deep-100000", "deep-objects", "malformed", "huge-int"),
        *("lone-surrogate", "lone-surrogate-key"),
    ],
)
def test_json_the_api_cannot_store_is_422(body):
    assert refusal(body_event(body, "application/json")) == (422, "VALIDASI_GAGAL")


@pytest.mark.parametrize("value", ["\x00", "a\tb", "../etc", "a\\b", "a" * 257])
def test_path_parameters_no_route_could_mean_are_422(value):
    with pytest.raises(DomainError) as refused:
        check_path_parameters({"pathParameters": {"fileId": value}})
    assert refused.value.status == 422 and refused.value.field == "fileId"
    check_path_parameters({"pathParameters": {"fileId": "abcDEF_123-x"}})
