"""One-time codes sent to a person: the Lupa Password PIN, the activation code of a new
account and the code that confirms a new e-mail or phone number.

All three are 6 digits, stored only as a salted hash, live 15 minutes, can be asked for
again at most once a minute (a loop cannot flood someone's phone) and die after 5 wrong
tries. What differs is where they are kept (``purpose``) and how the errors read.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Protocol

from eptsp.errors import DomainError

CODE_TTL_SECONDS = 15 * 60
RESEND_SECONDS = 60
MAX_ATTEMPTS = 5


class Purpose(StrEnum):
    RESET_PIN = "PIN"
    ACTIVATION = "ACTIVATION"
    CONTACT = "CONTACT"


@dataclass(frozen=True)
class OneTimeCode:
    """A stored code: its hash, how often it was tried and what it confirms."""

    username: str
    purpose: Purpose
    code_hash: str
    salt: str
    attempts: int
    pending: dict[str, str]


@dataclass(frozen=True)
class Wording:
    """How each kind of code's errors read, in the words its page uses."""

    invalid_code: str
    invalid: str
    wrong_code: str
    wrong: str
    locked_code: str
    locked: str
    field: str


WORDING = {
    Purpose.RESET_PIN: Wording(
        "PIN_TIDAK_VALID",
        "PIN salah atau sudah tidak berlaku. Minta PIN baru melalui Lupa Password.",
        "PIN_SALAH",
        "PIN salah. Sisa percobaan: {left} kali.",
        "PIN_TERKUNCI",
        "PIN sudah 5 kali salah dan tidak berlaku lagi. Minta PIN baru melalui Lupa Password.",
        "pin",
    ),
    Purpose.ACTIVATION: Wording(
        "KODE_TIDAK_VALID",
        "Kode aktivasi salah atau sudah tidak berlaku. Minta kode baru.",
        "KODE_SALAH",
        "Kode aktivasi salah. Sisa percobaan: {left} kali.",
        "KODE_TERKUNCI",
        "Kode aktivasi sudah 5 kali salah dan tidak berlaku lagi. Minta kode baru.",
        "code",
    ),
    Purpose.CONTACT: Wording(
        "KODE_TIDAK_VALID",
        "Kode konfirmasi salah atau sudah tidak berlaku. Simpan ulang profil untuk meminta kode baru.",
        "KODE_SALAH",
        "Kode konfirmasi salah. Sisa percobaan: {left} kali.",
        "KODE_TERKUNCI",
        "Kode konfirmasi sudah 5 kali salah dan tidak berlaku lagi. Simpan ulang profil untuk meminta kode baru.",
        "code",
    ),
}


class CodeLocked(DomainError):
    status = HTTPStatus.TOO_MANY_REQUESTS


class CodeStore(Protocol):
    def put_code(self, code: OneTimeCode, ttl: int, min_interval: int) -> bool: ...
    def get_code(self, purpose: Purpose, username: str) -> OneTimeCode | None: ...
    def count_code_attempt(self, purpose: Purpose, username: str) -> int: ...
    def use_code(self, purpose: Purpose, username: str, code_hash: str) -> bool: ...


def _hash(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), 100_000).hex()


class OneTimeCodes:
    def __init__(self, store: CodeStore, purpose: Purpose):
        self._store = store
        self._purpose = purpose
        self._wording = WORDING[purpose]

    def issue(self, username: str, pending: dict[str, str] | None = None) -> str | None:
        """A new code for ``username`` (replacing any older one; only its salted hash is
        stored), or None when one was sent less than a minute ago."""
        code = f"{secrets.randbelow(10**6):06d}"
        salt = secrets.token_hex(16)
        stored = OneTimeCode(username, self._purpose, _hash(code, salt), salt, 0, dict(pending or {}))
        return code if self._store.put_code(stored, CODE_TTL_SECONDS, RESEND_SECONDS) else None

    def invalid(self) -> DomainError:
        return DomainError(self._wording.invalid, code=self._wording.invalid_code, field=self._wording.field)

    def _locked(self) -> DomainError:
        return CodeLocked(self._wording.locked, code=self._wording.locked_code, field=self._wording.field)

    def spend(self, username: str | None, given: str) -> OneTimeCode:
        """The stored code if ``given`` is it (then it is used up); errors name the tries left."""
        stored = self._store.get_code(self._purpose, username) if username else None
        if stored is None:
            raise self.invalid()
        if stored.attempts >= MAX_ATTEMPTS:
            raise self._locked()
        if not hmac.compare_digest(_hash(given, stored.salt), stored.code_hash):
            left = MAX_ATTEMPTS - self._store.count_code_attempt(self._purpose, stored.username)
            if left <= 0:
                raise self._locked()
            raise DomainError(
                self._wording.wrong.format(left=left), code=self._wording.wrong_code, field=self._wording.field
            )
        if not self._store.use_code(self._purpose, stored.username, stored.code_hash):
            raise self.invalid()  # used by a concurrent request
        return stored
