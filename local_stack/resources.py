"""Creating the template's resources on moto.

Most resources go through moto's CloudFormation, so their properties and references are
the template's own. The kinds listed in ``local_stack.support`` are handled here instead:
- Cognito (moto's CloudFormation creates no app client or groups): created with the Cognito
  API from the same properties, before the stack, so functions get their real ids;
- what only exists in the cloud (API Gateway, CloudFront, Lambda permissions, bucket
  policies): the local gateway stands in for them, so they are dropped and references to
  them get local values (CloudFront's domain becomes the gateway's address);
- event sources the stack delivers itself (SQS event source mappings, EventBridge
  Scheduler schedules): left out of the stack, their references resolved by it, and handed
  to the pollers and the scheduler with the scheduled rules;
- code locations: placeholders, since handlers run from the working tree.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from local_stack.support import CREATED_BY_STACK, DELIVERED_BY_STACK, STOOD_IN_FOR, without_aliases
from local_stack.template import DUMMY_CODE_URI

ACCOUNT_ID = "123456789012"
STACK_NAME = "e-ptsp-local"
COGNITO_ORDER = CREATED_BY_STACK
# Resolved after the stack exists and handed to the stack's event sources.
SERVED_LATER = (*DELIVERED_BY_STACK, "AWS::Events::Rule")
_INTRINSICS = ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::ImportValue")
_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}")


@dataclass
class Known:
    """A resolved reference: what Ref gives and what each GetAtt gives."""

    ref: str
    attributes: dict[str, str] = field(default_factory=dict)

    def get(self, attribute: str | None) -> str:
        if attribute is None:
            return self.ref
        return self.attributes.get(attribute, f"{self.ref}-{attribute.lower()}")


def substitute(node: Any, known: dict[str, Known]) -> Any:
    """Replace Ref, GetAtt and Sub references to known names by their values; keep the rest."""
    if isinstance(node, list):
        return [substitute(item, known) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref" and value in known:
            return known[value].get(None)
        if key == "Fn::GetAtt":
            name, attribute = value if isinstance(value, list) else value.split(".", 1)
            if name in known:
                return known[name].get(attribute)
        if key == "Fn::Sub":
            text, variables = (value, {}) if isinstance(value, str) else (value[0], value[1])

            def replace(match: re.Match[str]) -> str:
                name, attribute = match.group(1), match.group(2)
                return known[name].get(attribute) if name in known and name not in variables else match.group(0)

            text = _SUB_NAME.sub(replace, text)
            if "${" not in text.replace("${!", ""):
                return text.replace("${!", "${")
            return {"Fn::Sub": text if not variables else [text, substitute(variables, known)]}
    return {key: substitute(value, known) for key, value in node.items()}


def _unresolved(node: Any) -> bool:
    if isinstance(node, dict):
        return any(k in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Join") for k in node) or any(
            _unresolved(v) for v in node.values()
        )
    if isinstance(node, list):
        return any(_unresolved(v) for v in node)
    return False


def _condition_value(node: Any, conditions: dict[str, Any], known: dict[str, Known]) -> Any:
    """A condition's operand or truth: parameters, pseudo parameters and Fn::Equals/Not/And/Or."""
    if isinstance(node, dict) and len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref":
            return known[value].get(None)
        if key == "Condition":
            return bool(_condition_value(conditions[value], conditions, known))
        if key == "Fn::Equals":
            left, right = (str(_condition_value(v, conditions, known)) for v in value)
            return left == right
        if key == "Fn::Not":
            return not _condition_value(value[0], conditions, known)
        if key == "Fn::And":
            return all(_condition_value(v, conditions, known) for v in value)
        if key == "Fn::Or":
            return any(_condition_value(v, conditions, known) for v in value)
    if isinstance(node, dict | list):
        raise ValueError(f"a condition the local stack cannot evaluate: {node}")
    return node


_NO_VALUE = object()


def _choose_branches(node: Any, truth: dict[str, bool]) -> Any:
    """Fn::If replaced by the branch its condition picks; AWS::NoValue removed."""
    if isinstance(node, list):
        chosen = [_choose_branches(item, truth) for item in node]
        return [item for item in chosen if item is not _NO_VALUE]
    if not isinstance(node, dict):
        return node
    if node == {"Ref": "AWS::NoValue"}:
        return _NO_VALUE
    if len(node) == 1 and "Fn::If" in node:
        name, when_true, when_false = node["Fn::If"]
        return _choose_branches(when_true if truth[name] else when_false, truth)
    chosen = {key: _choose_branches(value, truth) for key, value in node.items()}
    return {key: value for key, value in chosen.items() if value is not _NO_VALUE}


