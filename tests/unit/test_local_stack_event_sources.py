"""The local stack's event-source pieces behave as AWS's do."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from local_stack import support
from local_stack.schedules import Cron, ScheduleExpressionError, next_run
from local_stack.sqs import failed_message_ids, sqs_event
from local_stack.stepfunctions import _function_name, _substituted_definition
from local_stack.template import source_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
T0 = datetime(2026, 11, 29, 5, 30, 15, tzinfo=UTC)  # a Sunday


# ---------------------------------------------------------------- SQS
def test_partial_batch_failures_keep_only_the_reported_messages():
    ids = ["m1", "m2", "m3"]
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "m2"}]}, ids) == ["m2"]
    assert failed_message_ids({"batchItemFailures": []}, ids) == []
    assert failed_message_ids(None, ids) == []
    assert failed_message_ids({"other": 1}, ids) == []


@pytest.mark.parametrize(
    "response",
    [
        {"batchItemFailures": [{"itemIdentifier": ""}]},
        {"batchItemFailures": [{"itemIdentifier": "not-in-batch"}]},
        {"batchItemFailures": [{"id": "m1"}]},
        {"batchItemFailures": "m1"},
    ],
)
def test_a_batch_response_lambda_cannot_read_fails_the_whole_batch(response):
    assert failed_message_ids(response, ["m1", "m2"]) == ["m1", "m2"]


def test_the_sqs_event_has_lambdas_record_shape():
    message = {
        "MessageId": "id-1",
        "ReceiptHandle": "rh",
        "Body": "hello",
        "MD5OfBody": "md5",
        "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000"},
        "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "reset"}},
    }
    (record,) = sqs_event([message], "arn:aws:sqs:ap-southeast-3:123456789012:q", "ap-southeast-3")["Records"]
    assert record == {
        "messageId": "id-1",
        "receiptHandle": "rh",
        "body": "hello",
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000"},
        "messageAttributes": {
            "kind": {"stringValue": "reset", "stringListValues": [], "binaryListValues": [], "dataType": "String"}
        },
        "md5OfBody": "md5",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:ap-southeast-3:123456789012:q",
        "awsRegion": "ap-southeast-3",
    }


# ---------------------------------------------------------------- schedules
def test_a_rate_runs_every_period_from_the_start():
    assert next_run("rate(1 minute)", T0, T0) == datetime(2026, 11, 29, 5, 31, 15, tzinfo=UTC)
    assert next_run("rate(5 minutes)", datetime(2026, 11, 29, 5, 36, tzinfo=UTC), T0) == datetime(
        2026, 11, 29, 5, 40, 15, tzinfo=UTC
    )
    assert next_run("rate(2 hours)", T0, T0) == datetime(2026, 11, 29, 7, 30, 15, tzinfo=UTC)


@pytest.mark.parametrize("expression", ["rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1 week)"])
def test_rates_aws_refuses_are_refused(expression):
    with pytest.raises(ScheduleExpressionError):
        next_run(expression, T0, T0)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cron(0 1 * * ? *)", datetime(2026, 11, 30, 1, 0, tzinfo=UTC)),  # daily at 01:00
        ("cron(*/15 * * * ? *)", datetime(2026, 11, 29, 5, 45, tzinfo=UTC)),
        ("cron(0 8 ? * MON-FRI *)", datetime(2026, 11, 30, 8, 0, tzinfo=UTC)),  # Sunday -> Monday
        ("cron(0 8 ? * 1 *)", datetime(2026, 11, 29, 8, 0, tzinfo=UTC)),  # 1 is Sunday
        ("cron(0 0 L * ? *)", datetime(2026, 11, 30, 0, 0, tzinfo=UTC)),  # last day of the month
        ("cron(0 0 ? * 2#1 *)", datetime(2026, 12, 7, 0, 0, tzinfo=UTC)),  # first Monday
        ("cron(30 5 1 JAN ? 2027)", datetime(2027, 1, 1, 5, 30, tzinfo=UTC)),
        ("cron(0 0 1 1 ? 2020)", None),  # only in the past
    ],
)
def test_aws_six_field_cron_gives_the_next_run(expression, expected):
    assert next_run(expression, T0, T0) == expected


def test_cron_in_a_schedules_time_zone():
    # 08:00 in Makassar (WITA, UTC+8) is 00:00 UTC.
    assert next_run("cron(0 8 * * ? *)", T0, T0, "Asia/Makassar") == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "fields", ["0 1 * * * *", "0 1 ? * ? *", "0 1 * *", "61 1 * * ? *", "0 1 15W * ? *", "0 25 * * ? *"]
)
def test_crons_aws_refuses_are_refused(fields):
    with pytest.raises(ValueError):
        Cron.parse(fields)


def test_at_runs_once():
    assert next_run("at(2026-12-01T09:00:00)", T0, T0) == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert next_run("at(2026-01-01T09:00:00)", T0, T0) is None


# ---------------------------------------------------------------- Step Functions
def test_definition_substitutions_replace_only_their_placeholders():
    props = {
        "DefinitionString": '{"A": "${FunctionArn}", "B": "${Other}", "C": "${Flag}"}',
        "DefinitionSubstitutions": {"FunctionArn": "arn:aws:lambda:r:1:function:f", "Flag": True},
    }
    assert json.loads(_substituted_definition(props)) == {
        "A": "arn:aws:lambda:r:1:function:f",
        "B": "${Other}",
        "C": "true",
    }
    assert json.loads(_substituted_definition({"Definition": {"StartAt": "X"}})) == {"StartAt": "X"}


@pytest.mark.parametrize(
    "reference",
    [
        "my-function",
        "my-function:$LATEST",
        "arn:aws:lambda:ap-southeast-3:123456789012:function:my-function",
        "arn:aws:lambda:ap-southeast-3:123456789012:function:my-function:live",
        "123456789012:function:my-function",
    ],
)
def test_a_task_names_its_function_as_lambda_accepts_it(reference):
    assert _function_name(reference) == "my-function"


# ---------------------------------------------------------------- what the stack serves
def test_every_type_said_to_be_created_by_moto_is_in_motos_cloudformation():
    from moto.cloudformation.parsing import get_model_map

    assert set(support.CREATED_BY_MOTO) <= set(get_model_map())


def test_source_lines_locate_resources_and_function_events():
    lines = source_lines(FIXTURES / "unsupported" / "template.yaml")
    assert lines[("Secret",)] == 9
    assert lines[("NotifyFunction", "Alert")] == 21
    assert lines[("NotifyFunction", "Nightly")] == 25


def _translated(resources: dict) -> dict:
    return {"Resources": resources}


def test_what_the_stack_cannot_serve_is_named_with_its_line(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Events:\n"
        "        Upload:\n"
        "          Type: S3\n"
        "  Stream:\n"
        "    Type: AWS::Kinesis::Stream\n"
    )
    sam = {
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Events": {"Upload": {"Type": "S3", "Properties": {"Events": "s3:ObjectRemoved:*"}}}},
            },
            "Stream": {"Type": "AWS::Kinesis::Stream"},
        }
    }
    cfn = _translated(
        {
            "Fn": {"Type": "AWS::Lambda::Function"},
            "Stream": {"Type": "AWS::Kinesis::Stream"},
            "FnPattern": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": ["x"]}}},
            "FnMapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Stream", "Arn"]}},
            },
        }
    )
    assert support.problems(sam, cfn, path) == [
        "template.yaml:6: Fn.Upload: the local stack cannot serve S3 events other than s3:ObjectCreated:*",
        "template.yaml:8: Stream: the local stack cannot serve resource type AWS::Kinesis::Stream",
        "template.yaml:2: Fn: the local stack cannot serve an EventBridge rule with an event pattern"
        " (only scheduled rules are delivered)",
        "template.yaml:2: Fn: the local stack cannot serve an event source mapping whose source is not"
        " an SQS queue of this template",
    ]


def test_an_sqs_event_with_a_filter_is_refused_rather_than_delivered_unfiltered(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n")
    mapping = {
        "Type": "AWS::Lambda::EventSourceMapping",
        "Properties": {
            "EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]},
            "FilterCriteria": {"Filters": [{"Pattern": '{"body": {"kind": ["reset"]}}'}]},
        },
    }
    cfn = _translated({"Queue": {"Type": "AWS::SQS::Queue"}, "FnWork": mapping})
    assert support.problems({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}, cfn, path) == [
        "template.yaml: FnWork: the local stack cannot serve an SQS event with FilterCriteria"
        " (every message would be delivered)"
    ]


def test_a_queue_whose_visibility_timeout_is_below_its_functions_timeout_is_refused_as_lambda_does(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n")
    sam = {"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Events": {}}}}}

    def problems_with(visibility: int, timeout: int) -> list[str]:
        mapping = {"EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]}, "FunctionName": {"Ref": "Fn"}}
        cfn = _translated(
            {
                "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": visibility}},
                "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": timeout}},
                "FnWork": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": mapping},
            }
        )
        return support.problems(sam, cfn, path)

    assert problems_with(30, 30) == []
    assert problems_with(10, 30) == [
        "template.yaml:2: Fn: the local stack cannot serve an SQS event whose queue's visibility timeout (10 s)"
        " is below the function's timeout"
    ]


def test_the_product_template_is_served_whole(stack):
    import boto3

    from local_stack import template

    # The session's emulator answers the transform's IAM look-ups (moto's in-process mock
    # would reset the emulator's state under the running local stack).
    sam = template.load_sam_template()
    cfn = template.translate(sam, template.parameter_values(sam), boto3.client("iam", region_name="us-east-1"))
    assert support.problems(sam, cfn, template.TEMPLATE_PATH) == []
