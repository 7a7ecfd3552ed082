"""Permits: Unduh Izin for the holder, public verification by permit id, revocation by an admin."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import ANYONE, APPLICANT_ONLY, guarded, officers, signed_in
from eptsp.http import SIGNED_IN, configure_resolver, pdf_attachment
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.permits.models import RevokeRequest, VerificationOutput
from eptsp.permits.service import PermitService
from eptsp.settings import SignedInSettings

ApplicationId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
# Loose on purpose: any malformed id is answered "tidak valid", not 422, as a made-up one is.
PermitId = Annotated[str, Path(min_length=1, max_length=64)]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/applications/{applicationId}/permit": APPLICANT_ONLY,
    "GET /api/verify/{permitId}": ANYONE,
    "POST /api/officer/permits/{permitId}/revoke": officers("admin"),
}


class Settings(SignedInSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")
    signing_key_id: str = Field(alias="PERMIT_SIGNING_KEY_ID")


def permits() -> PermitService:
    from eptsp import aws
    from eptsp.permits.repository import PermitRepository
    from eptsp.permits.service import KmsSigner

    s = Settings.load()
    return PermitService(
        PermitRepository(aws.dynamodb_table(s.applications_table)), KmsSigner(aws.client("kms"), s.signing_key_id)
    )


def _verification(output: VerificationOutput) -> dict:
    # A permit that is not genuine says so and nothing more.
    return output.model_dump(mode="json", exclude_none=not output.valid and output.status == "tidak valid")


@app.get(
    "/api/applications/<applicationId>/permit",
    security=SIGNED_IN,
    summary="Unduh Izin: surat izin (PDF) permohonan yang sudah terbit; pemilik saja",
    tags=["Permohonan"],
    responses={
        200: {
            "description": "Surat izin (PDF A4), sebagai lampiran izin-<nomor izin>.pdf",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        409: {
            "description": "Izin belum terbit (IZIN_BELUM_TERBIT)",
            "content": {"application/json": {"model": ErrorOutput}},
        },
    },
)
def handle_get_permit(applicationId: ApplicationId):
    from eptsp import aws
    from eptsp.permits.service import S3DocumentStore

    documents = S3DocumentStore(aws.client("s3"), Settings.load().documents_bucket)
    name, document = permits().holder_document(signed_in(app), applicationId, documents)
    return pdf_attachment(document, name)


@app.get(
    "/api/verify/<permitId>",
    summary="Verifikasi izin: asli atau tidak, berlaku, kedaluwarsa atau dicabut (data publik saja)",
    tags=["Verifikasi"],
    responses={
        200: {"description": "Hasil verifikasi", "content": {"application/json": {"model": VerificationOutput}}}
    },
)
def handle_verify_permit(permitId: PermitId) -> dict:
    output = permits().verify(permitId)
    metrics.add_metric(name="PermitVerified", unit="Count", value=1)
    return _verification(output)


@app.post(
    "/api/officer/permits/<permitId>/revoke",
    security=SIGNED_IN,
    summary="Cabut izin (admin), dengan alasan; verifikasi lalu menyebut dicabut",
    tags=["Petugas"],
    responses={
        200: {
            "description": "Hasil verifikasi setelah dicabut",
            "content": {"application/json": {"model": VerificationOutput}},
        },
        404: {"description": "Izin tidak ditemukan", "content": {"application/json": {"model": ErrorOutput}}},
        409: {"description": "Izin sudah dicabut", "content": {"application/json": {"model": ErrorOutput}}},
    },
)
def handle_revoke_permit(permitId: PermitId, request: Annotated[RevokeRequest, Body()]) -> dict:
    return _verification(permits().revoke(signed_in(app), permitId, request.reason))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
