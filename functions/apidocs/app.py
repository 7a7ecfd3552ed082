"""Officer API console: one OpenAPI document merged from every function's resolver, and
Swagger UI with its assets served from this function (no CDN, works offline).

The merge imports the other handlers, so it runs once per container, on the first request,
and never in the request path of the action functions.
"""

import json
from functools import cache
from pathlib import Path

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import Server
from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html
from aws_lambda_powertools.logging import correlation_paths

from eptsp.access import ANYONE, guarded
from eptsp.apiconsole import enrich
from eptsp.apiconsole.codes import error_codes
from eptsp.http import SECURITY_SCHEMES, configure_resolver
from eptsp.observability import logger, metrics

TITLE = "e-PTSP Kalimantan Utara API"
DESCRIPTION = (
    "API layanan perizinan online DPMPTSP Provinsi Kalimantan Utara. "
    "Rute bertanda gembok memerlukan token akses dari POST /api/auth/login "
    "(tombol Authorize; dikirim sebagai header Authorization: Bearer)."
)

FUNCTIONS_DIR = Path(__file__).resolve().parent.parent
SWAGGER_UI_DIR = Path(generate_swagger_html.__code__.co_filename).parent

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)
app.configure_openapi_merge(
    path=str(FUNCTIONS_DIR),
    pattern="*/app.py",
    exclude=["apidocs/*", "**/__pycache__/**"],
    title=TITLE,
    version="1.0.0",
    description=DESCRIPTION,
    servers=[Server(url="/")],
    security_schemes=SECURITY_SCHEMES,
    on_conflict="error",
)
ACCESS = {"GET /api/openapi.json": ANYONE, "GET /api/docs": ANYONE}


@cache
def console_document() -> str:
    """The merged document with descriptions, examples, enums, error answers and tags (once per container)."""
    merged = json.loads(app.get_openapi_merge_json_schema())
    return json.dumps(enrich(merged, error_codes([FUNCTIONS_DIR])), ensure_ascii=False)


@app.get("/api/openapi.json", include_in_schema=False)
def handle_get_openapi_document():
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=console_document(),
        headers={"Cache-Control": "public, max-age=300"},
    )


@app.get("/api/docs", include_in_schema=False, compress=True)
def handle_get_console():
    # Swagger UI with its script and style inline (no CDN, works offline), showing the same document.
    body = generate_swagger_html(
        console_document().replace("</", "<\\/"),
        (SWAGGER_UI_DIR / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (SWAGGER_UI_DIR / "swagger-ui.min.css").read_text(encoding="utf-8"),
        None,
        None,
        False,
    )
    return Response(status_code=200, content_type="text/html", body=body)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
