"""Pieces of the local stack that must behave as AWS does."""

from __future__ import annotations

import base64
import time
from urllib.parse import urlsplit

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request, Response

from local_stack.gateway import CompiledRoute, Gateway, _claim_value, api_gateway_event
from local_stack.headers import PathHeaders, SecurityHeaders
from local_stack.resources import Known, substitute
from local_stack.s3_proxy import PostPolicy, S3Refusal, SignatureChecker, never_rendered, object_key
from local_stack.site import BuiltSite
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


# ---------------------------------------------------------------- S3 proxy


@pytest.mark.parametrize(
    ("raw_path", "key"),
    [
        ("/docs", ""),
        ("/docs/", ""),
        ("/docs/incoming/u/f", "incoming/u/f"),
        ("/docs/files/a%20b.pdf", "files/a b.pdf"),
        ("/docs/..", None),
        ("/docs/%2e%2e/", None),
        ("/docs/%2E%2e", None),
        ("/docs/..%2f", None),
        ("/docs/%252e%252e/x", None),
        ("/docs/%25252e%25252e/x", None),
        ("/docs/%2525252e%2525252e/x", None),
        ("/docs/a/..\\..\\x", None),
        ("/docs/a/./b", None),
        ("/docs/a%00b", None),
        ("/docsx/a", None),
        ("/other/a", None),
        ("//docs/a", None),
    ],
)
def test_only_paths_that_stay_inside_the_bucket_name_a_key(raw_path, key):
    assert object_key(raw_path, "docs") == key


CONDITIONS = [
    {"bucket": "docs"},
    {"key": "incoming/u/f"},
    {"Content-Type": "application/pdf"},
    ["starts-with", "$x-amz-meta-tag", "ok"],
    ["content-length-range", 1, 100],
]
FIELDS = {"bucket": "docs", "key": "incoming/u/f", "content-type": "application/pdf", "x-amz-meta-tag": "ok-1"}


def test_a_post_policy_holds_for_the_fields_it_signs():
    PostPolicy(CONDITIONS).check(FIELDS, 100)


@pytest.mark.parametrize(
    ("changed", "size", "code"),
    [
        ({"key": "files/u/f"}, 10, "AccessDenied"),
        ({"content-type": "text/html"}, 10, "AccessDenied"),
        ({"bucket": "other"}, 10, "AccessDenied"),
        ({"x-amz-meta-tag": "no"}, 10, "AccessDenied"),
        ({"x-amz-meta-extra": "1"}, 10, "AccessDenied"),
        ({}, 101, "EntityTooLarge"),
        ({}, 0, "EntityTooSmall"),
    ],
)
def test_a_post_policy_refuses_what_it_does_not_sign(changed, size, code):
    with pytest.raises(S3Refusal) as refused:
        PostPolicy(CONDITIONS).check({**FIELDS, **changed}, size)
    assert refused.value.code == code


def test_a_post_policy_must_name_the_bucket():
    with pytest.raises(S3Refusal):
        PostPolicy([{"key": "k"}]).check({"key": "k", "bucket": "docs"}, 1)


@pytest.mark.parametrize(
    ("content_type", "disposition", "expected_type", "expected_disposition"),
    [
        ("application/pdf", None, "application/pdf", "attachment"),
        ("application/pdf", "inline", "application/pdf", "inline"),
        ("application/pdf", "attachment; filename=a.pdf", "application/pdf", "attachment; filename=a.pdf"),
        ("text/html", "inline", "application/octet-stream", "attachment"),
        ("text/html; charset=utf-8", None, "application/octet-stream", "attachment"),
        ("image/svg+xml", "inline", "application/octet-stream", "attachment"),
        ("application/pdf", "form-data", "application/pdf", "attachment"),
    ],
)
def test_a_downloaded_object_is_never_rendered_on_the_origin(
    content_type, disposition, expected_type, expected_disposition
):
    response = Response(b"x", content_type=content_type)
    if disposition:
        response.headers["Content-Disposition"] = disposition
    never_rendered(response)
    assert response.headers["Content-Type"] == expected_type
    assert response.headers["Content-Disposition"] == expected_disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


# ---------------------------------------------------------------- gateway


ROUTE = Route("POST", "/api/x", "F", None)


@pytest.mark.parametrize(
    ("body", "content_type", "base64_encoded"),
    [(b'{"a": 1}', "application/json", False), (b"\xff\xfe{}", "application/json", True), (b"\xff", "", True)],
)
def test_a_body_reaches_the_function_as_text_only_when_it_is_utf8(body, content_type, base64_encoded):
    request = Request(EnvironBuilder(method="POST", path="/api/x", data=body, content_type=content_type).get_environ())
    event = api_gateway_event(request, ROUTE, {}, None)
    assert event["isBase64Encoded"] is base64_encoded
    assert (base64.b64decode(event["body"]) if base64_encoded else event["body"].encode()) == body


class FailingFunction:
    def __init__(self, result):
        self._result = result

    def invoke(self, _event):
        if isinstance(self._result, Exception):
            raise self._result
        return self._result


