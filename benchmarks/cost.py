"""Cost per 1,000 applications from the journey's measured counts, at the list prices of
``benchmarks/prices.yaml``, and the cost of a month with no application at all.

Pure arithmetic (tested in tests/unit/test_bench_cost.py): the journey gives what one
application uses; each line is that x 1,000 x its price. Storage (DynamoDB, S3) and SMS are
lines of their own, outside the target's total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES_PATH = Path(__file__).with_name("prices.yaml")
APPLICATIONS = 1000
TARGET_USD = 2.0
IDLE_TARGET_USD = 5.0
# A Lambda event source mapping long-polls its queue (20 s waits) with about five pollers
# while the queue is empty: ~5 x 3 requests a minute, billed as SQS requests.
POLLERS_PER_QUEUE = 5
POLLS_PER_MINUTE = 3
MINUTES_PER_MONTH = 60 * 24 * 30.4

# usage key -> (price key, what the line is)
LINES = {
    "api_requests": ("api_gateway_http_request", "API Gateway HTTP API requests"),
    "lambda_invocations": ("lambda_request", "Lambda invocations"),
    "lambda_gb_seconds": ("lambda_arm64_gb_second", "Lambda duration (arm64, GB-s)"),
    "dynamodb_rru": ("dynamodb_read_request_unit", "DynamoDB read request units"),
    "dynamodb_wru": ("dynamodb_write_request_unit", "DynamoDB write request units"),
    "sfn_transitions": ("step_functions_transition", "Step Functions state transitions"),
    "s3_put_requests": ("s3_put_request", "S3 PUT/COPY/POST/LIST requests"),
    "s3_get_requests": ("s3_get_request", "S3 GET/HEAD requests"),
    "kms_signs": ("kms_asymmetric_request", "KMS Sign (ECC) requests"),
    "ses_emails": ("ses_email", "SES e-mails"),
    "sqs_requests": ("sqs_request", "SQS requests"),
    "cognito_mau": ("cognito_mau", "Cognito monthly active users"),
    "cloudfront_requests": ("cloudfront_https_request", "CloudFront HTTPS requests"),
    "cloudfront_gb": ("cloudfront_gb_out", "CloudFront data out (GB)"),
}
SEPARATE = {
    "sms_messages": ("sms_indonesia_message", "SMS (Indonesia)"),
    "s3_storage_gb_month": ("s3_storage_gb_month", "S3 storage (GB-month, first month)"),
    "dynamodb_storage_gb_month": ("dynamodb_storage_gb_month", "DynamoDB storage (GB-month)"),
}
# What would lower each line, for the three largest.
LOWER = {
    "api_requests": "fewer round trips per screen (one request per screen: e.g. the draft's sections saved together)",
    "lambda_invocations": "fewer requests per screen, and batching the notifier's queue (batch size > 1)",
    "lambda_gb_seconds": "less time per request (fewer AWS calls in series: the submission's 21) and MemorySize "
    "sized to the measured peaks; the durations here are the local stack's, under load, so an upper bound",
    "dynamodb_rru": "projecting only listed attributes into the indexes, eventually consistent reads where "
    "a second's staleness is fine",
    "dynamodb_wru": "smaller items on every draft write (sections in their own items instead of rewriting the "
    "whole application), fewer index copies (KEYS_ONLY/INCLUDE projections), fewer transactions (2x units)",
    "sfn_transitions": "fewer Pass/Choice states in the approval flow, or an Express workflow for the short "
    "synchronous parts",
    "s3_put_requests": "no copy step after the upload check (check the object where it landed)",
    "s3_get_requests": "checking uploads from the object's first bytes (a ranged GET) rather than HEAD + GET",
    "kms_signs": "nothing: one signature per permit",
    "ses_emails": "fewer notification e-mails per application (the Inbox carries the rest)",
    "sqs_requests": "batching messages to the notifier",
    "cognito_mau": "nothing per application: an applicant is one MAU however many requests; the first "
    "10,000 MAU a month are free (no end date), which covers an office with fewer applicants a month",
    "cloudfront_requests": "longer cache lifetimes for the hashed static files (one visit's files fetched once)",
    "cloudfront_gb": "smaller pages (see the weight figures)",
}


def load_prices(path: Path = PRICES_PATH) -> dict[str, dict[str, Any]]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def unit_price(prices: dict[str, dict[str, Any]], key: str) -> float:
    price = prices[key]
    return float(price["usd"]) / float(price["per"])


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    quantity: float  # per 1,000 applications (or per idle month)
    usd: float
    region: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.name,
            "key": self.key,
            "quantity": round(self.quantity, 3),
            "usd": round(self.usd, 4),
            "price_region": self.region,
        }


def lines_for(
    usage_per_application: dict[str, float], prices: dict[str, dict[str, Any]], table: dict[str, tuple[str, str]]
) -> list[Line]:
    found = []
    for key, (price_key, name) in table.items():
        quantity = usage_per_application.get(key, 0.0) * APPLICATIONS
        found.append(Line(key, name, quantity, quantity * unit_price(prices, price_key), prices[price_key]["region"]))
    return found


def per_thousand(usage_per_application: dict[str, float], prices: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every line for 1,000 applications, the total without SMS and storage, the top three."""
    lines = sorted(lines_for(usage_per_application, prices, LINES), key=lambda line: line.usd, reverse=True)
    separate = lines_for(usage_per_application, prices, SEPARATE)
    total = sum(line.usd for line in lines)
    return {
        "lines": [line.as_dict() for line in lines],
        "separate_lines": [line.as_dict() for line in separate],
        "total_usd": round(total, 4),
        "target_usd": TARGET_USD,
        "met": total <= TARGET_USD,
        "top_three": [
            {"line": line.name, "usd": round(line.usd, 4), "lower_by": LOWER[line.key]} for line in lines[:3]
        ],
    }


