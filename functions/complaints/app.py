"""Pengaduan: an applicant files complaints and reads the office's replies; the officers
of the complaint roles (admin, plus ``COMPLAINT_ROLES``) list them by status, reply and close."""

import os
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, officers, signed_in
from eptsp.complaints.models import (
    ComplaintDetailOutput,
    ComplaintPage,
    ComplaintRequest,
    OfficerComplaintDetailOutput,
    OfficerComplaintPage,
    ReplyRequest,
)
from eptsp.complaints.service import ComplaintService, complaint_service, officer_roles
from eptsp.http import SIGNED_IN, IdempotencyKey, configure_resolver
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings

ComplaintId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Id pengaduan.", examples=["Pq7xK2mN9vB4tR1s"])
]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

# Read at import: the template sets the variable once per deployment, and the guard needs
# the roles before anything of the request is read.
COMPLAINT_OFFICERS = officers(*officer_roles(os.environ.get("COMPLAINT_ROLES")))

ACCESS = {
    "POST /api/complaints": APPLICANT_ONLY,
    "GET /api/complaints": APPLICANT_ONLY,
    "GET /api/complaints/{complaintId}": APPLICANT_ONLY,
    "GET /api/officer/complaints": COMPLAINT_OFFICERS,
    "POST /api/officer/complaints/{complaintId}/replies": COMPLAINT_OFFICERS,
    "POST /api/officer/complaints/{complaintId}/close": COMPLAINT_OFFICERS,
}


class Settings(SignedInSettings):
    complaints_table: str = Field(alias="COMPLAINTS_TABLE")
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    files_table: str = Field(alias="FILES_TABLE")
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")


def complaints() -> ComplaintService:
    s = Settings.load()
    return complaint_service(
        s.complaints_table,
        s.applications_table,
        s.files_table,
        s.accounts_table,
        s.idempotency_table,
        s.documents_bucket,
    )


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"model": ErrorOutput}}}


NOT_FOUND = {404: _error("Pengaduan tidak ditemukan (atau milik pengguna lain)")}
CLOSED = {409: _error("Pengaduan sudah selesai (PENGADUAN_SELESAI)")}
Cursor = Annotated[
    str | None, Query(max_length=2048, description="Cursor dari halaman sebelumnya; kosong untuk halaman pertama.")
]
Limit = Annotated[int, Query(ge=1, le=100, description="Jumlah per halaman (1-100).", examples=[20])]


@app.post(
    "/api/complaints",
    security=SIGNED_IN,
    summary="Kirim pengaduan (kategori, isi, nomor resi dan lampiran opsional)",
    tags=["Pengaduan"],
    responses={201: {"description": "Pengaduan diterima"}, 422: _error("Isi, nomor resi atau lampiran tidak valid")},
)
def handle_file_complaint(
    request: Annotated[ComplaintRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[ComplaintDetailOutput]:
    output = complaints().file(signed_in(app), request, idempotency_key, app.lambda_context)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=output)


@app.get("/api/complaints", security=SIGNED_IN, summary="Pengaduan saya, terbaru dulu", tags=["Pengaduan"])
def handle_list_complaints(cursor: Cursor = None, limit: Limit = 20) -> ComplaintPage:
    return complaints().page(signed_in(app), limit, cursor)


@app.get(
    "/api/complaints/<complaintId>",
    security=SIGNED_IN,
    summary="Satu pengaduan saya beserta balasan petugas",
    tags=["Pengaduan"],
    responses=NOT_FOUND,
)
def handle_get_complaint(complaintId: ComplaintId) -> ComplaintDetailOutput:
    return complaints().detail(signed_in(app), complaintId)


@app.get(
    "/api/officer/complaints",
    security=SIGNED_IN,
    summary="Petugas: pengaduan menurut status",
    tags=["Petugas"],
)
def handle_list_officer_complaints(
    status: Annotated[
        Literal["diterima", "diproses", "selesai"],
        Query(description="Status pengaduan yang ditampilkan.", examples=["diterima"]),
    ] = "diterima",
    cursor: Cursor = None,
    limit: Limit = 20,
) -> OfficerComplaintPage:
    return complaints().officer_page(status, limit, cursor)


@app.post(
    "/api/officer/complaints/<complaintId>/replies",
    security=SIGNED_IN,
    summary="Petugas: balas pengaduan (pemohon diberi tahu)",
    tags=["Petugas"],
    responses={201: {"description": "Balasan tersimpan"}, **NOT_FOUND, **CLOSED},
)
def handle_reply_to_complaint(
    complaintId: ComplaintId, request: Annotated[ReplyRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[OfficerComplaintDetailOutput]:
    output = complaints().reply(signed_in(app), complaintId, request, idempotency_key, app.lambda_context)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=output)


@app.post(
    "/api/officer/complaints/<complaintId>/close",
    security=SIGNED_IN,
    summary="Petugas: nyatakan pengaduan selesai (pemohon diberi tahu)",
    tags=["Petugas"],
    responses={**NOT_FOUND, **CLOSED},
)
def handle_close_complaint(
    complaintId: ComplaintId, idempotency_key: IdempotencyKey = None
) -> OfficerComplaintDetailOutput:
    return complaints().close(signed_in(app), complaintId, idempotency_key, app.lambda_context)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
