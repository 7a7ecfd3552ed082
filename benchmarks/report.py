"""The bench's results as a table for the terminal and a section for the README: each figure
beside its target, and for a missed target the reason and the next step."""

from __future__ import annotations

import re
from typing import Any

from local_stack import template

README = template.ROOT / "README.md"
START, END = "<!-- measured:start -->", "<!-- measured:end -->"

# Why an applicant route makes more AWS calls than its target, and what would bring it down
# (read only for a route over its target; none is today).
CALL_NOTES: dict[str, tuple[str, str]] = {}


# Why a function's cold start to its first answer is over the baseline (the sample event's
# route), and what would bring it down.
COLD_NOTES = {
    "ReceiptFunction": (
        "the first answer renders the receipt with fpdf2, whose import (fontTools, Pillow, cryptography for "
        "its signing module, its SVG and HTML modules) is about half the baseline by itself",
        "SnapStart on the python3.12 runtime (the import happens before the snapshot), or a smaller "
        "maintained PDF library measured against fpdf2 (the page uses only Helvetica, lines and filled squares)",
    ),
    "IssuanceFunction": (
        "the first task renders the permit with fpdf2 and segno (fpdf2's import is about half the baseline), "
        "then signs with KMS and stores in S3",
        "the receipt's: SnapStart, or a smaller maintained PDF library",
    ),
    "AuthFunction": (
        "its sample event is the security-code image, drawn by captcha with Pillow and a TrueType font",
        "pre-draw a pool of images at build time, or give the image route a function of its own",
    ),
    "NotifierFunction": (
        "one event goes to the Inbox table, SES, SNS and the report counters (four clients and their calls) "
        "through Powertools' batch processor",
        "nothing cheap: the channels are the function's work",
    ),
}
COLD_REST = (
    "The others import the baseline's libraries plus their package's models, whose fields pydantic still "
    "collects at import (the workflow functions about 50 models), and make two to four AWS calls (the "
    "caller's session, then the route's reads) where the baseline makes one. On this shared machine a "
    "median moves by 10-30% between runs of the same code (the baseline's between 690 and 1010 ms over "
    "three runs), and the baseline's moves every ratio with it: these functions measured 0.85x-1.35x",
    "fewer models per module, so a route imports the models it answers with; more runs (--runs) for a "
    "steadier baseline",
)


def why_cold(over: list[dict[str, Any]]) -> str:
    known = [r["function"] for r in over if r["function"] in COLD_NOTES]
    notes = [f"{name}: {COLD_NOTES[name][0]}; next: {COLD_NOTES[name][1]}" for name in known]
    if any(r["function"] not in COLD_NOTES for r in over):
        notes.append(f"{COLD_REST[0]}; next: {COLD_REST[1]}")
    return ". ".join(notes)


def why_calls(route: dict[str, Any]) -> tuple[str, str]:
    if route["scans"]:
        return "a Scan in a request path", "a Query on an index keyed by what the route looks up"
    known = CALL_NOTES.get(route["route"])
    if known:
        return known
    operations = ", ".join(f"{n}x {op}" for op, n in route["calls_by_operation"].items())
    return f"{operations} over {route['requests']} request(s)", "fold the reads into one BatchGetItem"


def _mark(met: bool) -> str:
    return "met" if met else "MISSED"


