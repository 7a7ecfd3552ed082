"""AWS clients, created once per process and only when first used.

``AWS_ENDPOINT_URL`` (set by the local stack) points them at the local emulator.
Retries and timeouts fit a function with a 10-30 second budget: a few quick retries,
then the error, rather than the SDK's long default waits.
"""

from __future__ import annotations

from functools import cache
from typing import Any


def _config(attempts: int) -> Any:
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": attempts}, connect_timeout=3, read_timeout=8)


@cache
def client(service: str, attempts: int = 3) -> Any:
    import boto3

    return boto3.client(service, config=_config(attempts))


@cache
def dynamodb_table(name: str) -> Any:
    import boto3

    return boto3.resource("dynamodb", config=_config(3)).Table(name)
