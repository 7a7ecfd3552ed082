"""Counting what each request asks of AWS: API calls per service and operation, and the
DynamoDB capacity it would consume.

Every AWS call goes through ``botocore.endpoint.Endpoint.make_request`` (once per call,
its retries inside), so wrapping it sees every client however it was made. A call is
attributed to the function invocation running on the same thread: the local stack runs
handlers in its own threads, one invocation at a time, and a handler does not start threads.

moto answers ``ReturnConsumedCapacity`` with fixed figures (1 unit a call, 0.5 a GetItem),
so the units are worked out here by DynamoDB's own rules from the sizes of the items each
call reads or writes (looked up in the emulator before and after the call): on-demand
reads are 4 KB units (half for eventually consistent reads, twice for transactions),
writes 1 KB units of the larger of the item before and after (twice for transactions),
plus one write per global secondary index whose keys the item has.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024
# DynamoDB counts 1 byte of overhead per element of a list or map, plus 3 for the container.
CONTAINER_OVERHEAD = 3


def value_size(value: dict[str, Any]) -> int:
    """Bytes DynamoDB counts for one attribute value in its JSON form ({"S": ...}, ...)."""
    (kind, inner), *_ = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        digits = inner.lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner) if isinstance(inner, bytes) else len(inner.encode("utf-8")) * 3 // 4
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in inner)
    if kind == "NS":
        return sum(value_size({"N": n}) for n in inner)
    if kind == "BS":
        return sum(value_size({"B": b}) for b in inner)
    if kind == "L":
        return CONTAINER_OVERHEAD + sum(1 + value_size(v) for v in inner)
    if kind == "M":
        return CONTAINER_OVERHEAD + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in inner.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    """An item's size as DynamoDB bills it: attribute names plus values."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def read_units(size: int, consistent: bool = False, transactional: bool = False) -> float:
    """Read request units of reading ``size`` bytes in one request (at least one unit)."""
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    if transactional:
        return 2.0 * units
    return float(units) if consistent else units / 2


def write_units(size: int, transactional: bool = False) -> float:
    """Write request units of writing an item of ``size`` bytes (at least one unit)."""
    units = max(1, math.ceil(size / WRITE_UNIT_BYTES))
    return float(units * (2 if transactional else 1))


class Items(Protocol):
    """Where the emulator's items are read without an AWS call (and without being counted)."""

    def key_names(self, table: str) -> list[str]: ...

    def index_keys(self, table: str) -> list[list[str]]: ...

    def item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None: ...


@dataclass
class Call:
    service: str
    operation: str
    rru: float = 0.0
    wru: float = 0.0
    seconds: float = 0.0  # waiting for the service (the emulator here)


@dataclass
class Invocation:
    function: str
    label: str  # "GET /api/x" for a route, otherwise the kind of event
    seconds: float = 0.0
    calls: list[Call] = field(default_factory=list)

    @property
    def rru(self) -> float:
        return sum(c.rru for c in self.calls)

    @property
    def wru(self) -> float:
        return sum(c.wru for c in self.calls)

    @property
    def own_seconds(self) -> float:
        """The function's own time: the invocation less its waits for AWS."""
        return max(0.0, self.seconds - sum(c.seconds for c in self.calls))

    def count(self, service: str, operation: str | None = None) -> int:
        return sum(1 for c in self.calls if c.service == service and operation in (None, c.operation))


WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


