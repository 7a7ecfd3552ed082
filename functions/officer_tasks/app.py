"""Officers' worklists and decisions: each role sees and decides only its stage's tasks;
an admin sees the files parked by a failure (gangguan) and resumes them."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import guarded, officers, signed_in
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings
from eptsp.workflow.decisions import DecisionService
from eptsp.workflow.models import (
    DecisionOutput,
    DecisionRequest,
    OfficerApplicationOutput,
    RetryOutput,
    TaskList,
    TaskOutput,
)
from eptsp.workflow.worklist import WorklistService

ApplicationId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
TaskId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
STAGE_OFFICERS = officers("verifikator", "teknis", "kepala", "admin")

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/officer/tasks": STAGE_OFFICERS,
    "GET /api/officer/applications/{applicationId}": STAGE_OFFICERS,
    "POST /api/officer/tasks/{taskId}/claim": STAGE_OFFICERS,
    "POST /api/officer/tasks/{taskId}/decision": officers("verifikator", "teknis", "kepala"),
    "POST /api/officer/applications/{applicationId}/retry": officers("admin"),
}


class Settings(SignedInSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")
    state_machine_arn: str = Field(alias="APPROVAL_STATE_MACHINE_ARN")


def worklist() -> WorklistService:
    from eptsp.aws import client, dynamodb_table
    from eptsp.workdays import national_calendar
    from eptsp.workflow.repository import WorkflowRepository

    s = Settings.load()
    return WorklistService(
        WorkflowRepository(dynamodb_table(s.applications_table)), client("s3"), s.documents_bucket, national_calendar()
    )


def decisions() -> DecisionService:
    from eptsp.accounts.repository import AccountsRepository
    from eptsp.aws import client, dynamodb_table
    from eptsp.catalogue.calendar import office_calendar
    from eptsp.workflow.engine import ApprovalEngine
    from eptsp.workflow.repository import WorkflowRepository
    from eptsp.workflow.worklist import OfficerDirectory

    s = Settings.load()
    return DecisionService(
        WorkflowRepository(dynamodb_table(s.applications_table)),
        ApprovalEngine(client("stepfunctions"), s.state_machine_arn),
        OfficerDirectory(AccountsRepository(dynamodb_table(s.accounts_table))),
        office_calendar(s.catalogue_table),  # read only if a perbaikan needs its last day
    )


@app.get(
    "/api/officer/tasks",
    security=SIGNED_IN,
    summary="Daftar tugas peran Anda, tenggat paling dekat dulu",
    tags=["Petugas"],
)
def handle_list_tasks(
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> TaskList:
    return worklist().tasks(signed_in(app), limit, cursor)


@app.get(
    "/api/officer/applications/<applicationId>",
    security=SIGNED_IN,
    summary="Berkas yang diajukan: data, lampiran (tautan 5 menit), riwayat",
    tags=["Petugas"],
)
def handle_get_officer_application(applicationId: ApplicationId) -> OfficerApplicationOutput:
    return worklist().application(signed_in(app), applicationId)


@app.post(
    "/api/officer/tasks/<taskId>/claim",
    security=SIGNED_IN,
    summary="Ambil tugas (satu petugas mengerjakan satu tugas)",
    tags=["Petugas"],
)
def handle_claim_task(taskId: TaskId) -> TaskOutput:
    return worklist().task(decisions().claim(signed_in(app), taskId))


@app.post(
    "/api/officer/tasks/<taskId>/decision",
    security=SIGNED_IN,
    summary="Keputusan: setuju, perbaikan (dengan yang harus diperbaiki) atau tolak",
    tags=["Petugas"],
)
def handle_decide_task(taskId: TaskId, request: Annotated[DecisionRequest, Body()]) -> DecisionOutput:
    return decisions().decide(signed_in(app), taskId, request)


@app.post(
    "/api/officer/applications/<applicationId>/retry",
    security=SIGNED_IN,
    summary="Admin: jalankan ulang langkah yang gagal (permohonan tertunda)",
    tags=["Petugas"],
)
def handle_retry_application(applicationId: ApplicationId) -> RetryOutput:
    return decisions().retry(signed_in(app), applicationId)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
