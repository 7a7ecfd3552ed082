"""The HTTP answer with a session's tokens, shared by sign-in (auth function) and Ubah
Password (profile function): tokens in the body, the refresh token only in an HttpOnly
cookie that is sent back to ``/api/auth`` alone."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from eptsp.accounts.models import TokensOutput
from eptsp.accounts.passwords import REFRESH_TOKEN_DAYS, SignedIn

REFRESH_COOKIE = "eptsp_refresh"
COOKIE_PATH = "/api/auth"


def refresh_cookie(headers: dict[str, str], value: str, max_age: int) -> Cookie:
    # HttpOnly: the browser keeps the refresh token where scripts cannot read it.
    secure = headers.get("x-forwarded-proto", "https") == "https"
    return Cookie(
        REFRESH_COOKIE,
        value,
        path=COOKIE_PATH,
        secure=secure,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.STRICT_MODE,
    )


def tokens_response(headers: dict[str, str], signed_in: SignedIn) -> Response[TokensOutput]:
    """200 with the tokens; a new refresh token (login, Ubah Password) goes into the cookie."""
    tokens = signed_in.tokens
    body = TokensOutput(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        expires_in=tokens.expires_in,
        user=signed_in.profile,
    )
    cookies = (
        [refresh_cookie(headers, tokens.refresh_token, REFRESH_TOKEN_DAYS * 86400)] if tokens.refresh_token else []
    )
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        cookies=cookies,
        headers={"Cache-Control": "no-store"},
    )
