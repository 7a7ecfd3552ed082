"""Sign-in and account recovery (manual sections A and B): security code, registration,
login by NIK or email, refresh, logout, Lupa Password PIN and reset."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from pydantic import Field

from eptsp.accounts.models import (
    CaptchaOutput,
    ForgotPasswordRequest,
    LoginRequest,
    MessageOutput,
    RefreshRequest,
    RegisterOutput,
    RegisterRequest,
    ResetPasswordRequest,
    TokensOutput,
)
from eptsp.accounts.service import REFRESH_TOKEN_DAYS, AccountService, SignedIn, account_service
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.sessions import current_caller, session_id
from eptsp.settings import UserPoolSettings

REFRESH_COOKIE = "eptsp_refresh"
COOKIE_PATH = "/api/auth"

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)


class Settings(UserPoolSettings):
    ses_sender: str = Field(alias="SES_SENDER")


def accounts() -> AccountService:
    settings = Settings.load()
    return account_service(settings, settings.ses_sender)


def _refresh_cookie(value: str, max_age: int) -> Cookie:
    # HttpOnly: the browser keeps the refresh token where scripts cannot read it.
    secure = app.current_event.headers.get("x-forwarded-proto", "https") == "https"
    return Cookie(
        REFRESH_COOKIE,
        value,
        path=COOKIE_PATH,
        secure=secure,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.STRICT_MODE,
    )


def _tokens_response(signed_in: SignedIn, refresh_token: str | None) -> Response[TokensOutput]:
    tokens = signed_in.tokens
    body = TokensOutput(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=refresh_token,
        expires_in=tokens.expires_in,
        user=signed_in.profile,
    )
    cookies = [_refresh_cookie(refresh_token, REFRESH_TOKEN_DAYS * 86400)] if refresh_token else []
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        cookies=cookies,
        headers={"Cache-Control": "no-store"},
    )


@app.get("/api/auth/captcha", summary="Kode keamanan baru (gambar), sekali pakai, 5 menit", tags=["Akun"])
def handle_get_captcha() -> Response[CaptchaOutput]:
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=accounts().new_captcha(),
        headers={"Cache-Control": "no-store"},
    )


@app.post("/api/auth/register", summary="Pendaftaran akun pemohon", tags=["Akun"])
def handle_register(request: Annotated[RegisterRequest, Body()]) -> Response[RegisterOutput]:
    username = accounts().register(request)
    metrics.add_metric(name="AccountRegistered", unit="Count", value=1)
    body = RegisterOutput(username=username, message="Pendaftaran berhasil. Silakan masuk dengan NIK atau email Anda.")
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


@app.post("/api/auth/login", summary="Masuk dengan NIK/NIP/email, password dan kode keamanan", tags=["Akun"])
def handle_login(request: Annotated[LoginRequest, Body()]) -> Response[TokensOutput]:
    signed_in = accounts().login(request)
    return _tokens_response(signed_in, signed_in.tokens.refresh_token)


@app.post("/api/auth/refresh", summary="Token baru dari refresh token (cookie atau body)", tags=["Akun"])
def handle_refresh(request: Annotated[RefreshRequest, Body()] = None) -> Response[TokensOutput]:
    token = (request.refresh_token if request else None) or app.current_event.resolved_cookies_field.get(REFRESH_COOKIE)
    return _tokens_response(accounts().refresh(token), None)


@app.post("/api/auth/logout", security=SIGNED_IN, summary="Keluar: sesi ini dicabut", tags=["Akun"], status_code=204)
def handle_logout():
    current_caller(app.current_event, Settings.load().accounts_table)
    accounts().logout(session_id(app.current_event), app.current_event.resolved_cookies_field.get(REFRESH_COOKIE))
    return Response(status_code=204, cookies=[_refresh_cookie("", 0)])


@app.post("/api/auth/forgot-password", summary="Lupa Password: kirim PIN ke email dan HP", tags=["Akun"])
def handle_forgot_password(request: Annotated[ForgotPasswordRequest, Body()]) -> Response[MessageOutput]:
    message = accounts().forgot_password(request)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=MessageOutput(message=message))


@app.post("/api/auth/reset-password", summary="Atur password baru dengan PIN", tags=["Akun"])
def handle_reset_password(request: Annotated[ResetPasswordRequest, Body()]) -> MessageOutput:
    accounts().reset_password(request)
    return MessageOutput(message="Password berhasil diubah. Silakan masuk dengan password baru.")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
