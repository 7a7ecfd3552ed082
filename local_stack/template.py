"""Reading template.yaml: CloudFormation tags, the SAM transform, functions and their routes."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
DUMMY_CODE_URI = "s3://local-stack-code/code.zip"


def load_sam_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as ``sam`` reads it (short-form tags as intrinsics, dates as text),
    parsed with libyaml when it is there: the pure-Python parser costs a second at start."""
    import yaml
    from samcli.yamlhelper import _dict_constructor, intrinsics_multi_constructor

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _dict_constructor)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
    Loader.add_multi_constructor("!", intrinsics_multi_constructor)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a safe loader


def parameter_values(template: dict[str, Any], overrides: dict[str, str] | None = None) -> dict[str, Any]:
    values = {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}
    values.update(overrides or {})
    return values


def translate(
    template: dict[str, Any], parameters: dict[str, Any], iam_client: Any, root: Path = ROOT
) -> dict[str, Any]:
    """The CloudFormation the SAM transform makes of the template.

    Code locations are pointed at a placeholder first: the transform wants S3 URIs, and the
    local stack runs the code from the working tree anyway. A state machine's local
    ``DefinitionUri`` is read into ``Definition``, which is what ``sam deploy`` ships: the
    file unchanged, with ``DefinitionSubstitutions`` left for CloudFormation to apply.

    The result is kept under ``.aws-sam/local-stack/``, keyed by everything it depends on:
    the transform takes seconds of a start, and the template rarely changes between two.
    """
    sam = copy.deepcopy(template)
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = DUMMY_CODE_URI
        elif resource["Type"] == "AWS::Serverless::LayerVersion":
            resource["Properties"]["ContentUri"] = DUMMY_CODE_URI
        elif resource["Type"] == "AWS::Serverless::StateMachine":
            props = resource["Properties"]
            uri = props.get("DefinitionUri")
            if isinstance(uri, str) and not uri.startswith("s3://"):
                props["Definition"] = state_machine_definition(root / uri)
                del props["DefinitionUri"]
    key = json.dumps(
        [sam, parameters, version("aws-sam-translator"), iam_client.meta.region_name], sort_keys=True, default=str
    )
    cached = ROOT / ".aws-sam" / "local-stack" / f"{hashlib.sha256(key.encode()).hexdigest()}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))

    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    cfn = transform(sam, parameters, ManagedPolicyLoader(iam_client))
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(cfn), encoding="utf-8")
    partial.replace(cached)  # whole or absent, with several stacks starting at once
    return cfn


def state_machine_definition(path: Path) -> dict[str, Any]:
    import yaml

    # ASL files are JSON or YAML (sam init writes statemachine/*.asl.json); YAML reads both.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def source_lines(path: Path = TEMPLATE_PATH) -> dict[tuple[str, ...], int]:
    """Line numbers (1-based) of each resource and each function event in the template file.

    Keys: ``(logical_id,)`` and ``(logical_id, event_name)``.
    """
    import yaml

    # Composing builds the node tree without constructing values, so CloudFormation's
    # short-form tags (!Ref, !GetAtt) need no constructors.
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    lines: dict[tuple[str, ...], int] = {}

    def child(node: Any, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    return value_node
        return None

    resources = child(root, "Resources")
    for key_node, resource in resources.value if resources is not None else []:
        lines[(key_node.value,)] = key_node.start_mark.line + 1
        events = child(child(resource, "Properties"), "Events")
        for event_key, _ in events.value if events is not None else []:
            lines[(key_node.value, event_key.value)] = event_key.start_mark.line + 1
    return lines


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or ANY
    path: str  # as in the template: /api/x/{id}, /api/{proxy+}
    function: str  # logical id
    authorizer: str | None  # the HttpApi authorizer's name; None when the route says Auth: {Authorizer: NONE}

    @property
    def authorized(self) -> bool:
        return self.authorizer is not None

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str  # "app.lambda_handler" or "apidocs/app.lambda_handler"
    timeout: int
    memory: int
    routes: list[Route] = field(default_factory=list)
    s3_events: list[dict[str, Any]] = field(default_factory=list)
    event_types: dict[str, str] = field(default_factory=dict)  # event name -> Type, as declared

    @property
    def module_path(self) -> Path:
        module, _, _ = self.handler.rpartition(".")
        return self.code_dir / (module.replace(".", "/") + ".py")

    @property
    def entry_point(self) -> str:
        return self.handler.rpartition(".")[2]


def functions(template: dict[str, Any], root: Path = ROOT) -> list[FunctionSpec]:
    """Every AWS::Serverless::Function with its HttpApi routes and S3 events."""
    globals_ = template.get("Globals", {}).get("Function", {})
    default_authorizer = next(
        (
            (r.get("Properties", {}).get("Auth") or {}).get("DefaultAuthorizer")
            for r in template["Resources"].values()
            if r["Type"] == "AWS::Serverless::HttpApi"
        ),
        None,
    )
    specs = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        routes, s3_events = [], []
        events = props.get("Events") or {}
        for event in events.values():
            event_props = event.get("Properties", {})
            if event["Type"] == "HttpApi":
                authorizer = (event_props.get("Auth") or {}).get("Authorizer", default_authorizer)
                routes.append(
                    Route(
                        method=event_props.get("Method", "ANY").upper(),
                        path=event_props.get("Path", "/$default"),
                        function=logical_id,
                        authorizer=None if authorizer == "NONE" else authorizer,
                    )
                )
            elif event["Type"] == "S3":
                s3_events.append(event_props)
        specs.append(
            FunctionSpec(
                logical_id=logical_id,
                code_dir=(root / props.get("CodeUri", globals_.get("CodeUri"))).resolve(),
                handler=props.get("Handler", globals_.get("Handler")),
                timeout=int(props.get("Timeout", globals_.get("Timeout", 3))),
                memory=int(props.get("MemorySize", globals_.get("MemorySize", 128))),
                routes=routes,
                s3_events=s3_events,
                event_types={name: event["Type"] for name, event in events.items()},
            )
        )
    return specs


def layer_dirs(template: dict[str, Any], root: Path = ROOT) -> list[Path]:
    """Folders of the template's layers: on sys.path locally, as /opt/python is in Lambda."""
    return [
        (root / r["Properties"]["ContentUri"]).resolve()
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Serverless::LayerVersion"
    ]


@dataclass(frozen=True)
class JwtAuthorizerSpec:
    """An HttpApi JWT authorizer backed by a user pool of the template."""

    name: str
    user_pool: str  # logical id of the pool named in the issuer
    audiences: list[str]  # logical ids of the app clients


def jwt_authorizers(template: dict[str, Any]) -> list[JwtAuthorizerSpec]:
    """Each HttpApi's JWT authorizers, with the pool of their issuer
    (``!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}``) and their clients (``!Ref``)."""
    specs = []
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::Serverless::HttpApi":
            continue
        for name, authorizer in ((resource["Properties"].get("Auth") or {}).get("Authorizers") or {}).items():
            jwt = authorizer.get("JwtConfiguration") or {}
            issuer = jwt.get("issuer")
            issuer = issuer.get("Fn::Sub") if isinstance(issuer, dict) else issuer
            pool = re.search(r"amazonaws\.com/\$\{(\w+)\}$", str(issuer))
            if pool is None:
                raise ValueError(f"authorizer {name}: the local stack knows issuers of the template's user pools only")
            specs.append(JwtAuthorizerSpec(name, pool.group(1), [a["Ref"] for a in jwt.get("audience", [])]))
    return specs
