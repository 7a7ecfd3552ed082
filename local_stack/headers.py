"""The headers CloudFront adds, read from the template: each cache behaviour of the
distribution (and its default) with its response headers policy (security headers and
custom ones such as Cache-Control), so the local site sends on each path what CloudFront
sends there."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from local_stack.resources import Known, substitute


@dataclass(frozen=True)
class PathHeaders:
    """The headers of one cache behaviour; ``override`` ones replace what the origin sent."""

    path_pattern: str
    headers: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def matches(self, path: str) -> bool:
        # CloudFront path patterns: * is any run of characters (slashes too), ? one; case-sensitive.
        pattern = self.path_pattern if self.path_pattern.startswith(("/", "*")) else "/" + self.path_pattern
        return fnmatch.fnmatchcase(path, pattern)


class SecurityHeaders:
    def __init__(self, behaviours: list[PathHeaders]):
        self.behaviours = behaviours

    def for_path(self, path: str) -> PathHeaders:
        # CloudFront takes the first cache behaviour that matches, in order, then the default ("*").
        return next(b for b in self.behaviours if b.matches(path))

    def apply(self, path: str, response: Response) -> Response:
        for name, (value, override) in self.for_path(path).headers.items():
            if override or name not in response.headers:
                response.headers[name] = value
        return response


def policy_headers(config: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """A ResponseHeadersPolicyConfig's security and custom headers (e.g. the Cache-Control
    of each path): name -> (value, override)."""
    security = config.get("SecurityHeadersConfig", {})
    headers: dict[str, tuple[str, bool]] = {}
    for custom in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers[custom["Header"]] = (custom["Value"], bool(custom["Override"]))

    def add(name: str, setting: str, value: str) -> None:
        headers[name] = (value, bool(security[setting].get("Override")))

    if "ContentSecurityPolicy" in security:
        csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        add("Content-Security-Policy", "ContentSecurityPolicy", csp)
    if "ContentTypeOptions" in security:
        add("X-Content-Type-Options", "ContentTypeOptions", "nosniff")
    if "FrameOptions" in security:
        add("X-Frame-Options", "FrameOptions", security["FrameOptions"]["FrameOption"])
    if "ReferrerPolicy" in security:
        add("Referrer-Policy", "ReferrerPolicy", security["ReferrerPolicy"]["ReferrerPolicy"])
    if "StrictTransportSecurity" in security:
        hsts = security["StrictTransportSecurity"]
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        if hsts.get("IncludeSubdomains"):
            value += "; includeSubDomains"
        if hsts.get("Preload"):
            value += "; preload"
        add("Strict-Transport-Security", "StrictTransportSecurity", value)
    return headers


def security_headers(sam: dict[str, Any], known: dict[str, Known]) -> SecurityHeaders:
    resources = sam["Resources"]
    policies = {
        name: policy_headers(substitute(resource["Properties"]["ResponseHeadersPolicyConfig"], known))
        for name, resource in resources.items()
        if resource["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"
    }

    def headers_of(behaviour: dict[str, Any]) -> dict[str, tuple[str, bool]]:
        policy = behaviour.get("ResponseHeadersPolicyId")
        return policies[policy["Ref"]] if isinstance(policy, dict) and "Ref" in policy else {}

    behaviours = []
    for resource in resources.values():
        if resource["Type"] != "AWS::CloudFront::Distribution":
            continue
        config = resource["Properties"]["DistributionConfig"]
        for behaviour in config.get("CacheBehaviors", []):
            behaviours.append(PathHeaders(behaviour["PathPattern"], headers_of(behaviour)))
        behaviours.append(PathHeaders("*", headers_of(config["DefaultCacheBehavior"])))
    if not behaviours:
        behaviours.append(PathHeaders("*"))
    return SecurityHeaders(behaviours)
