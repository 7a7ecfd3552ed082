"""Permit numbers in Indonesian letter-number style, and permit ids."""

from __future__ import annotations

import re
import secrets
from datetime import date

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Crockford's base32: no I, L, O or U, so an id read aloud or typed from paper is unambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PERMIT_ID_LENGTH = 16  # 80 random bits
PERMIT_ID = re.compile(f"^[{CROCKFORD}]{{{PERMIT_ID_LENGTH}}}$")
PLACEHOLDERS = ("{seq}", "{roman_month}", "{year}")


def permit_number(pattern: str, seq: int, issued_on: date) -> str:
    """``503/7/DPMPTSP-KU/XI/2026`` from ``503/{seq}/DPMPTSP-KU/{roman_month}/{year}``."""
    return (
        pattern.replace("{seq}", str(seq))
        .replace("{roman_month}", ROMAN_MONTHS[issued_on.month - 1])
        .replace("{year}", str(issued_on.year))
    )


def check_pattern(pattern: str) -> str:
    """A pattern without ``{seq}`` or ``{year}`` would repeat numbers: refuse it at start."""
    if "{seq}" not in pattern or "{year}" not in pattern:
        raise ValueError(f"permit number pattern needs {{seq}} and {{year}}: {pattern!r}")
    return pattern


def new_permit_id() -> str:
    value = secrets.randbits(5 * PERMIT_ID_LENGTH)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(PERMIT_ID_LENGTH)))


def is_permit_id(text: str) -> bool:
    return bool(PERMIT_ID.match(text))
