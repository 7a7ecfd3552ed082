"""Every event source of a template reaches the real handlers on the local stack.

Runs a small template of its own (tests/fixtures/event_sources/): a queue with a
dead-letter queue feeding a worker that reports partial batch failures, a schedule, and a
state machine whose first Lambda task waits for a task token.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
import requests

from local_stack import LocalStack
from local_stack.stack import REGION
from local_stack.support import TemplateNotServed

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
    # Sent together, they reach the worker in one batch (its batching window gathers them).
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


def test_a_schedule_runs_on_demand_with_the_scheduled_event_of_its_rule(local, records):
    response = requests.post(f"{local.url}/_local/schedules/TickFunctionEveryMinute/run", timeout=30)

    assert response.status_code == 200
    ((ran),) = response.json()["ran"]
    assert (ran["name"], ran["function"]) == ("TickFunctionEveryMinute", "TickFunction")
    tick = _record(records, f"tick#{ran['event']['id']}")  # what the handler got
    rule_name = local.provisioned.physical_ids["TickFunctionEveryMinute"]
    assert tick["detailType"] == "Scheduled Event"
    assert tick["source"] == "aws.events"
    assert tick["resources"] == [f"arn:aws:events:{REGION}:123456789012:rule/{rule_name}"]
    assert requests.post(f"{local.url}/_local/schedules/NoSuchSchedule/run", timeout=30).status_code == 404


def test_a_function_name_runs_all_its_schedules_including_a_scheduler_one(local, records):
    response = requests.post(f"{local.url}/_local/schedules/TickFunction/run", timeout=30)

    assert response.status_code == 200
    ran = {r["name"]: r["event"] for r in response.json()["ran"]}
    assert set(ran) == {"TickFunctionEveryMinute", "TickFunctionNightlyInMakassar"}
    tick = _record(records, f"tick#{ran['TickFunctionNightlyInMakassar']['id']}")
    assert tick["source"] == "aws.scheduler"
    assert tick["resources"] == [
        f"arn:aws:scheduler:{REGION}:123456789012:schedule/default/TickFunctionNightlyInMakassar"
    ]


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


def _wait_for(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not true after {timeout} s: {check}")


@pytest.fixture(scope="module")
def sfn(local: LocalStack):
    return boto3.client("stepfunctions", region_name=REGION)


def _start(local, sfn, application_id: str, **extra) -> str:
    return sfn.start_execution(
        stateMachineArn=local.provisioned.physical_ids["ApprovalStateMachine"],
        input=json.dumps({"applicationId": application_id, **extra}),
    )["executionArn"]


def _finished(sfn, execution_arn: str) -> dict:
    return _wait_for(lambda: (d := sfn.describe_execution(executionArn=execution_arn))["status"] != "RUNNING" and d)


def test_the_state_machine_waits_for_the_task_token_and_resumes_on_send_task_success(local, records, sfn):
    application_id = f"A-{uuid.uuid4().hex[:8]}"
    execution_arn = _start(local, sfn, application_id)

    # The first task's handler ran in-process and recorded the token it got through $$.Task.Token.
    token = _wait_for(lambda: _record(records, f"token#{application_id}"))["taskToken"]
    time.sleep(0.5)
    assert sfn.describe_execution(executionArn=execution_arn)["status"] == "RUNNING"
    assert _record(records, f"issued#{application_id}") is None
    machines = requests.get(f"{local.url}/_local/", timeout=30).json()["stateMachines"]
    running = next(m for m in machines if m["name"] == "ApprovalStateMachine")["running"]
    assert execution_arn in [e["executionArn"] for e in running]

    sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True, "by": "kepala"}))

    execution = _finished(sfn, execution_arn)
    assert execution["status"] == "SUCCEEDED"
    assert json.loads(execution["output"]) == {"permitNumber": f"IZIN/{application_id}", "attempts": 1}
    # The second task got the decision where the ASL's ResultPath put it.
    assert _record(records, f"issued#{application_id}")["decision"] == {"approved": True, "by": "kepala"}


def test_send_task_failure_fails_the_execution_with_its_error(local, records, sfn):
    application_id = f"A-{uuid.uuid4().hex[:8]}"
    execution_arn = _start(local, sfn, application_id)
    token = _wait_for(lambda: _record(records, f"token#{application_id}"))["taskToken"]

    sfn.send_task_failure(taskToken=token, error="Ditolak", cause="berkas tidak lengkap")

    execution = _finished(sfn, execution_arn)
    assert (execution["status"], execution["error"], execution["cause"]) == (
        "FAILED",
        "Ditolak",
        "berkas tidak lengkap",
    )
    assert _record(records, f"issue#{application_id}") is None  # the second task never ran


@pytest.mark.parametrize(("not_ready_times", "status", "attempts"), [(1, "SUCCEEDED", 2), (5, "FAILED", 3)])
def test_a_failing_lambda_task_is_retried_then_caught_as_the_asl_says(
    local, records, sfn, not_ready_times, status, attempts
):
    application_id = f"A-{uuid.uuid4().hex[:8]}"
    execution_arn = _start(local, sfn, application_id, notReadyTimes=not_ready_times)
    token = _wait_for(lambda: _record(records, f"token#{application_id}"))["taskToken"]
    sfn.send_task_success(taskToken=token, output="{}")

    execution = _finished(sfn, execution_arn)

    # Retry on NotReadyYet with MaxAttempts 2: at most three attempts.
    assert execution["status"] == status
    assert _record(records, f"issue#{application_id}")["attempts"] == attempts
    history = [e["type"] for e in sfn.get_execution_history(executionArn=execution_arn)["events"]]
    assert history.count("LambdaFunctionFailed") == min(not_ready_times, attempts)
    if status == "FAILED":
        # Retries spent, the ASL's Catch sends it to its Fail state.
        assert execution["error"] == "PermitNotIssued"


def test_an_optimised_lambda_invoke_task_gets_lambdas_invoke_response(local, records, sfn):
    issue_arn = local.functions["IssueFunction"].arn
    definition = {
        "StartAt": "Issue",
        "States": {
            "Issue": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": issue_arn, "Payload.$": "$"},
                "End": True,
            }
        },
    }
    machine = sfn.create_state_machine(
        name=f"invoke-{uuid.uuid4().hex[:8]}",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/local",
    )["stateMachineArn"]
    application_id = f"A-{uuid.uuid4().hex[:8]}"
    execution_arn = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"applicationId": application_id, "decision": "setuju"})
    )["executionArn"]

    execution = _finished(sfn, execution_arn)

    assert execution["status"] == "SUCCEEDED"
    output = json.loads(execution["output"])
    assert output["StatusCode"] == 200
    assert output["Payload"] == {"permitNumber": f"IZIN/{application_id}", "attempts": 1}
    assert _record(records, f"issued#{application_id}")["decision"] == "setuju"


def test_get_local_lists_functions_with_their_event_sources_queues_schedules_and_state_machines(local):
    status = requests.get(f"{local.url}/_local/", timeout=30).json()

    functions = {f["name"]: f for f in status["functions"]}
    assert functions["WorkerFunction"]["eventSources"] == [
        {"name": "Work", "type": "SQS", "queueArn": local.event_sources.sqs.mappings[0].queue_arn}
    ]
    assert functions["TickFunction"]["eventSources"] == [
        {"name": "EveryMinute", "type": "Schedule"},
        {"name": "NightlyInMakassar", "type": "ScheduleV2"},
    ]
    queues = {q["name"]: q for q in status["queues"]}
    assert set(queues) == {"WorkQueue", "DeadLetterQueue"}
    assert queues["WorkQueue"]["deadLetter"]["name"] == "DeadLetterQueue"
    assert queues["WorkQueue"]["deadLetter"]["maxReceiveCount"] == 2
    assert {"messages", "inFlight", "delayed"} <= set(queues["WorkQueue"])
    schedules = {s["name"]: s for s in status["schedules"]}
    assert schedules["TickFunctionEveryMinute"]["expression"] == "rate(1 minute)"
    assert datetime.fromisoformat(schedules["TickFunctionEveryMinute"]["nextRun"]) > datetime.now(UTC)
    # State: DISABLED in the template: listed, never run on its own.
    nightly = schedules["TickFunctionNightlyInMakassar"]
    assert (nightly["enabled"], nightly["nextRun"]) == (False, None)
    assert [m["name"] for m in status["stateMachines"]] == ["ApprovalStateMachine"]


def test_a_template_with_what_the_stack_cannot_serve_fails_the_start_naming_each_and_its_line():
    stack = LocalStack(
        port=0, log_level="WARNING", seed=False, template_path=FIXTURE.parent.parent / "unsupported" / "template.yaml"
    )

    with pytest.raises(TemplateNotServed) as failure:
        stack.start()

    assert str(failure.value).splitlines() == [
        "template.yaml:21: NotifyFunction.Alert: the local stack cannot serve event type SNS",
        "template.yaml:9: Secret: the local stack cannot serve resource type AWS::SecretsManager::Secret",
        "template.yaml:25: NotifyFunction.Nightly: the local stack cannot serve the schedule expression"
        " 'cron(0 1 * * * *)' (cron(0 1 * * * *): exactly one of day-of-month and day-of-week must be ?)",
    ]
    assert stack.event_sources is None and stack._moto is None  # nothing left running
