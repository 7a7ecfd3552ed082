"""What every HTTP handler shares: error responses in the one shape, the console's
security scheme, cache headers, and the reading of request bodies.

Every request is read as JSON. A ``Content-Type``, when sent, must be ``application/json``
(a ``charset`` parameter, if any, ``utf-8``); none at all is read as JSON too, as API
Gateway clients often send none. Any other declared type is a 415, with or without a body.
A body must be UTF-8 (else 400) and JSON that ``eptsp.jsonparse`` accepts (else 422).
``check_request_body`` applies this before the resolver validates anything (see
``eptsp.access``), so no input reaches Powertools' parsing in a form it would turn into a 5xx.

A handler builds its own ``APIGatewayHttpResolver(enable_validation=True)`` (the OpenAPI
console finds resolvers by that call) and passes it to ``configure_resolver``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from eptsp import jsonparse
from eptsp.errors import INTERNAL_ERROR_BODY, DomainError, NotFound, UnsupportedMediaType, ValidationFailed
from eptsp.observability import logger

SECURITY_SCHEMES: dict[str, Any] = {"cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
SIGNED_IN: list[dict[str, list[str]]] = [{"cognito": []}]

# Indonesian wording of pydantic's error types; anything else reads "tidak valid".
_PROBLEMS = {
    "missing": "wajib diisi",
    "json_invalid": "bukan JSON yang valid",
    "model_attributes_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "string_type": "harus berupa teks",
    "string_too_short": "terlalu pendek",
    "string_too_long": "terlalu panjang",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "bool_parsing": "harus bernilai ya/tidak",
    "greater_than_equal": "terlalu kecil",
    "less_than_equal": "terlalu besar",
    "literal_error": "bukan pilihan yang tersedia",
    "enum": "bukan pilihan yang tersedia",
    "date_from_datetime_parsing": "bukan tanggal yang valid",
    "date_parsing": "bukan tanggal yang valid",
    "value_error": "tidak valid",
    "extra_forbidden": "tidak dikenal",
}
_LOCATIONS = {"body": "", "path": "alamat ", "query": "parameter ", "header": "header "}


def describe_validation_error(error: dict[str, Any]) -> tuple[str, str]:
    """The failing field's name and an Indonesian sentence about it."""
    loc = [str(part) for part in error.get("loc", ())]
    where = _LOCATIONS.get(loc[0], "") if loc else ""
    field = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else "")
    if loc and loc[0] == "header":  # Powertools lowercases header names; name them as documented
        field = "-".join(word.capitalize() for word in field.split("-"))
    if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
        # Our own validators raise ValueError with a whole Indonesian sentence: show it as is.
        return field or "body", str(error["ctx"]["error"])
    problem = _PROBLEMS.get(error.get("type", ""), "tidak valid")
    if not field:
        return "body", f"Isi permintaan {problem}."
    return field, f"Kolom {where}'{field}' {problem}."


# Creation routes take this header: a retry with the same key creates nothing new (eptsp.idempotency).
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_.:-]{8,128}$",
        description="Kunci unik per tindakan (mis. UUID): permintaan ulang dengan kunci yang sama "
        "tidak membuat data baru dan mendapat jawaban yang sama.",
    ),
]

# A dependency that is slow, unreachable or still throttling after the retries (eptsp.aws
# bounds them) is a passing condition: a 503 the front end can offer to retry.
SERVICE_BUSY_BODY = {
    "code": "LAYANAN_SIBUK",
    "message": "Layanan sedang sibuk atau tidak dapat dihubungi. Silakan coba lagi dalam beberapa saat.",
}
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "SlowDown",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)

NOT_UTF8 = DomainError("Isi permintaan harus berupa teks UTF-8.", field="body")


def error_response(status: int, body: dict[str, Any]) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


def proxy_error(error: DomainError) -> dict[str, Any]:
    """An error as a Lambda proxy result, for answers given before the resolver runs."""
    return {
        "statusCode": int(error.status),
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": json.dumps(error.to_body(), ensure_ascii=False),
        "isBase64Encoded": False,
    }


