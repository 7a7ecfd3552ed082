"""Cold-start cost of every function: import time and memory of a fresh interpreter.

Each handler module is imported in a new Python process (as a new Lambda container would),
with the modules it names in ``FIRST_REQUEST_IMPORTS`` (imported by its first request),
several times; the median import time and the peak memory are compared with budgets.
Exit status 1 when a function is over budget.

    make bench
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from local_stack import template

RUNS = 7
IMPORT_BUDGET_MS = 600  # the handler module, with the shared layer and Powertools
MEMORY_BUDGET_MB = 128  # peak RSS after import, within the smallest function's 256 MB
# A heavy library lives only in the function whose one job needs it (docs: style.md), and
# that function's budget says what it costs: fpdf2 (with fontTools and Pillow) and segno
# add about 400 ms of CPU to the receipt PDF's first request. The issuance task carries the
# same libraries for the permit PDF, and boto3 for its KMS, S3 and DynamoDB calls on top.
IMPORT_BUDGETS_MS = {"ReceiptFunction": 1100, "IssuanceFunction": 1300}

PROBE = """
import importlib.util, json, resource, sys, time
sys.path[:0] = {paths!r}
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler", {module!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
# What a handler imports on its first request instead (heavy libraries kept out of the
# module for the API console's sake) is part of its cold start all the same.
for name in getattr(module, "FIRST_REQUEST_IMPORTS", ()):
    importlib.import_module(name)
elapsed = time.perf_counter() - started
print(json.dumps({{"ms": elapsed * 1000, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(spec: template.FunctionSpec, layers: list[str]) -> tuple[float, float]:
    code = PROBE.format(paths=[str(spec.code_dir), *layers], module=str(spec.module_path))
    samples = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
        samples.append(json.loads(out.stdout))
    return statistics.median(s["ms"] for s in samples), max(s["mb"] for s in samples)


def main() -> int:
    sam = template.load_sam_template()
    layers = [str(d) for d in template.layer_dirs(sam)]
    print(f"{'function':<22}{'import (median of ' + str(RUNS) + ')':>24}{'peak memory':>14}")
    over = []
    for spec in template.functions(sam):
        ms, mb = measure(spec, layers)
        budget = IMPORT_BUDGETS_MS.get(spec.logical_id, IMPORT_BUDGET_MS)
        flag = "" if ms <= budget and mb <= MEMORY_BUDGET_MB else f"  OVER BUDGET (import <= {budget} ms)"
        if flag:
            over.append(spec.logical_id)
        print(f"{spec.logical_id:<22}{ms:>21.0f} ms{mb:>11.0f} MB{flag}")
    print(f"budgets: import <= {IMPORT_BUDGET_MS} ms (unless named below), memory <= {MEMORY_BUDGET_MB} MB")
    for name, budget in IMPORT_BUDGETS_MS.items():
        print(f"  {name}: import <= {budget} ms")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
