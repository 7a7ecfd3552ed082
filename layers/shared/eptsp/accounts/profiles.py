"""The signed-in user's own account: Edit Profile (a new e-mail or phone number takes
effect only once a code sent to it is typed back) and Ubah Password."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eptsp.accounts.codes import OneTimeCodes, Purpose
from eptsp.accounts.directory import CognitoDirectory, InvalidCredentials
from eptsp.accounts.messages import Sender, send_code
from eptsp.accounts.models import ChangePasswordRequest, PendingContact, ProfileOutput, ProfileUpdateRequest
from eptsp.accounts.passwords import Lockout, SignedIn, end_all_sessions
from eptsp.accounts.repository import TAKEN_MESSAGES, AccountsRepository
from eptsp.errors import Conflict, DomainError, NotFound, TooManyRequests

CONTACT_FIELDS = ("email", "phone")


def profile_output(profile: dict[str, Any], pending: dict[str, str] | None = None) -> ProfileOutput:
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
        pending=PendingContact(**pending) if pending else None,
    )


def directory_attributes(profile: dict[str, Any]) -> dict[str, str]:
    return {
        "name": profile["name"],
        "email": profile["email"],
        "email_verified": "true",
        "phone_number": profile["phone"],
        "custom:npwp": profile.get("npwp") or "",
        "custom:nib": profile.get("nib") or "",
    }


def _timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PasswordWrong(DomainError):
    code = "PASSWORD_SALAH"
    default_message = "Password salah."


class ProfileService:
    def __init__(self, accounts: AccountsRepository, directory: CognitoDirectory, sender: Sender | None = None):
        self._accounts = accounts
        self._directory = directory
        self._sender = sender
        self._lockout = Lockout(accounts)
        self._contact_codes = OneTimeCodes(accounts, Purpose.CONTACT)

    def _existing(self, username: str) -> dict[str, Any]:
        profile = self._accounts.get_profile(username)
        if not profile:
            raise NotFound("Akun tidak ditemukan.")
        return profile

    def profile(self, username: str) -> ProfileOutput:
        return profile_output(self._existing(username))

    def _check_password(self, username: str, password: str, wrong: DomainError) -> None:
        """A password typed to confirm a change; wrong ones count toward the login lockout."""
        self._lockout.ensure_open(username)
        try:
            self._directory.check_password(username, password)
        except InvalidCredentials:
            self._lockout.failed(username)
            raise wrong from None
        self._lockout.clear(username)

    def update_profile(self, username: str, request: ProfileUpdateRequest) -> ProfileOutput:
        """Save the fields; a new e-mail or phone waits for its code (``pending`` in the answer)."""
        old = self._existing(username)
        new_contacts = {f: getattr(request, f) for f in CONTACT_FIELDS if getattr(request, f) != old[f]}
        if new_contacts:
            if not request.current_password:
                raise DomainError(
                    "Masukkan password Anda untuk mengubah email atau nomor HP.",
                    code="PASSWORD_DIPERLUKAN",
                    field="currentPassword",
                )
            self._check_password(username, request.current_password, PasswordWrong(field="currentPassword"))
            for field, value in new_contacts.items():
                if self._accounts.owner_of(field, value) not in (None, username):
                    raise Conflict(TAKEN_MESSAGES[field], field=field, code="SUDAH_TERDAFTAR")
        changes = {
            "name": request.name,
            "npwp": request.npwp,
            "nib": request.nib,
            "address": request.address,
            "kabupatenKota": request.kabupaten_kota,
            "updatedAt": _timestamp(),
        }
        new = self._save(old, changes)  # a taken NPWP/NIB stops here, before any code is sent
        if new_contacts:
            code = self._contact_codes.issue(username, pending=new_contacts)
            if code is None:
                raise TooManyRequests(
                    "Perubahan lain telah disimpan, tetapi kode konfirmasi baru saja dikirim. "
                    "Tunggu 1 menit, lalu simpan lagi untuk meminta kode baru.",
                    code="KODE_BARU_SAJA_DIKIRIM",
                )
            send_code(
                self._sender, Purpose.CONTACT, code, new["name"], new_contacts.get("email"), new_contacts.get("phone")
            )
        return profile_output(new, pending=new_contacts or None)

    def confirm_contact(self, username: str, code: str) -> ProfileOutput:
        """The new e-mail or phone of the code takes effect; the unique claims move now."""
        confirmed = self._contact_codes.spend(username, code)
        old = self._existing(username)
        return profile_output(self._save(old, {**confirmed.pending, "updatedAt": _timestamp()}))

    def _save(self, old: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        self._accounts.update_profile(old, changes)
        new = {**old, **{k: v for k, v in changes.items() if v is not None}}
        for key in ("npwp", "nib"):
            if key in changes and changes[key] is None:
                new.pop(key, None)
        self._directory.update_attributes(old["username"], directory_attributes(new))
        return new

    def change_password(self, username: str, request: ChangePasswordRequest) -> SignedIn:
        """New password; every session ends, and this one goes on with fresh tokens."""
        wrong = DomainError("Password lama salah.", code="PASSWORD_LAMA_SALAH", field="oldPassword")
        self._check_password(username, request.old_password, wrong)
        self._directory.set_password(username, request.new_password)
        end_all_sessions(self._directory, self._accounts, username)
        tokens = self._directory.sign_in(username, request.new_password)
        return SignedIn(tokens, self.profile(username))
