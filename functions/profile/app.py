"""The signed-in user's own account: Edit Profile and Ubah Password (manual C.5, C.6)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.accounts.models import (
    ChangePasswordRequest,
    ContactConfirmRequest,
    ProfileOutput,
    ProfileUpdateRequest,
    TokensOutput,
)
from eptsp.accounts.profiles import ProfileService
from eptsp.accounts.service import account_service
from eptsp.accounts.web import tokens_response
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.identity import Caller
from eptsp.observability import logger, metrics
from eptsp.settings import UserPoolSettings

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

# Officers have their own (GET /api/officer/me, POST /api/officer/me/password).
ACCESS = {
    "GET /api/me": APPLICANT_ONLY,
    "PUT /api/me": APPLICANT_ONLY,
    "POST /api/me/password": APPLICANT_ONLY,
    "POST /api/me/contact/confirm": APPLICANT_ONLY,
}


class Settings(UserPoolSettings):
    ses_sender: str = Field(alias="SES_SENDER")


def accounts() -> ProfileService:
    settings = Settings.load()
    return account_service(settings, settings.ses_sender).profiles


def caller() -> Caller:
    return signed_in(app)


@app.get("/api/me", security=SIGNED_IN, summary="Profil pengguna yang sedang masuk", tags=["Akun"])
def handle_get_me() -> ProfileOutput:
    return accounts().profile(caller().username)


@app.put(
    "/api/me",
    security=SIGNED_IN,
    summary="Edit Profile (NIK tetap); email/HP baru perlu password dan kode konfirmasi (202, pending)",
    tags=["Akun"],
    responses={
        status: {"description": description, "content": {"application/json": {"model": ProfileOutput}}}
        for status, description in ((200, "Profil disimpan"), (202, "Disimpan; email/HP baru menunggu kode (pending)"))
    },
)
def handle_update_me(request: Annotated[ProfileUpdateRequest, Body()]) -> Response[ProfileOutput]:
    saved = accounts().update_profile(caller().username, request)
    return Response(status_code=202 if saved.pending else 200, content_type=content_types.APPLICATION_JSON, body=saved)


@app.post("/api/me/contact/confirm", security=SIGNED_IN, summary="Konfirmasi email/HP baru dengan kode", tags=["Akun"])
def handle_confirm_contact(request: Annotated[ContactConfirmRequest, Body()]) -> ProfileOutput:
    return accounts().confirm_contact(caller().username, request.code)


@app.post(
    "/api/me/password",
    security=SIGNED_IN,
    summary="Ubah Password: sesi lain berakhir, sesi ini mendapat token baru",
    tags=["Akun"],
)
def handle_change_password(request: Annotated[ChangePasswordRequest, Body()]) -> Response[TokensOutput]:
    signed_in = accounts().change_password(caller().username, request)
    return tokens_response(app.current_event.headers, signed_in)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, UserPoolSettings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
