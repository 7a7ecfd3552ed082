"""Helpers for the submission and workflow tests: complete drafts, submissions, officers
taking a file through its stages over the API, and waiting for the flow to move."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.integration.accounts_helpers import demo_token
from tests.integration.documents_helpers import JPEG, PDF, uploaded
from tests.integration.test_applications import LOKASI, detail_data
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
EVERY_JENIS = {j.id: j for izin in CATALOGUE.izin for layanan in izin.layanan for j in layanan.jenis_permohonan}
# No kajian teknis (a research recommendation), kajian teknis without and with a field survey.
RESEARCH = EVERY_JENIS["rekomendasi-penelitian-mahasiswa-baru"]
FISHING = EVERY_JENIS["siup-penangkapan-ikan-baru"]
SURVEYED = EVERY_JENIS["sipi-baru"]
assert not RESEARCH.technical_review and FISHING.technical_review and not FISHING.field_survey
assert SURVEYED.field_survey
ROLES = {"verifikasi": "verifikator", "teknis": "teknis", "persetujuan": "kepala"}
BAP = {
    "tanggal": "2026-11-20",
    "lokasi": "Dermaga Tengkayu, Tarakan",
    "petugas": ["Andi Saputra", "Rina Marlina"],
    "temuan": "Kapal dan alat tangkap sesuai dokumen.",
    "kesimpulan": "Layak diberikan izin.",
}


class Officers:
    """The demo officers' tokens, signed in once."""

    def __init__(self, api):
        self.api = api
        self._tokens: dict[str, str] = {}

    def token(self, role: str) -> str:
        if role not in self._tokens:
            self._tokens[role] = demo_token(self.api, role)
        return self._tokens[role]


class Applicant:
    """An applicant with one PDF and one JPEG in File Saya, reused for every requirement."""

    def __init__(self, api, token: str):
        self.api = api
        self.token = token
        self.pdf = uploaded(api, token, "dokumen.pdf", "application/pdf", PDF)["fileId"]
        self.jpeg = uploaded(api, token, "foto.jpg", "image/jpeg", JPEG)["fileId"]

    def call(self, method: str, path: str, expect: int = 200, **kwargs) -> Any:
        response = self.api.request(method, path, token=self.token, **kwargs)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    def draft(self, jenis, declare: bool = True) -> dict:
        """A draft with every required section, every mandatory attachment and the declaration."""
        draft = self.call("POST", "/api/applications", 201, json={"jenisPermohonanId": jenis.id})
        app_id = draft["applicationId"]
        sections = {
            # A jabatan only where the permit may be asked for by a company (a person has none).
            "pemohon": {
                **draft["prefill"]["pemohon"],
                "occupation": "Wiraswasta",
                **({"position": "Direktur"} if jenis.company != "none" else {}),
            },
            "lokasi": LOKASI,
            "detail": detail_data(jenis),
        }
        for section, data in sections.items():
            draft = self.call(
                "PUT",
                f"/api/applications/{app_id}/sections/{section}",
                json={"version": draft["version"], "data": data},
            )
        for requirement in jenis.persyaratan:
            if requirement.mandatory:
                file_id = self.pdf if "pdf" in requirement.file_types else self.jpeg
                draft = self.call(
                    "PUT", f"/api/applications/{app_id}/attachments/{requirement.id}", json={"fileId": file_id}
                )
        if declare:
            draft = self.call(
                "PUT", f"/api/applications/{app_id}/declaration", json={"version": draft["version"], "agreed": True}
            )
        return draft

    def submit(self, draft: dict, key: str | None = None):
        return self.api.post(
            f"/api/applications/{draft['applicationId']}/submit",
            token=self.token,
            json={"version": draft["version"]},
            headers={"Idempotency-Key": key or str(uuid.uuid4())},
        )

    def submitted(self, jenis) -> dict:
        response = self.submit(self.draft(jenis))
        assert response.status_code == 200, response.text
        return response.json()

    def application(self, application_id: str) -> dict:
        return self.call("GET", f"/api/applications/{application_id}")


def wait_for(check, timeout: float = 20, interval: float = 0.1, what: str = "the flow to move") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def officer_view(api, officers: Officers, application_id: str, role: str = "admin") -> dict:
    response = api.get(f"/api/officer/applications/{application_id}", token=officers.token(role))
    assert response.status_code == 200, response.text
    return response.json()


def worklist(api, token: str) -> list[dict]:
    """Every open task of the caller's role, following the cursor."""
    items, cursor = [], None
    while True:
        response = api.get(
            "/api/officer/tasks", token=token, params={"limit": 50, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["cursor"]
        if not cursor:
            return items


def open_task(api, officers: Officers, application_id: str, stage: str) -> dict:
    """The officer task of ``stage`` once the flow has opened it, from the role's worklist."""
    role = ROLES[stage]

    def found():
        tasks = [t for t in worklist(api, officers.token(role)) if t["applicationId"] == application_id]
        return tasks[0] if tasks and tasks[0]["stage"] == stage else None

    return wait_for(found, what=f"the {stage} task")


def decide(api, officers: Officers, application_id: str, stage: str, decision: str = "setuju", **body) -> dict:
    """The stage's officer claims its task and decides it."""
    task = open_task(api, officers, application_id, stage)
    token = officers.token(ROLES[stage])
    claimed = api.post(f"/api/officer/tasks/{task['taskId']}/claim", token=token)
    assert claimed.status_code == 200, claimed.text
    response = api.post(
        f"/api/officer/tasks/{task['taskId']}/decision", token=token, json={"decision": decision, **body}
    )
    assert response.status_code == 200, response.text
    return response.json()


def status_becomes(applicant: Applicant, application_id: str, status: str, timeout: float = 20) -> dict:
    return wait_for(
        lambda: (lambda a: a if a["status"] == status else None)(applicant.application(application_id)),
        timeout=timeout,
        what=f"status {status}",
    )


def execution(stack, application_id: str) -> dict:
    import boto3

    client = boto3.client("stepfunctions", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    arn = next(iter(stack.event_sources.state_machines.arns.values()))
    executions = client.list_executions(stateMachineArn=arn)["executions"]
    return [e for e in executions if e["name"] == application_id]


def applications_table(stack):
    import boto3

    resource = boto3.resource("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    return resource.Table(stack.provisioned.physical_ids["ApplicationsTable"])


def resubmit(applicant: Applicant, application_id: str, version: int) -> dict:
    """Kirim ulang, once the flow has started waiting for it (a moment after the decision)."""

    def attempt():
        response = applicant.api.post(
            f"/api/applications/{application_id}/resubmit", token=applicant.token, json={"version": version}
        )
        if response.status_code == 409 and response.json()["code"] == "ALUR_BELUM_SIAP":
            return None
        assert response.status_code == 200, response.text
        return response.json()

    return wait_for(attempt, what="the resubmission to be accepted")
