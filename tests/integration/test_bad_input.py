"""No route answers a 5xx to input it cannot use: every route x every content type x
every kind of body, and odd path segments, each with the exact 4xx it must get, in the one
error shape.

The rule (README, "Bad input"): a request is read as JSON. A Content-Type other than
``application/json`` is a 415 (with or without a body); none is read as JSON. A body that
is not UTF-8 is a 400; JSON with NaN/Infinity or nested deeper than 32 levels is a 422.
Otherwise the route answers as it would with that body (``no_body`` / ``json`` below).

Requests go through the local gateway in-process (its WSGI app), so a few thousand of
them take seconds and a 100 KB path is not cut short by the HTTP server.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pytest
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request

from local_stack import template
from local_stack.gateway import api_gateway_event
from tests.integration.accounts_helpers import demo_token, login, registered_applicant
from tests.integration.test_applications import detail_data
from tools.load_catalogue import read_catalogue

JSON_TYPES = (None, "application/json")
OTHER_TYPES = (
    "text/plain",
    "application/xml",
    "application/vnd.api+json",
    "application/octet-stream",
    "multipart/form-data; boundary=batas",
)
BODIES = {
    "json": b'{"contoh": 1}',
    "bukan-utf8": b"\xff\xfe",
    "dalam-100000": b"[" * 100_000 + b"]" * 100_000,
    "kosong": b"",
}
# Sent with the JSON types only: with any other type they are one more 415.
JSON_ONLY_BODIES = {
    "nan": b'{"contoh": NaN, "lain": [Infinity, -Infinity, 1e999]}',
    "dalam-1000": b"[" * 1000 + b"]" * 1000,
    "surrogate": b'{"contoh": "\\ud800"}',  # valid JSON, but no character: not storable
}


@dataclass(frozen=True)
class Case:
    """How a route answers an allowed caller: with no body, and with a well-formed JSON body."""

    path: str
    # "pemohon", "admin", "verifikator", "sesi-baru" / "sesi-petugas" (a session of its own), None (anonymous)
    caller: str | None
    no_body: int
    json: int  # routes without a body ignore one, routes with one refuse {"contoh": 1}


NO_DRAFT, NO_FILE = "/api/applications/tidakAda1234", "/api/files/tidakAda123456"
CASES = {
    "GET /api/catalogue/izin": Case("/api/catalogue/izin", None, 200, 200),
    "GET /api/meta": Case("/api/meta", None, 200, 200),
    "GET /api/catalogue/izin/{izinId}": Case("/api/catalogue/izin/tidak-ada", None, 404, 404),
    "GET /api/catalogue/permohonan/{jenisPermohonanId}/persyaratan": Case(
        "/api/catalogue/permohonan/tidak-ada/persyaratan", None, 404, 404
    ),
    "GET /api/auth/captcha": Case("/api/auth/captcha", None, 200, 200),
    "POST /api/auth/register": Case("/api/auth/register", None, 422, 422),
    "POST /api/auth/activate": Case("/api/auth/activate", None, 422, 422),
    "POST /api/auth/activate/resend": Case("/api/auth/activate/resend", None, 422, 422),
    "POST /api/auth/login": Case("/api/auth/login", None, 422, 422),
    "POST /api/auth/refresh": Case("/api/auth/refresh", None, 401, 401),  # no refresh token in body or cookie
    "POST /api/auth/logout": Case("/api/auth/logout", "sesi-baru", 204, 204),
    "POST /api/auth/forgot-password": Case("/api/auth/forgot-password", None, 422, 422),
    "POST /api/auth/reset-password": Case("/api/auth/reset-password", None, 422, 422),
    "POST /api/officer/auth/login": Case("/api/officer/auth/login", None, 422, 422),
    "POST /api/officer/auth/mfa": Case("/api/officer/auth/mfa", None, 422, 422),
    "POST /api/officer/auth/logout": Case("/api/officer/auth/logout", "sesi-petugas", 204, 204),
    "GET /api/officer/me": Case("/api/officer/me", "verifikator", 200, 200),
    "POST /api/officer/me/password": Case("/api/officer/me/password", "verifikator", 422, 422),
    "GET /api/me": Case("/api/me", "pemohon", 200, 200),
    "PUT /api/me": Case("/api/me", "pemohon", 422, 422),
    "POST /api/me/password": Case("/api/me/password", "pemohon", 422, 422),
    "POST /api/me/contact/confirm": Case("/api/me/contact/confirm", "pemohon", 422, 422),
    "POST /api/admin/officers": Case("/api/admin/officers", "admin", 422, 422),
    "GET /api/admin/catalogue/izin/{izinId}": Case("/api/admin/catalogue/izin/tidak-ada", "admin", 404, 404),
    "POST /api/admin/catalogue/izin": Case("/api/admin/catalogue/izin", "admin", 422, 422),
    "PUT /api/admin/catalogue/izin/{izinId}": Case("/api/admin/catalogue/izin/tidak-ada", "admin", 422, 422),
    "PUT /api/admin/catalogue/izin/{izinId}/layanan/{layananId}": Case(
        "/api/admin/catalogue/izin/tidak-ada/layanan/tidak-ada", "admin", 422, 422
    ),
    "PUT /api/admin/catalogue/permohonan/{jenisPermohonanId}": Case(
        "/api/admin/catalogue/permohonan/tidak-ada", "admin", 422, 422
    ),
    "GET /api/admin/catalogue/audit": Case("/api/admin/catalogue/audit", "admin", 200, 200),
    "GET /api/admin/calendar": Case("/api/admin/calendar", "admin", 200, 200),
    "PUT /api/admin/calendar/{date}": Case("/api/admin/calendar/2026-12-01", "admin", 422, 422),
    # No version: 422 before anything is read
    "DELETE /api/admin/calendar/{date}": Case("/api/admin/calendar/2026-12-01", "admin", 422, 422),
    "POST /api/applications": Case("/api/applications", "pemohon", 422, 422),
    "GET /api/applications": Case("/api/applications", "pemohon", 200, 200),
    "GET /api/applications/{applicationId}": Case(NO_DRAFT, "pemohon", 404, 404),
    "DELETE /api/applications/{applicationId}": Case(NO_DRAFT, "pemohon", 404, 404),
    "PUT /api/applications/{applicationId}/sections/{section}": Case(
        f"{NO_DRAFT}/sections/detail", "pemohon", 422, 422
    ),
    "PUT /api/applications/{applicationId}/attachments/{requirementId}": Case(
        f"{NO_DRAFT}/attachments/ktp", "pemohon", 422, 422
    ),
    "DELETE /api/applications/{applicationId}/attachments/{requirementId}": Case(
        f"{NO_DRAFT}/attachments/ktp", "pemohon", 404, 404
    ),
    "PUT /api/applications/{applicationId}/declaration": Case(f"{NO_DRAFT}/declaration", "pemohon", 422, 422),
    "GET /api/applications/{applicationId}/completeness": Case(f"{NO_DRAFT}/completeness", "pemohon", 404, 404),
    "GET /api/applications/{applicationId}/receipt": Case(f"{NO_DRAFT}/receipt", "pemohon", 404, 404),
    "GET /api/applications/{applicationId}/permit": Case(f"{NO_DRAFT}/permit", "pemohon", 404, 404),
    "GET /api/verify/{permitId}": Case("/api/verify/0123456789ABCDEF", None, 200, 200),
    "POST /api/officer/permits/{permitId}/revoke": Case(
        "/api/officer/permits/0123456789ABCDEF/revoke", "admin", 422, 422
    ),
    "POST /api/applications/{applicationId}/submit": Case(f"{NO_DRAFT}/submit", "pemohon", 422, 422),
    "POST /api/applications/{applicationId}/resubmit": Case(f"{NO_DRAFT}/resubmit", "pemohon", 422, 422),
    "GET /api/officer/tasks": Case("/api/officer/tasks", "admin", 200, 200),
    "GET /api/officer/applications/{applicationId}": Case("/api/officer/applications/tidakAda1234", "admin", 404, 404),
    "POST /api/officer/tasks/{taskId}/claim": Case("/api/officer/tasks/tidakAda1234/claim", "admin", 404, 404),
    "POST /api/officer/tasks/{taskId}/decision": Case(
        "/api/officer/tasks/tidakAda1234/decision", "verifikator", 422, 422
    ),
    "POST /api/officer/applications/{applicationId}/retry": Case(
        "/api/officer/applications/tidakAda1234/retry", "admin", 404, 404
    ),
    "GET /api/monitoring/{receiptNumber}": Case("/api/monitoring/2611-0000-0000", None, 404, 404),
    "GET /api/monitoring/{receiptNumber}/riwayat": Case("/api/monitoring/2611-0000-0000/riwayat", "pemohon", 404, 404),
    "GET /api/officer/monitoring/{receiptNumber}/riwayat": Case(
        "/api/officer/monitoring/2611-0000-0000/riwayat", "verifikator", 404, 404
    ),
    "GET /api/inbox": Case("/api/inbox", "pemohon", 200, 200),
    "GET /api/inbox/unread-count": Case("/api/inbox/unread-count", "pemohon", 200, 200),
    "POST /api/inbox/{messageId}/read": Case("/api/inbox/20260101T000000000Z-00000000/read", "pemohon", 404, 404),
    "POST /api/inbox/read-all": Case("/api/inbox/read-all", "pemohon", 204, 204),
    "GET /api/surveys/pending": Case("/api/surveys/pending", "pemohon", 200, 200),
    "POST /api/surveys": Case("/api/surveys", "pemohon", 422, 422),
    "GET /api/officer/reports/ikm": Case("/api/officer/reports/ikm", "admin", 200, 200),
    "GET /api/officer/reports/summary": Case(
        "/api/officer/reports/summary?from=2025-01-01&to=2025-01-31", "admin", 200, 200
    ),
    "GET /api/public/kinerja": Case("/api/public/kinerja", None, 200, 200),
    "POST /api/files/presign": Case("/api/files/presign", "pemohon", 422, 422),
    "GET /api/files": Case("/api/files", "pemohon", 200, 200),
    "POST /api/complaints": Case("/api/complaints", "pemohon", 422, 422),
    "GET /api/complaints": Case("/api/complaints", "pemohon", 200, 200),
    "GET /api/complaints/{complaintId}": Case("/api/complaints/tidakAda12345", "pemohon", 404, 404),
    "GET /api/officer/complaints": Case("/api/officer/complaints", "admin", 200, 200),
    "POST /api/officer/complaints/{complaintId}/replies": Case(
        "/api/officer/complaints/tidakAda12345/replies", "admin", 422, 422
    ),
    "POST /api/officer/complaints/{complaintId}/close": Case(
        "/api/officer/complaints/tidakAda12345/close", "admin", 404, 404
    ),
    "GET /api/files/{fileId}": Case(NO_FILE, "pemohon", 404, 404),
    "DELETE /api/files/{fileId}": Case(NO_FILE, "pemohon", 404, 404),
    "POST /api/files/merge": Case("/api/files/merge", "pemohon", 422, 422),
    "GET /api/openapi.json": Case("/api/openapi.json", None, 200, 200),
    "GET /api/docs": Case("/api/docs", None, 200, 200),
}
CATALOGUE = read_catalogue()
ROUTES = [route for spec in template.functions(template.load_sam_template()) for route in spec.routes]
# Path parameters no route can mean: %00, a 100 KB value, a traversal, a control character.
ODD_SEGMENTS = {"nul": "%00", "100kb": "a" * 100_000, "traversal": "..%2F..%2Fetc", "tab": "%09x"}


def expected(content_type: str | None, body: str, case: Case) -> int:
    if content_type not in JSON_TYPES:
        return 415
    if body == "bukan-utf8":
        return 400
    if body in ("nan", "dalam-1000", "dalam-100000", "surrogate"):  # not storable JSON
        return 422
    return case.no_body if body == "kosong" else case.json


class Callers:
    def __init__(self, api):
        self.api = api
        self.applicant, self.applicant_token = registered_applicant(api)
        self.tokens = {
            "pemohon": self.applicant_token,
            "admin": demo_token(api, "admin"),
            "verifikator": demo_token(api, "verifikator"),
            None: None,
        }

    def token(self, caller: str | None) -> str | None:
        if caller == "sesi-petugas":
            return demo_token(self.api, "kepala")
        if caller == "sesi-baru":
            response = login(self.api, self.applicant["nik"], self.applicant["password"])
            assert response.status_code == 200, response.text
            return response.json()["accessToken"]
        return self.tokens[caller]


@pytest.fixture(scope="module")
def callers(api) -> Callers:
    return Callers(api)


@pytest.fixture(scope="module")
def gateway(stack) -> Client:
    return Client(stack.gateway)


def call(gateway: Client, method: str, path: str, token: str | None, content_type: str | None, body: bytes):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if content_type:
        headers["Content-Type"] = content_type
    return gateway.open(path, method=method, headers=headers, data=body)


def problem(response, status: int) -> str | None:
    """What is wrong with an answer (werkzeug's or requests') that should be ``status`` (None: nothing)."""
    text = response.get_data(as_text=True) if hasattr(response, "get_data") else response.text
    if response.status_code != status:
        return f"{response.status_code} instead of {status}: {text[:200]}"
    if status >= 400:
        try:
            body = json.loads(text)
        except ValueError:
            body = {}
        if not (isinstance(body, dict) and set(body) <= {"code", "message", "field"} and body.get("message")):
            return f"not the error shape: {text[:200]}"
        if not body.get("code"):
            return f"no code: {text[:200]}"
    return None


def test_every_route_has_a_case():
    assert {route.route_key for route in ROUTES} == CASES.keys()


@pytest.mark.parametrize("route", ROUTES, ids=[route.route_key for route in ROUTES])
def test_every_content_type_and_body_gets_its_exact_answer(gateway, callers, route):
    case = CASES.get(route.route_key)
    assert case, f"{route.route_key} has no entry in CASES: add one"
    token = callers.token(case.caller)
    wrong = []
    combinations = [(t, name, body) for t in (*JSON_TYPES, *OTHER_TYPES) for name, body in BODIES.items()]
    combinations += [(t, name, body) for t in JSON_TYPES for name, body in JSON_ONLY_BODIES.items()]
    for content_type, body_name, body in combinations:
        status = expected(content_type, body_name, case)
        response = call(gateway, route.method, case.path, token, content_type, body)
        if found := problem(response, status):
            wrong.append(f"{content_type} / {body_name}: {found}")
        if case.caller in ("sesi-baru", "sesi-petugas") and response.status_code == 204:
            token = callers.token(case.caller)  # that call ended the session
    assert not wrong, "\n".join(wrong)


PARAMETERISED = [route for route in ROUTES if "{" in route.path]


@pytest.mark.parametrize("route", PARAMETERISED, ids=[route.route_key for route in PARAMETERISED])
def test_odd_path_segments_get_a_4xx_in_the_error_shape(stack, gateway, callers, route):
    case = CASES.get(route.route_key)
    assert case, f"{route.route_key} has no entry in CASES: add one"
    token = callers.token(case.caller)
    body = b"{}" if route.method in ("POST", "PUT") else b""
    wrong = []
    for name, segment in ODD_SEGMENTS.items():
        # Through the gateway, which may refuse such a path itself (its code is its own)
        path = re.sub(r"\{[^}]+\}", segment, route.path)
        response = call(gateway, route.method, path, token, "application/json", body)
        if not 400 <= response.status_code < 500 or problem(response, response.status_code):
            wrong.append(f"gateway {name}: {response.status_code} {response.get_data(as_text=True)[:200]}")
        # And at the handler, as API Gateway would deliver it (decoded): 422 naming the parameter
        event = handler_event(stack, route, token, unquote(segment))
        result = stack.functions[route.function].invoke(event)
        error = json.loads(result.get("body") or "{}")
        if result["statusCode"] != 422 or error.get("code") != "VALIDASI_GAGAL" or not error.get("message"):
            wrong.append(f"handler {name}: {result['statusCode']} {str(result.get('body'))[:200]}")
    assert not wrong, "\n".join(wrong)


def handler_event(stack, route, token: str | None, value: str) -> dict:
    """The event API Gateway would send for ``route`` with every path parameter set to ``value``."""
    names = re.findall(r"\{([^}]+)\}", route.path)
    path = re.sub(r"\{[^}]+\}", quote(value, safe=""), route.path)
    request = Request(EnvironBuilder(path=path, method=route.method, json={}).get_environ())
    claims = stack.gateway.authorizers[route.authorizer].claims(f"Bearer {token}") if token else None
    return api_gateway_event(request, route, dict.fromkeys(names, value), claims)


# ------------------------------------------------------------------ cursors and numbers


def b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


FORGED_CURSORS = {
    "a-1": "eyJhIjoxfQ",  # {"a": 1}
    "pk-true": b64({"pk": True}),
    "pk-file": b64({"pk": "FILE#x"}),
    "not-base64": "***bukan base64***",
    "not-ascii": "_\U000a7d70\u00aa\x9c",
    "not-json": "bm90LWpzb24",
    "huge": "A" * 2000,
    "nan": base64.urlsafe_b64encode(b'{"pk": NaN}').decode(),
}


@pytest.mark.parametrize(
    "path", ["/api/applications", "/api/files", "/api/inbox", "/api/complaints", "/api/surveys/pending"]
)
@pytest.mark.parametrize("name", FORGED_CURSORS)
def test_forged_cursors_are_422(api, callers, path, name):
    response = api.get(path, token=callers.applicant_token, params={"cursor": FORGED_CURSORS[name]})
    assert problem(response, 422) is None, response.text
    assert response.json()["field"] == "cursor"


UPLOAD = {"fileName": "ktp.pdf", "contentType": "application/pdf", "size": 1000}


def test_a_cursor_is_the_callers_own_and_of_its_own_list(api, callers):
    # Given a real cursor of another applicant's list, and of this applicant's other list
    _, other = registered_applicant(api)
    for _ in range(2):
        assert api.post("/api/files/presign", token=other, json=UPLOAD).status_code == 201
    theirs = api.get("/api/files", token=other, params={"limit": 1}).json()["nextCursor"]
    assert theirs
    # Then neither opens anything here
    for path in ("/api/files", "/api/applications"):
        response = api.get(path, token=callers.applicant_token, params={"cursor": theirs})
        assert problem(response, 422) is None, (path, response.text)
    # And the owner's own cursor still works
    assert api.get("/api/files", token=other, params={"cursor": theirs}).status_code == 200


def test_numbers_datadetail_cannot_store_are_422(api, callers):
    # Given a real draft whose Data Detail has a number field without an upper bound, or with one
    jenis, field = next(
        (jenis, field)
        for izin in CATALOGUE.izin
        for layanan in izin.layanan
        for jenis in layanan.jenis_permohonan
        for field in jenis.detail_fields
        if field.type in ("integer", "number")
    )
    token = callers.applicant_token
    draft = api.post("/api/applications", token=token, json={"jenisPermohonanId": jenis.id}).json()
    path = f"/api/applications/{draft['applicationId']}/sections/detail"
    for number in ("NaN", "Infinity", "-Infinity", "1e999", "-1e999"):
        data = json.dumps({**detail_data(jenis), field.id: "__number__"}).replace('"__number__"', number)
        body = f'{{"version": {draft["version"]}, "data": {data}}}'
        response = api.put(path, token=token, data=body, headers={"Content-Type": "application/json"})
        assert problem(response, 422) is None, (number, response.text)
    # A finite number too large to store is named at its field
    data = {**detail_data(jenis), field.id: 1e200}
    response = api.put(path, token=token, json={"version": draft["version"], "data": data})
    assert problem(response, 422) is None and response.json()["field"] == f"data.{field.id}", response.text
    # And the draft is unchanged
    assert api.get(f"/api/applications/{draft['applicationId']}", token=token).json()["version"] == draft["version"]
