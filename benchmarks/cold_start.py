"""Cold start to the first answer: what a user waits for when a new container serves them.

For each function of the template, a fresh Python process imports its handler and serves its
sample event from ``events/`` against the local stack's emulator (the stack's tables, queues
and keys, the function's own environment), timed from outside, from the process's start to
its answer; ``RUNS`` times, interleaved with a baseline measured the same way (a Powertools
HTTP resolver with validation, one pydantic model, one boto3 DynamoDB GetItem:
``benchmarks/baseline/app.py``). The machine is shared and noisy, so the figures that count
are the ratios of medians to the baseline's median. Peak memory (max RSS) is compared with
half the function's MemorySize.

The code runs as ``make build`` ships it and as Lambda runs it: each function's folder and
each layer copied on their own, compiled to bytecode once (unchecked-hash ``.pyc``, as the
build does after ``sam build``), and never written to at run time (``/var/task`` and ``/opt``
are read-only: ``PYTHONDONTWRITEBYTECODE``). The baseline's file gets the same treatment; the
libraries (boto3, Powertools, pydantic, ...) come compiled from the environment for both.

A function over its target gets the reason: the top-level imports that cost it most
(``python -X importtime``).
"""

from __future__ import annotations

import compileall
import json
import os
import py_compile
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from local_stack import template

RUNS = 7
TARGET_EACH = 1.0  # x the baseline
TARGET_MEDIAN = 0.8
EXPLAINED = 3  # functions over target whose heaviest imports are listed
ROOT = template.ROOT
EVENTS = ROOT / "events"
PROBE = Path(__file__).with_name("first_answer.py")
BASELINE = Path(__file__).with_name("baseline") / "app.py"


