"""New accounts: applicants register with the security code and become usable only after
typing the activation code sent to their e-mail and phone; officers and demo accounts are
created active. An unconfirmed registration frees its NIK, e-mail and phone after 24 hours.

The activation code is issued and sent by the code worker, as Lupa Password's PIN is
(``code_requests``): registering and asking again each queue one request and answer at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eptsp.accounts.code_requests import CodeRequestQueue, Kind
from eptsp.accounts.codes import OneTimeCodes, Purpose
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


def _pending(accounts: AccountsRepository, given: str) -> dict[str, Any] | None:
    """The pending account named by its NIK or e-mail; None for any other."""
    username = resolve_username(accounts, given)
    profile = accounts.get_profile(username) if username else None
    return profile if profile and profile.get("status") == PENDING else None


class RegistrationService:
    def __init__(
        self,
        accounts: AccountsRepository,
        directory: CognitoDirectory,
        code_requests: CodeRequestQueue | None = None,
    ):
        self._accounts = accounts
        self._directory = directory
        self._code_requests = code_requests
        self._codes = OneTimeCodes(accounts, Purpose.ACTIVATION)

    def _create(
        self,
        profile: dict[str, Any],
        password: str,
        role: str,
        key_field: str,
        expires_at: int | None = None,
        spend_captcha: tuple[str, str] | None = None,
    ) -> None:
        """Profile and unique claims first (409 names what is taken), then the user pool;
        if the user pool refuses, the profile is taken back so nothing is half-created.
        Only officers are put in a group (their role): the applicants' pool has only applicants."""
        timestamp = datetime.now(UTC).isoformat(timespec="seconds")
        profile = {**{k: v for k, v in profile.items() if v is not None}, "roles": [role]}
        profile.update(createdAt=timestamp, updatedAt=timestamp)
        self._accounts.create_profile(profile, key_field=key_field, expires_at=expires_at, spend_captcha=spend_captcha)
        group = None if role == APPLICANT else role
        try:
            self._directory.create_user(profile["username"], password, directory_attributes(profile), group)
        except Exception:
            self._accounts.delete_profile(profile)
            raise

    def _queue_activation_code(self, given: str) -> None:
        if self._code_requests is None:
            raise RuntimeError("No queue for activation codes is configured.")
        self._code_requests.send(Kind.ACTIVATION, ResendActivationRequest(username=given))

    def register(self, request: RegisterRequest) -> str:
        """A pending applicant account; its activation code follows by e-mail and SMS from
        the worker. The security code is spent in the account's own transaction (a wrong
        security code is refused before anything else is said)."""
        self._create(
            _applicant_profile(request),
            request.password,
            APPLICANT,
            "nik",
            expires_at=now() + ACTIVATION_WINDOW_SECONDS,
            spend_captcha=(request.captcha_id, request.captcha_answer),
        )
        self._queue_activation_code(request.nik)
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

    def resend_activation(self, request: ResendActivationRequest) -> str:
        """A new code (at most one a minute, see ``ActivationCodes``); the same answer whether
        or not one is sent, at once."""
        self._queue_activation_code(request.username)
        return RESENT

    def activate(self, request: ActivateRequest) -> str:
        profile = _pending(self._accounts, request.username)
        codes = self._codes
        codes.spend(profile["username"] if profile else None, request.code)
        # Tokens from before activation (there should be none) stay refused.
        if not self._accounts.activate(profile, sessions_valid_after=now()):
            raise codes.invalid()
        return ACTIVATED


class ActivationCodes:
    """The worker's side: no user pool needed, only the table and the messenger."""

    def __init__(self, accounts: AccountsRepository, sender: Sender | None = None):
        self._accounts = accounts
        self._sender = sender
        self._codes = OneTimeCodes(accounts, Purpose.ACTIVATION)

    def send(self, given: str) -> bool:
        """A new code for the pending account named by its NIK or e-mail, unless one was sent
        in the last minute; True when one went out."""
        profile = _pending(self._accounts, given)
        code = self._codes.issue(profile["username"]) if profile else None
        if code is None:
            return False
        send_code(self._sender, Purpose.ACTIVATION, code, profile["name"], profile["email"], profile["phone"])
        return True
