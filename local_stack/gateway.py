"""The local stand-in for CloudFront + API Gateway: one origin serving statics/ at / and
the template's routes under /api, each request turned into an API Gateway v2 event.

Routes with the JWT authorizer are checked as API Gateway would (signature against the
user pool's JWKS, issuer, audience or client_id, expiry) before the handler runs.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import mimetypes
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from local_stack.functions import LocalFunction
from local_stack.headers import SecurityHeaders
from local_stack.site import COMPRESSIBLE, MIN_COMPRESS_BYTES, BuiltSite
from local_stack.template import Route

logger = logging.getLogger(__name__)

TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/javascript")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
# CloudFront's limit on a request URL (path and query); API Gateway's on a request payload.
MAX_URL_BYTES = 8192
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
SERVER_ERROR = ("KESALAHAN_SERVER", "Terjadi kesalahan pada server. Silakan coba lagi beberapa saat lagi.")
# What the HTTP server itself refuses before the gateway sees a request.
PROTOCOL_ERRORS = {
    400: ("PERMINTAAN_TIDAK_SAH", "Permintaan tidak dapat dibaca."),
    408: ("WAKTU_HABIS", "Permintaan tidak selesai dikirim tepat waktu."),
    414: ("ALAMAT_TERLALU_PANJANG", "Alamat terlalu panjang."),
    431: ("HEADER_TERLALU_BESAR", "Header permintaan terlalu besar."),
    501: ("METODE_TIDAK_DIDUKUNG", "Metode tidak didukung."),
    505: ("VERSI_HTTP_TIDAK_DIDUKUNG", "Versi HTTP tidak didukung."),
}


def _error(status: int, code: str, message: str) -> Response:
    return Response(json.dumps({"code": code, "message": message}), status=status, content_type="application/json")


class GatewayRequestHandler(WSGIRequestHandler):
    """The HTTP server's own refusals (a request line or header too long, a malformed
    request) in the one error shape, not http.server's HTML page."""

    error_content_type = "application/json"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        error_code, text = PROTOCOL_ERRORS.get(code, ("PERMINTAAN_TIDAK_SAH", "Permintaan tidak dapat diproses."))
        self.error_message_format = json.dumps({"code": error_code, "message": text}).replace("%", "%%")
        super().send_error(code, message, explain)


@dataclass
class CompiledRoute:
    route: Route
    pattern: re.Pattern[str]
    specificity: tuple[int, int, int]

    @classmethod
    def of(cls, route: Route) -> CompiledRoute:
        regex, params, greedy = "", 0, 0
        for part in re.split(r"(\{[^}]+\})", route.path):
            if part.startswith("{") and part.endswith("+}"):
                regex += f"(?P<{part[1:-2]}>.+)"
                greedy += 1
            elif part.startswith("{"):
                regex += f"(?P<{part[1:-1]}>[^/]+)"
                params += 1
            else:
                regex += re.escape(part)
        # API Gateway prefers literal paths, then fewer variables, then a named method over ANY.
        return cls(route, re.compile(f"^{regex}$"), (greedy, params, route.method == "ANY"))


class JwtAuthorizer:
    def __init__(self, issuer: str, audiences: list[str], jwks_url: str):
        import jwt

        self.issuer = issuer
        self.audiences = set(audiences)
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True)

    def claims(self, authorization: str | None) -> dict[str, Any] | None:
        """The verified claims, or None when API Gateway would answer 401."""
        import jwt

        if not authorization:
            return None
        token = authorization.removeprefix("Bearer ").strip()
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"verify_aud": False, "require": ["exp", "iss"]},
            )
        except jwt.PyJWTError:
            return None
        audience = claims.get("aud") if "aud" in claims else claims.get("client_id")
        audience = audience if isinstance(audience, list) else [audience]
        return claims if self.audiences.intersection(audience) else None


def _claim_value(value: Any) -> str:
    # API Gateway passes every claim to Lambda as a string; arrays look like "[a b]".
    if isinstance(value, list):
        return "[" + " ".join(str(v) for v in value) + "]"
    return str(value)


