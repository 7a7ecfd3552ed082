"""Cetak Resi: the receipt of a submitted application as a PDF. Owner only.

A function of its own so that only it carries and imports the PDF and QR libraries
(functions/receipt/requirements.txt). Even here they are imported on the first request, not
with this module: the API document's build (tools/api_document.py) imports every handler to
read its routes and needs none of them. ``FIRST_REQUEST_IMPORTS`` names them for the cold-start benchmark.
"""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.applications.service import ApplicationService, application_service
from eptsp.http import SIGNED_IN, configure_resolver, pdf_attachment
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.receipts.document import receipt_for
from eptsp.settings import SignedInSettings

ApplicationId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
FIRST_REQUEST_IMPORTS = ("eptsp.receipts.pdf",)

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

# Officers see applications through their own routes; the receipt is the applicant's.
ACCESS = {"GET /api/applications/{applicationId}/receipt": APPLICANT_ONLY}


class Settings(SignedInSettings):
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    files_table: str = Field(alias="FILES_TABLE")
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE")
    # The CloudFront distribution's domain name: the QR code opens Monitoring Izin there.
    site_domain: str = Field(alias="SITE_DOMAIN")


def applications() -> ApplicationService:
    s = Settings.load()
    return application_service(
        s.applications_table, s.catalogue_table, s.files_table, s.accounts_table, s.idempotency_table
    )


@app.get(
    "/api/applications/<applicationId>/receipt",
    security=SIGNED_IN,
    summary="Cetak Resi: tanda terima permohonan yang sudah dikirim (PDF)",
    tags=["Permohonan"],
    responses={
        200: {
            "description": "Tanda terima (PDF A4), sebagai lampiran resi-<nomor resi>.pdf",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        409: {
            "description": "Permohonan masih draft (BELUM_DIAJUKAN)",
            "content": {"application/json": {"model": ErrorOutput}},
        },
    },
)
def handle_get_receipt(applicationId: ApplicationId):
    from eptsp.receipts.pdf import render_receipt  # see FIRST_REQUEST_IMPORTS

    caller = signed_in(app)
    # The same reading as GET /api/applications/{applicationId}: owner only, else 404.
    application = applications().get(caller, applicationId)
    receipt = receipt_for(application, Settings.load().site_domain, caller.username)
    document = render_receipt(receipt)
    metrics.add_metric(name="ReceiptPrinted", unit="Count", value=1)
    return pdf_attachment(document, receipt.file_name)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
