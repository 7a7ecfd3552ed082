"""The local stand-in for CloudFront + API Gateway: one origin serving statics/ at / and
the template's routes under /api, each request turned into an API Gateway v2 event.

Routes with the JWT authorizer are checked as API Gateway would (signature against the
user pool's JWKS, issuer, audience or client_id, expiry) before the handler runs.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from local_stack.functions import LocalFunction
from local_stack.template import Route

TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/javascript")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")


def _error(status: int, code: str, message: str) -> Response:
    return Response(json.dumps({"code": code, "message": message}), status=status, content_type="application/json")


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
        statics_dir: Path,
        authorizer: JwtAuthorizer | None,
        local_helpers: dict[str, Callable[[Request, dict[str, str]], Response]],
        s3_proxy: Callable[[Request], Response] | None = None,
        static_headers: dict[str, str] | None = None,
    ):
        self.routes = sorted((CompiledRoute.of(r) for r in routes), key=lambda c: c.specificity)
        self.functions = functions
        self.statics_dir = statics_dir.resolve()
        self.authorizer = authorizer
        self.s3_proxy = s3_proxy
        self.static_headers = static_headers or {}
        self.local_helpers = [
            (re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", p) + "$"), h) for p, h in local_helpers.items()
        ]

    # WSGI entry point
    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        request = Request(environ)
        return self.dispatch(request)(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/_local/"):
            for pattern, helper in self.local_helpers:
                match = pattern.match(path)
                if match and request.method == "GET":
                    return helper(request, match.groupdict())
            return _error(404, "TIDAK_DITEMUKAN", "Alamat tidak ditemukan.")
        if path == "/api" or path.startswith("/api/"):
            return self._api(request)
        if self.s3_proxy is not None and self.s3_proxy.handles(path):
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
        if route.authorized:
            claims = self.authorizer.claims(request.headers.get("Authorization")) if self.authorizer else None
            if claims is None:
                return _error(401, "BELUM_MASUK", "Sesi Anda tidak berlaku. Silakan masuk kembali.")
        event = api_gateway_event(request, route, path_parameters, claims)
        result = self.functions[route.function].invoke(event)
        return lambda_result_to_response(result)

    def _static(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _error(405, "METODE_TIDAK_DIIZINKAN", "Metode tidak diizinkan.")
        relative = request.path.lstrip("/") or "index.html"
        target = (self.statics_dir / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.statics_dir) or not target.is_file():
            return Response("Halaman tidak ditemukan.", status=404, content_type="text/plain; charset=utf-8")
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/json", "image/svg+xml"):
            content_type += "; charset=utf-8"
        response = Response(target.read_bytes(), content_type=content_type)
        response.headers["Cache-Control"] = "no-cache"
        response.headers.update(self.static_headers)
        return response


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
    is_text = not raw_body or content_type.startswith(TEXT_TYPES)
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
