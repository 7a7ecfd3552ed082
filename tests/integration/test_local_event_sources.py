"""Every event source of a template reaches the real handlers on the local stack.

Runs a small template of its own (tests/fixtures/event_sources/): a queue with a
dead-letter queue feeding a worker that reports partial batch failures, a schedule, and a
state machine whose first Lambda task waits for a task token.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import boto3
import pytest
import requests

from local_stack import LocalStack
from local_stack.stack import REGION

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "event_sources" / "template.yaml"


@pytest.fixture(scope="module")
def local() -> Iterator[LocalStack]:
    # The schedules' clock runs 30 times faster: rate(1 minute) fires every 2 seconds.
    stack = LocalStack(
        port=0, log_level="WARNING", seed=False, template_path=FIXTURE, poll_interval=0.1, schedule_speed=30
    )
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def records(local: LocalStack):
    return boto3.resource("dynamodb", region_name=REGION).Table(local.provisioned.physical_ids["RecordsTable"])


@pytest.fixture(scope="module")
def sqs(local: LocalStack):
    return boto3.client("sqs", region_name=REGION)


def _record(records, pk: str) -> dict | None:
    return records.get_item(Key={"pk": pk}, ConsistentRead=True).get("Item")


def _send_batch(sqs, queue_url: str, bodies: list[str]) -> None:
    # One SendMessageBatch, so the poller receives the messages in one batch.
    sqs.send_message_batch(QueueUrl=queue_url, Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies)])


def _dead_letters(sqs, local: LocalStack, expected: set[str]) -> set[str]:
    url = local.provisioned.physical_ids["DeadLetterQueue"]
    found: set[str] = set()
    for _ in range(10):
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        found |= {m["Body"] for m in messages}
        if expected <= found:
            break
    return found


def test_good_messages_are_processed_once_and_deleted_and_the_poison_one_is_dead_lettered_after_two_receives(
    local, records, sqs
):
    tag = uuid.uuid4().hex[:8]
    good, poison = [f"good-{tag}-1", f"good-{tag}-2"], f"poison-{tag}"
    _send_batch(sqs, local.provisioned.physical_ids["WorkQueue"], [good[0], poison, good[1]])

    local.event_sources.sqs.wait_until_drained(timeout=30)

    for body in good:
        processed = _record(records, f"processed#{body}")
        assert processed["receiveCount"] == "1"
        assert processed["batchSize"] == 3  # one batch with the poison message in it
        assert processed["source"].endswith(":" + local.provisioned.physical_ids["WorkQueue"].rsplit("/", 1)[1])
        # Reported partial failure: only the poison message came back, the good ones ran once.
        assert _record(records, f"attempts#{body}")["attempts"] == 1
    assert _record(records, f"attempts#{poison}")["attempts"] == 2  # maxReceiveCount
    assert _record(records, f"processed#{poison}") is None
    assert poison in _dead_letters(sqs, local, {poison})


def test_a_handler_error_fails_the_whole_batch_and_is_recorded(local, records, sqs):
    tag = uuid.uuid4().hex[:8]
    before, crash = f"before-{tag}", "crash"
    failures_before = len(local.event_sources.sqs.failures)
    _send_batch(sqs, local.provisioned.physical_ids["WorkQueue"], [before, crash])

    local.event_sources.sqs.wait_until_drained(timeout=30)

    # The message handled before the error came back with the batch, twice, then went to the DLQ.
    assert _record(records, f"attempts#{before}")["attempts"] == 2
    assert {before, crash} <= _dead_letters(sqs, local, {before, crash})
    new_failures = local.event_sources.sqs.failures[failures_before:]
    assert len(new_failures) == 2
    assert all("WorkerFunction" in f and "the worker crashed" in f for f in new_failures)
    assert new_failures[0] in local.failures


def _ticks(records) -> list[dict]:
    items = records.scan(ConsistentRead=True)["Items"]
    return [i for i in items if i["pk"].startswith("tick#")]


def test_a_schedule_runs_on_demand_with_the_scheduled_event_of_its_rule(local, records):
    before = {t["pk"] for t in _ticks(records)}

    response = requests.post(f"{local.url}/_local/schedules/TickFunction/run", timeout=30)

    assert response.status_code == 200
    assert response.json() == {"ran": [{"name": "TickFunctionEveryMinute", "function": "TickFunction"}]}
    new = [t for t in _ticks(records) if t["pk"] not in before]
    assert len(new) == 1
    rule_name = local.provisioned.physical_ids["TickFunctionEveryMinute"]
    assert new[0]["detailType"] == "Scheduled Event"
    assert new[0]["source"] == "aws.events"
    assert new[0]["resources"] == [f"arn:aws:events:{REGION}:123456789012:rule/{rule_name}"]
    assert requests.post(f"{local.url}/_local/schedules/NoSuchSchedule/run", timeout=30).status_code == 404


def test_a_schedule_runs_on_its_rate(local, records):
    schedule = next(s for s in local.event_sources.scheduler.schedules if s.name == "TickFunctionEveryMinute")
    runs = schedule.runs
    deadline = time.monotonic() + 15
    while schedule.runs < runs + 2 and time.monotonic() < deadline:
        time.sleep(0.2)

    assert schedule.runs >= runs + 2
    # A minute apart on the schedule's clock, as rate(1 minute) says.
    first, second = schedule.history[-2:]
    assert (datetime.fromisoformat(second) - datetime.fromisoformat(first)).total_seconds() == 60
    assert not local.event_sources.scheduler.failures