class DynamoCapacity:
    """Read and write units of one DynamoDB call, from its request, its answer and the items."""

    def __init__(self, items: Items | None):
        self.items = items

    def _key(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        if self.items is None:
            return item
        return {k: item[k] for k in self.items.key_names(table) if k in item}

    def _full(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        if self.items is None:
            return item
        return self.items.item(table, self._key(table, item)) or item

    def written(self, body: dict[str, Any], operation: str) -> list[tuple[str, dict[str, Any]]]:
        """(table, key) of every item a write names."""
        if operation in ("PutItem",):
            return [(body["TableName"], self._key(body["TableName"], body["Item"]))]
        if operation in ("UpdateItem", "DeleteItem"):
            return [(body["TableName"], body["Key"])]
        found = []
        if operation == "BatchWriteItem":
            for table, requests in body["RequestItems"].items():
                for request in requests:
                    if "PutRequest" in request:
                        found.append((table, self._key(table, request["PutRequest"]["Item"])))
                    else:
                        found.append((table, request["DeleteRequest"]["Key"]))
        if operation == "TransactWriteItems":
            for entry in body["TransactItems"]:
                (kind, spec), *_ = entry.items()
                table = spec["TableName"]
                # A ConditionCheck reads its item in the transaction and is billed as one of its writes.
                found.append((table, self._key(table, spec["Item"]) if kind == "Put" else spec["Key"]))
        return found

    def snapshot(self, body: dict[str, Any], operation: str) -> dict[tuple[str, str], dict[str, Any] | None]:
        if self.items is None or operation not in WRITES:
            return {}
        return {
            (table, json.dumps(key, sort_keys=True)): self.items.item(table, key)
            for table, key in self.written(body, operation)
        }

    def write_cost(self, table: str, before: dict[str, Any] | None, after: dict[str, Any] | None, tx: bool) -> float:
        size = max(item_size(before), item_size(after))
        units = write_units(size, tx)
        if before == after:  # a transaction's ConditionCheck (or a write that changed nothing): no index copy
            return units
        for keys in self.items.index_keys(table) if self.items is not None else []:
            if any(i is not None and all(k in i for k in keys) for i in (before, after)):
                units += write_units(size)  # an index's copy of the item changes too
        return units

    def units(
        self, operation: str, body: dict[str, Any], answer: dict[str, Any], before: dict[tuple[str, str], Any]
    ) -> tuple[float, float]:
        """(read units, write units) of one call."""
        consistent = bool(body.get("ConsistentRead"))
        if operation == "GetItem":
            item = self.items.item(body["TableName"], body["Key"]) if self.items is not None else answer.get("Item")
            return read_units(item_size(item), consistent), 0.0
        if operation in ("Query", "Scan"):
            table = body["TableName"]
            returned = answer.get("Items", [])
            sizes = [item_size(self._full(table, i)) for i in returned]
            filtered_out = max(0, int(answer.get("ScannedCount", len(returned))) - len(returned))
            average = sum(sizes) / len(sizes) if sizes else 0
            return read_units(int(sum(sizes) + filtered_out * average), consistent), 0.0
        if operation == "BatchGetItem":
            total = 0.0
            for table, items in answer.get("Responses", {}).items():
                strong = bool(body.get("RequestItems", {}).get(table, {}).get("ConsistentRead"))
                total += sum(read_units(item_size(self._full(table, i)), strong) for i in items)
            return total, 0.0
        if operation == "TransactGetItems":
            sizes = [item_size(r.get("Item")) for r in answer.get("Responses", [])]
            return sum(read_units(s, transactional=True) for s in sizes), 0.0
        if operation in WRITES:
            total = 0.0
            for table, key in self.written(body, operation):
                name = (table, json.dumps(key, sort_keys=True))
                after = self.items.item(table, key) if self.items is not None else None
                total += self.write_cost(table, before.get(name), after, operation == "TransactWriteItems")
            return 0.0, total
        return 0.0, 0.0


class AwsCallCounter:
    """Records every invocation of the local stack's functions and the AWS calls each makes."""

    def __init__(self, items: Items | None = None):
        self.capacity = DynamoCapacity(items)
        self.invocations: list[Invocation] = []
        self.unattributed: list[Call] = []
        self._local = threading.local()
        self._lock = threading.Lock()
        self._undo: list[Callable[[], None]] = []

    @contextmanager
    def invocation(self, function: str, label: str) -> Iterator[Invocation]:
        current = Invocation(function, label)
        outer = getattr(self._local, "current", None)
        self._local.current = current
        started = time.perf_counter()
        try:
            yield current
        finally:
            current.seconds = time.perf_counter() - started
            self._local.current = outer
            with self._lock:
                self.invocations.append(current)

    def record(
        self, service: str, operation: str, body: dict[str, Any], answer: dict[str, Any], before: Any, seconds: float
    ) -> Call:
        call = Call(service, operation, seconds=seconds)
        if service == "dynamodb":
            call.rru, call.wru = self.capacity.units(operation, body, answer, before)
        current = getattr(self._local, "current", None)
        with self._lock:
            (current.calls if current is not None else self.unattributed).append(call)
        return call

    def attributed(self) -> bool:
        return getattr(self._local, "current", None) is not None

    # ---------------------------------------------------------------- patching the process

    def install(self) -> None:
        """Count every botocore call and every invocation of the local stack's functions."""
        from botocore.endpoint import Endpoint

        from local_stack.functions import LocalFunction

        counter = self
        make_request = Endpoint.make_request
        invoke = LocalFunction.invoke

        def counted_request(endpoint: Any, operation_model: Any, request_dict: dict[str, Any]) -> Any:
            if not counter.attributed():
                return make_request(endpoint, operation_model, request_dict)
            service = operation_model.service_model.service_name
            operation = operation_model.name
            body = _json_body(request_dict) if service == "dynamodb" else {}
            before = counter.capacity.snapshot(body, operation) if service == "dynamodb" else {}
            started = time.perf_counter()
            response = make_request(endpoint, operation_model, request_dict)
            seconds = time.perf_counter() - started
            http, parsed = response
            answer = parsed if service == "dynamodb" and http.status_code < 300 else {}
            counter.record(service, operation, body, answer, before, seconds)
            return response

        def counted_invoke(function: Any, event: dict[str, Any]) -> Any:
            with counter.invocation(function.spec.logical_id, event_label(event)):
                return invoke(function, event)

        Endpoint.make_request = counted_request
        LocalFunction.invoke = counted_invoke
        self._undo += [
            lambda: setattr(Endpoint, "make_request", make_request),
            lambda: setattr(LocalFunction, "invoke", invoke),
        ]

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def since(self, mark: int) -> list[Invocation]:
        with self._lock:
            return list(self.invocations[mark:])

    def mark(self) -> int:
        with self._lock:
            return len(self.invocations)


def _json_body(request_dict: dict[str, Any]) -> dict[str, Any]:
    body = request_dict.get("body") or b"{}"
    return json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)


def event_label(event: Any) -> str:
    """A route key for an API event; otherwise the kind of event (queue, S3, schedule, task)."""
    if not isinstance(event, dict):
        return "task"
    if "routeKey" in event:
        return event["routeKey"]
    records = event.get("Records") or []
    if records:
        return str(records[0].get("eventSource") or records[0].get("EventSource") or "records")
    if event.get("source") == "aws.events" or "detail-type" in event:
        return "schedule"
    return "step functions task"


@dataclass
class RouteFigures:
    """Per-route totals and averages of a list of invocations."""

    label: str
    function: str
    requests: int
    calls: int
    rru: float
    wru: float
    seconds: float
    scans: int
    max_calls: int  # in the busiest single request of the route
    by_operation: dict[str, int]

    @property
    def calls_per_request(self) -> float:
        return self.calls / self.requests

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.label,
            "function": self.function,
            "requests": self.requests,
            "aws_calls": self.calls,
            "aws_calls_per_request": round(self.calls_per_request, 2),
            "max_aws_calls_in_one_request": self.max_calls,
            "rru": round(self.rru, 2),
            "wru": round(self.wru, 2),
            "scans": self.scans,
            "warm_ms_median": round(self.seconds * 1000, 1),
            "calls_by_operation": self.by_operation,
        }


def by_route(invocations: list[Invocation]) -> list[RouteFigures]:
    """Invocations grouped by (function, label), in the order each first appeared."""
    import statistics

    groups: dict[tuple[str, str], list[Invocation]] = {}
    for invocation in invocations:
        groups.setdefault((invocation.function, invocation.label), []).append(invocation)
    figures = []
    for (function, label), group in groups.items():
        operations: dict[str, int] = {}
        for invocation in group:
            for call in invocation.calls:
                name = f"{call.service}:{call.operation}"
                operations[name] = operations.get(name, 0) + 1
        figures.append(
            RouteFigures(
                label=label,
                function=function,
                requests=len(group),
                calls=sum(len(i.calls) for i in group),
                rru=sum(i.rru for i in group),
                wru=sum(i.wru for i in group),
                seconds=statistics.median(i.seconds for i in group),
                scans=sum(i.count("dynamodb", "Scan") for i in group),
                max_calls=max(len(i.calls) for i in group),
                by_operation=operations,
            )
        )
    return figures
