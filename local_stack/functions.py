"""Running the template's Lambda handlers in this process, as Lambda would.

Each function runs as if in its own container: with the environment the template gives it
(resolved by moto's CloudFormation) and its own copy of the project's modules (the shared
package's caches, logger and metrics included), swapped into ``sys.modules`` while it runs.
The environment and ``sys.modules`` are per process, so invocations take turns.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from local_stack.template import FunctionSpec

_INVOCATION_LOCK = threading.RLock()


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    deadline: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _modules_under(roots: tuple[str, ...]) -> dict[str, ModuleType]:
    return {
        name: module
        for name, module in list(sys.modules.items())
        if (getattr(module, "__file__", None) or "").startswith(roots)
    }


class LocalFunction:
    def __init__(
        self,
        spec: FunctionSpec,
        physical_name: str,
        environment: dict[str, str],
        base_environment: dict[str, str],
        region: str,
        account_id: str,
        code_roots: list[Path],
    ):
        self.spec = spec
        self._roots = tuple(str(root) for root in code_roots)
        self._own_modules: dict[str, ModuleType] = {}
        self.physical_name = physical_name
        self.environment = {**base_environment, **environment, "AWS_LAMBDA_FUNCTION_NAME": physical_name}
        self.arn = f"arn:aws:lambda:{region}:{account_id}:function:{physical_name}"
        self._module: ModuleType | None = None
        self.cold_start_seconds: float | None = None

    def _apply_environment(self) -> None:
        for key in [k for k in os.environ if k.startswith(("POWERTOOLS_", "AWS_LAMBDA_"))]:
            del os.environ[key]
        os.environ.update(self.environment)

    def _load(self) -> ModuleType:
        started = time.perf_counter()
        code_dir = str(self.spec.code_dir)
        if code_dir not in sys.path:
            sys.path.insert(0, code_dir)
        module_name = f"local_lambda_{self.spec.logical_id}"
        loader_spec = importlib.util.spec_from_file_location(module_name, self.spec.module_path)
        if loader_spec is None or loader_spec.loader is None:
            raise ImportError(f"Cannot load {self.spec.module_path}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        loader_spec.loader.exec_module(module)
        self.cold_start_seconds = time.perf_counter() - started
        return module

    def invoke(self, event: dict[str, Any]) -> Any:
        with _INVOCATION_LOCK:
            others = _modules_under(self._roots)
            for name in others:
                del sys.modules[name]
            sys.modules.update(self._own_modules)
            try:
                self._apply_environment()
                if self._module is None:
                    self._module = self._load()
                handler = getattr(self._module, self.spec.entry_point)
                context = LambdaContext(
                    function_name=self.physical_name,
                    memory_limit_in_mb=self.spec.memory,
                    invoked_function_arn=self.arn,
                    aws_request_id=str(uuid.uuid4()),
                    deadline=time.monotonic() + self.spec.timeout,
                )
                return handler(event, context)
            finally:
                self._own_modules = _modules_under(self._roots)
                for name in self._own_modules:
                    del sys.modules[name]
                sys.modules.update(others)


def add_to_path(directories: list[Path]) -> None:
    for directory in reversed(directories):
        if str(directory) not in sys.path:
            sys.path.insert(0, str(directory))
