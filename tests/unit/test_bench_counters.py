"""The bench's counters: DynamoDB item sizes and units by DynamoDB's rules, calls attributed to
the invocation on their thread, per-route figures, and the copies of an applicant's records."""

from __future__ import annotations

import json
import threading

import botocore.session
import pytest

from benchmarks.counters import (
    AwsCallCounter,
    DynamoCapacity,
    by_route,
    event_label,
    item_size,
    read_units,
    value_size,
    write_units,
)
from benchmarks.growth import variant


class FakeItems:
    """Two tables: Apps (pk, sk; one index on owner) and Plain (id)."""

    def __init__(self, stored: dict[tuple[str, str], dict]):
        self.stored = stored

    def key_names(self, table):
        return ["pk", "sk"] if table == "Apps" else ["id"]

    def index_keys(self, table):
        return [["owner"]] if table == "Apps" else []

    def item(self, table, key):
        return self.stored.get((table, json.dumps(key, sort_keys=True)))


def key(table, **values):
    return table, json.dumps({k: {"S": v} for k, v in values.items()}, sort_keys=True)


def test_sizes_follow_dynamodbs_rules():
    assert value_size({"S": "héllo"}) == 6  # UTF-8 bytes
    assert value_size({"N": "12345"}) == 4  # 3 bytes of digit pairs + 1
    assert value_size({"BOOL": True}) == 1
    assert value_size({"L": [{"S": "ab"}, {"NULL": True}]}) == 3 + (1 + 2) + (1 + 1)
    assert value_size({"M": {"a": {"S": "xy"}}}) == 3 + 1 + 1 + 2
    assert item_size({"pk": {"S": "abc"}, "n": {"N": "7"}}) == (2 + 3) + (1 + 2)
    assert item_size(None) == 0


def test_read_and_write_units_round_up_with_a_minimum_of_one():
    assert read_units(0) == 0.5  # an eventually consistent read of nothing still costs half a unit
    assert read_units(4096) == 0.5
    assert read_units(4097) == 1.0
    assert read_units(4097, consistent=True) == 2.0
    assert read_units(100, transactional=True) == 2.0
    assert write_units(0) == 1.0
    assert write_units(1025) == 2.0
    assert write_units(10, transactional=True) == 2.0


def test_a_write_costs_the_larger_of_before_and_after_plus_each_index_copy():
    big = {"pk": {"S": "a"}, "sk": {"S": "b"}, "owner": {"S": "u"}, "blob": {"S": "x" * 1500}}
    small = {"pk": {"S": "a"}, "sk": {"S": "b"}, "owner": {"S": "u"}}
    stored = {key("Apps", pk="a", sk="b"): big}
    capacity = DynamoCapacity(FakeItems(stored))
    body = {"TableName": "Apps", "Item": small}
    before = capacity.snapshot(body, "PutItem")
    stored[key("Apps", pk="a", sk="b")] = small
    # 1.5 KB before -> 2 units, and the index keeps a copy (owner) -> 2 more
    assert capacity.units("PutItem", body, {}, before) == (0.0, 4.0)
    # a transaction doubles the table's units (the index copy is written once)
    tx = {"TransactItems": [{"Update": {"TableName": "Plain", "Key": {"id": {"S": "1"}}}}]}
    assert capacity.units("TransactWriteItems", tx, {}, capacity.snapshot(tx, "TransactWriteItems")) == (0.0, 2.0)