@pytest.mark.parametrize(
    ("result", "status"),
    [(RuntimeError("boom"), 500), ({"statusCode": "abc"}, 502), ({"statusCode": 200, "body": 5}, 502)],
)
def test_a_failing_or_malformed_function_gives_json_in_the_error_shape(tmp_path, result, status):
    gateway = Gateway([ROUTE], {"F": FailingFunction(result)}, BuiltSite(tmp_path), {}, {})
    response = Client(gateway).post("/api/x", json={})
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert set(response.json) == {"code", "message"}


def test_each_path_gets_the_headers_of_its_cache_behaviour():
    headers = SecurityHeaders(
        [
            PathHeaders("/api/docs*", {"Content-Security-Policy": ("console", True)}),
            PathHeaders("api/*", {"Content-Security-Policy": ("api", True), "Referrer-Policy": ("no-referrer", False)}),
            PathHeaders("*", {"Content-Security-Policy": ("site", True)}),
        ]
    )
    assert headers.for_path("/api/docs").headers["Content-Security-Policy"][0] == "console"
    assert headers.for_path("/api/catalogue/izin").headers["Content-Security-Policy"][0] == "api"
    assert headers.for_path("/index.html").headers["Content-Security-Policy"][0] == "site"
    response = Response(b"{}", headers={"Content-Security-Policy": "origin", "Referrer-Policy": "origin-set"})
    headers.apply("/api/me", response)
    # Override replaces what the origin sent; without it, the origin's header stays.
    assert response.headers["Content-Security-Policy"] == "api"
    assert response.headers["Referrer-Policy"] == "origin-set"


# ---------------------------------------------------------------- SigV4 as botocore signs it

CREDENTIALS = Credentials("local", "s3cr3t", "token")


def signed(method: str, url: str, body: bytes = b"", credentials: Credentials = CREDENTIALS) -> Request:
    """A werkzeug request carrying what botocore's S3 signer puts on the wire."""
    aws_request = AWSRequest(method, url, {}, body)
    S3SigV4Auth(credentials, "s3", "ap-southeast-3").add_auth(aws_request)
    parts = urlsplit(url)
    headers = {"Host": parts.netloc, **dict(aws_request.headers.items())}
    builder = EnvironBuilder(method=method, path=parts.path, query_string=parts.query, headers=headers, data=body)
    return Request(builder.get_environ())


def test_a_request_signed_by_botocore_is_accepted():
    url = "http://127.0.0.1:3000/docs/files/a?versions=&prefix=files%2Fa"
    SignatureChecker(CREDENTIALS, "ap-southeast-3").check_header(signed("GET", url), url, b"")


@pytest.mark.parametrize(
    ("credentials", "url_seen", "body_seen", "code"),
    [
        (Credentials("local", "other", "token"), None, b"", "SignatureDoesNotMatch"),
        (Credentials("someone", "s3cr3t", "token"), None, b"", "InvalidAccessKeyId"),
        (Credentials("local", "s3cr3t", "other"), None, b"", "InvalidToken"),
        (CREDENTIALS, "http://127.0.0.1:3000/docs/files/b", b"", "SignatureDoesNotMatch"),
        (CREDENTIALS, None, b"changed", "XAmzContentSHA256Mismatch"),
    ],
)
def test_a_request_not_signed_with_the_stacks_credentials_is_refused(credentials, url_seen, body_seen, code):
    url = "http://127.0.0.1:3000/docs/files/a"
    request = signed("PUT", url, b"", credentials)
    with pytest.raises(S3Refusal) as refused:
        SignatureChecker(CREDENTIALS, "ap-southeast-3").check_header(request, url_seen or url, body_seen)
    assert refused.value.code == code


def presigned(expires: int) -> tuple[Request, str]:
    aws_request = AWSRequest("GET", "http://127.0.0.1:3000/docs/files/a?response-content-type=application%2Fpdf")
    S3SigV4QueryAuth(CREDENTIALS, "s3", "ap-southeast-3", expires=expires).add_auth(aws_request)
    parts = urlsplit(aws_request.url)
    headers = {"Host": "127.0.0.1:3000"}
    builder = EnvironBuilder(method="GET", path=parts.path, query_string=parts.query, headers=headers)
    return Request(builder.get_environ()), aws_request.url


def test_a_presigned_url_is_accepted_until_it_expires(monkeypatch):
    request, url = presigned(60)
    checker = SignatureChecker(CREDENTIALS, "ap-southeast-3")
    checker.check_query(request, url)
    later = time.time() + 61
    monkeypatch.setattr("local_stack.s3_proxy.time.time", lambda: later)
    with pytest.raises(S3Refusal, match="expired"):
        checker.check_query(request, url)


def test_a_presigned_url_with_a_changed_parameter_is_refused():
    request, url = presigned(60)
    changed = url.replace("application%2Fpdf", "text%2Fhtml")
    with pytest.raises(S3Refusal) as refused:
        SignatureChecker(CREDENTIALS, "ap-southeast-3").check_query(request, changed)
    assert refused.value.code == "SignatureDoesNotMatch"
