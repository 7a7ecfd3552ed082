"""Application drafts: step 4 "Isi Kelengkapan" and Permohonan Saya. Owner only."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.accounts.repository import profile_key
from eptsp.applications.models import (
    ApplicationList,
    ApplicationOutput,
    ApplicationStatus,
    AttachRequest,
    Completeness,
    CreateApplicationRequest,
    DeclarationRequest,
    SectionRequest,
)
from eptsp.applications.repository import named_in_path
from eptsp.applications.sections import SectionName
from eptsp.applications.service import ApplicationService, application_service
from eptsp.http import SIGNED_IN, IdempotencyKey, configure_resolver
from eptsp.identity import Caller, caller_from_event
from eptsp.observability import logger, metrics
from eptsp.sessions import prefetched, read_along
from eptsp.settings import SignedInSettings

ApplicationId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
RequirementId = Annotated[str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

# Officers read applications through their own (workflow) routes, never these.
ACCESS = {
    "POST /api/applications": APPLICANT_ONLY,
    "GET /api/applications": APPLICANT_ONLY,
    "GET /api/applications/{applicationId}": APPLICANT_ONLY,
    "DELETE /api/applications/{applicationId}": APPLICANT_ONLY,
    "PUT /api/applications/{applicationId}/sections/{section}": APPLICANT_ONLY,
    "PUT /api/applications/{applicationId}/attachments/{requirementId}": APPLICANT_ONLY,
    "DELETE /api/applications/{applicationId}/attachments/{requirementId}": APPLICANT_ONLY,
    "PUT /api/applications/{applicationId}/declaration": APPLICANT_ONLY,
    "GET /api/applications/{applicationId}/completeness": APPLICANT_ONLY,
}


class Settings(SignedInSettings):
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    files_table: str = Field(alias="FILES_TABLE")
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE")


def applications() -> ApplicationService:
    s = Settings.load()
    return application_service(
        s.applications_table,
        s.catalogue_table,
        s.files_table,
        s.accounts_table,
        s.idempotency_table,
        prefetched(app.current_event),
    )


# The session check's BatchGetItem also reads each route's first item: the application in
# the path, or (starting a draft) the applicant's profile the form is prefilled from.
for _route in ACCESS:
    if "{applicationId}" in _route:
        read_along(_route, named_in_path(lambda: Settings.load().applications_table))
read_along(
    "POST /api/applications",
    lambda event: [(Settings.load().accounts_table, profile_key(caller_from_event(event).username))],
)


def applicant() -> Caller:
    return signed_in(app)


@app.post(
    "/api/applications",
    security=SIGNED_IN,
    summary="Mulai permohonan (draft) dari satu jenis permohonan",
    tags=["Permohonan"],
)
def handle_create_application(
    request: Annotated[CreateApplicationRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[ApplicationOutput]:
    output = applications().create(applicant(), request.jenis_permohonan_id, idempotency_key, app.lambda_context)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=output)


@app.get(
    "/api/applications",
    security=SIGNED_IN,
    summary="Permohonan Saya: terbaru dulu, dengan pencarian",
    tags=["Permohonan"],
)
def handle_list_applications(
    q: Annotated[str | None, Query(max_length=100, description="nama izin atau nomor resi")] = None,
    status: Annotated[ApplicationStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    jenis_permohonan_id: Annotated[
        str | None,
        Query(
            alias="jenisPermohonanId",
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
            max_length=80,
            description="hanya permohonan dari jenis permohonan ini (misalnya draf yang dapat dilanjutkan)",
            examples=["sipa-baru"],
        ),
    ] = None,
) -> ApplicationList:
    text = (q or "").strip() or None
    return applications().list(applicant(), limit, cursor, status, text, jenis_permohonan_id)


@app.get("/api/applications/<applicationId>", security=SIGNED_IN, summary="Satu permohonan", tags=["Permohonan"])
def handle_get_application(applicationId: ApplicationId) -> ApplicationOutput:
    return applications().get(applicant(), applicationId)


@app.delete("/api/applications/<applicationId>", security=SIGNED_IN, summary="Batalkan draft", tags=["Permohonan"])
def handle_cancel_application(applicationId: ApplicationId):
    applications().cancel(applicant(), applicationId)
    return Response(status_code=204)


@app.put(
    "/api/applications/<applicationId>/sections/<section>",
    security=SIGNED_IN,
    summary="Simpan satu bagian (pemohon, perusahaan, lokasi, detail), dijaga versi",
    tags=["Permohonan"],
)
def handle_save_section(
    applicationId: ApplicationId,
    section: Annotated[SectionName, Path()],
    request: Annotated[SectionRequest, Body()],
) -> ApplicationOutput:
    return applications().save_section(applicant(), applicationId, section, request)


@app.put(
    "/api/applications/<applicationId>/attachments/<requirementId>",
    security=SIGNED_IN,
    summary="Lampirkan berkas yang sudah siap ke satu persyaratan",
    tags=["Permohonan"],
)
def handle_attach_file(
    applicationId: ApplicationId, requirementId: RequirementId, request: Annotated[AttachRequest, Body()]
) -> ApplicationOutput:
    return applications().attach(applicant(), applicationId, requirementId, request)


@app.delete(
    "/api/applications/<applicationId>/attachments/<requirementId>",
    security=SIGNED_IN,
    summary="Lepaskan lampiran dari satu persyaratan",
    tags=["Permohonan"],
)
def handle_detach_file(
    applicationId: ApplicationId,
    requirementId: RequirementId,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> ApplicationOutput:
    return applications().detach(applicant(), applicationId, requirementId, version)


@app.put(
    "/api/applications/<applicationId>/declaration",
    security=SIGNED_IN,
    summary="Pernyataan: data telah lengkap dan benar",
    tags=["Permohonan"],
)
def handle_declare(applicationId: ApplicationId, request: Annotated[DeclarationRequest, Body()]) -> ApplicationOutput:
    return applications().declare(applicant(), applicationId, request)


@app.get(
    "/api/applications/<applicationId>/completeness",
    security=SIGNED_IN,
    summary="Apa yang masih kurang sebelum dikirim",
    tags=["Permohonan"],
)
def handle_get_completeness(applicationId: ApplicationId) -> Completeness:
    return applications().completeness(applicant(), applicationId)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