def test_a_query_reads_the_whole_items_it_returns_and_those_it_filtered_out():
    whole = {"pk": {"S": "a"}, "sk": {"S": "1"}, "text": {"S": "x" * 5000}}
    capacity = DynamoCapacity(FakeItems({key("Apps", pk="a", sk="1"): whole}))
    answer = {"Items": [{"pk": {"S": "a"}, "sk": {"S": "1"}}], "Count": 1, "ScannedCount": 2}
    # the projection returned only the keys; 2 items of ~5 KB were read: 3 units, halved
    assert capacity.units("Query", {"TableName": "Apps"}, answer, {}) == (1.5, 0.0)
    assert capacity.units(
        "GetItem", {"TableName": "Apps", "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}, "ConsistentRead": True}, {}, {}
    ) == (2.0, 0.0)


def test_calls_count_for_the_invocation_on_their_own_thread_only():
    counter = AwsCallCounter()
    ready, done = threading.Event(), threading.Event()

    def background():
        with counter.invocation("NotifierFunction", "aws:sqs"):
            ready.set()
            done.wait(5)
            counter.record("ses", "SendEmail", {}, {}, {}, 0.01)

    thread = threading.Thread(target=background)
    thread.start()
    ready.wait(5)
    with counter.invocation("FilesFunction", "GET /api/files") as mine:
        counter.record("dynamodb", "Query", {"TableName": "Plain"}, {"Items": []}, {}, 0.02)
        done.set()
        thread.join()
    counter.record("s3", "GetObject", {}, {}, {}, 0.0)  # outside any invocation
    assert [(c.service, c.operation) for c in mine.calls] == [("dynamodb", "Query")]
    assert mine.rru == 0.5
    notifier = next(i for i in counter.invocations if i.function == "NotifierFunction")
    assert [c.operation for c in notifier.calls] == ["SendEmail"]
    assert [c.operation for c in counter.unattributed] == ["GetObject"]


def test_the_installed_counter_sees_a_real_botocore_call_and_its_capacity():
    operation = botocore.session.get_session().get_service_model("dynamodb").operation_model("GetItem")
    stored = {key("Plain", id="1"): {"id": {"S": "1"}, "text": {"S": "x" * 5000}}}
    counter = AwsCallCounter(FakeItems(stored))

    class Http:
        status_code = 200

    class FakeEndpoint:
        def _send_request(self, request_dict, operation_model):
            return Http(), {"Item": {"id": {"S": "1"}}}

    counter.install()
    try:
        from botocore.endpoint import Endpoint

        body = json.dumps({"TableName": "Plain", "Key": {"id": {"S": "1"}}}).encode()
        Endpoint.make_request(FakeEndpoint(), operation, {"body": body, "headers": {}})  # not in an invocation
        with counter.invocation("CatalogueFunction", "GET /api/catalogue/izin") as invocation:
            Endpoint.make_request(FakeEndpoint(), operation, {"body": body, "headers": {}})
    finally:
        counter.uninstall()
    assert [(c.service, c.operation, c.rru) for c in invocation.calls] == [("dynamodb", "GetItem", 1.0)]
    assert counter.unattributed == []  # calls outside invocations (the stack's own) are not counted


def test_routes_are_summed_per_function_and_label():
    counter = AwsCallCounter()
    for calls in (2, 5):
        with counter.invocation("ApplicationsFunction", "GET /api/applications"):
            for _ in range(calls):
                counter.record("dynamodb", "Scan", {"TableName": "Plain"}, {"Items": []}, {}, 0.0)
    (route,) = by_route(counter.invocations)
    assert (route.requests, route.calls, route.max_calls, route.scans) == (2, 7, 5, 7)
    assert route.calls_per_request == 3.5
    assert route.as_dict()["calls_by_operation"] == {"dynamodb:Scan": 7}


@pytest.mark.parametrize(
    ("event", "label"),
    [
        ({"routeKey": "GET /api/inbox"}, "GET /api/inbox"),
        ({"Records": [{"eventSource": "aws:sqs"}]}, "aws:sqs"),
        ({"Records": [{"eventSource": "aws:s3"}]}, "aws:s3"),
        ({"source": "aws.events", "detail-type": "Scheduled Event"}, "schedule"),
        ({"action": "open_stage"}, "step functions task"),
    ],
)
def test_each_event_is_labelled_by_its_route_or_kind(event, label):
    assert event_label(event) == label


def test_copies_of_an_identifier_keep_its_format_and_differ_from_each_other():
    nik = "6571015203951234"
    copies = {variant(nik, i) for i in range(1, 10_001)}
    assert len(copies) == 10_000 and nik not in copies
    assert all(len(c) == 16 and c.isdigit() and c.startswith("6571015203") for c in copies)
    assert variant("2611-AB7C-9XYZ", 1)[:6] == "2611-A" and variant("2611-AB7C-9XYZ", 1)[4] == "-"
    assert variant("XZVxr_ifiMckehUz", 3) != "XZVxr_ifiMckehUz"
