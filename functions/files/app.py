"""File Saya: presigned uploads into the owner's prefix, listing, downloads, deletion."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.files.models import FileDetailOutput, FileList, PresignOutput, PresignRequest
from eptsp.files.service import FileService, file_service
from eptsp.http import SIGNED_IN, IdempotencyKey, configure_resolver
from eptsp.identity import Caller
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings

FileId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{10,64}$")]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "POST /api/files/presign": APPLICANT_ONLY,
    "GET /api/files": APPLICANT_ONLY,
    "GET /api/files/{fileId}": APPLICANT_ONLY,
    "DELETE /api/files/{fileId}": APPLICANT_ONLY,
}


class Settings(SignedInSettings):
    files_table: str = Field(alias="FILES_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE")


def files() -> FileService:
    s = Settings.load()
    return file_service(s.files_table, s.documents_bucket, s.idempotency_table)


def applicant() -> Caller:
    return signed_in(app)


@app.post(
    "/api/files/presign",
    security=SIGNED_IN,
    summary="Izin unggah satu berkas (PDF, JPEG, PNG; maks. 10 MB)",
    tags=["File Saya"],
)
def handle_presign_upload(
    request: Annotated[PresignRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[PresignOutput]:
    output = files().presign(applicant().user_id, request, idempotency_key, app.lambda_context)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=output)


@app.get(
    "/api/files", security=SIGNED_IN, summary="File Saya: berkas yang pernah diunggah, terbaru dulu", tags=["File Saya"]
)
def handle_list_files(
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> FileList:
    return files().list(applicant().user_id, limit, cursor)


@app.get("/api/files/<fileId>", security=SIGNED_IN, summary="Satu berkas dan tautan unduh singkat", tags=["File Saya"])
def handle_get_file(fileId: FileId) -> FileDetailOutput:
    return files().get(applicant().user_id, fileId)


@app.delete(
    "/api/files/<fileId>",
    security=SIGNED_IN,
    summary="Hapus berkas (tidak bisa selama dipakai permohonan)",
    tags=["File Saya"],
)
def handle_delete_file(fileId: FileId):
    files().delete(applicant().user_id, fileId)
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