def _declares_json(content_type: str) -> bool:
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    if media_type != content_types.APPLICATION_JSON:
        return False
    charsets = [p.partition("=")[2].strip('"') for p in parameters if p.startswith("charset=")]
    return all(charset in ("utf-8", "utf8") for charset in charsets)


# Ids in our paths are at most 80 characters; this bounds what reaches a pattern or a key.
MAX_PATH_PARAMETER = 256


def check_path_parameters(event: Mapping[str, Any]) -> None:
    """Refuse path parameters no route could mean: control characters (%00), an encoded
    slash (one segment never holds one: ``..%2F..``), or a huge value."""
    for name, value in (event.get("pathParameters") or {}).items():
        text = str(value)
        if len(text) > MAX_PATH_PARAMETER or any(ord(c) < 32 or ord(c) == 127 or c in "/\\" for c in text):
            raise ValidationFailed(f"Kolom alamat '{name}' tidak valid.", field=str(name))


def check_request_body(event: Mapping[str, Any]) -> None:
    """Refuse, in the one error shape, a request whose body the API cannot read as JSON."""
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    content_type = str(headers.get("content-type") or "").strip()
    if content_type and not _declares_json(content_type):
        raise UnsupportedMediaType()
    body = event.get("body")
    if not body:
        return
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else str(body).encode()
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeError):  # bad base64, invalid bytes, lone surrogates
        raise NOT_UTF8 from None
    try:
        jsonparse.loads(text)
    except jsonparse.JsonRefused as refused:
        raise ValidationFailed(refused.message, field="body") from None


def configure_resolver(app: APIGatewayHttpResolver) -> None:
    # Routes behind login name this scheme (security=SIGNED_IN); the console's "Authorize"
    # then sends the Cognito access token as a bearer token.
    app.configure_openapi(security_schemes=SECURITY_SCHEMES)

    @app.exception_handler(DomainError)
    def _domain_error(error: DomainError) -> Response:
        logger.info("Request refused", extra={"code": error.code, "field": error.field})
        return error_response(error.status, error.to_body())

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response:
        errors = error.errors()
        field, message = describe_validation_error(errors[0]) if errors else ("body", "Data tidak valid.")
        logger.info("Invalid request", extra={"errors": [describe_validation_error(e)[1] for e in errors]})
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY, {"code": "VALIDASI_GAGAL", "message": message, "field": field}
        )

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported_media_type(_: RequestUnsupportedContentType) -> Response:
        error = UnsupportedMediaType()
        return error_response(error.status, error.to_body())

    @app.not_found
    def _no_route(_: Exception) -> Response:
        return error_response(HTTPStatus.NOT_FOUND, NotFound("Alamat API tidak ditemukan.").to_body())

    @app.exception_handler([ConnectTimeoutError, ReadTimeoutError, EndpointConnectionError])
    def _dependency_unreachable(error: Exception) -> Response:
        logger.warning("Dependency slow or unreachable", extra={"error": repr(error)})
        return error_response(HTTPStatus.SERVICE_UNAVAILABLE, SERVICE_BUSY_BODY)

    @app.exception_handler(ClientError)
    def _dependency_refused(error: ClientError) -> Response:
        code = error.response.get("Error", {}).get("Code", "")
        if code in THROTTLING_CODES:
            logger.warning("Dependency throttling after retries", extra={"error_code": code})
            return error_response(HTTPStatus.SERVICE_UNAVAILABLE, SERVICE_BUSY_BODY)
        return _unexpected(error)

    @app.exception_handler(Exception)
    def _unexpected(_: Exception) -> Response:
        logger.exception("Unhandled error")
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_BODY)


def cached(body: Any, max_age: int, status: int = HTTPStatus.OK) -> Response:
    """A public, cacheable JSON answer (catalogue data changes rarely)."""
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": f"public, max-age={max_age}, stale-while-revalidate=60"},
    )


def pdf_attachment(document: bytes, file_name: str) -> Response:
    """A private PDF download (a receipt, a permit): never cached, saved under ``file_name``."""
    return Response(
        status_code=HTTPStatus.OK,
        content_type="application/pdf",
        body=document,  # bytes: the resolver answers in base64
        headers={"Content-Disposition": f'attachment; filename="{file_name}"', "Cache-Control": "private, no-store"},
    )
