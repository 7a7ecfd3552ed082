"""Officer API console: the OpenAPI document merged from every function's routes, and
Swagger UI with its assets served from this function (no CDN, works offline).

Both are built at build time (``python -m tools.api_document``, run by ``make build``; a
test keeps them current): ``openapi.json`` is the merged document, ``console.html``
Powertools' Swagger UI page with marks where the document, the script and the style go.
A cold start reads two files instead of importing every handler and building every
model's schema.
"""

import re
from functools import cache
from pathlib import Path

import aws_lambda_powertools.event_handler as event_handler
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths

from eptsp.access import ANYONE, guarded
from eptsp.http import configure_resolver
from eptsp.observability import logger, metrics

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE / "openapi.json"
CONSOLE = HERE / "console.html"
# Swagger UI's script and style as Powertools ships them (read from disk: importing its
# swagger_ui package would import the OpenAPI models as well).
SWAGGER_UI_DIR = Path(event_handler.__file__).parent / "openapi" / "swagger_ui"
MARK = re.compile(r"@@(DOCUMENT|SCRIPT|STYLE)@@")

# No request of this function has a parameter or a body: nothing for validation to check.
app = APIGatewayHttpResolver()
configure_resolver(app)
ACCESS = {"GET /api/openapi.json": ANYONE, "GET /api/docs": ANYONE}


@cache
def document() -> str:
    return DOCUMENT.read_text(encoding="utf-8")


@app.get("/api/openapi.json", include_in_schema=False, compress=True)
def handle_get_openapi_document():
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=document(),
        headers={"Cache-Control": "public, max-age=300"},
    )


@app.get("/api/docs", include_in_schema=False, compress=True)
def handle_get_console():
    # Swagger UI with its script and style inline, showing the same document.
    parts = {
        "DOCUMENT": document().replace("</", "<\\/"),
        "SCRIPT": (SWAGGER_UI_DIR / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        "STYLE": (SWAGGER_UI_DIR / "swagger-ui.min.css").read_text(encoding="utf-8"),
    }
    body = MARK.sub(lambda mark: parts[mark.group(1)], CONSOLE.read_text(encoding="utf-8"))
    return Response(status_code=200, content_type="text/html", body=body)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
