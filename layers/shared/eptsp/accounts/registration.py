"""New accounts: applicants register with the security code and become usable only after
typing the activation code sent to their e-mail and phone; officers and demo accounts are
created active. An unconfirmed registration frees its NIK, e-mail and phone after 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eptsp.accounts.codes import CODE_TTL_SECONDS, OneTimeCodes, Purpose
from eptsp.accounts.directory import CognitoDirectory
from eptsp.accounts.messages import Sender, send_code
from eptsp.accounts.models import (
    ActivateRequest,
    NewApplicant,
    OfficerCreateRequest,
    OfficerOutput,
    RegisterRequest,
    ResendActivationRequest,
)
from eptsp.accounts.profiles import directory_attributes
from eptsp.accounts.repository import PENDING, AccountsRepository, now
from eptsp.accounts.signin import resolve_username
from eptsp.identity import APPLICANT

ACTIVATION_WINDOW_SECONDS = 24 * 3600
REGISTERED = (
    "Pendaftaran berhasil. Kode aktivasi 6 digit telah dikirim ke email dan nomor HP Anda; "
    "masukkan kode itu untuk mengaktifkan akun (berlaku 24 jam)."
)
RESENT = "Jika akun itu menunggu aktivasi, kode baru telah dikirim ke email dan nomor HP-nya."
ACTIVATED = "Akun Anda sudah aktif. Silakan masuk dengan NIK atau email Anda."


def _applicant_profile(request: NewApplicant) -> dict[str, Any]:
    return {
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


class RegistrationService:
    def __init__(self, accounts: AccountsRepository, directory: CognitoDirectory, sender: Sender | None = None):
        self._accounts = accounts
        self._directory = directory
        self._sender = sender
        self._codes = OneTimeCodes(accounts, Purpose.ACTIVATION)

    def _create(
        self,
        profile: dict[str, Any],
        password: str,
        role: str,
        key_field: str,
        expires_at: int | None = None,
        **in_transaction: Any,
    ) -> None:
        """Profile and unique claims first (409 names what is taken), then the user pool;
        if the user pool refuses, the profile is taken back so nothing is half-created.
        ``in_transaction``: what ``create_profile`` also writes (security code, activation code)."""
        timestamp = datetime.now(UTC).isoformat(timespec="seconds")
        profile = {**{k: v for k, v in profile.items() if v is not None}, "roles": [role]}
        profile.update(createdAt=timestamp, updatedAt=timestamp)
        self._accounts.create_profile(profile, key_field=key_field, expires_at=expires_at, **in_transaction)
        try:
            self._directory.create_user(profile["username"], password, directory_attributes(profile), role)
        except Exception:
            self._accounts.delete_profile(profile)
            raise

    def register(self, request: RegisterRequest) -> str:
        """A pending applicant account and its activation code by e-mail and SMS. The
        security code is spent and the activation code stored in the account's own
        transaction (a wrong security code is refused before anything else is said)."""
        profile = _applicant_profile(request)
        code, stored = self._codes.new(request.nik)
        self._create(
            profile,
            request.password,
            APPLICANT,
            "nik",
            expires_at=now() + ACTIVATION_WINDOW_SECONDS,
            spend_captcha=(request.captcha_id, request.captcha_answer),
            code=(stored, CODE_TTL_SECONDS),
        )
        send_code(self._sender, Purpose.ACTIVATION, code, profile["name"], profile["email"], profile["phone"])
        return request.nik

    def create_active_applicant(self, request: NewApplicant) -> str:
        """An applicant usable at once (demo accounts; no code to type)."""
        self._create(_applicant_profile(request), request.password, APPLICANT, "nik")
        return request.nik

    def create_officer(self, request: OfficerCreateRequest) -> OfficerOutput:
        profile = {
            "username": request.nip,
            "nip": request.nip,
            "name": request.name,
            "email": request.email,
            "phone": request.phone,
        }
        self._create(profile, request.password, request.role, "username")
        return OfficerOutput(
            username=request.nip, name=request.name, email=request.email, phone=request.phone, roles=[request.role]
        )

    def _send_activation_code(self, profile: dict[str, Any]) -> None:
        code = self._codes.issue(profile["username"])
        if code:
            send_code(self._sender, Purpose.ACTIVATION, code, profile["name"], profile["email"], profile["phone"])

    def _pending(self, given: str) -> dict[str, Any] | None:
        username = resolve_username(self._accounts, given)
        profile = self._accounts.get_profile(username) if username else None
        return profile if profile and profile.get("status") == PENDING else None

    def resend_activation(self, request: ResendActivationRequest) -> str:
        """A new code (at most one a minute); the same answer whether or not one was sent."""
        profile = self._pending(request.username)
        if profile:
            self._send_activation_code(profile)
        return RESENT

    def activate(self, request: ActivateRequest) -> str:
        profile = self._pending(request.username)
        codes = self._codes
        codes.spend(profile["username"] if profile else None, request.code)
        # Tokens from before activation (there should be none) stay refused.
        if not self._accounts.activate(profile, sessions_valid_after=now()):
            raise codes.invalid()
        return ACTIVATED
