"""Signing in: the security code, the password through the user pool, the lockout after
5 failures, refresh and logout."""

from __future__ import annotations

import base64
import json
from http import HTTPStatus
from typing import Any

from eptsp.accounts import captcha
from eptsp.accounts.directory import CognitoDirectory, InvalidCredentials, Tokens
from eptsp.accounts.identifiers import normalize_email
from eptsp.accounts.models import CaptchaOutput, LoginRequest
from eptsp.accounts.passwords import REFRESH_TOKEN_DAYS, Lockout, SignedIn
from eptsp.accounts.profiles import profile_output
from eptsp.accounts.repository import PENDING, AccountsRepository, now
from eptsp.errors import DomainError, Unauthenticated


class LoginFailed(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "LOGIN_GAGAL"
    default_message = "NIK/Email atau password salah."


class AccountNotActive(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "AKUN_BELUM_AKTIF"
    default_message = (
        "Akun Anda belum aktif. Masukkan kode aktivasi 6 digit yang dikirim ke email dan nomor HP Anda, "
        "atau minta kode baru."
    )


SESSION_OVER = "Sesi Anda telah berakhir. Silakan masuk kembali."


def resolve_username(accounts: AccountsRepository, given: str) -> str | None:
    """The username of what a person types to name their account: NIK/NIP or e-mail; None
    for anything else (the user pool is never asked about a name that cannot be one)."""
    given = given.strip()
    if "@" in given:
        try:
            return accounts.owner_of("email", normalize_email(given))
        except ValueError:
            return None
    return given if given.isascii() and given.isdigit() else None


def sign_in_name(accounts: AccountsRepository, given: str) -> tuple[str | None, str]:
    """The account a sign-in names (None when it cannot be one), and the key its failures
    are counted under: per name typed, known or not, so the lock reveals nothing."""
    username = resolve_username(accounts, given)
    return username, username or given.strip().lower()


class SignInService:
    def __init__(self, accounts: AccountsRepository, directory: CognitoDirectory):
        self._accounts = accounts
        self._directory = directory
        self._lockout = Lockout(accounts)

    def new_captcha(self) -> CaptchaOutput:
        captcha_id, answer = captcha.new_code()
        self._accounts.put_captcha(captcha_id, answer, captcha.TTL_SECONDS)
        return CaptchaOutput(captcha_id=captcha_id, image=captcha.render(answer), expires_in=captcha.TTL_SECONDS)

    def login(self, request: LoginRequest) -> SignedIn:
        captcha.spend(self._accounts, request.captcha_id, request.captcha_answer)
        username, lock_key = sign_in_name(self._accounts, request.username)
        # The profile is read with the lockout (one round trip) but used only below.
        failures, profile = self._accounts.login_state(lock_key, username)
        self._lockout.refuse_if_locked(failures)
        try:
            if username is None:
                raise InvalidCredentials()
            tokens = self._directory.sign_in(username, request.password)
        except InvalidCredentials:
            self._lockout.failed(lock_key)
            raise LoginFailed() from None
        if failures:  # only a name with failures counted has any to clear
            self._lockout.clear(lock_key)
        # Only now, with the password right, may the answer say anything about the account.
        if profile is None or profile.get("status") == PENDING:
            if tokens.refresh_token:
                self._directory.revoke(tokens.refresh_token)
            if profile is None:  # a registration that expired unconfirmed
                raise LoginFailed()
            raise AccountNotActive()
        return SignedIn(tokens, profile_output(profile))

    def refresh(self, refresh_token: str | None) -> SignedIn:
        if not refresh_token:
            raise Unauthenticated("Sesi tidak ditemukan. Silakan masuk.")
        try:
            tokens = self._directory.refresh(refresh_token)
        except InvalidCredentials:
            raise Unauthenticated(SESSION_OVER) from None
        claims = _unverified_claims(tokens.access_token)
        username = claims.get("username") or claims.get("cognito:username", "")
        revoked, valid_after = self._accounts.session_state(username, claims.get("origin_jti", ""))
        profile = self._accounts.get_profile(username)
        if revoked or profile is None or int(claims.get("auth_time", claims.get("iat", 0))) < valid_after:
            raise Unauthenticated(SESSION_OVER)
        return SignedIn(Tokens(tokens.access_token, tokens.id_token, None, tokens.expires_in), profile_output(profile))

    def logout(self, session: str, refresh_token: str | None) -> None:
        if session:
            self._accounts.revoke_session(session, now() + REFRESH_TOKEN_DAYS * 86400)
        if refresh_token:
            self._directory.revoke(refresh_token)


def _unverified_claims(token: str) -> dict[str, Any]:
    """Claims of a token Cognito has just handed us over TLS (no signature check needed)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
