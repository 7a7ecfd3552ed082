"""One cold start, as a new Lambda container has it: this process imports one handler and
serves one event, then prints its answer's status and its peak memory.

    python benchmarks/first_answer.py <handler file> <entry point> <event file> <memory MB>

The caller sets the function's environment and ``sys.path`` (``BENCH_PATHS``) and times the
whole process from its start to the line printed here (``BENCH_WATCH_MODULES``: module names
whose presence the line reports).
"""

import importlib.util
import json
import os
import resource
import sys
import time
import uuid


class Context:
    def __init__(self, memory: int):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bench")
        self.memory_limit_in_mb = memory
        self.invoked_function_arn = f"arn:aws:lambda:ap-southeast-3:123456789012:function:{self.function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.function_version = "$LATEST"
        self.log_group_name = ""
        self.log_stream_name = "bench"
        self._deadline = time.monotonic() + 30

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def peak_memory_mb() -> float:
    """This process's peak resident memory. Linux keeps ru_maxrss across exec, so a process
    started by a large parent would report the parent's; VmHWM is this program's own."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    module_path, entry_point, event_path, memory = sys.argv[1:5]
    sys.path[:0] = os.environ["BENCH_PATHS"].split(os.pathsep)
    spec = importlib.util.spec_from_file_location("handler", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with open(event_path, encoding="utf-8") as file:
        event = json.load(file)
    try:
        answer = getattr(module, entry_point)(event, Context(int(memory)))
        outcome = str(answer.get("statusCode", "ok")) if isinstance(answer, dict) else "ok"
    except Exception as error:
        outcome = f"raised {type(error).__name__}"
    # What a real first request imports (heavy libraries kept out of the module for the API
    # console's sake) is part of the cold start even when the sample event ends before it.
    for name in getattr(module, "FIRST_REQUEST_IMPORTS", ()):
        importlib.import_module(name)
    peak_mb = peak_memory_mb()
    # The handler's logs went to stdout before this line; the caller reads the last one.
    watched = [m for m in os.environ.get("BENCH_WATCH_MODULES", "").split(",") if m]
    loaded = sorted(m for m in watched if m in sys.modules)
    sys.stdout.write(
        "\n" + json.dumps({"bench": True, "outcome": outcome, "peak_mb": peak_mb, "loaded": loaded}) + "\n"
    )
    sys.stdout.flush()


main()
