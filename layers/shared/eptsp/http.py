"""What every HTTP handler shares: error responses in the one shape, the console's
security scheme, cache headers.

A handler builds its own ``APIGatewayHttpResolver(enable_validation=True)`` (the OpenAPI
console finds resolvers by that call) and passes it to ``configure_resolver``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from eptsp.errors import INTERNAL_ERROR_BODY, DomainError, NotFound
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
    if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
        # Our own validators raise ValueError with a whole Indonesian sentence: show it as is.
        return field or "body", str(error["ctx"]["error"])
    problem = _PROBLEMS.get(error.get("type", ""), "tidak valid")
    if not field:
        return "body", f"Isi permintaan {problem}."
    return field, f"Kolom {where}'{field}' {problem}."


def error_response(status: int, body: dict[str, Any]) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


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

    @app.not_found
    def _no_route(_: Exception) -> Response:
        return error_response(HTTPStatus.NOT_FOUND, NotFound("Alamat API tidak ditemukan.").to_body())

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
