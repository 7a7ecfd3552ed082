"""Work follows the page, not the table: each list and lookup route timed with 10 and with
10,000 other applicants' records in the tables.

The other applicants are copies of the journey's applicant: every item in every table that
names one of its identifiers (user id, NIK, phone, application, file and receipt numbers)
is written again with those identifiers changed, straight into the emulator's tables
(no AWS call, seconds for 10,000 applicants). Items whose key names none of them (shared
counters, the catalogue) are left alone.

moto answers a Query on a global secondary index by reading every item of the table, so
its time grows with the table where DynamoDB's would not; the figures therefore also give
the function's own time (the request less its waits for the emulator) and the read units
each request consumes, which is what DynamoDB's work and bill follow.
"""

from __future__ import annotations

import re
import statistics
import string
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from benchmarks.counters import AwsCallCounter, item_size

RUNS = 7
SIZES = (10, 10_000)
TARGET_RATIO = 1.5
_ALPHABETS = {"digit": string.digits, "upper": string.ascii_uppercase, "lower": string.ascii_lowercase}


def _alphabet(char: str) -> str | None:
    if char.isdigit():
        return _ALPHABETS["digit"]
    if char.isascii() and char.isupper():
        return _ALPHABETS["upper"]
    if char.isascii() and char.islower():
        return _ALPHABETS["lower"]
    return None


def variant(value: str, index: int, positions: int = 6) -> str:
    """``value`` with its last ``positions`` letters or digits replaced by ``index`` written in
    their own alphabets (digits stay digits, case is kept), so formats still hold."""
    chars = list(value)
    remaining = index
    changed = 0
    for at in range(len(chars) - 1, -1, -1):
        alphabet = _alphabet(chars[at])
        if alphabet is None:
            continue
        remaining, digit = divmod(remaining, len(alphabet))
        chars[at] = alphabet[digit]
        changed += 1
        if changed == positions:
            break
    return "".join(chars)


class Cloner:
    """Copies of one applicant's items, put straight into the emulator's tables.

    A copy shares the original's unchanged attribute values (nothing updates them during the
    measurement) and gets new values only where an identifier appears, so 10,000 applicants'
    items take seconds and little memory."""

    def __init__(self, items: Any, identifiers: list[str]):
        self.items = items  # journey.MotoItems
        self.identifiers = sorted({i for i in identifiers if i and len(i) >= 6}, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(i) for i in self.identifiers))
        self.originals = self._originals()
        self.made = 0

    def _mentions(self, node: Any) -> bool:
        if isinstance(node, str):
            return bool(self.pattern.search(node))
        if isinstance(node, dict):
            return any(self._mentions(v) for v in node.values())
        if isinstance(node, list):
            return any(self._mentions(v) for v in node)
        return False

    def _originals(self) -> list[tuple[Any, Any, dict[str, Any]]]:
        """(table, item, {attribute: value in JSON} of the attributes that name an identifier)."""
        found = []
        for table in self.items.backend.tables.values():
            keys = [k for k in (table.hash_key_attr, table.range_key_attr) if k]
            for item in table.all_items():
                attrs = item.to_json()["Attributes"]
                if any(self._mentions(attrs[k]) for k in keys):
                    found.append((table, item, {k: v for k, v in attrs.items() if self._mentions(v)}))
        return found

    @property
    def original_items(self) -> list[dict[str, Any]]:
        return [item.to_json()["Attributes"] for _, item, _ in self.originals]

    def _changed(self, node: Any, index: int) -> Any:
        if isinstance(node, str):
            return self.pattern.sub(lambda m: variant(m.group(0), index), node)
        if isinstance(node, dict):
            return {k: self._changed(v, index) for k, v in node.items()}
        if isinstance(node, list):
            return [self._changed(v, index) for v in node]
        return node

    def grow_to(self, applicants: int) -> int:
        """Other applicants 1..``applicants`` exist afterwards; returns the items written."""
        from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

        written = 0
        for index in range(self.made + 1, applicants + 1):
            for table, item, changing in self.originals:
                attrs = LimitedSizeDict()
                dict.update(attrs, item.attrs)
                for name, value in changing.items():
                    dict.__setitem__(attrs, name, DynamoType(self._changed(value, index)))
                copy = Item.__new__(Item)
                copy.hash_key = attrs[table.hash_key_attr]
                copy.range_key = attrs[table.range_key_attr] if table.range_key_attr else None
                copy.attrs = attrs
                if table.range_key_attr:
                    table.items.setdefault(copy.hash_key, {})[copy.range_key] = copy
                else:
                    table.items[copy.hash_key] = copy
                written += 1
        self.made = max(self.made, applicants)
        PartitionedQueries.changed()
        return written


