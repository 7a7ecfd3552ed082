"""AWS clients, created once per process and only when first used.

``AWS_ENDPOINT_URL`` (set by the local stack) points them at the local emulator.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def client(service: str) -> Any:
    import boto3

    return boto3.client(service)


@cache
def dynamodb_table(name: str) -> Any:
    import boto3

    return boto3.resource("dynamodb").Table(name)
