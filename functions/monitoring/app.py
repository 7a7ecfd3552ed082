"""Monitoring Izin: a file's progress by its receipt number; the History Proses for its
owner and officers."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import ANY_OFFICER, ANYONE, APPLICANT_ONLY, guarded, signed_in
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings
from eptsp.workflow.models import MonitoringOutput, RiwayatOutput
from eptsp.workflow.monitoring import MonitoringService, monitoring_service

# Typed by hand: spaces and missing dashes are forgiven, so the pattern is loose here.
ReceiptNumber = Annotated[str, Path(min_length=8, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/monitoring/{receiptNumber}": ANYONE,
    "GET /api/monitoring/{receiptNumber}/riwayat": APPLICANT_ONLY,
    "GET /api/officer/monitoring/{receiptNumber}/riwayat": ANY_OFFICER,
}


class Settings(SignedInSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")


def monitoring() -> MonitoringService:
    return monitoring_service(Settings.load().applications_table)


@app.get(
    "/api/monitoring/<receiptNumber>",
    summary="Monitoring Izin: tahap permohonan menurut nomor resi (tanpa data pribadi)",
    tags=["Monitoring"],
)
def handle_get_monitoring(receiptNumber: ReceiptNumber) -> MonitoringOutput:
    return monitoring().public(receiptNumber)


@app.get(
    "/api/monitoring/<receiptNumber>/riwayat",
    security=SIGNED_IN,
    summary="History Proses permohonan milik pemohon yang masuk",
    tags=["Monitoring"],
)
def handle_get_riwayat(receiptNumber: ReceiptNumber) -> RiwayatOutput:
    return monitoring().riwayat(signed_in(app), receiptNumber)


@app.get(
    "/api/officer/monitoring/<receiptNumber>/riwayat",
    security=SIGNED_IN,
    summary="History Proses permohonan mana pun, dengan nama petugas (petugas)",
    tags=["Monitoring"],
)
def handle_get_riwayat_for_officers(receiptNumber: ReceiptNumber) -> RiwayatOutput:
    return monitoring().riwayat(signed_in(app), receiptNumber)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
