"""The security code (Kode Keamanan) of the login and registration forms: a distorted image,
single use, 5 minutes."""

from __future__ import annotations

import base64
import secrets
from typing import Protocol

from eptsp.errors import DomainError

# No look-alikes (0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 7/>, 8/B, U/V): the code must be readable
# on a small phone screen. 21 symbols in 5 places, single use, under the login lockout.
ALPHABET = "ACDEFHJKMNPRTWXY34689"
LENGTH = 5
WIDTH, HEIGHT = 280, 90
BACKGROUND = (255, 255, 255)
TTL_SECONDS = 300


def new_code() -> tuple[str, str]:
    """A fresh (captcha id, answer)."""
    return secrets.token_urlsafe(16), "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def render(answer: str) -> str:
    """The code drawn as a PNG, as a data URI."""
    from captcha.image import ImageCaptcha  # Pillow: only the captcha route pays for it

    # Dark strokes on white, whatever the library would pick at random: pale codes on grey were unreadable.
    ink = (secrets.randbelow(60), secrets.randbelow(60), 60 + secrets.randbelow(60), 255)
    image = ImageCaptcha(width=WIDTH, height=HEIGHT).generate(answer, format="png", bg_color=BACKGROUND, fg_color=ink)
    png = image.getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode()


def normalized(given: str) -> str:
    """An answer as typed, in the form codes are stored (no spaces around, capitals)."""
    return given.strip().upper()


def matches(expected: str | None, given: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, which anyone can type.
    return expected is not None and secrets.compare_digest(expected.encode(), normalized(given).encode())


class CaptchaWrong(DomainError):
    code = "KODE_KEAMANAN_SALAH"
    default_message = "Kode keamanan salah atau sudah kedaluwarsa. Ketik kode yang baru."


class CaptchaStore(Protocol):
    def take_captcha(self, captcha_id: str) -> str | None: ...


def spend(store: CaptchaStore, captcha_id: str, given: str) -> None:
    """Use up the code, right or wrong, before anything else of the form is looked at."""
    if not matches(store.take_captcha(captcha_id), given):
        raise CaptchaWrong(field="captchaAnswer")
