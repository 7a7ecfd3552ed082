"""The login page's security code (Kode Keamanan): a distorted image, single use, 5 minutes."""

from __future__ import annotations

import base64
import secrets

# No 0/O, 1/I/L: the code must be readable on a small phone screen.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 5
TTL_SECONDS = 300


def new_code() -> tuple[str, str]:
    """A fresh (captcha id, answer)."""
    return secrets.token_urlsafe(16), "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def render(answer: str) -> str:
    """The code drawn as a PNG, as a data URI."""
    from captcha.image import ImageCaptcha  # Pillow: only the captcha route pays for it

    png = ImageCaptcha(width=200, height=70).generate(answer, format="png").getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode()


def matches(expected: str | None, given: str) -> bool:
    return expected is not None and secrets.compare_digest(expected, given.strip().upper())
