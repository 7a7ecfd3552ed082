"""AWS clients, created once per process and only when first used.

``AWS_ENDPOINT_URL`` (set by the local stack) points them at the local emulator.

Timeouts and retries keep every call inside its function: a call takes at most
``ATTEMPTS`` x (``CONNECT_SECONDS`` + ``READ_SECONDS``) plus the standard mode's backoff
between attempts (under a second after the first), 9 s in all, below the shortest function
timeout (10 s) and API Gateway's 30 s. A slow or throttling service then ends the request
with a 503 (``eptsp.http``) rather than a Lambda timeout and API Gateway's bare 500.

S3 clients sign for the regional virtual-hosted address
(``https://<bucket>.s3.<region>.amazonaws.com``): regions opened after March 2019, such as
Jakarta, refuse the global ``s3.amazonaws.com`` that botocore would otherwise put in
presigned URLs. An endpoint override (the local stack's own origin) keeps path-style.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

CONNECT_SECONDS = 1
# The local stack's emulator is one process answering every service (a transaction there
# copies whole tables), far slower than AWS under a test run's load: it sets a longer read
# timeout, so a slow answer is not retried into a second write that conflicts with the first.
READ_SECONDS = float(os.environ.get("EPTSP_AWS_READ_TIMEOUT_SECONDS", "3"))
ATTEMPTS = 2


def worst_case_seconds(attempts: int = ATTEMPTS) -> float:
    """The longest one call can take before its error reaches the caller (standard mode
    sleeps at most 2^(n-1) seconds before retry n)."""
    backoff = sum(2 ** (n - 1) for n in range(1, attempts))
    return attempts * (CONNECT_SECONDS + READ_SECONDS) + backoff


def _s3_endpoint_overridden() -> bool:
    return bool(os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"))


def _config(service: str, attempts: int) -> Any:
    from botocore.config import Config

    extra: dict[str, Any] = {}
    if service == "s3":
        extra["s3"] = {"addressing_style": "path" if _s3_endpoint_overridden() else "virtual"}
    return Config(
        # total_max_attempts counts the first try; botocore's max_attempts would count retries only.
        retries={"mode": "standard", "total_max_attempts": attempts},
        connect_timeout=CONNECT_SECONDS,
        read_timeout=READ_SECONDS,
        **extra,
    )


def _region() -> str | None:
    # Lambda sets AWS_REGION; boto3 alone reads only AWS_DEFAULT_REGION.
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None


@cache
def client(service: str, attempts: int = ATTEMPTS) -> Any:
    import boto3

    return boto3.client(service, region_name=_region(), config=_config(service, attempts))


@cache
def _dynamodb_resource() -> Any:
    import boto3

    return boto3.resource("dynamodb", region_name=_region(), config=_config("dynamodb", ATTEMPTS))


@cache
def dynamodb_table(name: str) -> Any:
    # One resource (one client, one connection pool) for every table of the function: a
    # resource per table would build a client each, tens of milliseconds of a cold start.
    return _dynamodb_resource().Table(name)


def forget_clients() -> None:
    """Drop every cached client (tests that change the endpoint or the credentials)."""
    for cached in (client, _dynamodb_resource, dynamodb_table):
        cached.cache_clear()
