"""Receipt numbers (nomor resi): ``YYMM-XXXX-XXXX``, X from Crockford's base32.

Short enough to read over the phone, URL-safe, and 40 random bits after the month, so
nobody walks through other people's numbers. Uniqueness is the repository's (a conditional
write of a claim item); this module only makes and reads numbers.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from eptsp.workdays import WITA

# Crockford's base32: no I, L, O or U, which are misread (or spell words).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_BITS = 40
PATTERN = re.compile(r"^\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = re.compile(r"[\s\-]+")


def new_receipt_number(submitted_at: datetime) -> str:
    """A fresh number for a file submitted at ``submitted_at`` (aware); the month is WITA's."""
    value = secrets.randbits(RANDOM_BITS)
    chars = "".join(ALPHABET[(value >> shift) & 31] for shift in range(RANDOM_BITS - 5, -1, -5))
    return f"{submitted_at.astimezone(WITA):%y%m}-{chars[:4]}-{chars[4:]}"


def normalize(text: str) -> str | None:
    """The number someone typed, in its one written form; None when it cannot be a number.

    Upper case, spaces and missing dashes tolerated, O read as 0 and I or L as 1.
    """
    compact = _IGNORED.sub("", text.upper()).translate(_READ_AS)
    if len(compact) != 12:
        return None
    candidate = f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return candidate if PATTERN.match(candidate) else None
