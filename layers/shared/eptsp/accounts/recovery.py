"""Lupa Password: the API hands the request to a queue and answers at once (its time says
nothing about the account, see ``code_requests``); a worker looks the account up and sends
the PIN; the PIN then sets a new password and ends every session."""

from __future__ import annotations

from eptsp.accounts.codes import OneTimeCodes, Purpose
from eptsp.accounts.directory import CognitoDirectory
from eptsp.accounts.identifiers import identifier_kind
from eptsp.accounts.messages import Sender, send_code
from eptsp.accounts.models import ForgotPasswordRequest, ResetPasswordRequest
from eptsp.accounts.passwords import end_all_sessions
from eptsp.accounts.repository import PENDING, AccountsRepository

FORGOT_ANSWER = "Jika data yang Anda isi cocok dengan akun kami, PIN telah dikirim ke email dan nomor HP Anda."


def account_for_identifier(accounts: AccountsRepository, identifier: str) -> str | None:
    """The account an NIK, NPWP or NIB belongs to; None for no account or a malformed one."""
    number = "".join(ch for ch in identifier if ch.isdigit())
    try:
        kind = identifier_kind(identifier)
    except ValueError:
        return None
    if kind == "nib":
        return accounts.owner_of("nib", number)
    if kind == "nik_or_npwp" and accounts.get_profile(number):
        return number
    return accounts.owner_of("npwp", number)


class ResetPins:
    """The worker's side: no user pool needed, only the table and the messenger."""

    def __init__(self, accounts: AccountsRepository, sender: Sender | None = None):
        self._accounts = accounts
        self._sender = sender
        self._pins = OneTimeCodes(accounts, Purpose.RESET_PIN)

    def send_pin(self, request: ForgotPasswordRequest) -> bool:
        """A PIN when identifier, phone and e-mail belong to one active account and none was
        sent in the last minute; True when one went out."""
        username = account_for_identifier(self._accounts, request.identifier)
        profile = self._accounts.get_profile(username) if username else None
        if not profile or profile.get("status") == PENDING:  # unproven contacts get no PIN
            return False
        if profile["phone"] != request.phone or profile["email"] != request.email:
            return False
        pin = self._pins.issue(username)
        if pin is None:
            return False
        send_code(self._sender, Purpose.RESET_PIN, pin, profile["name"], profile["email"], profile["phone"])
        return True


class PasswordReset:
    """The PIN typed back: a new password, and every session ends."""

    def __init__(self, accounts: AccountsRepository, directory: CognitoDirectory):
        self._accounts = accounts
        self._directory = directory
        self._pins = OneTimeCodes(accounts, Purpose.RESET_PIN)

    def reset_password(self, request: ResetPasswordRequest) -> None:
        username = account_for_identifier(self._accounts, request.identifier)
        self._pins.spend(username, request.pin)
        self._directory.set_password(username, request.new_password)
        end_all_sessions(self._directory, self._accounts, username)
        self._accounts.clear_login_failures(username)
