"""checkov on template.yaml: every finding is fixed or skipped with its reason next to its resource.

checkov lives in its own virtualenv (.venv-tools, from requirements-tools.txt, made by
`make test`) because its pinned boto3 differs from the project's.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from local_stack import template

CHECKOV = template.ROOT / ".venv-tools" / "bin" / "checkov"


def checkov(path: str) -> dict:
    assert CHECKOV.exists(), f"{CHECKOV} is missing: `make test` (or `make tools`) installs it"
    result = subprocess.run(
        [str(CHECKOV), "--file", path, "--framework", "cloudformation", "--skip-download", "-o", "json"],
        cwd=template.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    # checkov exits 1 when a check fails; anything else is a crash
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def report() -> dict:
    return checkov("template.yaml")


@pytest.fixture(scope="module")
def edge_report() -> dict:
    # The us-east-1 stack (CloudFront's log bucket and the optional web ACL).
    return checkov("edge.yaml")


def test_checkov_read_every_resource_of_the_template(report):
    summary = report["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["resource_count"] == len(template.load_sam_template()["Resources"])
    assert summary["passed"] > 0


@pytest.mark.parametrize("which", ["report", "edge_report"])
def test_every_checkov_finding_is_fixed_or_justified_next_to_its_resource(which, request):
    results = request.getfixturevalue(which)["results"]
    failed = [f"{check['resource']}: {check['check_id']} {check['check_name']}" for check in results["failed_checks"]]
    assert failed == [], (
        "fix these in template.yaml, or skip each under the resource's Metadata with the reason "
        "(Metadata: {checkov: {skip: [{id: CKV_..., comment: why}]}}):\n" + "\n".join(failed)
    )
    unexplained = [
        f"{check['resource']}: {check['check_id']}"
        for check in results["skipped_checks"]
        if len(check["check_result"].get("suppress_comment", "").strip()) < 20
        or check["check_result"]["suppress_comment"] == "No comment provided"
    ]
    assert unexplained == [], "a skip needs its reason in `comment`:\n" + "\n".join(unexplained)
