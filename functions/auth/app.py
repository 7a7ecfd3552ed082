"""Sign-in and account recovery (manual sections A and B): security code, registration,
login by NIK or email, refresh, logout, Lupa Password PIN and reset."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import ANYONE, APPLICANT_ONLY, guarded
from eptsp.accounts.code_requests import Kind
from eptsp.accounts.models import (
    ActivateRequest,
    CaptchaOutput,
    ForgotPasswordRequest,
    LoginRequest,
    MessageOutput,
    RefreshRequest,
    RegisterOutput,
    RegisterRequest,
    ResendActivationRequest,
    ResetPasswordRequest,
    TokensOutput,
)
from eptsp.accounts.recovery import FORGOT_ANSWER
from eptsp.accounts.registration import REGISTERED
from eptsp.accounts.service import Accounts, account_service
from eptsp.accounts.web import REFRESH_COOKIE, refresh_cookie, tokens_response
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.sessions import session_id
from eptsp.settings import UserPoolSettings

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/auth/captcha": ANYONE,
    "POST /api/auth/register": ANYONE,
    "POST /api/auth/login": ANYONE,
    "POST /api/auth/refresh": ANYONE,
    "POST /api/auth/logout": APPLICANT_ONLY,
    "POST /api/auth/forgot-password": ANYONE,
    "POST /api/auth/reset-password": ANYONE,
    "POST /api/auth/activate": ANYONE,
    "POST /api/auth/activate/resend": ANYONE,
}


class Settings(UserPoolSettings):
    # PINs and activation codes are sent by the queue's worker, never by this function.
    code_queue_url: str = Field(alias="PASSWORD_RESET_QUEUE_URL")


def accounts() -> Accounts:
    settings = Settings.load()
    return account_service(settings, code_queue_url=settings.code_queue_url)


def _answer(status: int, description: str, model: type) -> dict:
    """An OpenAPI answer other than the plain 200 (the console and the fuzzer read these)."""
    return {status: {"description": description, "content": {"application/json": {"model": model}}}}


def _json(status: int, body: object) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


@app.get("/api/auth/captcha", summary="Kode keamanan baru (gambar), sekali pakai, 5 menit", tags=["Akun"])
def handle_get_captcha() -> Response[CaptchaOutput]:
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=accounts().sign_in.new_captcha(),
        headers={"Cache-Control": "no-store"},
    )


@app.post(
    "/api/auth/register",
    summary="Pendaftaran akun pemohon (dengan kode keamanan); kode aktivasi dikirim ke email dan HP",
    tags=["Akun"],
    responses=_answer(201, "Akun dibuat, menunggu kode aktivasi", RegisterOutput),
)
def handle_register(request: Annotated[RegisterRequest, Body()]) -> Response[RegisterOutput]:
    username = accounts().registration.register(request)
    metrics.add_metric(name="AccountRegistered", unit="Count", value=1)
    return _json(201, RegisterOutput(username=username, message=REGISTERED))


@app.post("/api/auth/activate", summary="Aktivasi akun dengan kode 6 digit dari email/SMS", tags=["Akun"])
def handle_activate(request: Annotated[ActivateRequest, Body()]) -> MessageOutput:
    return MessageOutput(message=accounts().registration.activate(request))


@app.post(
    "/api/auth/activate/resend",
    summary="Kirim ulang kode aktivasi (paling sering sekali semenit)",
    tags=["Akun"],
    responses=_answer(202, "Jawaban yang sama untuk setiap nama", MessageOutput),
)
def handle_resend_activation(request: Annotated[ResendActivationRequest, Body()]) -> Response[MessageOutput]:
    return _json(202, MessageOutput(message=accounts().registration.resend_activation(request)))


@app.post("/api/auth/login", summary="Masuk dengan NIK/NIP/email, password dan kode keamanan", tags=["Akun"])
def handle_login(request: Annotated[LoginRequest, Body()]) -> Response[TokensOutput]:
    return tokens_response(app.current_event.headers, accounts().sign_in.login(request))


@app.post("/api/auth/refresh", summary="Token baru dari refresh token (cookie atau body)", tags=["Akun"])
def handle_refresh(request: Annotated[RefreshRequest, Body()] = None) -> Response[TokensOutput]:
    token = (request.refresh_token if request else None) or app.current_event.resolved_cookies_field.get(REFRESH_COOKIE)
    return tokens_response(app.current_event.headers, accounts().sign_in.refresh(token))


@app.post(
    "/api/auth/logout",
    security=SIGNED_IN,
    summary="Keluar: sesi ini dicabut",
    tags=["Akun"],
    status_code=204,
    responses={204: {"description": "Sesi dicabut (tanpa isi)", "content": {}}},
)
def handle_logout():
    cookie = app.current_event.resolved_cookies_field.get(REFRESH_COOKIE)
    accounts().sign_in.logout(session_id(app.current_event), cookie)
    return Response(status_code=204, cookies=[refresh_cookie(app.current_event.headers, "", 0)])


@app.post(
    "/api/auth/forgot-password",
    summary="Lupa Password: PIN ke email dan HP (diproses di antrean; jawaban sama untuk semua)",
    tags=["Akun"],
    responses=_answer(202, "Diterima; jawaban yang sama untuk setiap isian", MessageOutput),
)
def handle_forgot_password(request: Annotated[ForgotPasswordRequest, Body()]) -> Response[MessageOutput]:
    # Nothing about the account is looked up here: the worker does it, so the time says nothing.
    accounts().code_requests.send(Kind.RESET_PIN, request)
    return _json(202, MessageOutput(message=FORGOT_ANSWER))


@app.post("/api/auth/reset-password", summary="Atur password baru dengan PIN", tags=["Akun"])
def handle_reset_password(request: Annotated[ResetPasswordRequest, Body()]) -> MessageOutput:
    accounts().password_reset.reset_password(request)
    return MessageOutput(message="Password berhasil diubah. Silakan masuk dengan password baru.")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
