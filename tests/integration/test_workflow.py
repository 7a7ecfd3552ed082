"""The approval state machine end to end, on moto, through the API: every path of
statemachine/approval.asl.json as the officers and the applicant drive it."""

from __future__ import annotations

import pytest

from tests.integration.accounts_helpers import registered_applicant
from tests.integration.documents_helpers import PDF, uploaded
from tests.integration.workflow_helpers import (
    BAP,
    FISHING,
    RESEARCH,
    SURVEYED,
    Applicant,
    Officers,
    applications_table,
    decide,
    execution,
    officer_view,
    resubmit,
    status_becomes,
    wait_for,
    worklist,
)


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def applicant(api) -> Applicant:
    return Applicant(api, registered_applicant(api)[1])


def actions(history: list[dict]) -> list[tuple[str, str]]:
    return [(event["stage"], event["action"]) for event in history]


def riwayat(api, token: str, receipt: str) -> dict:
    response = api.get(f"/api/monitoring/{receipt}/riwayat", token=token)
    assert response.status_code == 200, response.text
    return response.json()


def execution_ends(stack, app_id: str) -> dict:
    # One execution per application, whatever happened on the way
    found = wait_for(
        lambda: (lambda e: e if len(e) == 1 and e[0]["status"] != "RUNNING" else None)(execution(stack, app_id)),
        what="the execution to end",
    )
    return found[0]


def test_approve_all_stages_with_the_field_survey_minutes(api, stack, applicant, officers):
    # Given a submitted application whose permit needs a technical review with a field survey
    submitted = applicant.submitted(SURVEYED)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    assert submitted["status"] == "diproses" and submitted["stage"] == "verifikasi"
    # When each stage's officer approves (teknis with its BAP)
    assert decide(api, officers, app_id, "verifikasi")["stage"] == "teknis"
    assert decide(api, officers, app_id, "teknis", bap=BAP)["stage"] == "persetujuan"
    assert decide(api, officers, app_id, "persetujuan")["stage"] == "penerbitan"
    # Then penerbitan approves it and issues its permit, and the execution ends
    done = status_becomes(applicant, app_id, "terbit")
    assert done["stage"] == "selesai" and done["statusLabel"] == "Izin terbit" and done["permitNumber"]
    assert execution_ends(stack, app_id)["status"] == "SUCCEEDED"
    # and every transition is in the history, oldest first, with who decided for officers only
    history = riwayat(api, applicant.token, receipt)["history"]
    assert actions(history) == [
        ("verifikasi", "diajukan"),
        ("verifikasi", "setuju"),
        ("teknis", "setuju"),
        ("persetujuan", "setuju"),
        ("penerbitan", "disetujui"),
        ("selesai", "terbit"),
    ]
    assert all(event["actorName"] is None for event in history)
    view = officer_view(api, officers, app_id)
    assert view["bap"]["lokasi"] == BAP["lokasi"]
    assert [e["actorRole"] for e in view["history"][1:4]] == ["verifikator", "teknis", "kepala"]
    assert all(e["actorName"] for e in view["history"][1:4])


def test_a_field_survey_approval_needs_its_bap(api, applicant, officers):
    # Given a surveyed permit at the teknis stage
    app_id = applicant.submitted(SURVEYED)["applicationId"]
    decide(api, officers, app_id, "verifikasi")
    from tests.integration.workflow_helpers import open_task

    task = open_task(api, officers, app_id, "teknis")
    token = officers.token("teknis")
    assert api.post(f"/api/officer/tasks/{task['taskId']}/claim", token=token).status_code == 200
    # When teknis approves without the minutes, then 422 naming bap, and nothing moved
    refused = api.post(f"/api/officer/tasks/{task['taskId']}/decision", token=token, json={"decision": "setuju"})
    assert refused.status_code == 422 and refused.json()["field"] == "bap", refused.text
    assert applicant.application(app_id)["stage"] == "teknis"


def test_teknis_is_skipped_where_the_catalogue_needs_no_technical_review(api, stack, applicant, officers):
    submitted = applicant.submitted(RESEARCH)
    app_id = submitted["applicationId"]
    # When verifikasi approves, the next stage is persetujuan
    assert decide(api, officers, app_id, "verifikasi")["stage"] == "persetujuan"
    assert not [t for t in worklist(api, officers.token("teknis")) if t["applicationId"] == app_id]
    decide(api, officers, app_id, "persetujuan")
    status_becomes(applicant, app_id, "terbit")
    history = officer_view(api, officers, app_id)["history"]
    assert "teknis" not in {event["stage"] for event in history}
    assert execution_ends(stack, app_id)["status"] == "SUCCEEDED"


