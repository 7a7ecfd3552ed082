"""Officers' sign-in, in their own user pool: NIP or e-mail and password, then the 6-digit
code of an authenticator app (set up at the first sign-in); sign-out, own profile and
password. Applicants' tokens are refused here by API Gateway (another pool's issuer)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths

from eptsp.access import ANY_OFFICER, ANYONE, guarded, signed_in
from eptsp.accounts.models import (
    MessageOutput,
    OfficerChallengeOutput,
    OfficerChangePasswordRequest,
    OfficerLoginRequest,
    OfficerMfaRequest,
    OfficerTokensOutput,
    ProfileOutput,
)
from eptsp.accounts.service import Accounts, account_service
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.sessions import session_id, token_expiry
from eptsp.settings import UserPoolSettings

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "POST /api/officer/auth/login": ANYONE,
    "POST /api/officer/auth/mfa": ANYONE,
    "POST /api/officer/auth/logout": ANY_OFFICER,
    "GET /api/officer/me": ANY_OFFICER,
    "POST /api/officer/me/password": ANY_OFFICER,
}
NO_STORE = {"Cache-Control": "no-store"}


def accounts() -> Accounts:
    return account_service(UserPoolSettings.load())


@app.post(
    "/api/officer/auth/login",
    summary="Petugas masuk, langkah 1: NIP/email dan password; jawabannya langkah 2 (kode autentikator)",
    tags=["Akun Petugas"],
)
def handle_login(request: Annotated[OfficerLoginRequest, Body()]) -> Response[OfficerChallengeOutput]:
    step = accounts().officer_sign_in.login(request)
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=step, headers=NO_STORE)


@app.post(
    "/api/officer/auth/mfa",
    summary="Petugas masuk, langkah 2: kode 6 digit dari aplikasi autentikator; jawabannya token akses (1 jam)",
    tags=["Akun Petugas"],
)
def handle_mfa(request: Annotated[OfficerMfaRequest, Body()]) -> Response[OfficerTokensOutput]:
    signed_in_officer = accounts().officer_sign_in.confirm(request)
    tokens = signed_in_officer.tokens
    logger.info("Officer signed in", extra={"officer": signed_in_officer.profile.username})
    body = OfficerTokensOutput(
        access_token=tokens.access_token, expires_in=tokens.expires_in, user=signed_in_officer.profile
    )
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body, headers=NO_STORE)


@app.post(
    "/api/officer/auth/logout",
    security=SIGNED_IN,
    summary="Petugas keluar: sesi ini dicabut",
    tags=["Akun Petugas"],
    status_code=204,
    responses={204: {"description": "Sesi dicabut (tanpa isi)", "content": {}}},
)
def handle_logout():
    accounts().sign_in.logout(session_id(app.current_event), None)
    return Response(status_code=204)


@app.get("/api/officer/me", security=SIGNED_IN, summary="Akun petugas yang sedang masuk", tags=["Akun Petugas"])
def handle_get_me() -> ProfileOutput:
    return accounts().profiles.profile(signed_in(app).username)


@app.post(
    "/api/officer/me/password",
    security=SIGNED_IN,
    summary="Ubah password petugas; setiap sesi berakhir, masuk lagi dengan kode autentikator",
    tags=["Akun Petugas"],
)
def handle_change_password(request: Annotated[OfficerChangePasswordRequest, Body()]) -> MessageOutput:
    access_token = app.current_event.headers.get("authorization", "").removeprefix("Bearer ").strip()
    officer = signed_in(app).username
    session = (session_id(app.current_event), token_expiry(app.current_event))
    accounts().officer_sign_in.change_password(officer, access_token, session, request)
    return MessageOutput(message="Password diubah. Semua sesi berakhir; silakan masuk kembali.")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, UserPoolSettings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