class PartitionedQueries:
    """moto answers every Query by sorting and reading every item of the table; DynamoDB reads
    only the partition asked for. While installed, a Query on moto reads only the items of
    its partition key (of the table, or of the index, from a map rebuilt after any write), so
    the emulator's time follows the page as DynamoDB's does. Results are the same."""

    generation: ClassVar[int] = 0
    _maps: ClassVar[dict[tuple[int, str], tuple[int, dict[Any, list[Any]]]]] = {}
    _undo: ClassVar[list[Any]] = []

    @classmethod
    def changed(cls) -> None:
        cls.generation += 1

    @classmethod
    def _partition(cls, table: Any, attribute: str, value: Any, every_item: Any) -> list[Any]:
        cached = cls._maps.get((id(table), attribute))
        if cached is None or cached[0] != cls.generation:
            groups: dict[Any, list[Any]] = {}
            for item in every_item(table):
                if attribute in item.attrs:
                    groups.setdefault(item.attrs[attribute], []).append(item)
            cached = (cls.generation, groups)
            cls._maps[(id(table), attribute)] = cached
        return cached[1].get(value, [])

    @classmethod
    def install(cls) -> None:
        import inspect
        import threading

        from moto.dynamodb.models.table import Table
        from moto.dynamodb.responses import DynamoHandler

        query, all_items = Table.query, Table.all_items
        signature = inspect.signature(query)
        local = threading.local()

        def partition_items(table: Any) -> list[Any]:
            chosen = getattr(local, "chosen", None)
            return chosen[1] if chosen is not None and chosen[0] is table else all_items(table)

        def partitioned_query(table: Any, *args: Any, **kwargs: Any) -> Any:
            arguments = signature.bind(table, *args, **kwargs).arguments
            index_name = arguments.get("index_name")
            if index_name is None:
                found = table.items.get(arguments["hash_key"])
                chosen = [] if found is None else list(found.values()) if table.range_key_attr else [found]
            else:
                index = next(i for i in table.all_indexes() if i.name == index_name)
                attribute = next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
                conditions = dict(arguments.get("hash_key_conditions") or [])
                value = conditions.get(attribute, arguments["hash_key"])
                chosen = cls._partition(table, attribute, value, all_items)
            local.chosen = (table, chosen)
            try:
                return query(table, *args, **kwargs)
            finally:
                local.chosen = None

        Table.query, Table.all_items = partitioned_query, partition_items
        cls._undo.append(lambda: (setattr(Table, "query", query), setattr(Table, "all_items", all_items)))
        for name in ("put_item", "update_item", "delete_item", "batch_write_item", "transact_write_items"):
            write = getattr(DynamoHandler, name)

            def counted_write(handler: Any, _write: Any = write) -> Any:
                try:
                    return _write(handler)
                finally:
                    cls.changed()

            setattr(DynamoHandler, name, counted_write)
            cls._undo.append(lambda name=name, write=write: setattr(DynamoHandler, name, write))

    @classmethod
    def uninstall(cls) -> None:
        while cls._undo:
            cls._undo.pop()()
        cls._maps.clear()


@dataclass
class Probe:
    name: str
    method: str
    path: str
    token: str | None
    params: dict[str, str] | None = None