def test_perbaikan_then_the_same_execution_resumes_at_the_same_stage(api, stack, applicant, officers):
    # Given an application at teknis
    submitted = applicant.submitted(FISHING)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    decide(api, officers, app_id, "verifikasi")
    # When teknis returns it for perbaikan of Lokasi Izin and the KTP
    fix = {"sections": ["lokasi"], "requirements": ["ktp"]}
    answer = decide(api, officers, app_id, "teknis", "perbaikan", notes="Koordinat lokasi keliru; KTP buram.", fix=fix)
    assert answer["status"] == "perbaikan" and answer["stage"] == "teknis"
    # Then the applicant sees exactly what to fix and by when
    waiting = applicant.application(app_id)
    assert waiting["status"] == "perbaikan" and waiting["statusLabel"] == "Perlu perbaikan"
    assert waiting["perbaikan"]["sections"] == ["lokasi"] and waiting["perbaikan"]["requirements"] == ["ktp"]
    assert waiting["perbaikan"]["notes"] == "Koordinat lokasi keliru; KTP buram." and waiting["perbaikan"]["deadline"]
    # and may change only that
    version = waiting["version"]
    other = applicant.api.put(
        f"/api/applications/{app_id}/sections/detail",
        token=applicant.token,
        json={"version": version, "data": waiting["data"]["detail"]},
    )
    assert other.status_code == 409 and other.json()["code"] == "TIDAK_DAPAT_DIUBAH", other.text
    npwp = applicant.api.put(
        f"/api/applications/{app_id}/attachments/npwp", token=applicant.token, json={"fileId": applicant.jpeg}
    )
    assert npwp.status_code == 409 and npwp.json()["code"] == "TIDAK_DAPAT_DIUBAH", npwp.text
    fixed = applicant.call(
        "PUT",
        f"/api/applications/{app_id}/sections/lokasi",
        json={"version": version, "data": {**waiting["data"]["lokasi"], "latitude": 3.3}},
    )
    new_ktp = uploaded(api, applicant.token, "ktp-jelas.pdf", "application/pdf", PDF)["fileId"]
    fixed = applicant.call("PUT", f"/api/applications/{app_id}/attachments/ktp", json={"fileId": new_ktp})
    # When it is sent back
    again = resubmit(applicant, app_id, fixed["version"])
    assert again["status"] == "diproses" and again["stage"] == "teknis"
    # Then the same execution opens teknis again, and the rest approves it
    decide(api, officers, app_id, "teknis")
    decide(api, officers, app_id, "persetujuan")
    done = status_becomes(applicant, app_id, "terbit")
    assert done["perbaikan"] is None
    assert execution_ends(stack, app_id)["status"] == "SUCCEEDED"
    history = riwayat(api, applicant.token, receipt)["history"]
    assert actions(history)[2:5] == [("teknis", "perbaikan"), ("teknis", "diajukan_ulang"), ("teknis", "setuju")]
    view = officer_view(api, officers, app_id)
    assert view["sections"]["lokasi"]["latitude"] == 3.3
    assert {a["requirementId"]: a for a in view["attachments"]}["ktp"]["fileName"] == "ktp-jelas.pdf"


def test_perbaikan_not_sent_back_by_its_deadline_ends_as_ditolak(api, stack, applicant, officers):
    # Given a file back with the applicant
    submitted = applicant.submitted(RESEARCH)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    decide(
        api,
        officers,
        app_id,
        "verifikasi",
        "perbaikan",
        notes="Proposal belum ditandatangani.",
        fix={"sections": [], "requirements": ["proposal-penelitian"]},
    )
    table = applications_table(stack)
    key = {"pk": f"PERMOHONAN#{app_id}", "sk": "META"}
    wait_for(lambda: "resubmitToken" in table.get_item(Key=key)["Item"], what="the flow to wait for a resubmission")
    # and a daily check that finds nothing to end while the deadline is ahead
    run = api.post("/_local/schedules/PerbaikanDeadlineFunction/run")
    assert run.status_code == 200, run.text
    assert applicant.application(app_id)["status"] == "perbaikan"
    # When its last day has passed
    table.update_item(
        Key=key,
        UpdateExpression="SET dueAt = :past, perbaikan.deadline = :past",
        ExpressionAttributeValues={":past": "2026-01-02"},
    )
    assert api.post("/_local/schedules/PerbaikanDeadlineFunction/run").status_code == 200
    # Then the application is ditolak with the reason, and the execution has ended
    ended = status_becomes(applicant, app_id, "ditolak")
    assert ended["decisionNotes"] and ended["stage"] == "selesai"
    assert execution_ends(stack, app_id)["status"] == "SUCCEEDED"
    assert actions(riwayat(api, applicant.token, receipt)["history"])[-1] == ("verifikasi", "batas_perbaikan_lewat")
    # and a late resubmission is refused
    late = applicant.api.post(
        f"/api/applications/{app_id}/resubmit", token=applicant.token, json={"version": ended["version"]}
    )
    assert late.status_code == 409, late.text


