"""The whole journey of one application on the local stack, with every AWS call counted.

Register, activate, log in, upload, draft, attach, submit, the three officer decisions,
issuance, Unduh Izin, Kotak Masuk, monitoring and the Survey IKM (when its route exists),
each step through the same HTTP API a browser uses. ``counters.AwsCallCounter`` sees each
function invocation, synchronous or not (S3 events, queues, Step Functions tasks).
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from benchmarks.counters import AwsCallCounter, Invocation
from local_stack import LocalStack, resources

# The applicant's own requests are those a browser sends for them: every route but the
# officers', the public verification and the workflow's own work.
OFFICER_PREFIXES = ("/api/officer/", "/api/admin/")


class MotoItems:
    """The emulator's DynamoDB items, read in this process without an AWS call."""

    def __init__(self, region: str = "ap-southeast-3"):
        from moto.dynamodb.models import dynamodb_backends

        self.backend = dynamodb_backends[resources.ACCOUNT_ID][region]

    def table(self, name: str) -> Any:
        return self.backend.get_table(name)

    def key_names(self, table: str) -> list[str]:
        t = self.table(table)
        return [k for k in (t.hash_key_attr, t.range_key_attr) if k]

    def index_keys(self, table: str) -> list[list[str]]:
        return [[k["AttributeName"] for k in index.schema] for index in self.table(table).global_indexes]

    def item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        t = self.table(table)
        if t.hash_key_attr not in key or (t.range_key_attr and t.range_key_attr not in key):
            return None
        hash_key = DynamoType(key[t.hash_key_attr])
        range_key = DynamoType(key[t.range_key_attr]) if t.range_key_attr else None
        found = t.get_item(hash_key, range_key)
        return found.to_json()["Attributes"] if found is not None else None


@dataclass
class S3Traffic:
    """Requests the browser sends to S3 itself: form uploads and presigned downloads (the
    handlers' own S3 calls pass the same proxy, signed in a header, and are counted as theirs)."""

    puts: int = 0
    gets: int = 0
    bytes_in: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self) -> None:
        from local_stack.s3_proxy import S3Proxy

        original = S3Proxy.__call__
        traffic = self

        def counted(proxy: Any, request: Any) -> Any:
            presigned = request.method == "POST" or "X-Amz-Signature" in request.args
            with traffic.lock:
                if presigned and request.method == "POST":
                    traffic.puts += 1
                    traffic.bytes_in += request.content_length or 0
                elif presigned:
                    traffic.gets += 1
            return original(proxy, request)

        S3Proxy.__call__ = counted


@dataclass
class Journey:
    """What the journey left behind, for the growth measurements and the cost."""

    steps: list[tuple[str, list[Invocation]]]
    invocations: list[Invocation]
    applicant: Any  # workflow_helpers.Applicant
    identity: dict[str, str]
    application_id: str
    receipt_number: str
    survey: str  # what happened to the Survey IKM step
    transitions: int
    s3: S3Traffic
    uploaded_bytes: int
    officers: Any = None  # workflow_helpers.Officers, signed in
    extra_identifiers: list[str] = field(default_factory=list)  # applications, files, receipts


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def survey_route(stack: LocalStack) -> str | None:
    """The applicant's Survey IKM route, once the template has one."""
    for function in stack.functions.values():
        for route in function.spec.routes:
            if route.method == "POST" and "surve" in route.path and "officer" not in route.path:
                return route.path
    return None


def state_transitions(stack: LocalStack, execution_names: set[str]) -> int:
    """State transitions of the named executions (what Standard Workflows bill)."""
    import boto3

    client = boto3.client("stepfunctions", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    total = 0
    for arn in stack.event_sources.state_machines.arns.values():
        for execution in client.list_executions(stateMachineArn=arn)["executions"]:
            if execution["name"] not in execution_names:
                continue
            history = client.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)
            total += sum(1 for e in history["events"] if e["type"].endswith("StateEntered"))
    return total


