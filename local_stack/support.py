"""What the local stack can serve, said once, and a loud stop on anything else.

Every resource of the translated template is either created by moto's CloudFormation,
stood in for by the stack itself, or refused with one line naming it and its place in the
template. Every function event is delivered, or refused the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Resource types moto's CloudFormation creates faithfully enough for the handlers.
CREATED_BY_MOTO = (
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::SSM::Parameter",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::Lambda::Function",
    "AWS::Lambda::LayerVersion",
    # AutoPublishAlias's version of each function (moto publishes one).
    "AWS::Lambda::Version",
    "AWS::Logs::LogGroup",
    # Scheduled rules only (checked below); the stack runs their schedules.
    "AWS::Events::Rule",
    # Created on the Step Functions backend that runs executions (local_stack.stepfunctions).
    "AWS::StepFunctions::StateMachine",
)
# Created with the Cognito API from the template's properties (moto's CloudFormation makes
# no app client or groups).
CREATED_BY_STACK = ("AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolGroup")
# Only in the cloud: the local gateway stands in for them (routes, JWT authorizer, the
# site's origin and headers, S3 on the same origin), so they are not created.
STOOD_IN_FOR = (
    "AWS::ApiGatewayV2::Api",
    # Its route settings (per-route throttling) are the cloud's: the local gateway does not throttle.
    "AWS::ApiGatewayV2::Stage",
    # The API's optional custom domain: the local gateway is the one address.
    "AWS::ApiGatewayV2::DomainName",
    "AWS::ApiGatewayV2::ApiMapping",
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CloudFront::Function",
    "AWS::Lambda::Permission",
    "AWS::S3::BucketPolicy",
    # Alarms watch CloudWatch metrics, which the emulator does not produce.
    "AWS::CloudWatch::Alarm",
    # On-failure destinations of asynchronous invocations: the stack's S3 event source keeps
    # each failed delivery in LocalStack.failures, which the tests assert empty.
    "AWS::Lambda::EventInvokeConfig",
    # Gradual deployments: locally the live alias is the function itself (see without_aliases)
    # and there is one version, so there is no traffic to shift.
    "AWS::Lambda::Alias",
    "AWS::CodeDeploy::Application",
    "AWS::CodeDeploy::DeploymentGroup",
)
# Delivered by the stack's own pollers and scheduler (moto would hand SQS batches to a
# Docker Lambda runner, and has no EventBridge Scheduler in CloudFormation).
DELIVERED_BY_STACK = ("AWS::Lambda::EventSourceMapping", "AWS::Scheduler::Schedule")

# Function events the stack delivers (SAM event types).
FUNCTION_EVENT_TYPES = ("HttpApi", "S3", "SQS", "Schedule", "ScheduleV2")


def without_aliases(cfn: dict[str, Any]) -> dict[str, Any]:
    """The template with every call to a function's alias (AutoPublishAlias) made to the
    function: locally there is one version, which every caller reaches directly."""
    resources = cfn["Resources"]
    aliases = {
        name: r["Properties"]["FunctionName"]["Ref"]
        for name, r in resources.items()
        if r["Type"] == "AWS::Lambda::Alias" and isinstance(r["Properties"].get("FunctionName"), dict)
    }

    def rewrite(node: Any) -> Any:
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1 and node.get("Ref") in aliases:
            return {"Fn::GetAtt": [aliases[node["Ref"]], "Arn"]}
        if len(node) == 1 and "Fn::Sub" in node:
            value = node["Fn::Sub"]
            text = value if isinstance(value, str) else value[0]
            for alias, function in aliases.items():
                text = text.replace("${" + alias + "}", "${" + function + ".Arn}")
            return {"Fn::Sub": text if isinstance(value, str) else [text, rewrite(value[1])]}
        return {key: rewrite(value) for key, value in node.items()}

    if not aliases:
        return cfn
    return {key: rewrite(value) if key in ("Resources", "Outputs") else value for key, value in cfn.items()}


class TemplateNotServed(RuntimeError):
    """The template declares something the local stack cannot serve; str() is one line each."""


def _function_arn_target(node: Any, functions: set[str]) -> bool:
    if isinstance(node, dict) and "Fn::GetAtt" in node:
        value = node["Fn::GetAtt"]
        name, attribute = value if isinstance(value, list) else value.split(".", 1)
        return name in functions and attribute == "Arn"
    return False


def _visibility_problem(props: dict[str, Any], resources: dict[str, Any]) -> str | None:
    """Lambda refuses a mapping whose queue's visibility timeout is below the function's
    timeout (a batch could come back while still being handled)."""
    queue = resources[props["EventSourceArn"]["Fn::GetAtt"][0]].get("Properties") or {}
    function_ref = props.get("FunctionName")
    function_name = function_ref.get("Ref") if isinstance(function_ref, dict) else None
    if function_name not in resources:
        return None
    visibility = queue.get("VisibilityTimeout", 30)
    timeout = (resources[function_name].get("Properties") or {}).get("Timeout", 3)
    if isinstance(visibility, int) and isinstance(timeout, int) and visibility < timeout:
        return f"an SQS event whose queue's visibility timeout ({visibility} s) is below the function's timeout"
    return None


def _resource_problem(resource: dict[str, Any], functions: set[str], queues: set[str]) -> str | None:
    kind = resource["Type"]
    props = resource.get("Properties") or {}
    if kind in ("AWS::Events::Rule", "AWS::Scheduler::Schedule") and isinstance(props.get("ScheduleExpression"), str):
        from local_stack.schedules import next_run

        try:
            now = datetime.now(UTC)
            next_run(props["ScheduleExpression"], now, now, props.get("ScheduleExpressionTimezone", "UTC"))
        except (ValueError, KeyError) as error:
            return f"the schedule expression {props['ScheduleExpression']!r} ({error})"
    if kind == "AWS::Events::Rule":
        if "ScheduleExpression" not in props or "EventPattern" in props:
            return "an EventBridge rule with an event pattern (only scheduled rules are delivered)"
        for target in props.get("Targets", []):
            if not _function_arn_target(target.get("Arn"), functions):
                return "a scheduled rule whose target is not a function of this template"
            if "InputPath" in target or "InputTransformer" in target:
                return "a scheduled rule target with InputPath or InputTransformer"
    elif kind == "AWS::Scheduler::Schedule":
        if not _function_arn_target((props.get("Target") or {}).get("Arn"), functions):
            return "a schedule whose target is not a function of this template"
    elif kind == "AWS::Lambda::EventSourceMapping":
        source = props.get("EventSourceArn")
        queue = source.get("Fn::GetAtt") if isinstance(source, dict) else None
        if not (isinstance(queue, list) and queue[0] in queues) and not str(source).startswith("arn:aws:sqs:"):
            return "an event source mapping whose source is not an SQS queue of this template"
        if "FilterCriteria" in props:
            return "an SQS event with FilterCriteria (every message would be delivered)"
    elif kind == "AWS::StepFunctions::StateMachine":
        if "DefinitionString" not in props and "Definition" not in props:
            return "a state machine whose definition is not a local file (DefinitionUri under statemachine/)"
    elif kind not in CREATED_BY_MOTO + CREATED_BY_STACK + STOOD_IN_FOR + DELIVERED_BY_STACK:
        return f"resource type {kind}"
    return None


def _event_problem(event: dict[str, Any]) -> str | None:
    kind = event.get("Type")
    if kind not in FUNCTION_EVENT_TYPES:
        return f"event type {kind}"
    if kind == "S3":
        patterns = event["Properties"]["Events"]
        patterns = patterns if isinstance(patterns, list) else [patterns]
        if not all(p.startswith("s3:ObjectCreated:") for p in patterns):
            return "S3 events other than s3:ObjectCreated:*"
    return None


def _place(logical_id: str, sam: dict[str, Any]) -> tuple[str, ...]:
    """The template place a translated resource comes from: itself, or the SAM resource (and
    event) whose logical id starts its name."""
    if logical_id in sam["Resources"]:
        return (logical_id,)
    owners = [name for name in sam["Resources"] if logical_id.startswith(name)]
    if not owners:
        return (logical_id,)
    owner = max(owners, key=len)
    events = (sam["Resources"][owner].get("Properties") or {}).get("Events") or {}
    for event_name in events:
        if logical_id.startswith(owner + event_name):
            return (owner, event_name)
    return (owner,)


def problems(sam: dict[str, Any], cfn: dict[str, Any], template_path: Path) -> list[str]:
    """One line per thing the stack cannot serve: ``template.yaml:57: WorkerFunction.Stream: ...``."""
    from local_stack.template import source_lines

    found: list[tuple[tuple[str, ...], str]] = []
    for name, resource in sam["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event_name, event in ((resource.get("Properties") or {}).get("Events") or {}).items():
            problem = _event_problem(event)
            if problem:
                found.append(((name, event_name), problem))
    # What SAM made of an event already refused is not named twice.
    refused_events = {place for place, _ in found}
    resources = without_aliases(cfn)["Resources"]
    functions = {n for n, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    queues = {n for n, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    for name, resource in resources.items():
        problem = _resource_problem(resource, functions, queues)
        if problem is None and resource["Type"] == "AWS::Lambda::EventSourceMapping":
            source = resource["Properties"]["EventSourceArn"]
            if isinstance(source, dict):
                problem = _visibility_problem(resource["Properties"], resources)
        place = _place(name, sam)
        if problem and place not in refused_events:
            found.append((place, problem))

    lines = source_lines(template_path) if found else {}  # read only to report

    def line(place: tuple[str, ...], problem: str) -> str:
        where = f"{template_path.name}:{lines[place]}" if place in lines else template_path.name
        return f"{where}: {'.'.join(place)}: the local stack cannot serve {problem}"

    return [line(place, problem) for place, problem in found]


def check(sam: dict[str, Any], cfn: dict[str, Any], template_path: Path) -> None:
    found = problems(sam, cfn, template_path)
    if found:
        raise TemplateNotServed("\n".join(found))
