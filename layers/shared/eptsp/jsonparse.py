"""JSON as the API accepts it: well formed, finite numbers only, text that is Unicode, and
nested no deeper than DynamoDB can store. Request bodies and list cursors are both read with ``loads``.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e999`` as floats that pass range
checks (every comparison with NaN is false) and then break DynamoDB's serializer, and it
raises ``RecursionError`` on deep nesting; here each is a ``JsonRefused`` with an
Indonesian sentence.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# DynamoDB stores documents nested at most 32 levels deep; no API input needs more.
MAX_DEPTH = 32

NOT_JSON = "Isi permintaan bukan JSON yang valid."
NOT_FINITE = "Angka harus bernilai hingga: NaN dan Infinity tidak diterima."
TOO_DEEP = f"Isi permintaan bersarang terlalu dalam (maksimal {MAX_DEPTH} tingkat)."
NOT_UNICODE = "Isi permintaan berisi karakter yang tidak sah."
# "\ud800" is valid JSON but no character: it cannot be encoded to UTF-8 (nor stored).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonRefused(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _no_constant(_: str) -> Any:
    raise JsonRefused(NOT_FINITE)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 overflows to inf
        raise JsonRefused(NOT_FINITE)
    return value


def _check_tree(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings (or keys) holding lone surrogates."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, str):
            if _LONE_SURROGATE.search(node):
                raise JsonRefused(NOT_UNICODE)
        elif isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise JsonRefused(TOO_DEEP)
            children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            pending.extend((child, depth + 1) for child in children)


def loads(text: str) -> Any:
    """The JSON value of ``text``, or ``JsonRefused``."""
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except JsonRefused:
        raise
    except RecursionError:
        raise JsonRefused(TOO_DEEP) from None
    except ValueError:  # malformed, or an integer beyond Python's 4300-digit limit
        raise JsonRefused(NOT_JSON) from None
    _check_tree(value)
    return value