def run(stack: LocalStack, api: Any, counter: AwsCallCounter, s3: S3Traffic) -> Journey:
    from tests.integration.accounts_helpers import activate, login, register, registration
    from tests.integration.documents_helpers import JPEG, PDF, upload, wait_for_check
    from tests.integration.workflow_helpers import FISHING, Applicant, Officers, decide, status_becomes, wait_for

    steps: list[tuple[str, list[Invocation]]] = []
    start = counter.mark()

    def step(name: str, action):
        mark = counter.mark()
        result = action()
        stack.event_sources.sqs.wait_until_drained()
        steps.append((name, counter.since(mark)))
        return result

    body = registration()
    step("register", lambda: _ok(register(api, body), 201))
    step("activate", lambda: activate(api, body))
    token = step("log in", lambda: _ok(login(api, body["nik"], body["password"]), 200).json()["accessToken"])

    def uploads() -> tuple[str, str]:
        pdf = upload(api, token, "dokumen.pdf", "application/pdf", PDF)
        jpeg = upload(api, token, "foto.jpg", "image/jpeg", JPEG)
        wait_for_check(api, token, pdf)
        wait_for_check(api, token, jpeg)
        return pdf, jpeg

    pdf, jpeg = step("upload", uploads)
    applicant = Applicant.__new__(Applicant)  # the files are uploaded above, in their own step
    applicant.api, applicant.token, applicant.pdf, applicant.jpeg = api, token, pdf, jpeg

    def draft() -> dict:
        from tests.integration.test_applications import LOKASI, detail_data

        made = applicant.call("POST", "/api/applications", 201, json={"jenisPermohonanId": FISHING.id})
        app_id = made["applicationId"]
        sections = {
            "pemohon": {**made["prefill"]["pemohon"], "occupation": "Wiraswasta", "position": "Direktur"},
            "lokasi": LOKASI,
            "detail": detail_data(FISHING),
        }
        for section, data in sections.items():
            made = applicant.call(
                "PUT", f"/api/applications/{app_id}/sections/{section}", json={"version": made["version"], "data": data}
            )
        return made

    made = step("draft", draft)
    app_id = made["applicationId"]

    def attach() -> dict:
        current = made
        for requirement in FISHING.persyaratan:
            if requirement.mandatory:
                file_id = pdf if "pdf" in requirement.file_types else jpeg
                current = applicant.call(
                    "PUT", f"/api/applications/{app_id}/attachments/{requirement.id}", json={"fileId": file_id}
                )
        applicant.call("GET", f"/api/applications/{app_id}/completeness")
        return applicant.call(
            "PUT", f"/api/applications/{app_id}/declaration", json={"version": current["version"], "agreed": True}
        )

    declared = step("attach", attach)
    submitted = step("submit", lambda: _ok(applicant.submit(declared), 200).json())
    receipt = submitted["receiptNumber"]
    officers = Officers(api)
    for role in ("verifikator", "teknis", "kepala"):
        officers.token(role)  # officers' sign-in is not the applicant's journey
    for stage in ("verifikasi", "teknis", "persetujuan"):
        step(f"decision: {stage}", lambda stage=stage: decide(api, officers, app_id, stage))
    step("issuance", lambda: status_becomes(applicant, app_id, "terbit", timeout=60))
    step("Unduh Izin", lambda: _ok(api.get(f"/api/applications/{app_id}/permit", token=token), 200))

    def inbox() -> None:
        applicant.call("GET", "/api/inbox/unread-count")
        messages = wait_for(lambda: applicant.call("GET", "/api/inbox")["items"], what="the inbox")
        applicant.call("POST", f"/api/inbox/{messages[0]['messageId']}/read", 204)

    step("inbox", inbox)

    def monitoring() -> None:
        applicant.call("GET", "/api/applications")
        api.get(f"/api/monitoring/{receipt}")
        applicant.call("GET", f"/api/monitoring/{receipt}/riwayat")

    step("monitoring", monitoring)
    path = survey_route(stack)
    survey = "not in the template yet (engineer S's Survey IKM has not landed)"
    if path is not None:
        survey = step_survey(step, applicant, path, app_id)
    invocations = counter.since(start)
    transitions = state_transitions(stack, {app_id})
    claims = claims_of(token)
    identity = {**body, "sub": claims["sub"], "username": claims.get("username", body["nik"])}
    return Journey(
        steps=steps,
        invocations=invocations,
        applicant=applicant,
        identity=identity,
        application_id=app_id,
        receipt_number=receipt,
        survey=survey,
        transitions=transitions,
        s3=s3,
        uploaded_bytes=len(PDF) + len(JPEG),
        officers=officers,
        extra_identifiers=[app_id, receipt, pdf, jpeg],
    )


def leave_one_waiting(api: Any, journey: Journey) -> None:
    """A second application of the same applicant, submitted and waiting for verifikasi, so
    the copies of this applicant give the officers' worklist open tasks (not part of the journey)."""
    from tests.integration.workflow_helpers import FISHING, open_task

    submitted = journey.applicant.submitted(FISHING)
    open_task(api, journey.officers, submitted["applicationId"], "verifikasi")
    journey.extra_identifiers += [submitted["applicationId"], submitted["receiptNumber"]]


def step_survey(step, applicant: Any, path: str, app_id: str) -> str:
    """Fill in the Survey IKM of the issued application (nine answers, each 1-4)."""
    url = path.replace("{applicationId}", app_id)
    answers = {f"u{n}": 4 for n in range(1, 10)}

    def answer() -> Any:
        return applicant.api.post(url, token=applicant.token, json={"applicationId": app_id, "answers": answers})

    response = step("survey", answer)
    return f"{path}: {response.status_code}"


def _ok(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code} {response.text[:500]}")
    return response