def _worst(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return max(rows, key=lambda r: r[key])


def summary_rows(results: dict[str, Any]) -> list[tuple[str, str, str, bool, str]]:
    """(what, target, measured, met, reason and next step) for every target of the issue."""
    rows = []
    cold = results.get("cold_start")
    if cold:
        functions = cold["functions"]
        worst = _worst(functions, "ratio")
        base = cold["baseline"]["median_ms"]
        over = [f"{r['function']} {r['ratio']}x" for r in functions if not r["met"]]
        rows.append(
            (
                "cold start to first answer, every function",
                "<= 1.0x baseline",
                f"worst {worst['function']} {worst['ratio']}x ({worst['median_ms']:.0f} ms; baseline {base:.0f} ms)",
                not over,
                ""
                if not over
                else f"over: {', '.join(over)}. Heaviest imports of the worst: "
                f"{', '.join(worst.get('heaviest_imports', []))}. " + why_cold([r for r in functions if not r["met"]]),
            )
        )
        rows.append(
            (
                "cold start, median function",
                "<= 0.8x baseline",
                f"{cold['median_ratio']}x",
                cold["median_ratio"] <= cold["target_median"],
                ""
                if cold["median_ratio"] <= cold["target_median"]
                else "the baseline is mostly boto3 (its import is a third to half of the baseline's time here, "
                "awscrt and pyOpenSSL included, which this environment has and Lambda's runtime has not), and every "
                "function needs boto3, Powertools' resolver with validation and pydantic as well: 0.8x asks each "
                "function to skip a fifth of the least a handler does. Measured as the build ships the code "
                "(compiled to bytecode, read-only); the console serves a document built at build time, tables "
                "share one client, clients are made on first use, models build on first use, the holiday "
                "calendar is a shipped table. Next: the python3.12 runtime and SnapStart on published versions "
                "(Lambda restores a snapshot taken after the imports; SnapStart is offered in Jakarta)",
            )
        )
        heavy = _worst(functions, "peak_mb")
        over_memory = [r["function"] for r in functions if not r["memory_met"]]
        rows.append(
            (
                "peak memory",
                "< half MemorySize",
                f"highest {heavy['function']} {heavy['peak_mb']:.0f} MB of {heavy['memory_size_mb']} MB",
                not over_memory,
                "" if not over_memory else f"over: {', '.join(over_memory)}",
            )
        )
    calls = results.get("aws_calls")
    if calls:
        applicant = [r for r in calls["routes"] if r["applicant_request"]]
        worst = _worst(applicant, "max_aws_calls_in_one_request")
        scans = calls["totals"]["scans"]
        rows.append(("Scan in a request path", "none", f"{scans}", scans == 0, ""))
        over = [r for r in applicant if r["max_aws_calls_in_one_request"] > 4]
        rows.append(
            (
                "AWS calls of an applicant request",
                "<= 4",
                f"worst {worst['route']} {worst['max_aws_calls_in_one_request']}",
                not over,
                "; ".join(
                    f"{r['route']} ({r['max_aws_calls_in_one_request']}): {r['reason']}; next: {r['next_step']}"
                    for r in over
                ),
            )
        )
        totals = calls["totals"]
        rows.append(
            (
                "journey totals",
                "(reported)",
                f"{totals['invocations']} invocations, {totals['aws_calls']} AWS calls, {totals['rru']} RRU, "
                f"{totals['wru']} WRU, {totals['step_functions_transitions']} state transitions",
                True,
                f"survey: {calls['survey']}",
            )
        )
    grown = results.get("growth")
    if grown:
        routes = grown["routes"]
        target = grown["target_ratio"]
        own = max((r["ratio_own_ms"] or 0, name) for name, r in routes.items())
        rru = max((r["ratio_rru"] or 0, name) for name, r in routes.items())
        whole = max((r["ratio_ms"] or 0, name) for name, r in routes.items())
        own_ms = {name: r["10"]["own_ms"] for name, r in routes.items()}
        rows.append(
            (
                "10 -> 10,000 applicants: DynamoDB read units per request",
                f"<= {target}x",
                f"worst {rru[1]} {rru[0]}x",
                rru[0] <= target,
                "" if rru[0] <= target else "a route reads more as the tables grow: page it with a cursor on an index",
            )
        )
        rows.append(
            (
                "10 -> 10,000 applicants: the function's own time (request less its AWS calls)",
                f"<= {target}x",
                f"worst {own[1]} {own[0]}x ({own_ms[own[1]]:.0f} ms at 10)",
                own[0] <= target,
                ""
                if own[0] <= target
                else "the same reads (read units equal) and the same code; at tens of milliseconds the "
                "run-to-run noise of the shared machine is larger than the difference; next: repeat on a quiet "
                "machine or against a deployed stack",
            )
        )
        rows.append(
            (
                "10 -> 10,000 applicants: whole request on the local stack",
                f"<= {target}x",
                f"worst {whole[1]} {whole[0]}x",
                whole[0] <= target,
                ""
                if whole[0] <= target
                else "moto sorts a whole partition before it applies a Query's sort-key condition and "
                "limit (DynamoDB seeks to the page: the read units do not grow); next: measure against a "
                "deployed stack",
            )
        )
    costs = results.get("cost")
    if costs:
        per = costs["per_1000_applications"]
        top = "; ".join(f"{t['line']} ${t['usd']:.2f} (lower by: {t['lower_by']})" for t in per["top_three"])
        mau = next((line["usd"] for line in per["lines"] if line["key"] == "cognito_mau"), 0.0)
        top += (
            f". Cognito's first 10,000 MAU a month are free (no end date): below that the total is "
            f"${per['total_usd'] - mau:.2f}"
        )
        rows.append(
            (
                "cost per 1,000 applications (no SMS, no storage)",
                f"<= ${per['target_usd']:.2f}",
                f"${per['total_usd']:.2f}",
                per["met"],
                f"top three: {top}",
            )
        )
        sms = next(line for line in per["separate_lines"] if line["key"] == "sms_messages")
        rows.append(
            (
                "SMS per 1,000 applications",
                "(own line)",
                f"${sms['usd']:.2f} ({sms['quantity']:.0f} SMS)",
                True,
                "price not confirmed, see prices.yaml",
            )
        )
        idle = costs["idle_month"]
        billed = ", ".join(f"{line['line']} {line['quantity']:,.0f} ${line['usd']:.2f}" for line in idle["lines"])
        rows.append(
            (
                "idle month",
                f"< ${idle['target_usd']:.2f}",
                f"${idle['total_usd']:.2f} (${idle['after_always_free_usd']:.2f} after the always-free allowances)",
                idle["met"],
                f"{billed}"
                + (
                    ""
                    if idle["met"]
                    else "; the alarm metrics are one Errors alarm per function (each function's canary "
                    "rolls back on its own), write throttles per table, and one each for the API, the "
                    "account's Lambda throttles, the dead-letter queues, SES and SMS; the always-free 10 "
                    "alarm metrics and 1M SQS requests a month bring an account that runs this stack alone "
                    "under the goal; next: drop the table alarms (a throttle that matters fails a function, "
                    "whose alarm goes off) if the office accepts later warning"
                ),
            )
        )
    weighed = results.get("weight")
    if weighed:
        for name, page in weighed["pages"].items():
            rows.append(
                (
                    f"weight: {name}",
                    "<= 100 KB",
                    f"{page['bytes'] / 1024:.1f} KB in {page['requests']} requests, "
                    f"usable at {page['meaningful_paint_ms']} ms",
                    page["bytes_met"],
                    "" if page["bytes_met"] else f"largest: {', '.join(page['largest'])}",
                )
            )
        login = weighed["pages"]["login"]
        rows.append(
            (
                "login form usable (400 kbit/s, 400 ms RTT, 4x CPU)",
                "<= 3 s",
                f"{login['meaningful_paint_ms'] / 1000:.1f} s",
                login["usable_met"],
                ""
                if login["usable_met"]
                else f"the first page is already one script, its stylesheet, the API's rules and the security "
                "code (asked for by index.html, beside the script): "
                f"{login['bytes'] / 1024:.0f} KB in {login['requests']} requests take "
                f"{login['bytes'] * 8 / 400_000:.1f} s at 400 kbit/s after the page's own round trip, then the "
                "app runs on a 4x slower CPU shared with the rest of the bench (the machine's load moves this "
                "figure by a second or more); the local gateway speaks HTTP/1.1 where CloudFront speaks HTTP/2; "
                "next: a security code image of few colours (it is a fifth of the page's bytes), the login "
                "page's words apart from the whole site's, and a measure behind CloudFront",
            )
        )
    return rows


def all_met(results: dict[str, Any]) -> bool:
    return all(met for _, _, _, met, _ in summary_rows(results))


def table(results: dict[str, Any]) -> str:
    out = []
    cold = results.get("cold_start")
    if cold:
        base = cold["baseline"]
        out.append(
            f"\n1. Cold start to the first answer (median of {cold['runs']}, whole process; "
            f"baseline {base['median_ms']:.0f} ms, {base['peak_mb']:.0f} MB)"
        )
        out.append(f"{'function':<26}{'event answer':>14}{'median':>10}{'ratio':>8}{'peak MB':>9}{'of':>6}  target")
        for r in cold["functions"]:
            out.append(
                f"{r['function']:<26}{r['answer']:>14}{r['median_ms']:>8.0f}ms{r['ratio']:>7.2f}x"
                f"{r['peak_mb']:>9.0f}{r['memory_size_mb']:>6}  {_mark(r['met'] and r['memory_met'])}"
            )
        out.append(f"median ratio {cold['median_ratio']}x (target <= {cold['target_median']}x)")
    calls = results.get("aws_calls")
    if calls:
        out.append("\n2. AWS calls per request along the journey")
        out.append(f"{'route':<66}{'reqs':>5}{'calls':>7}{'max':>5}{'RRU':>7}{'WRU':>7}{'scan':>5}  target")
        for r in calls["routes"]:
            target = "" if not r["applicant_request"] else _mark(r["met"])
            out.append(
                f"{(r['route'] + ' ' + r['function'])[:65]:<66}{r['requests']:>5}"
                f"{r['aws_calls_per_request']:>7.1f}{r['max_aws_calls_in_one_request']:>5}"
                f"{r['rru'] / r['requests']:>7.1f}{r['wru'] / r['requests']:>7.1f}{r['scans']:>5}  {target}"
            )
        out.append("per step: " + "; ".join(f"{s['step']} {s['aws_calls']} calls" for s in calls["steps"]))
        t = calls["totals"]
        out.append(
            f"journey: {t['invocations']} invocations, {t['aws_calls']} AWS calls, {t['rru']} RRU, "
            f"{t['wru']} WRU, {t['step_functions_transitions']} transitions; survey: {calls['survey']}"
        )
    grown = results.get("growth")
    if grown:
        out.append(
            f"\n3. Growth: 10 -> 10,000 other applicants ({grown['items_per_applicant']} items each; "
            f"copies in {grown['setup']['10000']['seconds']} s)"
        )
        out.append(
            f"{'route':<28}{'ms':>8}{'->':>3}{'ms':>8}{'own ms':>9}{'->':>3}{'own':>7}{'RRU':>6}{'->':>3}{'RRU':>6}"
            f"{'ratio ms/own/RRU':>20}"
        )
        for name, r in grown["routes"].items():
            a, b = r["10"], r["10000"]
            out.append(
                f"{name[:27]:<28}{a['ms']:>8.0f}{'':>3}{b['ms']:>8.0f}{a['own_ms']:>9.1f}{'':>3}{b['own_ms']:>7.1f}"
                f"{a['rru']:>6.1f}{'':>3}{b['rru']:>6.1f}    {r['ratio_ms']}/{r['ratio_own_ms']}/{r['ratio_rru']}"
            )
    costs = results.get("cost")
    if costs:
        per = costs["per_1000_applications"]
        out.append("\n4. Cost per 1,000 applications (list prices, benchmarks/prices.yaml)")
        for line in per["lines"] + per["separate_lines"]:
            out.append(f"{line['line']:<44}{line['quantity']:>14,.1f}  ${line['usd']:>8.3f}  {line['price_region']}")
        out.append(f"total without SMS and storage ${per['total_usd']:.2f} (target <= ${per['target_usd']:.2f})")
        idle = costs["idle_month"]
        out.append(
            f"idle month ${idle['total_usd']:.2f}: "
            + ", ".join(f"{line['line']} ${line['usd']:.2f}" for line in idle["lines"])
        )
    weighed = results.get("weight")
    if weighed:
        out.append(f"\n5. Weight on a slow phone ({weighed['conditions']})")
        for name, page in weighed["pages"].items():
            out.append(
                f"{name:<12}{page['bytes'] / 1024:>8.1f} KB{page['requests']:>4} requests  FCP "
                f"{page['first_contentful_paint_ms']:>6} ms  usable {page['meaningful_paint_ms']:>6} ms"
            )
    out.append("\nTargets")
    for what, target, measured, met, note in summary_rows(results):
        out.append(f"- {_mark(met):<7}{what}: {measured} (target {target})" + (f"\n    {note}" if note else ""))
    return "\n".join(out)


def markdown(results: dict[str, Any]) -> str:
    lines = [
        START,
        f"Measured by `make bench` on {results['measured_at'][:10]} ({results['machine']['cpus']} shared cores; "
        "cold starts as ratios to a baseline measured in the same run). Every figure is in "
        "[benchmarks/results.json](benchmarks/results.json); prices in "
        "[benchmarks/prices.yaml](benchmarks/prices.yaml).",
        "",
        "| what | target | measured | |",
        "|---|---|---|---|",
    ]
    notes = []
    for what, target, measured, met, note in summary_rows(results):
        lines.append(f"| {what} | {target} | {measured} | {'met' if met else '**missed**'} |")
        if note and (not met or what.startswith(("cost", "idle"))):
            notes.append(f"- *{what}*: {note}")
    lines += ["", *notes, END]
    return "\n".join(lines)


def main() -> None:
    """Print the table and rewrite the README's section from benchmarks/results.json as it is."""
    import json

    results = json.loads((template.ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    print(table(results))
    update_readme(results)


def update_readme(results: dict[str, Any]) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    README.write_text(pattern.sub(lambda _: markdown(results), text, count=1), encoding="utf-8")


if __name__ == "__main__":
    main()
