"""What the one-time codes say when they are sent (e-mail and SMS, in Indonesian)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from eptsp.accounts.codes import Purpose
from eptsp.observability import logger
from eptsp.office import OfficeIdentity
from eptsp.workdays import wita_date

_NEVER_SHARE = "Jangan berikan kode ini kepada siapa pun, termasuk petugas."
SUBJECTS = {
    Purpose.RESET_PIN: "PIN reset password e-PTSP",
    Purpose.ACTIVATION: "Kode aktivasi akun e-PTSP",
    Purpose.CONTACT: "Kode konfirmasi email/nomor HP e-PTSP",
}
TEXTS = {
    Purpose.RESET_PIN: "PIN reset password {system} Anda: {code}. Berlaku 15 menit. " + _NEVER_SHARE,
    Purpose.ACTIVATION: "Kode aktivasi akun {system} Anda: {code}. Berlaku 15 menit. " + _NEVER_SHARE,
    Purpose.CONTACT: (
        "Kode konfirmasi perubahan email/nomor HP akun {system} Anda: {code}. "
        "Berlaku 15 menit. " + _NEVER_SHARE
    ),
}


class Sender(Protocol):
    def email(self, to: str, subject: str, body: str) -> None: ...
    def sms(self, phone: str, text: str) -> None: ...


class SmsCounter(Protocol):
    def take_sms(self, phone: str, day: str, limit: int) -> bool: ...


class DailySmsLimit:
    """A sender that texts each phone number at most ``limit`` times a WITA day, whoever asks
    (every text is paid for); e-mail is never held back, so a code still arrives."""

    def __init__(self, sender: Sender, counter: SmsCounter, limit: int):
        self._sender = sender
        self._counter = counter
        self._limit = limit

    def email(self, to: str, subject: str, body: str) -> None:
        self._sender.email(to, subject, body)

    def sms(self, phone: str, text: str) -> None:
        if self._counter.take_sms(phone, wita_date(datetime.now(UTC)).isoformat(), self._limit):
            self._sender.sms(phone, text)
            return
        logger.warning("Daily SMS limit of this phone number reached; the code went by e-mail only")


def send_code(sender: Sender, purpose: Purpose, code: str, name: str, email: str | None, phone: str | None) -> None:
    """The code by e-mail and by SMS, to whichever of the two is given."""
    text = TEXTS[purpose].format(code=code, system=OfficeIdentity.load().system)
    if email:
        sender.email(email, SUBJECTS[purpose], f"Yth. {name},\n\n{text}\n")
    if phone:
        sender.sms(phone, text)