def measure(api: Any, counter: AwsCallCounter, probe: Probe) -> dict[str, Any]:
    """Median of ``RUNS`` requests (after one to warm the function) and what each consumed."""
    api.request(probe.method, probe.path, token=probe.token, params=probe.params)
    totals, own, rru, statuses = [], [], [], set()
    for _ in range(RUNS):
        mark = counter.mark()
        started = time.perf_counter()
        response = api.request(probe.method, probe.path, token=probe.token, params=probe.params)
        totals.append(time.perf_counter() - started)
        statuses.add(response.status_code)
        invocations = counter.since(mark)
        own.append(sum(i.own_seconds for i in invocations))
        rru.append(sum(i.rru for i in invocations))
    return {
        "status": sorted(statuses),
        "ms": round(statistics.median(totals) * 1000, 1),
        "own_ms": round(statistics.median(own) * 1000, 1),
        "rru": round(statistics.median(rru), 2),
    }


def probes(stack: Any, api: Any, journey: Any, officer_tokens: dict[str, str]) -> list[Probe]:
    applicant = journey.applicant.token
    receipt = journey.receipt_number
    found = [
        Probe("Permohonan Saya", "GET", "/api/applications", applicant),
        Probe("File Saya", "GET", "/api/files", applicant),
        Probe("Inbox", "GET", "/api/inbox", applicant),
        Probe("Inbox unread count", "GET", "/api/inbox/unread-count", applicant),
        Probe("officer worklist", "GET", "/api/officer/tasks", officer_tokens["verifikator"]),
        Probe("monitoring by receipt", "GET", f"/api/monitoring/{receipt}", None),
        Probe("monitoring history", "GET", f"/api/monitoring/{receipt}/riwayat", applicant),
    ]
    # Reports and Kinerja, once their routes are in the template.
    for function in stack.functions.values():
        for route in function.spec.routes:
            if route.method != "GET" or "{" in route.path:
                continue
            if route.path.startswith("/api/officer/reports/") or route.path.startswith("/api/public/kinerja"):
                found.append(Probe(route.path.removeprefix("/api/"), "GET", route.path, officer_tokens["kepala"]))
    for probe in found:
        if api.request(probe.method, probe.path, token=probe.token).status_code == 422:
            this_month = time.strftime("%Y-%m")
            probe.params = {"from": f"{int(this_month[:4]) - 1}{this_month[4:]}-01", "to": time.strftime("%Y-%m-%d")}
    return found


def run(stack: Any, api: Any, counter: AwsCallCounter, journey: Any, items: Any, officer_tokens: dict[str, str]):
    """{route: {"10": figures, "10000": figures, ratios}} and how long the copies took."""
    identity = journey.identity
    identifiers = [
        identity["sub"],
        identity["nik"],
        identity["phone"],
        "+62" + identity["phone"][1:],
        *journey.extra_identifiers,
    ]
    cloner = Cloner(items, identifiers)
    checks = probes(stack, api, journey, officer_tokens)
    PartitionedQueries.install()
    results: dict[str, dict[str, Any]] = {p.name: {"route": f"{p.method} {p.path}"} for p in checks}
    setup = {}
    for size in SIZES:
        started = time.perf_counter()
        written = cloner.grow_to(size)
        setup[str(size)] = {"items_written": written, "seconds": round(time.perf_counter() - started, 1)}
        for probe in checks:
            results[probe.name][str(size)] = measure(api, counter, probe)
    PartitionedQueries.uninstall()
    small, large = (str(s) for s in SIZES)
    for figures in results.values():
        for key in ("ms", "own_ms", "rru"):
            base = figures[small][key]
            figures[f"ratio_{key}"] = round(figures[large][key] / base, 2) if base else None
    return {
        "items_per_applicant": len(cloner.originals),
        "bytes_per_applicant": sum(item_size(attrs) for attrs in cloner.original_items),
        "setup": setup,
        "routes": results,
        "target_ratio": TARGET_RATIO,
    }