def sample_event(spec: template.FunctionSpec) -> Path | None:
    """The function's sample event: a GET route's if it has one, else its first route's, else
    the one named after its folder (queue, S3, schedule, Step Functions task)."""
    routes = {r.route_key for r in spec.routes}
    found = []
    for path in sorted(EVENTS.glob("*.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        if event.get("routeKey") in routes:
            found.append((not event["routeKey"].startswith("GET "), path))
    if found:
        return min(found)[1]
    prefix = spec.code_dir.name.replace("_", "-") + "-"
    named = [p for p in sorted(EVENTS.glob(prefix + "*.json")) if "routeKey" not in p.read_text(encoding="utf-8")]
    return named[0] if named else None


def baseline_event(tmp: Path) -> Path:
    event = json.loads((EVENTS / "catalogue-get-catalogue-izin.json").read_text(encoding="utf-8"))
    event.update(routeKey="GET /baseline/{item_id}", rawPath="/baseline/contoh")
    event["requestContext"].update(routeKey="GET /baseline/{item_id}")
    event["requestContext"]["http"]["path"] = "/baseline/contoh"
    event["pathParameters"] = {"item_id": "contoh"}
    path = tmp / "baseline-event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


class Subject:
    """One thing to start cold: a function of the template, or the baseline."""

    def __init__(self, name: str, module: Path, entry: str, event: Path, memory: int, env: dict[str, str]):
        self.name = name
        self.module = module
        self.entry = entry
        self.event = event
        self.memory = memory
        self.env = env
        self.seconds: list[float] = []
        self.peak_mb = 0.0
        self.outcome = ""

    def command(self, *flags: str) -> list[str]:
        return [sys.executable, *flags, str(PROBE), str(self.module), self.entry, str(self.event), str(self.memory)]

    def run_once(self) -> None:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and files
            self.command(), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        answer = None
        for line in process.stdout:
            if line.startswith('{"bench"'):
                answer = json.loads(line)
                self.seconds.append(time.perf_counter() - started)
                break
        process.stdout.read()
        process.wait()
        if answer is None:
            raise RuntimeError(f"{self.name} gave no answer (exit {process.returncode})")
        self.peak_mb = max(self.peak_mb, answer["peak_mb"])
        self.outcome = answer["outcome"]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    def heaviest_imports(self, count: int = 5) -> list[str]:
        """The top-level imports that cost most, with their cumulative milliseconds."""
        process = subprocess.run(  # noqa: S603
            self.command("-X", "importtime"), env=self.env, capture_output=True, text=True, check=False
        )
        costs: dict[str, int] = {}
        for line in process.stderr.splitlines():
            match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
            if match:  # unindented names are imported by the handler itself, not by another module
                name = match.group(2).split(".")[0]
                costs[name] = costs.get(name, 0) + int(match.group(1))
        ranked = sorted(costs.items(), key=lambda kv: kv[1], reverse=True)[:count]
        return [f"{name} {us / 1000:.0f} ms" for name, us in ranked]


def shipped(source: Path, dest: Path) -> Path:
    """``source`` copied as the build copies it (no bytecode of the working tree)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def compile_shipped(build: Path) -> None:
    """Bytecode for everything copied, as ``make build`` compiles its output."""
    if not compileall.compile_dir(
        build, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH, workers=1
    ):
        raise RuntimeError(f"some code under {build} does not compile")


def subjects(stack: Any, tmp: Path, items: Any) -> tuple[Subject, list[Subject]]:
    from local_stack.stack import FAKE_CREDENTIALS

    sam = template.load_sam_template()
    build = tmp / "build"
    layers = [str(shipped(d, build / "layers" / f"{n}-{d.name}")) for n, d in enumerate(template.layer_dirs(sam))]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
    base.update(FAKE_CREDENTIALS)
    base.update(AWS_ENDPOINT_URL=stack.moto_url, AWS_ENDPOINT_URL_S3=stack.url, PYTHONUNBUFFERED="1")
    base["PYTHONDONTWRITEBYTECODE"] = "1"  # read-only code, as in Lambda
    found = []
    for spec in template.functions(sam):
        event = sample_event(spec)
        if event is None:
            continue
        code = shipped(spec.code_dir, build / spec.logical_id)
        env = {
            **base,
            **stack.provisioned.function_environments.get(spec.logical_id, {}),
            "AWS_LAMBDA_FUNCTION_NAME": stack.provisioned.physical_ids[spec.logical_id],
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "BENCH_PATHS": os.pathsep.join([str(code), *layers]),
        }
        module = code / spec.module_path.relative_to(spec.code_dir)
        found.append(Subject(spec.logical_id, module, spec.entry_point, event, spec.memory, env))
    table = stack.provisioned.physical_ids["CatalogueTable"]
    key = {name: {"S": "contoh"} for name in items.key_names(table)}
    baseline_env = {**base, "BASELINE_TABLE": table, "BASELINE_KEY": json.dumps(key), "BENCH_PATHS": ""}
    baseline_module = shipped(BASELINE.parent, build / "baseline") / BASELINE.name
    compile_shipped(build)
    baseline = Subject("baseline", baseline_module, "lambda_handler", baseline_event(tmp), 256, baseline_env)
    return baseline, found


def run(stack: Any, tmp: Path, items: Any, runs: int = RUNS) -> dict[str, Any]:
    baseline, functions = subjects(stack, tmp, items)
    for _ in range(runs):  # interleaved, so a busy moment of the machine touches every subject
        for subject in (baseline, *functions):
            subject.run_once()
    base_ms = baseline.median_ms
    rows = []
    for subject in functions:
        ratio = subject.median_ms / base_ms
        row = {
            "function": subject.name,
            "event": subject.event.name,
            "answer": subject.outcome,
            "median_ms": round(subject.median_ms, 1),
            "ratio": round(ratio, 2),
            "peak_mb": round(subject.peak_mb, 1),
            "memory_size_mb": subject.memory,
            "memory_met": subject.peak_mb < subject.memory / 2,
            "met": ratio <= TARGET_EACH,
        }
        rows.append(row)
    # Why, for the three slowest over their target (each -X importtime run is one more cold start).
    slowest = sorted((r for r in rows if not r["met"]), key=lambda r: r["ratio"], reverse=True)[:EXPLAINED]
    for row in slowest:
        row["heaviest_imports"] = next(s for s in functions if s.name == row["function"]).heaviest_imports()
    median_ratio = round(statistics.median(r["ratio"] for r in rows), 2)
    return {
        "runs": runs,
        "baseline": {
            "median_ms": round(base_ms, 1),
            "peak_mb": round(baseline.peak_mb, 1),
            "answer": baseline.outcome,
            "heaviest_imports": baseline.heaviest_imports(),
        },
        "functions": rows,
        "median_ratio": median_ratio,
        "target_each": TARGET_EACH,
        "target_median": TARGET_MEDIAN,
        "met": median_ratio <= TARGET_MEDIAN and all(r["met"] for r in rows),
    }