@pytest.mark.parametrize("stage", ["verifikasi", "teknis", "persetujuan"])
def test_tolak_at_each_stage_ends_it_with_notes_the_applicant_reads(api, stack, applicant, officers, stage):
    submitted = applicant.submitted(FISHING)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    for earlier in ["verifikasi", "teknis", "persetujuan"][: ["verifikasi", "teknis", "persetujuan"].index(stage)]:
        decide(api, officers, app_id, earlier)
    notes = f"Ditolak pada tahap {stage}: dokumen tidak memenuhi syarat."
    answer = decide(api, officers, app_id, stage, "tolak", notes=notes)
    assert answer["status"] == "ditolak"
    rejected = applicant.application(app_id)
    assert rejected["status"] == "ditolak" and rejected["decisionNotes"] == notes
    trail = riwayat(api, applicant.token, receipt)
    assert trail["decisionNotes"] == notes and actions(trail["history"])[-1] == (stage, "tolak")
    assert execution_ends(stack, app_id)["status"] == "SUCCEEDED"


def test_a_failing_task_is_retried_then_parked_as_gangguan_for_an_admin_who_resumes_it(
    api, stack, applicant, officers, monkeypatch
):
    # Given the issuance function failing at penerbitan (as if DynamoDB were unreachable)
    function = stack.functions["IssuanceFunction"]
    real_invoke = function.invoke
    attempts = []

    def failing(event):
        if event.get("action") == "penerbitan":
            attempts.append(event["applicationId"])
            raise ConnectionError("DynamoDB tidak dapat dihubungi")
        return real_invoke(event)

    monkeypatch.setattr(function, "invoke", failing)
    submitted = applicant.submitted(RESEARCH)
    app_id = submitted["applicationId"]
    decide(api, officers, app_id, "verifikasi")
    decide(api, officers, app_id, "persetujuan")
    # Then after its retries the application shows gangguan, and the admin's worklist has it
    parked = status_becomes(applicant, app_id, "gangguan")
    assert parked["statusLabel"] == "Tertunda"
    assert attempts.count(app_id) == 3  # the first try and two retries
    admin = officers.token("admin")
    task = next(t for t in worklist(api, admin) if t["applicationId"] == app_id)
    assert task["kind"] == "gangguan" and task["stage"] == "penerbitan" and task["error"]
    assert execution(stack, app_id)[0]["status"] == "RUNNING"  # waiting, not stuck or lost
    # and nobody but an admin may resume it
    refused = api.post(f"/api/officer/applications/{app_id}/retry", token=officers.token("kepala"))
    assert refused.status_code == 403, refused.text
    # When the cause is gone and the admin retries
    monkeypatch.setattr(function, "invoke", real_invoke)
    resumed = api.post(f"/api/officer/applications/{app_id}/retry", token=admin)
    assert resumed.status_code == 200, resumed.text
    # Then penerbitan runs again and the application is approved and its permit issued
    status_becomes(applicant, app_id, "terbit")
    assert execution_ends(stack, app_id)["status"] == "SUCCEEDED"
    history = officer_view(api, officers, app_id)["history"]
    assert [e["action"] for e in history][-4:] == ["gangguan", "dilanjutkan", "disetujui", "terbit"]
    assert not [t for t in worklist(api, admin) if t["applicationId"] == app_id]
    # and a second retry has nothing to resume
    again = api.post(f"/api/officer/applications/{app_id}/retry", token=admin)
    assert again.status_code == 409, again.text
