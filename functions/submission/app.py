"""Kirim and Kirim Ulang: submitting a complete draft (receipt, frozen files, the approval
flow started) and sending it back after perbaikan. Owner only."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.applications.repository import named_in_path
from eptsp.http import SIGNED_IN, IdempotencyKey, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.sessions import prefetched, read_along
from eptsp.settings import SignedInSettings
from eptsp.workflow.models import SubmissionOutput, SubmitRequest
from eptsp.workflow.submission import SubmissionService, submission_service

ApplicationId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "POST /api/applications/{applicationId}/submit": APPLICANT_ONLY,
    "POST /api/applications/{applicationId}/resubmit": APPLICANT_ONLY,
}


class Settings(SignedInSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    files_table: str = Field(alias="FILES_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")
    state_machine_arn: str = Field(alias="APPROVAL_STATE_MACHINE_ARN")
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE")
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")


def submissions() -> SubmissionService:
    s = Settings.load()
    return submission_service(
        s.applications_table,
        s.files_table,
        s.documents_bucket,
        s.state_machine_arn,
        s.idempotency_table,
        s.catalogue_table,
        prefetched(app.current_event),
    )


# The session check's BatchGetItem also reads the application of the path.
for _route in ACCESS:
    read_along(_route, named_in_path(lambda: Settings.load().applications_table))


@app.post(
    "/api/applications/<applicationId>/submit",
    security=SIGNED_IN,
    summary="Kirim: permohonan lengkap diajukan (nomor resi, perkiraan selesai)",
    tags=["Permohonan"],
)
def handle_submit_application(
    applicationId: ApplicationId, request: Annotated[SubmitRequest, Body()], idempotency_key: IdempotencyKey = None
) -> SubmissionOutput:
    return submissions().submit(signed_in(app), applicationId, request.version, idempotency_key)


@app.post(
    "/api/applications/<applicationId>/resubmit",
    security=SIGNED_IN,
    summary="Kirim ulang setelah perbaikan (tahap yang sama dilanjutkan)",
    tags=["Permohonan"],
)
def handle_resubmit_application(
    applicationId: ApplicationId, request: Annotated[SubmitRequest, Body()], idempotency_key: IdempotencyKey = None
) -> SubmissionOutput:
    return submissions().resubmit(signed_in(app), applicationId, request.version, idempotency_key)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
