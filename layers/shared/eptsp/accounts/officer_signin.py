"""Officers' sign-in, in their own user pool: the password, then a code from an
authenticator app (TOTP) on every sign-in. The first sign-in sets the app up (MFA_SETUP:
the pool hands out a secret, the officer's first code confirms it). No security code image
(the second factor replaces it) and no refresh token: a session ends with its access token.

Wrong passwords and wrong codes count toward the same lockout as the applicants' sign-in.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from eptsp.accounts.directory import Challenge, CodeRejected, CognitoDirectory, InvalidCredentials, Tokens
from eptsp.accounts.models import (
    OfficerChallengeOutput,
    OfficerChangePasswordRequest,
    OfficerLoginRequest,
    OfficerMfaRequest,
)
from eptsp.accounts.passwords import Lockout, SignedIn, end_all_sessions
from eptsp.accounts.profiles import profile_output
from eptsp.accounts.repository import AccountsRepository
from eptsp.accounts.signin import LoginFailed, sign_in_name
from eptsp.errors import DomainError, Unauthenticated
from eptsp.identity import OFFICER_ROLES
from eptsp.observability import logger

AUTHENTICATOR_ISSUER = "e-PTSP"


class CodeFailed(Unauthenticated):
    code = "KODE_AUTENTIKATOR_SALAH"
    default_message = (
        "Kode dari aplikasi autentikator salah atau sesi masuk sudah berakhir (3 menit). "
        "Periksa jam ponsel Anda, atau masuk lagi dengan password."
    )


WRONG_PASSWORD = "NIP/Email atau password salah."  # noqa: S105 (a message)
WRONG_OLD_PASSWORD = DomainError("Password lama salah.", code="PASSWORD_LAMA_SALAH", field="oldPassword")


def otpauth_uri(username: str, secret: str) -> str:
    """The key URI authenticator apps read from a QR code (the de facto otpauth:// format)."""
    label = quote(f"{AUTHENTICATOR_ISSUER}:{username}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": AUTHENTICATOR_ISSUER})


class OfficerSignIn:
    def __init__(self, accounts: AccountsRepository, directory: CognitoDirectory):
        self._accounts = accounts
        self._directory = directory
        self._lockout = Lockout(accounts)

    def login(self, request: OfficerLoginRequest) -> OfficerChallengeOutput:
        username, lock_key = sign_in_name(self._accounts, request.username)
        self._lockout.ensure_open(lock_key)
        try:
            if username is None:
                raise InvalidCredentials()
            step = self._directory.begin_sign_in(username, request.password)
        except InvalidCredentials:
            self._lockout.failed(lock_key)
            raise LoginFailed(WRONG_PASSWORD) from None
        if isinstance(step, Tokens):
            # The pool requires MFA; tokens without it mean a pool set up wrongly: refuse them.
            logger.error("The officers' user pool signed someone in without MFA")
            raise LoginFailed(WRONG_PASSWORD)
        if step.name == "MFA_SETUP":
            secret, session = self._directory.new_authenticator(step.session)
            return OfficerChallengeOutput(
                challenge="MFA_SETUP", session=session, secret_code=secret, otpauth_uri=otpauth_uri(username, secret)
            )
        return OfficerChallengeOutput(challenge="SOFTWARE_TOKEN_MFA", session=step.session)

    def confirm(self, request: OfficerMfaRequest) -> SignedIn:
        username, lock_key = sign_in_name(self._accounts, request.username)
        self._lockout.ensure_open(lock_key)
        try:
            if username is None:
                raise CodeRejected()
            step = self._directory.answer_challenge(
                username, Challenge(request.challenge, request.session), request.code
            )
            if not isinstance(step, Tokens):
                raise CodeRejected()
        except CodeRejected:
            self._lockout.failed(lock_key)
            raise CodeFailed(field="code") from None
        self._lockout.clear(lock_key)
        profile = self._accounts.get_profile(username)
        if profile is None or not OFFICER_ROLES.intersection(profile.get("roles", [])):
            raise LoginFailed(WRONG_PASSWORD)
        return SignedIn(step, profile_output(profile))

    def change_password(
        self,
        username: str,
        access_token: str,
        session: tuple[str, int],
        request: OfficerChangePasswordRequest,
    ) -> None:
        """A new password checked by the pool against the current one; every session ends,
        this one too (the officer signs in again, with the app's code). ``session``: this
        session's id and the expiry of its token."""
        self._lockout.ensure_open(username)
        try:
            self._directory.change_own_password(access_token, request.old_password, request.new_password)
        except InvalidCredentials:
            self._lockout.failed(username)
            raise WRONG_OLD_PASSWORD from None
        end_all_sessions(self._directory, self._accounts, username)
        # Sessions end by the second; this one ends now, even if it began in this second.
        self._accounts.revoke_session(*session)

    def reset(self, username: str, password: str) -> None:
        """The operator's reset of an officer who lost the password or the phone: a new
        password, the authenticator app forgotten (the next sign-in sets one up), every
        session ended and the lockout lifted."""
        self._directory.set_password(username, password)
        self._directory.forget_authenticator(username)
        end_all_sessions(self._directory, self._accounts, username)
        self._lockout.clear(username)
