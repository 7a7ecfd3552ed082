"""The front end's security headers, read from the template's CloudFront response headers
policy, so the local site sends what CloudFront sends."""

from __future__ import annotations

from typing import Any

from local_stack.resources import Known, substitute


def security_headers(sam: dict[str, Any], known: dict[str, Known]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for resource in sam["Resources"].values():
        if resource["Type"] != "AWS::CloudFront::ResponseHeadersPolicy":
            continue
        config = substitute(resource["Properties"]["ResponseHeadersPolicyConfig"], known)
        security = config.get("SecurityHeadersConfig", {})
        if "ContentSecurityPolicy" in security:
            headers["Content-Security-Policy"] = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        if "ContentTypeOptions" in security:
            headers["X-Content-Type-Options"] = "nosniff"
        if "FrameOptions" in security:
            headers["X-Frame-Options"] = security["FrameOptions"]["FrameOption"]
        if "ReferrerPolicy" in security:
            headers["Referrer-Policy"] = security["ReferrerPolicy"]["ReferrerPolicy"]
        if "StrictTransportSecurity" in security:
            hsts = security["StrictTransportSecurity"]
            value = f"max-age={hsts['AccessControlMaxAgeSec']}"
            if hsts.get("IncludeSubdomains"):
                value += "; includeSubDomains"
            headers["Strict-Transport-Security"] = value
    return headers
