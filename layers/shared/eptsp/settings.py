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

from pydantic import BaseModel, ConfigDict, Field


class FunctionSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    @cache
    def load(cls) -> Self:
        return cls.model_validate(dict(os.environ))


class SignedInSettings(FunctionSettings):
    """Every function behind login reads the accounts table to check the session."""

    accounts_table: str = Field(alias="ACCOUNTS_TABLE")


class UserPoolSettings(SignedInSettings):
    """Functions that manage accounts in the Cognito user pool."""

    user_pool_id: str = Field(alias="USER_POOL_ID")
    user_pool_client_id: str = Field(alias="USER_POOL_CLIENT_ID")
    # Codes texted to one phone number per WITA day (activation, Lupa Password PIN, contact).
    sms_daily_limit_per_phone: int = Field(5, alias="SMS_DAILY_LIMIT_PER_PHONE", ge=1)
