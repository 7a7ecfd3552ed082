"""Configuration from the environment, validated once per process.

Each function declares the variables it needs as a subclass of ``FunctionSettings``
(field aliases are the variable names the template sets) and calls ``load()`` inside the
handler, not at import time, so that importing a handler never depends on the environment.
Services receive plain values; they never read ``os.environ``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Self

from pydantic import BaseModel, ConfigDict


class FunctionSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    @cache
    def load(cls) -> Self:
        return cls.model_validate(dict(os.environ))
