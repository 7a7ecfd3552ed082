"""Kirim: only a complete draft with the declaration is submitted; double taps, retries
and concurrent calls make one submission and one execution with one answer; what was
sent is frozen (sections and the exact S3 object versions of the files). Kirim Ulang
honours its Idempotency-Key the same way."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import boto3
import pytest
import requests

from eptsp.workdays import national_calendar
from tests.integration.accounts_helpers import registered_applicant
from tests.integration.documents_helpers import PDF
from tests.integration.workflow_helpers import (
    FISHING,
    RESEARCH,
    Applicant,
    Officers,
    applications_table,
    decide,
    execution,
    officer_view,
    wait_for,
)

RECEIPT = re.compile(r"^\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.fixture(scope="module")
def applicant(api) -> Applicant:
    return Applicant(api, registered_applicant(api)[1])


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


def test_a_complete_draft_is_submitted_with_a_receipt_and_its_estimated_finish(api, stack, applicant):
    # Given a complete, declared draft
    draft = applicant.draft(FISHING)
    before = datetime.now(UTC)
    # When it is sent
    response = applicant.submit(draft)
    # Then the answer has a readable receipt number and the SLA's finish in working days
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"applicationId", "receiptNumber", "status", "stage", "estimatedFinish"}
    assert RECEIPT.match(answer["receiptNumber"]) and answer["status"] == "diproses" and answer["stage"] == "verifikasi"
    expected = national_calendar().deadline(before, FISHING.sla_working_days)
    assert date.fromisoformat(answer["estimatedFinish"]) == expected
    assert national_calendar().is_working_day(expected)
    # and Permohonan Saya shows it, the receipt findable by search
    shown = applicant.application(answer["applicationId"])
    assert shown["receiptNumber"] == answer["receiptNumber"] and shown["statusLabel"] == "Sedang diproses"
    assert shown["stageLabel"] == "Verifikasi Berkas" and shown["submittedAt"] and shown["perbaikan"] is None
    found = applicant.call("GET", "/api/applications", params={"q": answer["receiptNumber"]})["items"]
    assert [i["applicationId"] for i in found] == [answer["applicationId"]] and found[0]["estimatedFinish"]
    # and its flow has started, once
    wait_for(lambda: execution(stack, answer["applicationId"]), what="the execution")
    # and nothing of it can change any more
    changed = api.put(
        f"/api/applications/{answer['applicationId']}/declaration",
        token=applicant.token,
        json={"version": shown["version"], "agreed": False},
    )
    assert changed.status_code == 409 and changed.json()["code"] == "TIDAK_DAPAT_DIUBAH", changed.text
    cancelled = api.delete(f"/api/applications/{answer['applicationId']}", token=applicant.token)
    assert cancelled.status_code == 409, cancelled.text


def test_an_incomplete_draft_is_422_listing_what_is_missing(api, applicant):
    # Given a draft with everything but the declaration, and an empty one
    undeclared = applicant.draft(RESEARCH, declare=False)
    empty = applicant.call("POST", "/api/applications", 201, json={"jenisPermohonanId": RESEARCH.id})
    for draft, kinds in ((undeclared, {"pernyataan"}), (empty, {"section", "persyaratan", "pernyataan"})):
        # When it is sent
        response = applicant.submit(draft)
        # Then 422 with the same items as the completeness check, and it stays a draft
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["code"] == "BELUM_LENGKAP" and body["message"]
        completeness = applicant.call("GET", f"/api/applications/{draft['applicationId']}/completeness")
        assert body["missing"] == completeness["missing"] and {m["kind"] for m in body["missing"]} == kinds
        assert applicant.application(draft["applicationId"])["status"] == "draft"


def test_a_stale_version_and_another_applicants_draft_are_refused(api, applicant):
    draft = applicant.draft(RESEARCH)
    stale = api.post(
        f"/api/applications/{draft['applicationId']}/submit",
        token=applicant.token,
        json={"version": draft["version"] - 1},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "VERSI_USANG", stale.text
    _, other = registered_applicant(api)
    foreign = api.post(
        f"/api/applications/{draft['applicationId']}/submit", token=other, json={"version": draft["version"]}
    )
    assert foreign.status_code == 404, foreign.text
    assert applicant.application(draft["applicationId"])["status"] == "draft"


def test_twenty_concurrent_double_submissions_make_one_submission_and_one_execution_each(api, stack, applicant):
    # Given 20 complete drafts
    drafts = [applicant.draft(RESEARCH) for _ in range(20)]
    # When each is sent twice at once: a double tap (the same key) or two devices (two keys)
    calls = []
    for n, draft in enumerate(drafts):
        key = str(uuid.uuid4())
        calls += [(draft, key), (draft, key if n % 2 == 0 else str(uuid.uuid4()))]
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        responses = list(pool.map(lambda call: applicant.submit(*call), calls))
    # Then both answers of each pair are 200 and the same
    for n, draft in enumerate(drafts):
        first, second = responses[2 * n], responses[2 * n + 1]
        assert first.status_code == 200 and second.status_code == 200, (first.text, second.text)
        assert first.json() == second.json()
        assert first.json()["applicationId"] == draft["applicationId"]
    receipts = {responses[2 * n].json()["receiptNumber"] for n in range(20)}
    assert len(receipts) == 20
    # and each application was submitted once (one audit event, one version step) with one execution
    table = applications_table(stack)
    for draft in drafts:
        app_id = draft["applicationId"]
        events = table.query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :h)",
            ExpressionAttributeValues={":pk": f"PERMOHONAN#{app_id}", ":h": "RIWAYAT#"},
        )["Items"]
        assert [e["action"] for e in events] == ["diajukan"]
        assert applicant.application(app_id)["version"] == draft["version"] + 1
        wait_for(lambda app_id=app_id: len(execution(stack, app_id)) == 1, what="one execution")
    # and a later retry with the first key gives the first answer again
    again = applicant.submit(drafts[0], calls[0][1])
    assert again.status_code == 200 and again.json() == responses[0].json()


def test_a_failed_start_after_the_write_is_started_by_the_retry(api, stack, applicant, monkeypatch):
    # Given the submission function, whose start of the execution fails once after the write
    function = stack.functions["SubmissionFunction"]
    engine = function._own_modules["eptsp.workflow.engine"].ApprovalEngine
    real_start = engine.start
    failures = []

    def start_failing_once(self, application_id, stage):
        if not failures:
            failures.append(application_id)
            raise ConnectionError("Step Functions tidak dapat dihubungi")
        return real_start(self, application_id, stage)

    monkeypatch.setattr(engine, "start", start_failing_once)
    draft = applicant.draft(RESEARCH)
    key = str(uuid.uuid4())
    # When the first request fails after the submission was written
    failed = applicant.submit(draft, key)
    assert failed.status_code == 500 and failed.json()["code"] == "KESALAHAN_SERVER", failed.text
    assert applicant.application(draft["applicationId"])["status"] == "diproses"
    assert execution(stack, draft["applicationId"]) == []
    # Then the retry answers with the same receipt and starts the one execution
    retried = applicant.submit(draft, key)
    assert retried.status_code == 200, retried.text
    assert retried.json()["receiptNumber"] == applicant.application(draft["applicationId"])["receiptNumber"]
    wait_for(lambda: len(execution(stack, draft["applicationId"])) == 1, what="the execution")


def test_submission_freezes_the_exact_file_versions(api, stack, applicant, officers):
    # Given a submitted application
    answer = applicant.submitted(RESEARCH)
    app_id = answer["applicationId"]
    view = officer_view(api, officers, app_id, "verifikator")
    attachment = next(a for a in view["attachments"] if a["requirementId"] == "proposal-penelitian")
    # When File Saya tries to remove the file, and the stored object is overwritten behind the API
    removed = api.delete(f"/api/files/{applicant.pdf}", token=applicant.token)
    assert removed.status_code == 409, removed.text
    s3 = boto3.client("s3", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    bucket = stack.provisioned.physical_ids["DocumentsBucket"]
    versions = s3.list_object_versions(Bucket=bucket, Prefix="files/")["Versions"]
    key = next(v["Key"] for v in versions if v["Key"].endswith(applicant.pdf))
    s3.put_object(Bucket=bucket, Key=key, Body=b"%PDF-1.4 diganti")
    # Then the officer's link still gives exactly what was submitted
    assert attachment["versionId"] and attachment["versionId"] != "null"
    fresh = officer_view(api, officers, app_id, "verifikator")
    link = next(a for a in fresh["attachments"] if a["requirementId"] == "proposal-penelitian")["downloadUrl"]
    downloaded = requests.get(link, timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == PDF
    # and the sections are those sent
    assert fresh["sections"]["lokasi"]["kecamatan"] == "Tanjung Selor"


def test_a_retried_resubmission_gets_the_first_answer_and_resumes_the_flow_once(
    api, stack, applicant, officers, monkeypatch
):
    # Given a file back for perbaikan, its flow waiting for the resubmission
    app_id = applicant.submitted(RESEARCH)["applicationId"]
    fix = {"sections": [], "requirements": ["proposal-penelitian"]}
    decide(api, officers, app_id, "verifikasi", "perbaikan", notes="Proposal belum ditandatangani.", fix=fix)
    table = applications_table(stack)
    key = {"pk": f"PERMOHONAN#{app_id}", "sk": "META"}
    wait_for(lambda: "resubmitToken" in table.get_item(Key=key)["Item"], what="the flow to wait for a resubmission")
    version = applicant.application(app_id)["version"]
    # and the submission function, whose resumption of the flow fails once after the write
    engine = stack.functions["SubmissionFunction"]._own_modules["eptsp.workflow.engine"].ApprovalEngine
    real_resume = engine.resume
    failures = []

    def resume_failing_once(self, token, output):
        if not failures:
            failures.append(token)
            raise ConnectionError("Step Functions tidak dapat dihubungi")
        return real_resume(self, token, output)

    monkeypatch.setattr(engine, "resume", resume_failing_once)
    idempotency_key = str(uuid.uuid4())

    def kirim_ulang(key: str):
        return api.post(
            f"/api/applications/{app_id}/resubmit",
            token=applicant.token,
            json={"version": version},
            headers={"Idempotency-Key": key},
        )

    # When Kirim Ulang fails after its write, and is retried with its key (twice: a lost answer)
    failed = kirim_ulang(idempotency_key)
    assert failed.status_code == 500 and failed.json()["code"] == "KESALAHAN_SERVER", failed.text
    retried, again = kirim_ulang(idempotency_key), kirim_ulang(idempotency_key)
    # Then both retries get the same answer: sent back, at the same stage
    assert retried.status_code == 200 and again.status_code == 200, (retried.text, again.text)
    assert retried.json() == again.json()
    assert retried.json()["status"] == "diproses" and retried.json()["stage"] == "verifikasi"
    assert retried.json()["receiptNumber"] == applicant.application(app_id)["receiptNumber"]
    # and another key is refused: it is no longer waiting for perbaikan
    other = kirim_ulang(str(uuid.uuid4()))
    assert other.status_code == 409 and other.json()["code"] == "BUKAN_PERBAIKAN", other.text
    # and it was sent back once, and its flow went on: verifikasi decides it again
    events = table.query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :h)",
        ExpressionAttributeValues={":pk": f"PERMOHONAN#{app_id}", ":h": "RIWAYAT#"},
    )["Items"]
    assert [e["action"] for e in events].count("diajukan_ulang") == 1
    assert decide(api, officers, app_id, "verifikasi")["status"] == "diproses"


def test_a_draft_attached_before_versions_were_recorded_is_frozen_at_the_current_versions(api, stack, applicant):
    # Given a complete draft whose attachments name only their files (attached before the
    # upload check recorded versions), one of them a file without a recorded version either
    draft = applicant.draft(RESEARCH)
    table = applications_table(stack)
    key = {"pk": f"PERMOHONAN#{draft['applicationId']}", "sk": "META"}
    attachments = table.get_item(Key=key)["Item"]["attachments"]
    for attachment in attachments.values():
        del attachment["versionId"]
    table.update_item(Key=key, UpdateExpression="SET attachments = :a", ExpressionAttributeValues={":a": attachments})
    files = boto3.resource("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3").Table(
        stack.provisioned.physical_ids["FilesTable"]
    )
    files.update_item(Key={"pk": f"FILE#{applicant.pdf}"}, UpdateExpression="REMOVE versionId")
    # When it is sent
    response = applicant.submit(draft)
    # Then each file is frozen at the version S3 holds for it
    assert response.status_code == 200, response.text
    s3 = boto3.client("s3", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    bucket = stack.provisioned.physical_ids["DocumentsBucket"]
    frozen = table.get_item(Key=key)["Item"]["submittedFiles"]
    assert frozen and {f["fileId"] for f in frozen.values()} == {a["fileId"] for a in attachments.values()}
    for file in frozen.values():
        current = s3.head_object(Bucket=bucket, Key=file["objectKey"])["VersionId"]
        assert file["versionId"] == current and current != "null"
