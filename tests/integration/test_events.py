"""events/: one sample event per route, still true for the handlers (and usable with
`sam local invoke <Function> -e events/<file>.json` where Docker exists)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_stack import template

EVENTS_DIR = template.ROOT / "events"
EVENT_FILES = sorted(EVENTS_DIR.glob("*.json"))
# What each sample gets from a freshly seeded stack (the samples use the demo accounts).
EXPECTED_STATUS = {
    "auth-post-auth-login.json": 400,  # its security code was never issued
    "auth-post-auth-refresh.json": 401,  # a sample refresh token is no session
    "auth-post-auth-register.json": 400,  # its security code was never issued
    "auth-post-auth-activate.json": 400,  # that registration never happened, so no code waits
    "auth-post-auth-activate-resend.json": 202,  # the same answer for every name
    "auth-post-auth-reset-password.json": 400,  # no PIN was asked for
    "auth-post-auth-logout.json": 204,
    "auth-post-auth-forgot-password.json": 202,
    "officers-post-admin-officers.json": 201,
    "officer-auth-post-officer-auth-login.json": 200,  # the demo verifikator's password: the app's code is next
    "officer-auth-post-officer-auth-mfa.json": 401,  # a sample sign-in session is none
    "officer-auth-post-officer-auth-logout.json": 204,
    "officer-auth-post-officer-me-password.json": 400,  # a wrong old password (and a sample token)
    # Catalogue administration: a new permit and a new office day off are made; the changes
    # carry a version nobody read (409); the day off to remove was never declared (404).
    "catalogue-admin-post-admin-catalogue-izin.json": 201,
    "catalogue-admin-put-admin-catalogue-izin-izinid.json": 409,
    "catalogue-admin-put-admin-catalogue-izin-izinid-layanan-layananid.json": 409,
    "catalogue-admin-put-admin-catalogue-permohonan-jenispermohonanid.json": 409,
    "catalogue-admin-put-admin-calendar-date.json": 201,
    "catalogue-admin-delete-admin-calendar-date.json": 404,
    "profile-post-me-password.json": 400,  # a wrong old password: a right one would end the demo sessions
    "profile-post-me-contact-confirm.json": 400,  # no new contact waits for a code
    "applications-post-applications.json": 201,
    "files-post-files-presign.json": 201,
    "inbox-post-inbox-messageid-read.json": 404,  # the demo applicant has no such message
    "inbox-post-inbox-read-all.json": 204,
    "complaints-post-complaints.json": 201,
    **{  # the sample draft and file do not exist
        name: 404
        for name in (
            "applications-get-applications-applicationid.json",
            "applications-delete-applications-applicationid.json",
            "applications-get-applications-applicationid-completeness.json",
            "applications-put-applications-applicationid-sections-section.json",
            "applications-put-applications-applicationid-attachments-requirementid.json",
            "applications-delete-applications-applicationid-attachments-requirementid.json",
            "applications-put-applications-applicationid-declaration.json",
            "receipt-get-applications-applicationid-receipt.json",
            "submission-post-applications-applicationid-submit.json",
            "submission-post-applications-applicationid-resubmit.json",
            "officer-tasks-get-officer-applications-applicationid.json",
            "officer-tasks-post-officer-tasks-taskid-claim.json",
            "officer-tasks-post-officer-tasks-taskid-decision.json",
            "officer-tasks-post-officer-applications-applicationid-retry.json",
            "monitoring-get-monitoring-receiptnumber.json",
            "monitoring-get-monitoring-receiptnumber-riwayat.json",
            "monitoring-get-officer-monitoring-receiptnumber-riwayat.json",
            "files-get-files-fileid.json",
            "files-delete-files-fileid.json",
            "file-merge-post-files-merge.json",
            "permits-get-applications-applicationid-permit.json",
            "permits-post-officer-permits-permitid-revoke.json",
            "complaints-get-complaints-complaintid.json",
            "complaints-post-officer-complaints-complaintid-replies.json",
            "complaints-post-officer-complaints-complaintid-close.json",
        )
    },
    "surveys-post-surveys.json": 404,  # the sample application does not exist
    "permits-get-verify-permitid.json": 200,  # a made-up permit id: {"valid": false, "status": "tidak valid"}
}
ROUTES = {
    route.route_key: spec.logical_id
    for spec in template.functions(template.load_sam_template())
    for route in spec.routes
}


S3_FUNCTIONS = [spec.logical_id for spec in template.functions(template.load_sam_template()) if spec.s3_events]
API_EVENTS = [p for p in EVENT_FILES if "routeKey" in json.loads(p.read_text())]


def _records_from(source: str) -> list[Path]:
    return [p for p in EVENT_FILES if json.loads(p.read_text()).get("Records", [{}])[0].get("eventSource") == source]


S3_SAMPLES = _records_from("aws:s3")
# The code worker: a Lupa Password request whose phone does not match, so no PIN goes out,
# and an activation code asked for an account that is already active, so none goes out.
SQS_SAMPLES = {
    "password-reset-worker-sqs.json": "PasswordResetWorkerFunction",
    "password-reset-worker-activation-sqs.json": "PasswordResetWorkerFunction",
    # A task for the verifikator role: the demo verifikator gets its e-mail.
    "notifier-sqs.json": "NotifierFunction",
}
# The approval state machine's task inputs (its Payloads), one per action; the sample
# application does not exist, so each reaches the logic and is refused there.
STEP_FUNCTIONS_SAMPLES = sorted(EVENTS_DIR.glob("*-step-functions.json"))
# Penerbitan runs in the issuance function; every other task in the workflow function.
STEP_FUNCTIONS_TASKS = {"issuance": "IssuanceFunction", "workflow": "WorkflowFunction"}
# The daily perbaikan deadline check, as EventBridge Scheduler invokes it.
SCHEDULE_SAMPLES = {"perbaikan-deadline-schedule.json": "PerbaikanDeadlineFunction"}


def test_every_route_and_s3_subscriber_has_a_sample_event():
    covered = {json.loads(path.read_text())["routeKey"] for path in API_EVENTS}
    assert covered == set(ROUTES)
    assert S3_FUNCTIONS and len(S3_SAMPLES) >= len(S3_FUNCTIONS)
    assert sorted(p.name for p in _records_from("aws:sqs")) == sorted(SQS_SAMPLES)
    actions = {json.loads(path.read_text())["action"] for path in STEP_FUNCTIONS_SAMPLES}
    assert actions == {"open_stage", "await_resubmission", "penerbitan", "record_gangguan"}
    others = len(S3_SAMPLES) + len(SQS_SAMPLES) + len(STEP_FUNCTIONS_SAMPLES) + len(SCHEDULE_SAMPLES)
    assert len(API_EVENTS) + others == len(EVENT_FILES)


@pytest.mark.parametrize("path", STEP_FUNCTIONS_SAMPLES, ids=[p.name for p in STEP_FUNCTIONS_SAMPLES])
def test_sample_workflow_task_reaches_its_action(stack, path: Path):
    # An unknown application is refused by the action itself (a malformed input would be a KeyError)
    with pytest.raises(Exception) as refused:
        stack.functions[STEP_FUNCTIONS_TASKS[path.name.split("-")[0]]].invoke(json.loads(path.read_text()))
    assert type(refused.value).__name__ in {"ApplicationNotFound", "ChangeRefused"}, refused.value


@pytest.mark.parametrize(("name", "function"), SCHEDULE_SAMPLES.items())
def test_sample_schedule_event_runs(stack, name: str, function: str):
    result = stack.functions[function].invoke(json.loads((EVENTS_DIR / name).read_text()))
    assert result == {"expired": 0}


@pytest.mark.parametrize(("name", "function"), SQS_SAMPLES.items())
def test_sample_queue_event_is_handled_with_no_failed_message(stack, name: str, function: str):
    result = stack.functions[function].invoke(json.loads((EVENTS_DIR / name).read_text()))
    assert result == {"batchItemFailures": []}


@pytest.mark.parametrize("path", S3_SAMPLES, ids=[p.name for p in S3_SAMPLES])
def test_sample_upload_event_is_checked_and_an_unknown_upload_ignored(stack, path: Path):
    result = stack.functions[S3_FUNCTIONS[0]].invoke(json.loads(path.read_text()))
    assert set(result["checked"].values()) == {"diabaikan"}


@pytest.mark.parametrize("path", API_EVENTS, ids=[p.name for p in API_EVENTS])
def test_sample_event_runs_on_its_function(stack, path: Path):
    event = json.loads(path.read_text())
    function = stack.functions[ROUTES[event["routeKey"]]]
    # When
    result = function.invoke(event)
    # Then
    assert result["statusCode"] == EXPECTED_STATUS.get(path.name, 200), result.get("body")
