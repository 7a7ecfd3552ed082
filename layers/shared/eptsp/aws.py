"""AWS clients, created once per process and only when first used (a service holds a
client it may never call: ``client`` makes it on the first attribute asked of it).

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


class _Client:
    """A client made on its first use. Services are built with every client a route of the
    function might need; a request that never calls S3 should not build an S3 client (about
    40 ms of a cold start: its model and endpoint rules are the largest)."""

    __slots__ = ("_attempts", "_service")

    def __init__(self, service: str, attempts: int):
        self._service = service
        self._attempts = attempts

    def __getattr__(self, name: str) -> Any:
        return getattr(_made_client(self._service, self._attempts), name)

    def __repr__(self) -> str:
        return f"<{self._service} client, {self._attempts} attempts>"


@cache
def client(service: str, attempts: int = ATTEMPTS) -> Any:
    return _Client(service, attempts)


@cache
def _made_client(service: str, attempts: int) -> Any:
    import boto3

    return boto3.client(service, region_name=_region(), config=_config(service, attempts))


@cache
def _dynamodb_python_client() -> Any:
    """A DynamoDB client that speaks Python values, as boto3's resource does: boto3's own
    handlers serialize the request, build condition expressions and deserialize the answer
    (what ``boto3.resource("dynamodb")`` registers on its client). The resource itself is
    not built: finding and loading its model and making its classes cost a cold start tens of
    milliseconds, for the five calls a table makes."""
    import boto3
    from boto3.dynamodb.transform import TransformationInjector, copy_dynamodb_params

    made = boto3.client("dynamodb", region_name=_region(), config=_config("dynamodb", ATTEMPTS))
    events = made.meta.events
    injector = TransformationInjector()
    events.register("provide-client-params.dynamodb", copy_dynamodb_params, unique_id="dynamodb-create-params-copy")
    events.register(
        "before-parameter-build.dynamodb",
        injector.inject_condition_expressions,
        unique_id="dynamodb-condition-expression",
    )
    events.register(
        "before-parameter-build.dynamodb", injector.inject_attribute_value_input, unique_id="dynamodb-attr-value-input"
    )
    events.register(
        "after-call.dynamodb", injector.inject_attribute_value_output, unique_id="dynamodb-attr-value-output"
    )
    return made


class _TableMeta:
    __slots__ = ("client",)

    def __init__(self, made: Any):
        self.client = made


class Table:
    """One table, with the calls of boto3's ``Table`` resource (same arguments, same answers)."""

    def __init__(self, name: str, made: Any):
        self.name = name
        self.meta = _TableMeta(made)

    def get_item(self, **kwargs: Any) -> dict[str, Any]:
        return self.meta.client.get_item(TableName=self.name, **kwargs)

    def put_item(self, **kwargs: Any) -> dict[str, Any]:
        return self.meta.client.put_item(TableName=self.name, **kwargs)

    def update_item(self, **kwargs: Any) -> dict[str, Any]:
        return self.meta.client.update_item(TableName=self.name, **kwargs)

    def delete_item(self, **kwargs: Any) -> dict[str, Any]:
        return self.meta.client.delete_item(TableName=self.name, **kwargs)

    def query(self, **kwargs: Any) -> dict[str, Any]:
        return self.meta.client.query(TableName=self.name, **kwargs)


@cache
def dynamodb_table(name: str) -> Table:
    # One client (one connection pool) for every table of the function.
    return Table(name, _dynamodb_python_client())


def forget_clients() -> None:
    """Drop every cached client (tests that change the endpoint or the credentials)."""
    for cached in (client, _made_client, _dynamodb_python_client, dynamodb_table):
        cached.cache_clear()
