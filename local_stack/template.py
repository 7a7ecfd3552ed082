"""Reading template.yaml: CloudFormation tags, the SAM transform, functions and their routes."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
DUMMY_CODE_URI = "s3://local-stack-code/code.zip"


def load_sam_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    from samcli.yamlhelper import parse_yaml_file

    return parse_yaml_file(str(path))


def parameter_values(template: dict[str, Any], overrides: dict[str, str] | None = None) -> dict[str, Any]:
    values = {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}
    values.update(overrides or {})
    return values


def translate(template: dict[str, Any], parameters: dict[str, Any], iam_client: Any) -> dict[str, Any]:
    """The CloudFormation the SAM transform makes of the template.

    Code locations are pointed at a placeholder first: the transform wants S3 URIs, and the
    local stack runs the code from the working tree anyway.
    """
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    sam = copy.deepcopy(template)
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = DUMMY_CODE_URI
        elif resource["Type"] == "AWS::Serverless::LayerVersion":
            resource["Properties"]["ContentUri"] = DUMMY_CODE_URI
    return transform(sam, parameters, ManagedPolicyLoader(iam_client))


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or ANY
    path: str  # as in the template: /api/x/{id}, /api/{proxy+}
    function: str  # logical id
    authorized: bool  # False when the route says Auth: {Authorizer: NONE}

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
    default_authorized = any(
        (r.get("Properties", {}).get("Auth") or {}).get("DefaultAuthorizer")
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Serverless::HttpApi"
    )
    specs = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        routes, s3_events = [], []
        for event in (props.get("Events") or {}).values():
            event_props = event.get("Properties", {})
            if event["Type"] == "HttpApi":
                auth = event_props.get("Auth") or {}
                routes.append(
                    Route(
                        method=event_props.get("Method", "ANY").upper(),
                        path=event_props.get("Path", "/$default"),
                        function=logical_id,
                        authorized=default_authorized and auth.get("Authorizer") != "NONE",
                    )
                )
            elif event["Type"] == "S3":
                s3_events.append(event_props)
        specs.append(
            FunctionSpec(
                logical_id=logical_id,
                code_dir=(root / props["CodeUri"]).resolve(),
                handler=props.get("Handler", globals_.get("Handler")),
                timeout=int(props.get("Timeout", globals_.get("Timeout", 3))),
                memory=int(props.get("MemorySize", globals_.get("MemorySize", 128))),
                routes=routes,
                s3_events=s3_events,
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
