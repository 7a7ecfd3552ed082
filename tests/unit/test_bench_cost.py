"""The bench's cost arithmetic: lines per 1,000 applications at the price table's prices, the
target's total without SMS and storage, the top three, Lambda's GB-s and the idle month."""

from __future__ import annotations

import pytest

from benchmarks import cost

PRICES = {
    "api_gateway_http_request": {"usd": 1.0, "per": 1_000_000, "region": "us-east-1"},
    "lambda_request": {"usd": 0.2, "per": 1_000_000, "region": "us-east-1"},
    "lambda_arm64_gb_second": {"usd": 0.0000133334, "per": 1, "region": "us-east-1"},
    "dynamodb_read_request_unit": {"usd": 0.125, "per": 1_000_000, "region": "us-east-1"},
    "dynamodb_write_request_unit": {"usd": 0.625, "per": 1_000_000, "region": "us-east-1"},
    "step_functions_transition": {"usd": 0.025, "per": 1000, "region": "us-east-1"},
    "s3_put_request": {"usd": 0.005, "per": 1000, "region": "us-east-1"},
    "s3_get_request": {"usd": 0.0004, "per": 1000, "region": "us-east-1"},
    "kms_asymmetric_request": {"usd": 0.15, "per": 10000, "region": "us-east-1"},
    "ses_email": {"usd": 0.1, "per": 1000, "region": "us-east-1"},
    "sqs_request": {"usd": 0.4, "per": 1_000_000, "region": "us-east-1", "free_per_month": 1_000_000},
    "cognito_mau": {"usd": 0.015, "per": 1, "region": "us-east-1"},
    "cloudfront_https_request": {"usd": 0.012, "per": 10000, "region": "Asia Pacific"},
    "cloudfront_gb_out": {"usd": 0.12, "per": 1, "region": "Asia Pacific"},
    "sms_indonesia_message": {"usd": 0.35, "per": 1, "region": "Indonesia"},
    "s3_storage_gb_month": {"usd": 0.023, "per": 1, "region": "us-east-1"},
    "dynamodb_storage_gb_month": {"usd": 0.25, "per": 1, "region": "us-east-1"},
    "kms_key_month": {"usd": 1.0, "per": 1, "region": "us-east-1"},
    "cloudwatch_alarm_month": {"usd": 0.1, "per": 1, "region": "us-east-1", "free_per_month": 10},
    "waf_web_acl_month": {"usd": 5.0, "per": 1, "region": "us-east-1"},
}


def line(result: dict, key: str) -> dict:
    return next(x for x in result["lines"] + result.get("separate_lines", []) if x["key"] == key)


def test_each_line_is_usage_times_a_thousand_times_the_unit_price():
    result = cost.per_thousand({"api_requests": 40, "dynamodb_wru": 500, "sfn_transitions": 10}, PRICES)
    assert line(result, "api_requests") == {
        "line": "API Gateway HTTP API requests",
        "key": "api_requests",
        "quantity": 40000,
        "usd": 0.04,
        "price_region": "us-east-1",
    }
    assert line(result, "dynamodb_wru")["usd"] == pytest.approx(0.3125)
    assert line(result, "sfn_transitions")["usd"] == pytest.approx(0.25)
    assert result["total_usd"] == pytest.approx(0.04 + 0.3125 + 0.25)
    assert result["met"] is True


def test_sms_and_storage_stay_out_of_the_total_and_the_top_three_come_with_what_lowers_them():
    usage = {"cognito_mau": 1, "sms_messages": 5, "s3_storage_gb_month": 0.01, "ses_emails": 8, "kms_signs": 1}
    result = cost.per_thousand(usage, PRICES)
    assert line(result, "sms_messages")["usd"] == pytest.approx(1750.0)
    assert result["total_usd"] == pytest.approx(15.0 + 0.8 + 0.015)  # Cognito, SES, KMS; not SMS, not storage
    assert result["met"] is False
    assert [t["line"] for t in result["top_three"]] == [
        "Cognito monthly active users",
        "SES e-mails",
        "KMS Sign (ECC) requests",
    ]
    assert all(t["lower_by"] for t in result["top_three"])


def test_lambda_bills_each_invocation_rounded_up_to_the_millisecond():
    # 10.2 ms at 1024 MB -> 11 ms x 1 GB; 1 ms at 512 MB -> 0.5 GB x 1 ms
    assert cost.lambda_gb_seconds([(10.2, 1024), (1.0, 512)]) == pytest.approx(0.011 + 0.0005)


def test_the_idle_month_counts_what_the_template_bills_without_traffic():
    sam = {
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key"},
            "A1": {"Type": "AWS::CloudWatch::Alarm"},
            "A2": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"Metrics": [{"MetricStat": {}}, {"MetricStat": {}}, {"Expression": "a + b"}]},
            },
            "Notifier": {"Type": "AWS::Serverless::Function", "Properties": {"Events": {"Q": {"Type": "SQS"}}}},
            "Daily": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Events": {"S": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}}},
            },
        }
    }
    resources = cost.template_resources(sam)
    assert resources == {
        "kms_keys": 1,
        "alarm_metrics": 3,  # a metric-math alarm pays for each metric it reads
        "web_acls": 0,
        "sqs_event_source_mappings": 1,
        "scheduled_invocations": 31,
    }
    idle = cost.idle_month(resources, PRICES)
    polls = 5 * 3 * 60 * 24 * 30.4
    assert idle["total_usd"] == pytest.approx(round(1.0 + 0.3 + polls * 0.4 / 1e6 + 31 * 0.2 / 1e6, 2))
    assert idle["met"] is True
    # The always-free allowances (here: 10 alarm metrics, 1M SQS requests) leave the key only.
    assert idle["after_always_free_usd"] == pytest.approx(1.0, abs=0.01)


def test_the_cognito_price_is_the_plan_the_user_pools_are_on():
    from local_stack import template

    plan = cost.load_prices()["cognito_mau"]["plan"]
    pools = [r for r in template.load_sam_template()["Resources"].values() if r["Type"] == "AWS::Cognito::UserPool"]
    assert pools and {pool["Properties"]["UserPoolTier"] for pool in pools} == {plan}


def test_schedules_run_by_their_rate_and_a_cron_daily():
    assert cost.runs_per_month({"Schedule": "rate(1 hour)"}) == 730
    assert cost.runs_per_month({"Schedule": "rate(30 minutes)"}) == 1460
    assert cost.runs_per_month({"ScheduleExpression": "cron(0 17 * * ? *)"}) == 30


def test_the_price_table_names_a_source_region_and_date_for_every_price():
    prices = cost.load_prices()
    for key, price in prices.items():
        assert price["source"].startswith("https://aws.amazon.com/"), key
        assert price["region"] and str(price["as_of"]), key
        assert float(price["usd"]) >= 0 and float(price["per"]) > 0, key
    used = {price for price, _ in [*cost.LINES.values(), *cost.SEPARATE.values()]}
    assert used <= prices.keys()
