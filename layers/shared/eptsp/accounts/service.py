"""Account rules: registration, sign-in with the security code and lockout, the reset PIN,
profiles, password change and officer accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from eptsp.accounts import captcha
from eptsp.accounts.directory import CognitoDirectory, InvalidCredentials, Tokens
from eptsp.accounts.identifiers import identifier_kind, normalize_email
from eptsp.accounts.models import (
    CaptchaOutput,
    ChangePasswordRequest,
    ForgotPasswordRequest,
    LoginRequest,
    OfficerCreateRequest,
    OfficerOutput,
    ProfileFields,
    ProfileOutput,
    RegisterRequest,
    ResetPasswordRequest,
)
from eptsp.accounts.repository import AccountsRepository, now
from eptsp.errors import DomainError, NotFound, TooManyRequests, Unauthenticated
from eptsp.identity import APPLICANT
from eptsp.notify import Messenger
from eptsp.settings import UserPoolSettings

MAX_LOGIN_FAILURES = 5
LOCK_SECONDS = 15 * 60
PIN_TTL_SECONDS = 15 * 60
PIN_RESEND_SECONDS = 60  # one PIN a minute: a loop cannot flood someone's phone
MAX_PIN_ATTEMPTS = 5
REFRESH_TOKEN_DAYS = 7


class LoginFailed(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "LOGIN_GAGAL"
    default_message = "NIK/Email atau password salah."


class CaptchaWrong(DomainError):
    code = "KODE_KEAMANAN_SALAH"
    default_message = "Kode keamanan salah atau sudah kedaluwarsa. Ketik kode yang baru."


class PinInvalid(DomainError):
    code = "PIN_TIDAK_VALID"
    default_message = "PIN salah atau sudah tidak berlaku. Minta PIN baru melalui Lupa Password."


class PinLocked(TooManyRequests):
    code = "PIN_TERKUNCI"
    default_message = "PIN sudah 5 kali salah dan tidak berlaku lagi. Minta PIN baru melalui Lupa Password."


FORGOT_ANSWER = "Jika data yang Anda isi cocok dengan akun kami, PIN telah dikirim ke email dan nomor HP Anda."


def _hash_pin(pin: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), 100_000).hex()


def profile_output(profile: dict[str, Any]) -> ProfileOutput:
    return ProfileOutput(
        username=profile["username"],
        nik=profile.get("nik"),
        name=profile["name"],
        email=profile["email"],
        phone=profile["phone"],
        npwp=profile.get("npwp"),
        nib=profile.get("nib"),
        address=profile.get("address"),
        kabupaten_kota=profile.get("kabupatenKota"),
        roles=list(profile.get("roles", [])),
    )


def _directory_attributes(profile: dict[str, Any]) -> dict[str, str]:
    return {
        "name": profile["name"],
        "email": profile["email"],
        "email_verified": "true",
        "phone_number": profile["phone"],
        "custom:npwp": profile.get("npwp") or "",
        "custom:nib": profile.get("nib") or "",
    }


@dataclass
class SignedIn:
    tokens: Tokens
    profile: ProfileOutput


class AccountService:
    def __init__(self, accounts: AccountsRepository, directory: CognitoDirectory, messenger: Messenger | None = None):
        self._accounts = accounts
        self._directory = directory
        self._messenger = messenger

    # ------------------------------------------------------------- registration
    def _create_account(self, profile: dict[str, Any], password: str, role: str, key_field: str) -> None:
        """Profile and unique claims first (409 names what is taken), then the user pool;
        if the user pool refuses, the profile is taken back so nothing is half-created."""
        timestamp = datetime.now(UTC).isoformat(timespec="seconds")
        profile = {**{k: v for k, v in profile.items() if v is not None}, "roles": [role]}
        profile.update(createdAt=timestamp, updatedAt=timestamp)
        self._accounts.create_profile(profile, key_field=key_field)
        try:
            self._directory.create_user(profile["username"], password, _directory_attributes(profile), role)
        except Exception:
            self._accounts.delete_profile(profile)
            raise

    def register(self, request: RegisterRequest) -> str:
        profile = {
            "username": request.nik,
            "nik": request.nik,
            "name": request.name,
            "email": request.email,
            "phone": request.phone,
            "npwp": request.npwp,
            "nib": request.nib,
            "address": request.address,
            "kabupatenKota": request.kabupaten_kota,
        }
        self._create_account(profile, request.password, APPLICANT, key_field="nik")
        return request.nik

    def create_officer(self, request: OfficerCreateRequest) -> OfficerOutput:
        profile = {
            "username": request.nip,
            "nip": request.nip,
            "name": request.name,
            "email": request.email,
            "phone": request.phone,
        }
        self._create_account(profile, request.password, request.role, key_field="username")
        return OfficerOutput(
            username=request.nip, name=request.name, email=request.email, phone=request.phone, roles=[request.role]
        )

    # ------------------------------------------------------------- security code
    def new_captcha(self) -> CaptchaOutput:
        captcha_id, answer = captcha.new_code()
        self._accounts.put_captcha(captcha_id, answer, captcha.TTL_SECONDS)
        return CaptchaOutput(captcha_id=captcha_id, image=captcha.render(answer), expires_in=captcha.TTL_SECONDS)

    # ------------------------------------------------------------- sign-in
    def _resolve_username(self, given: str) -> str | None:
        given = given.strip()
        if "@" in given:
            try:
                return self._accounts.owner_of("email", normalize_email(given))
            except ValueError:
                return None
        return given

    def login(self, request: LoginRequest) -> SignedIn:
        # The security code is spent first, right or wrong, before any password is looked at.
        if not captcha.matches(self._accounts.take_captcha(request.captcha_id), request.captcha_answer):
            raise CaptchaWrong(field="captchaAnswer")
        username = self._resolve_username(request.username)
        # Failures are counted per name typed, known or not, so the lock reveals nothing.
        lock_key = username or request.username.strip().lower()
        failures = self._accounts.login_failures(lock_key)
        if failures and int(failures.get("lockedUntil", 0)) > now():
            raise TooManyRequests(
                "Akun dikunci sementara setelah 5 kali gagal masuk. Coba lagi 15 menit lagi "
                "atau gunakan Lupa Password.",
                code="AKUN_TERKUNCI",
            )
        try:
            if username is None:
                raise InvalidCredentials()
            tokens = self._directory.sign_in(username, request.password)
        except InvalidCredentials:
            count = self._accounts.record_login_failure(lock_key, LOCK_SECONDS)
            if count >= MAX_LOGIN_FAILURES:
                self._accounts.lock_login(lock_key, now() + LOCK_SECONDS)
            raise LoginFailed() from None
        self._accounts.clear_login_failures(lock_key)
        return SignedIn(tokens, self.profile(username))

    def refresh(self, refresh_token: str | None) -> SignedIn:
        if not refresh_token:
            raise Unauthenticated("Sesi tidak ditemukan. Silakan masuk.")
        try:
            tokens = self._directory.refresh(refresh_token)
        except InvalidCredentials:
            raise Unauthenticated("Sesi Anda telah berakhir. Silakan masuk kembali.") from None
        claims = _unverified_claims(tokens.access_token)
        username = claims.get("username") or claims.get("cognito:username", "")
        revoked, valid_after = self._accounts.session_state(username, claims.get("origin_jti", ""))
        if revoked or int(claims.get("auth_time", claims.get("iat", 0))) < valid_after:
            raise Unauthenticated("Sesi Anda telah berakhir. Silakan masuk kembali.")
        return SignedIn(Tokens(tokens.access_token, tokens.id_token, None, tokens.expires_in), self.profile(username))

    def logout(self, session: str, refresh_token: str | None) -> None:
        if session:
            self._accounts.revoke_session(session, now() + REFRESH_TOKEN_DAYS * 86400)
        if refresh_token:
            self._directory.revoke(refresh_token)

    # ------------------------------------------------------------- forgotten password
    def _account_for_identifier(self, identifier: str) -> str | None:
        """The account an NIK, NPWP or NIB belongs to; None for no account or a malformed one."""
        number = "".join(ch for ch in identifier if ch.isdigit())
        try:
            kind = identifier_kind(identifier)
        except ValueError:
            return None
        if kind == "nib":
            return self._accounts.owner_of("nib", number)
        if kind == "nik_or_npwp" and self._accounts.get_profile(number):
            return number
        return self._accounts.owner_of("npwp", number)

    def forgot_password(self, request: ForgotPasswordRequest) -> str:
        """Send a PIN when identifier, phone and e-mail belong to one account; same answer either way."""
        username = self._account_for_identifier(request.identifier)
        profile = self._accounts.get_profile(username) if username else None
        if profile and profile["phone"] == request.phone and profile["email"] == request.email:
            pin = f"{secrets.randbelow(10**6):06d}"
            salt = secrets.token_hex(16)
            if not self._accounts.put_pin(username, _hash_pin(pin, salt), salt, PIN_TTL_SECONDS, PIN_RESEND_SECONDS):
                return FORGOT_ANSWER
            text = (
                f"PIN reset password e-PTSP Kalimantan Utara Anda: {pin}. Berlaku 15 menit. "
                "Jangan berikan PIN ini kepada siapa pun, termasuk petugas."
            )
            self._messenger.email(profile["email"], "PIN reset password e-PTSP", f"Yth. {profile['name']},\n\n{text}\n")
            self._messenger.sms(profile["phone"], text)
        return FORGOT_ANSWER

    def reset_password(self, request: ResetPasswordRequest) -> None:
        username = self._account_for_identifier(request.identifier)
        stored = self._accounts.get_pin(username) if username else None
        if not stored:
            raise PinInvalid(field="pin")
        if int(stored["attempts"]) >= MAX_PIN_ATTEMPTS:
            raise PinLocked(field="pin")
        attempted = _hash_pin(request.pin, stored["salt"])
        if not hmac.compare_digest(attempted, stored["pinHash"]):
            used = self._accounts.count_pin_attempt(username)
            left = MAX_PIN_ATTEMPTS - used
            if left <= 0:
                raise PinLocked(field="pin")
            raise DomainError(f"PIN salah. Sisa percobaan: {left} kali.", code="PIN_SALAH", field="pin")
        if not self._accounts.use_pin(username, stored["pinHash"]):
            raise PinInvalid(field="pin")  # used by a concurrent request
        self._directory.set_password(username, request.new_password)
        self._end_all_sessions(username)
        self._accounts.clear_login_failures(username)

    def _end_all_sessions(self, username: str) -> None:
        self._directory.sign_out_everywhere(username)
        self._accounts.set_sessions_valid_after(username, now())

    # ------------------------------------------------------------- profile
    def profile(self, username: str) -> ProfileOutput:
        profile = self._accounts.get_profile(username)
        if not profile:
            raise NotFound("Akun tidak ditemukan.")
        return profile_output(profile)

    def update_profile(self, username: str, fields: ProfileFields) -> ProfileOutput:
        old = self._accounts.get_profile(username)
        if not old:
            raise NotFound("Akun tidak ditemukan.")
        changes = {
            "name": fields.name,
            "email": fields.email,
            "phone": fields.phone,
            "npwp": fields.npwp,
            "nib": fields.nib,
            "address": fields.address,
            "kabupatenKota": fields.kabupaten_kota,
            "updatedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._accounts.update_profile(old, changes)
        new = {**old, **{k: v for k, v in changes.items() if v is not None}}
        for key in ("npwp", "nib"):
            if changes[key] is None:
                new.pop(key, None)
        self._directory.update_attributes(username, _directory_attributes(new))
        return profile_output(new)

    def change_password(self, username: str, request: ChangePasswordRequest) -> None:
        try:
            self._directory.sign_in(username, request.old_password)
        except InvalidCredentials:
            raise DomainError("Password lama salah.", code="PASSWORD_LAMA_SALAH", field="oldPassword") from None
        self._directory.set_password(username, request.new_password)


def _unverified_claims(token: str) -> dict[str, Any]:
    """Claims of a token Cognito has just handed us over TLS (no signature check needed)."""
    import base64
    import json

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def account_service(settings: UserPoolSettings, sender: str | None = None) -> AccountService:
    """The service wired to the real tables and clients (one place for every function)."""
    from eptsp.aws import client, dynamodb_table

    directory = CognitoDirectory(
        client("cognito-idp"),
        settings.user_pool_id,
        settings.user_pool_client_id,
        best_effort_client=client("cognito-idp", attempts=1),
    )
    messenger = Messenger(client("ses"), client("sns"), sender) if sender else None
    return AccountService(AccountsRepository(dynamodb_table(settings.accounts_table)), directory, messenger)
