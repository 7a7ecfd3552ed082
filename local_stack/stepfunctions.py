"""Step Functions on moto, running the template's state machines with the real handlers.

moto executes the ASL itself (``execute_state_machine``); two narrow patches make it serve
a template the way AWS does:
- its CloudFormation creates a state machine on the backend that executes (it used the
  other one) and applies ``DefinitionSubstitutions`` as CloudFormation does;
- a Lambda task (``arn:aws:states:::lambda:invoke``, its ``.waitForTaskToken`` form, or a
  plain function ARN) whose function is one of the template's runs that handler in this
  process instead of moto's Docker runner, with Lambda's response and error shapes, so the
  ASL's Retry and Catch see what they would see in AWS;
- an execution started without a name gets a unique one, as in AWS (moto names it "None",
  so a second such start with the same input returned the first execution);
- SendTaskFailure keeps its ``cause`` (moto dropped it), which the execution fails with.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
import uuid
from typing import Any

from local_stack.functions import LocalFunction

LOGGER = logging.getLogger("local_stack.stepfunctions")
_FUNCTIONS: dict[str, LocalFunction] = {}  # physical name -> the function that runs it


def _substituted_definition(props: dict[str, Any]) -> str:
    definition = props.get("DefinitionString")
    if definition is None:
        definition = json.dumps(props["Definition"])
    for key, value in (props.get("DefinitionSubstitutions") or {}).items():
        text = json.dumps(value) if isinstance(value, bool) else str(value)
        definition = definition.replace("${" + key + "}", text)
    return definition


def _create_from_template(
    cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **_: Any
) -> Any:
    from moto.stepfunctions.responses import get_backend
    from moto.stepfunctions.utils import cfn_to_api_tags

    props = cloudformation_json["Properties"]
    return get_backend(account_id, region_name).create_state_machine(
        props.get("StateMachineName", resource_name),
        _substituted_definition(props),
        props.get("RoleArn", ""),
        tags=cfn_to_api_tags(props.get("Tags", [])),
        sm_type=props.get("StateMachineType", "STANDARD"),
    )


def _function_name(reference: str) -> str:
    """A function's name from its name, ARN or partial ARN, with or without a qualifier."""
    if ":function:" in reference:
        return reference.split(":function:", 1)[1].split(":")[0]
    return reference.split(":")[0]


def lambda_response(function: LocalFunction, payload: Any) -> dict[str, Any]:
    """What Lambda's Invoke answers: the result, or ``FunctionError`` with Lambda's error body."""
    event = json.loads(payload) if payload else {}
    try:
        result = function.invoke(event)
        body = json.loads(json.dumps(result))
    except Exception as error:
        LOGGER.warning("Step Functions task %s raised %r", function.spec.logical_id, error, exc_info=True)
        error_type = "Runtime.MarshalError" if isinstance(error, TypeError) else type(error).__name__
        body = {
            "errorMessage": str(error),
            "errorType": error_type,
            "requestId": "",
            "stackTrace": traceback.format_tb(error.__traceback__),
        }
        return {"StatusCode": 200, "FunctionError": "Unhandled", "ExecutedVersion": "$LATEST", "Payload": body}
    return {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": body}


def install() -> None:
    """Patch moto once per process (before the stack is created)."""
    from moto.core.responses import EmptyResult
    from moto.stepfunctions.models import StateMachine
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    if getattr(lambda_eval_utils, "_local_stack_patched", False):
        return
    moto_invoke = lambda_eval_utils._invoke_lambda_function

    def invoke(parameters: dict[str, Any], region: str, state_credentials: Any) -> dict[str, Any]:
        function = _FUNCTIONS.get(_function_name(parameters["FunctionName"]))
        if function is None:
            return moto_invoke(parameters=parameters, region=region, state_credentials=state_credentials)
        if parameters.get("InvocationType") == "Event":
            threading.Thread(target=lambda_response, args=(function, parameters.get("Payload")), daemon=True).start()
            return {"StatusCode": 202, "Payload": ""}
        return lambda_response(function, parameters.get("Payload"))

    moto_start_execution = StepFunctionsParserBackend.start_execution

    def start_execution(self: Any, state_machine_arn: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        return moto_start_execution(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)

    def send_task_failure(self: Any) -> Any:
        self.stepfunction_backend.send_task_failure(
            self._get_param("taskToken"), error=self._get_param("error"), cause=self._get_param("cause")
        )
        return EmptyResult()

    StepFunctionsParserBackend.start_execution = start_execution
    StepFunctionResponse.send_task_failure = send_task_failure
    lambda_eval_utils._invoke_lambda_function = invoke
    lambda_eval_utils._local_stack_patched = True
    StateMachine.create_from_cloudformation_json = classmethod(_create_from_template)


def route_lambda_tasks(functions: dict[str, LocalFunction]) -> None:
    _FUNCTIONS.update({f.physical_name: f for f in functions.values()})


def forget_lambda_tasks(functions: dict[str, LocalFunction]) -> None:
    for function in functions.values():
        _FUNCTIONS.pop(function.physical_name, None)


class StateMachines:
    """The template's state machines: their running executions, stopped with the stack."""

    def __init__(self, arns: dict[str, str], client: Any):
        self.arns = arns  # logical id -> ARN
        self._client = client

    def running(self, arn: str) -> list[dict[str, Any]]:
        pages = self._client.get_paginator("list_executions").paginate(stateMachineArn=arn, statusFilter="RUNNING")
        return [execution for page in pages for execution in page["executions"]]

    def status(self) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "arn": arn,
                "running": [
                    {"executionArn": e["executionArn"], "name": e["name"], "startDate": e["startDate"].isoformat()}
                    for e in self.running(arn)
                ],
            }
            for name, arn in self.arns.items()
        ]

    def stop(self) -> None:
        for arn in self.arns.values():
            for execution in self.running(arn):
                self._client.stop_execution(executionArn=execution["executionArn"], cause="local stack stopped")
