"""Officer API console: one OpenAPI document merged from every function's resolver, and
Swagger UI with its assets served from this function (no CDN, works offline).

The merge imports the other handlers, so it runs once per container, on the first request,
and never in the request path of the action functions.
"""

from pathlib import Path

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import Server
from aws_lambda_powertools.logging import correlation_paths

from eptsp.access import ANYONE, guarded
from eptsp.http import SECURITY_SCHEMES, configure_resolver
from eptsp.observability import logger, metrics

TITLE = "e-PTSP Kalimantan Utara API"
DESCRIPTION = (
    "API layanan perizinan online DPMPTSP Provinsi Kalimantan Utara. "
    "Rute bertanda gembok memerlukan token akses dari POST /api/auth/login "
    "(tombol Authorize; dikirim sebagai header Authorization: Bearer)."
)

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)
app.configure_openapi_merge(
    path=str(Path(__file__).resolve().parent.parent),
    pattern="*/app.py",
    exclude=["apidocs/*", "**/__pycache__/**"],
    title=TITLE,
    version="1.0.0",
    description=DESCRIPTION,
    servers=[Server(url="/")],
    security_schemes=SECURITY_SCHEMES,
    on_conflict="error",
)
app.enable_swagger(path="/api/docs", title=TITLE, description=DESCRIPTION, compress=True)

ACCESS = {"GET /api/openapi.json": ANYONE, "GET /api/docs": ANYONE}


@app.get("/api/openapi.json", include_in_schema=False)
def handle_get_openapi_document():
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=app.get_openapi_merge_json_schema(),
        headers={"Cache-Control": "public, max-age=300"},
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