def apply_conditions(cfn: dict[str, Any], known: dict[str, Known]) -> dict[str, Any]:
    """The template as CloudFormation deploys it with these parameters: resources and outputs
    of a false condition left out, each Fn::If settled (moto gets no parameters to decide)."""
    conditions = cfn.get("Conditions") or {}
    truth = {name: bool(_condition_value(c, conditions, known)) for name, c in conditions.items()}

    def kept(section: dict[str, Any]) -> dict[str, Any]:
        return {
            name: {k: v for k, v in _choose_branches(item, truth).items() if k != "Condition"}
            for name, item in section.items()
            if truth.get(item.get("Condition"), True)
        }

    settled = {k: v for k, v in cfn.items() if k != "Conditions"}
    settled["Resources"] = kept(cfn["Resources"])
    if "Outputs" in cfn:
        settled["Outputs"] = kept(cfn["Outputs"])
    return settled


@dataclass
class Provisioned:
    region: str
    physical_ids: dict[str, str]
    function_environments: dict[str, dict[str, str]]
    outputs: dict[str, str]
    # Logical id -> {"Type", "Properties"} with every reference resolved, for SERVED_LATER types.
    served: dict[str, dict[str, Any]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # logical id -> resource type
    stack_name: str = STACK_NAME

    @property
    def user_pool_id(self) -> str:
        return self.physical_ids["UserPool"]

    @property
    def user_pool_client_id(self) -> str:
        return self.physical_ids["UserPoolClient"]


def parameters_and_pseudo_parameters(
    parameters: dict[str, Any], region: str, stack_name: str = STACK_NAME
) -> dict[str, Known]:
    known: dict[str, Known] = {name: Known(str(value)) for name, value in parameters.items()}
    known.update(
        {
            "AWS::Region": Known(region),
            "AWS::AccountId": Known(ACCOUNT_ID),
            "AWS::Partition": Known("aws"),
            "AWS::URLSuffix": Known("amazonaws.com"),
            "AWS::StackName": Known(stack_name),
            "AWS::NoValue": Known(""),
        }
    )
    return known


def _create_cognito(kind: str, props: dict[str, Any], region: str, cognito: Any) -> Known:
    if kind == "AWS::Cognito::UserPool":
        props = dict(props)
        # CloudFormation's EnabledMfas is the API's SetUserPoolMfaConfig, not a CreateUserPool field.
        enabled_mfas = props.pop("EnabledMfas", [])
        pool = cognito.create_user_pool(PoolName=props.pop("UserPoolName"), **props)["UserPool"]
        if props.get("MfaConfiguration", "OFF") != "OFF":
            cognito.set_user_pool_mfa_config(
                UserPoolId=pool["Id"],
                SoftwareTokenMfaConfiguration={"Enabled": "SOFTWARE_TOKEN_MFA" in enabled_mfas},
                MfaConfiguration=props["MfaConfiguration"],
            )
        return Known(
            pool["Id"],
            {
                "Arn": pool["Arn"],
                "ProviderName": f"cognito-idp.{region}.amazonaws.com/{pool['Id']}",
                "ProviderURL": f"https://cognito-idp.{region}.amazonaws.com/{pool['Id']}",
            },
        )
    if kind == "AWS::Cognito::UserPoolClient":
        client = cognito.create_user_pool_client(**props)["UserPoolClient"]
        return Known(client["ClientId"], {"ClientId": client["ClientId"]})
    cognito.create_group(**props)
    return Known(props["GroupName"])


def _defer_references(node: Any, deferred: dict[str, Any]) -> Any:
    """Replace each reference by a placeholder output name, to be resolved by the stack."""
    if isinstance(node, list):
        return [_defer_references(item, deferred) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1 and next(iter(node)) in _INTRINSICS:
        name = f"LocalStackReference{len(deferred)}"
        deferred[name] = node
        return {"__deferred__": name}
    return {key: _defer_references(value, deferred) for key, value in node.items()}


def _resolve_deferred(node: Any, outputs: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_resolve_deferred(item, outputs) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"__deferred__"}:
        return outputs[node["__deferred__"]]
    return {key: _resolve_deferred(value, outputs) for key, value in node.items()}


def provision(
    cfn: dict[str, Any],
    parameters: dict[str, Any],
    region: str,
    local_values: dict[str, Known],
    session: Any,
    stack_name: str = STACK_NAME,
) -> Provisioned:
    """Create every resource of the translated template on moto; returns their ids."""
    known = parameters_and_pseudo_parameters(parameters, region, stack_name)
    cfn = without_aliases(apply_conditions(cfn, known))
    resources: dict[str, Any] = dict(cfn["Resources"])
    runner_ids: dict[str, str] = {}

    cognito = session.client("cognito-idp")
    for kind in COGNITO_ORDER:
        for name, resource in list(resources.items()):
            if resource["Type"] != kind:
                continue
            props = substitute(resource.get("Properties", {}), known)
            if _unresolved(props):
                raise RuntimeError(f"{name}: references the local stack cannot resolve before the stack exists")
            known[name] = _create_cognito(kind, props, region, cognito)
            runner_ids[name] = known[name].ref
            del resources[name]

    for name, resource in list(resources.items()):
        if resource["Type"] in STOOD_IN_FOR:
            known[name] = local_values.get(name, Known(name))
            del resources[name]

    # Their references are resolved by CloudFormation itself, as outputs of the stack.
    deferred: dict[str, Any] = {}
    served = {
        name: {"Type": r["Type"], "Properties": _defer_references(substitute(r.get("Properties", {}), known), deferred)}
        for name, r in resources.items()
        if r["Type"] in SERVED_LATER
    }
    kept = {name: r for name, r in resources.items() if r["Type"] not in DELIVERED_BY_STACK}
    for name, resource in kept.items():
        resource = substitute(resource, known)
        depends = resource.get("DependsOn")
        if depends:
            depends = [depends] if isinstance(depends, str) else depends
            resource["DependsOn"] = [d for d in depends if d in kept]
        kept[name] = resource
    stack_template = {
        **{k: v for k, v in cfn.items() if k not in ("Resources", "Outputs", "Parameters")},
        "Resources": kept,
        "Outputs": {
            **substitute(cfn.get("Outputs", {}), known),
            **{name: {"Value": reference} for name, reference in deferred.items()},
        },
    }

    bucket, key = DUMMY_CODE_URI.removeprefix("s3://").split("/", 1)
    s3 = session.client("s3")
    # Another local stack in this process may have made it: moto's state is per process.
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("placeholder.py", "")
    s3.put_object(Bucket=bucket, Key=key, Body=archive.getvalue())

    cloudformation = session.client("cloudformation")
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(stack_template),
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"Local stack creation failed: {stack['StackStatus']} {stack.get('StackStatusReason', '')}")

    physical_ids = dict(runner_ids)
    paginator = cloudformation.get_paginator("list_stack_resources")
    for page in paginator.paginate(StackName=stack_name):
        for summary in page["StackResourceSummaries"]:
            physical_ids[summary["LogicalResourceId"]] = summary["PhysicalResourceId"]

    # moto's CloudFormation leaves time-to-live off; switch it on as the template says.
    dynamodb = session.client("dynamodb")
    for name, resource in kept.items():
        ttl = (
            resource["Properties"].get("TimeToLiveSpecification")
            if resource["Type"] == "AWS::DynamoDB::Table"
            else None
        )
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=physical_ids[name],
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )

    # Nor does it apply a bucket's versioning: submitted applications name exact object versions.
    for name, resource in kept.items():
        versioning = (
            resource["Properties"].get("VersioningConfiguration") if resource["Type"] == "AWS::S3::Bucket" else None
        )
        if versioning and versioning.get("Status") == "Enabled":
            s3.put_bucket_versioning(Bucket=physical_ids[name], VersioningConfiguration={"Status": "Enabled"})

    lambda_client = session.client("lambda")
    environments = {}
    for name, resource in kept.items():
        if resource["Type"] == "AWS::Lambda::Function":
            config = lambda_client.get_function_configuration(FunctionName=physical_ids[name])
            environments[name] = dict((config.get("Environment") or {}).get("Variables") or {})
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    served = {name: _resolve_deferred(resource, outputs) for name, resource in served.items()}
    return Provisioned(
        region=region,
        physical_ids=physical_ids,
        function_environments=environments,
        outputs={k: v for k, v in outputs.items() if k not in deferred},
        served=served,
        types={name: r["Type"] for name, r in cfn["Resources"].items()},
        stack_name=stack_name,
    )
