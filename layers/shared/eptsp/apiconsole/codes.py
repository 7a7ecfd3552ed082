"""Every error code the API can answer, collected from the code itself (never a list kept by
hand): the ``code`` of each DomainError subclass, codes passed or written as literals
(``code="..."``, ``"code": "..."``), and the one-time codes' wordings."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from eptsp.errors import INTERNAL_ERROR_BODY, DomainError

LITERAL_CODE = re.compile(r"""(?:\bcode\s*=\s*|["']code["']\s*:\s*)["']([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)["']""")
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _subclass_codes(cls: type[DomainError]) -> set[str]:
    found = {cls.code}
    for sub in cls.__subclasses__():
        found |= _subclass_codes(sub)
    return found


def _wording_codes() -> set[str]:
    from eptsp.accounts.codes import WORDING

    return {
        getattr(wording, f.name)
        for wording in WORDING.values()
        for f in dataclasses.fields(wording)
        if f.name.endswith("_code")
    }


def source_codes(roots: list[Path]) -> set[str]:
    found = set()
    for root in roots:
        for path in root.rglob("*.py"):
            found |= set(LITERAL_CODE.findall(path.read_text(encoding="utf-8")))
    return found


def error_codes(code_roots: list[Path]) -> list[str]:
    """The codes of the eptsp package and the handlers under ``code_roots`` (the functions)."""
    from eptsp.http import SERVICE_BUSY_BODY

    codes = _subclass_codes(DomainError) | _wording_codes() | source_codes([PACKAGE_DIR, *code_roots])
    codes |= {INTERNAL_ERROR_BODY["code"], SERVICE_BUSY_BODY["code"]}
    return sorted(codes)