def lambda_gb_seconds(durations_ms_and_memory_mb: list[tuple[float, int]]) -> float:
    """GB-s as Lambda bills them: each invocation's duration rounded up to the millisecond."""
    return sum(math.ceil(ms) / 1000 * memory / 1024 for ms, memory in durations_ms_and_memory_mb)


def idle_month(resources: dict[str, int], prices: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the template bills in a month with no traffic: keys, alarms, a web ACL, the queue
    pollers of its event source mappings and its schedules' invocations."""
    polls = resources.get("sqs_event_source_mappings", 0) * POLLERS_PER_QUEUE * POLLS_PER_MINUTE * MINUTES_PER_MONTH
    items = [
        ("kms_keys", "KMS keys", resources.get("kms_keys", 0), "kms_key_month"),
        ("alarm_metrics", "CloudWatch alarm metrics", resources.get("alarm_metrics", 0), "cloudwatch_alarm_month"),
        ("web_acls", "WAF web ACLs", resources.get("web_acls", 0), "waf_web_acl_month"),
        ("queue_polls", "SQS requests of idle event source mappings", polls, "sqs_request"),
        (
            "scheduled_invocations",
            "scheduled Lambda invocations",
            resources.get("scheduled_invocations", 0),
            "lambda_request",
        ),
    ]
    lines = [
        Line(key, name, quantity, quantity * unit_price(prices, price), prices[price]["region"])
        for key, name, quantity, price in items
    ]
    total = sum(line.usd for line in lines)
    # What AWS's always-free allowances (every account, no end date) take off; the target is
    # judged on the list price, as an account with other stacks may have used them up.
    free = sum(
        min(line.quantity, float(prices[price].get("free_per_month", 0))) * unit_price(prices, price)
        for line, (_, _, _, price) in zip(lines, items, strict=True)
    )
    return {
        "lines": [line.as_dict() for line in lines],
        "total_usd": round(total, 2),
        "after_always_free_usd": round(total - free, 2),
        "target_usd": IDLE_TARGET_USD,
        "met": total < IDLE_TARGET_USD,
        "not_counted": "storage (tables, PITR, documents, logs) grows with use; the schedules' few "
        "milliseconds of duration",
    }


def template_resources(sam: dict[str, Any]) -> dict[str, int]:
    """What of the template bills by the month, counted from its resources."""
    resources = sam.get("Resources", {}).values()
    counts = {
        "kms_keys": 0,
        "alarm_metrics": 0,
        "web_acls": 0,
        "sqs_event_source_mappings": 0,
        "scheduled_invocations": 0,
    }
    for resource in resources:
        kind = resource.get("Type")
        if kind == "AWS::KMS::Key":
            counts["kms_keys"] += 1
        elif kind == "AWS::CloudWatch::Alarm":
            # CloudWatch bills an alarm per metric it reads: a metric-math alarm pays for each.
            metrics = resource.get("Properties", {}).get("Metrics")
            counts["alarm_metrics"] += sum(1 for m in metrics if "MetricStat" in m) if metrics else 1
        elif kind == "AWS::WAFv2::WebACL":
            counts["web_acls"] += 1
        elif kind == "AWS::Serverless::Function":
            for event in (resource.get("Properties", {}).get("Events") or {}).values():
                if event.get("Type") == "SQS":
                    counts["sqs_event_source_mappings"] += 1
                elif event.get("Type") in ("Schedule", "ScheduleV2"):
                    counts["scheduled_invocations"] += runs_per_month(event.get("Properties", {}))
    return counts


def runs_per_month(properties: dict[str, Any]) -> int:
    """Runs a month of a schedule: rate(n unit) exactly, a cron expression as daily."""
    expression = str(properties.get("Schedule") or properties.get("ScheduleExpression") or "")
    if expression.startswith("rate("):
        amount, unit = expression[5:-1].split()
        minutes = {"minute": 1, "hour": 60, "day": 1440}[unit.rstrip("s")]
        return math.ceil(MINUTES_PER_MONTH / (int(amount) * minutes))
    return 30