class Gateway:
    def __init__(
        self,
        routes: list[Route],
        functions: dict[str, LocalFunction],
        site: BuiltSite,
        authorizers: dict[str, JwtAuthorizer],
        local_helpers: dict[str, Callable[[Request, dict[str, str]], Response]],
        s3_proxy: Callable[[Request], Response] | None = None,
        security_headers: SecurityHeaders | None = None,
    ):
        self.routes = sorted((CompiledRoute.of(r) for r in routes), key=lambda c: c.specificity)
        self.functions = functions
        self.site = site
        self.authorizers = authorizers
        self.s3_proxy = s3_proxy
        self.security_headers = security_headers
        self.local_helpers = [
            (re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", p) + "$"), h) for p, h in local_helpers.items()
        ]

    # WSGI entry point
    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except Exception:
            logger.exception("Unexpected error on %s %s", request.method, request.path[:200])
            response = _error(500, *SERVER_ERROR)
        if self.security_headers is not None and not self._is_s3(request.path):
            self.security_headers.apply(request.path, response)
        return response(environ, start_response)

    def _is_s3(self, path: str) -> bool:
        # S3 is its own origin in the cloud, with no CloudFront behaviour of ours.
        return self.s3_proxy is not None and self.s3_proxy.handles(path)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if len(request.environ.get("RAW_URI") or request.full_path) > MAX_URL_BYTES:
            return _error(414, *PROTOCOL_ERRORS[414])
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
            return _error(400, "ALAMAT_TIDAK_SAH", "Alamat berisi karakter yang tidak sah.")
        if path.startswith("/_local/"):
            for pattern, helper in self.local_helpers:
                match = pattern.match(path)
                if match and request.method == "GET":
                    return helper(request, match.groupdict())
            return _error(404, "TIDAK_DITEMUKAN", "Alamat tidak ditemukan.")
        if path == "/api" or path.startswith("/api/"):
            return self._api(request)
        if self._is_s3(path):
            return self.s3_proxy(request)
        return self._static(request)

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for compiled in self.routes:
            if compiled.route.method not in (method, "ANY"):
                continue
            match = compiled.pattern.match(path)
            if match:
                return compiled.route, match.groupdict()
        return None

    def _api(self, request: Request) -> Response:
        found = self._match(request.method, request.path)
        if found is None:
            return _error(404, "TIDAK_DITEMUKAN", "Alamat API tidak ditemukan.")
        route, path_parameters = found
        claims = None
        if route.authorizer is not None:
            # A token of another user pool (an applicant's on an officer route) fails its issuer check.
            authorizer = self.authorizers.get(route.authorizer)
            claims = authorizer.claims(request.headers.get("Authorization")) if authorizer else None
            if claims is None:
                return _error(401, "BELUM_MASUK", "Sesi Anda tidak berlaku. Silakan masuk kembali.")
        if (request.content_length or 0) > MAX_PAYLOAD_BYTES or len(request.get_data()) > MAX_PAYLOAD_BYTES:
            return _error(413, "MUATAN_TERLALU_BESAR", "Isi permintaan melebihi batas 10 MB.")
        event = api_gateway_event(request, route, path_parameters, claims)
        try:
            result = self.functions[route.function].invoke(event)
        except Exception:
            # API Gateway answers 500 when the function fails; the log names the cause.
            logger.exception("Function %s failed on %s", route.function, route.route_key)
            return _error(500, *SERVER_ERROR)
        try:
            return lambda_result_to_response(result)
        except (TypeError, ValueError, AttributeError, binascii.Error):
            logger.exception("Function %s returned a malformed result on %s", route.function, route.route_key)
            return _error(502, "RESPON_TIDAK_SAH", "Layanan memberi jawaban yang tidak sah. Silakan coba lagi.")

    def _static(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _error(405, "METODE_TIDAK_DIIZINKAN", "Metode tidak diizinkan.")
        # S3 keys as `make deploy` uploads them; CloudFront's default root object is index.html.
        path = request.path.lstrip("/") or "index.html"
        data = self.site.get(path)
        if data is None:
            return Response("Halaman tidak ditemukan.", status=404, content_type="text/plain; charset=utf-8")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/json", "image/svg+xml"):
            content_type += "; charset=utf-8"
        response = Response(content_type=content_type)
        if content_type.startswith(COMPRESSIBLE) and len(data) >= MIN_COMPRESS_BYTES:
            response.vary.add("Accept-Encoding")
            data, encoding = self.site.compressed(path, data, request.accept_encodings)
            if encoding:
                response.content_encoding = encoding
        response.set_data(data)
        # S3 answers with an ETag and honours If-None-Match: index.html revalidates in one small 304.
        response.add_etag()
        return response.make_conditional(request)


def api_gateway_event(
    request: Request, route: Route, path_parameters: dict[str, str], claims: dict[str, Any] | None
) -> dict[str, Any]:
    """An API Gateway HTTP API payload (format 2.0) for a request."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    headers.setdefault("x-forwarded-proto", request.scheme)
    query: dict[str, str] = {}
    for name, value in request.args.items(multi=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    raw_body = request.get_data()
    content_type = headers.get("content-type", "")
    # A text type whose bytes are not UTF-8 reaches the function base64-encoded, as in API Gateway.
    is_text = not raw_body or (content_type.startswith(TEXT_TYPES) and _is_utf8(raw_body))
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode(),
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": request.host,
            "domainPrefix": request.host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route.route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if request.cookies:
        event["cookies"] = [f"{k}={v}" for k, v in request.cookies.items(multi=True)]
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if raw_body:
        event["body"] = raw_body.decode() if is_text else base64.b64encode(raw_body).decode()
    if claims is not None:
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": {k: _claim_value(v) for k, v in claims.items()}, "scopes": None}
        }
    return event


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


def lambda_result_to_response(result: Any) -> Response:
    """How API Gateway turns a Lambda result (format 2.0) into an HTTP response."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return Response(json.dumps(result), status=200, content_type="application/json")
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, status=int(result["statusCode"]))
    response.headers.clear()
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.add(name, str(value))
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response
