"""What every password check shares: the lockout after 5 failures, the signed-in answer,
and ending every session of an account when its password changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eptsp.accounts.directory import CognitoDirectory, Tokens
from eptsp.accounts.models import ProfileOutput
from eptsp.accounts.repository import AccountsRepository, now
from eptsp.errors import TooManyRequests

MAX_LOGIN_FAILURES = 5
LOCK_SECONDS = 15 * 60
REFRESH_TOKEN_DAYS = 7  # the app client's RefreshTokenValidity


@dataclass
class SignedIn:
    tokens: Tokens
    profile: ProfileOutput


class Lockout:
    """Failed password checks per name (at login, and the current password asked by Ubah
    Password and Edit Profile): 5 within 15 minutes lock the name for 15 minutes."""

    def __init__(self, accounts: AccountsRepository):
        self._accounts = accounts

    def ensure_open(self, key: str) -> None:
        self.refuse_if_locked(self._accounts.login_failures(key))

    @staticmethod
    def refuse_if_locked(failures: dict[str, Any] | None) -> None:
        """429 while the failures item (as read) holds a lock."""
        if failures and int(failures.get("lockedUntil", 0)) > now():
            raise TooManyRequests(
                "Akun dikunci sementara setelah 5 kali gagal masuk. Coba lagi 15 menit lagi "
                "atau gunakan Lupa Password.",
                code="AKUN_TERKUNCI",
            )

    def failed(self, key: str) -> None:
        if self._accounts.record_login_failure(key, LOCK_SECONDS) >= MAX_LOGIN_FAILURES:
            self._accounts.lock_login(key, now() + LOCK_SECONDS)

    def clear(self, key: str) -> None:
        self._accounts.clear_login_failures(key)


def end_all_sessions(directory: CognitoDirectory, accounts: AccountsRepository, username: str) -> None:
    """Every refresh token (the user pool's global sign-out) and every access token (our
    valid-after mark, which the session guard checks)."""
    directory.sign_out_everywhere(username)
    accounts.set_sessions_valid_after(username, now())
