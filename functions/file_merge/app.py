"""Photos of a document's pages merged into one PDF (its own function: it alone decodes photos)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.files.merge import MergeRequest, page_merger
from eptsp.files.models import FileOutput
from eptsp.http import SIGNED_IN, IdempotencyKey, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {"POST /api/files/merge": APPLICANT_ONLY}
# Pillow is imported on the first merge (eptsp.files.merge.photos_to_pdf); the cold-start benchmark counts it.
FIRST_REQUEST_IMPORTS = ("PIL.Image", "PIL.ImageOps", "PIL.PdfImagePlugin")


class Settings(SignedInSettings):
    files_table: str = Field(alias="FILES_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE")


@app.post(
    "/api/files/merge",
    security=SIGNED_IN,
    summary="Gabungkan foto halaman (JPEG/PNG yang sudah siap) menjadi satu PDF di File Saya",
    tags=["File Saya"],
)
def handle_merge_pages(
    request: Annotated[MergeRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[FileOutput]:
    s = Settings.load()
    merger = page_merger(s.files_table, s.documents_bucket, s.idempotency_table)
    output = merger.merge(signed_in(app).user_id, request, idempotency_key, app.lambda_context)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=output)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
