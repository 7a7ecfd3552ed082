"""`make bench`: speed, cost and scale, measured on the local stack, side by side with targets.

    python -m benchmarks            # everything (a few minutes)
    python -m benchmarks --skip weight --skip cold_start   # those two keep their last figures

Prints a table, writes ``benchmarks/results.json`` with every figure and rewrites the
README's "Measured" section (between its markers) from it. Exit status 1 when a target is
missed (the table says which, why and what next).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import cold_start, cost, growth, journey, report, weight
from benchmarks.counters import AwsCallCounter, by_route
from local_stack import template

RESULTS = Path(__file__).with_name("results.json")
LOG = template.ROOT / ".aws-sam" / "bench" / "handlers.log"
PARTS = ("cold_start", "weight", "growth")


def usage_per_application(found: journey.Journey, stack: Any, pages: dict[str, Any], api_bytes: int) -> dict:
    """What the one application of the journey used, in the units AWS bills."""
    memory = {name: function.spec.memory for name, function in stack.functions.items()}
    calls = [c for i in found.invocations for c in i.calls]

    def count(service: str, *operations: str) -> int:
        return sum(1 for c in calls if c.service == service and (not operations or c.operation in operations))

    api_requests = sum(1 for i in found.invocations if " /api" in i.label)
    static_requests = sum(p["requests"] for p in pages.values())
    static_bytes = sum(p["bytes"] for p in pages.values())
    return {
        "api_requests": api_requests,
        "lambda_invocations": len(found.invocations),
        "lambda_gb_seconds": cost.lambda_gb_seconds(
            [(i.seconds * 1000, memory[i.function]) for i in found.invocations]
        ),
        "dynamodb_rru": sum(i.rru for i in found.invocations),
        "dynamodb_wru": sum(i.wru for i in found.invocations),
        "sfn_transitions": found.transitions,
        "s3_put_requests": count("s3", "PutObject", "CopyObject", "ListObjectVersions", "ListObjectsV2")
        + found.s3.puts,
        "s3_get_requests": count("s3", "GetObject", "HeadObject") + found.s3.gets,
        "kms_signs": count("kms", "Sign"),
        "ses_emails": count("ses", "SendEmail", "SendRawEmail"),
        "sms_messages": count("sns", "Publish"),
        # each message sent is also received and deleted by its event source mapping
        "sqs_requests": 3 * count("sqs", "SendMessage"),
        "cognito_mau": 1,
        "cloudfront_requests": api_requests + static_requests,
        "cloudfront_gb": (api_bytes + static_bytes) / 1024**3,
        "s3_storage_gb_month": 2 * found.uploaded_bytes / 1024**3,
    }


def aws_calls(found: journey.Journey) -> dict[str, Any]:
    routes = [r.as_dict() for r in by_route(found.invocations)]
    for route in routes:
        applicant = route["route"].split(" ", 1)[-1].startswith("/api/") and not route["route"].split(" ", 1)[
            -1
        ].startswith(journey.OFFICER_PREFIXES)
        route["applicant_request"] = applicant
        route["met"] = route["scans"] == 0 and (not applicant or route["max_aws_calls_in_one_request"] <= 4)
        if not route["met"]:
            route["reason"], route["next_step"] = report.why_calls(route)
    steps = [
        {
            "step": name,
            "invocations": len(invocations),
            "aws_calls": sum(len(i.calls) for i in invocations),
            "rru": round(sum(i.rru for i in invocations), 2),
            "wru": round(sum(i.wru for i in invocations), 2),
        }
        for name, invocations in found.steps
    ]
    invocations = found.invocations
    return {
        "routes": routes,
        "steps": steps,
        "totals": {
            "invocations": len(invocations),
            "aws_calls": sum(len(i.calls) for i in invocations),
            "rru": round(sum(i.rru for i in invocations), 2),
            "wru": round(sum(i.wru for i in invocations), 2),
            "scans": sum(r["scans"] for r in routes),
            "step_functions_transitions": found.transitions,
            "browser_s3_requests": found.s3.puts + found.s3.gets,
        },
        "survey": found.survey,
        "targets": {"scans": 0, "max_calls_per_applicant_request": 4},
        "met": all(r["met"] for r in routes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--skip", action="append", choices=PARTS, default=[])
    parser.add_argument("--runs", type=int, default=cold_start.RUNS, help="cold starts per function (>= 7)")
    args = parser.parse_args(argv)

    from local_stack import LocalStack
    from tests.conftest import Api

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    LOG.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    items = None
    counter = AwsCallCounter()
    s3 = journey.S3Traffic()
    results: dict[str, Any] = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "command": "make bench",
    }
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    for part in args.skip:  # a part not measured now keeps its last figures, and says when they were taken
        if part in previous:
            results[part] = {"measured_at": previous["measured_at"], **previous[part]}
    # The handlers log to stdout; their lines go to a file so the table stays readable.
    with open(LOG, "w", encoding="utf-8") as log, contextlib.redirect_stdout(log), tempfile.TemporaryDirectory() as tmp:
        stack = LocalStack(port=0, log_level="WARNING")
        try:
            stack.start()
            items = journey.MotoItems()
            counter.capacity.items = items
            counter.install()
            s3.install()
            api = Api(stack.url)
            api_bytes = [0]
            api.session.hooks["response"].append(
                lambda r, *a, **k: api_bytes.__setitem__(0, api_bytes[0] + len(r.content))
            )
            progress("journey")
            found = journey.run(stack, api, counter, s3)
            journey_api_bytes = api_bytes[0]
            results["aws_calls"] = aws_calls(found)
            if "weight" not in args.skip:
                progress("weight")
                results["weight"] = weight.run(stack.url)
            add_cost(results, found, stack, journey_api_bytes)
            save(results)
            # Before the growth: the copies of 10,000 applicants would slow moto's answers to every function.
            if "cold_start" not in args.skip:
                progress("cold start")
                results["cold_start"] = cold_start.run(stack, Path(tmp), items, max(args.runs, 1))
                save(results)
            if "growth" not in args.skip:
                progress("growth")
                journey.leave_one_waiting(api, found)
                officer_tokens = {role: found.officers.token(role) for role in ("verifikator", "kepala")}
                results["growth"] = growth.run(stack, api, counter, found, items, officer_tokens)
                add_cost(results, found, stack, journey_api_bytes)
                save(results)
        finally:
            counter.uninstall()
            stack.stop()
    results["run_seconds"] = round(time.monotonic() - started)
    save(results)
    print(report.table(results))
    report.update_readme(results)
    print(
        f"\nwrote {RESULTS.relative_to(template.ROOT)} and the README's Measured section ({results['run_seconds']} s)"
    )
    return 0 if report.all_met(results) else 1


def save(results: dict[str, Any]) -> None:
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def add_cost(results: dict[str, Any], found: journey.Journey, stack: Any, api_bytes: int) -> None:
    """The cost lines from the journey's counts (and the pages' weight and the applicant's
    stored bytes, once measured)."""
    pages = results.get("weight", {}).get("pages", {})
    usage = usage_per_application(found, stack, pages, api_bytes)
    if "growth" in results:
        usage["dynamodb_storage_gb_month"] = results["growth"]["bytes_per_applicant"] / 1024**3
    prices = cost.load_prices()
    results["cost"] = {
        "usage_per_application": {k: round(v, 6) for k, v in usage.items()},
        "per_1000_applications": cost.per_thousand(usage, prices),
        "idle_month": cost.idle_month(cost.template_resources(template.load_sam_template()), prices),
        "prices": str(cost.PRICES_PATH.relative_to(template.ROOT)),
    }


def progress(what: str) -> None:
    print(f"bench: {what}...", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
