"""Officers over the API: each role's worklist (most urgent deadline first, lateness shown),
one officer per task (claims), and decisions that never move a file twice: wrong role,
unclaimed, claimed by another, decided already, stale, or sent twice at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.accounts_helpers import created_officer, officer_login, registered_applicant
from tests.integration.workflow_helpers import (
    FISHING,
    RESEARCH,
    Applicant,
    Officers,
    applications_table,
    decide,
    officer_view,
    open_task,
    worklist,
)


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def applicant(api) -> Applicant:
    return Applicant(api, registered_applicant(api)[1])


@pytest.fixture(scope="module")
def second_verifikator(api, officers) -> str:
    """Another verifikator, created by the admin, signed in with the authenticator app's code."""
    officer, secret = created_officer(api, role="verifikator")
    signed_in = officer_login(api, officer["nip"], officer["password"], secret)
    assert signed_in.status_code == 200, signed_in.text
    return signed_in.json()["accessToken"]


def post(api, path: str, token: str, body=None):
    return api.post(path, token=token, json=body)


def assert_refused(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"code", "message", "field"} and body["message"]
    if code:
        assert body["code"] == code, body


def history_actions(api, officers, app_id: str) -> list[str]:
    return [event["action"] for event in officer_view(api, officers, app_id)["history"]]


def test_each_role_sees_its_stage_most_urgent_first_with_lateness(api, stack, applicant, officers):
    # Given two submitted files with different SLAs, one of them made late
    quick = applicant.submitted(RESEARCH)
    slow = applicant.submitted(FISHING)
    quick_task = open_task(api, officers, quick["applicationId"], "verifikasi")
    slow_task = open_task(api, officers, slow["applicationId"], "verifikasi")
    table = applications_table(stack)
    table.update_item(
        Key={"pk": f"TASK#{slow_task['taskId']}", "sk": "TASK"},
        UpdateExpression="SET deadline = :d, dueAt = :due",
        ExpressionAttributeValues={":d": "2026-01-05", ":due": f"2026-01-05#{slow_task['receivedAt']}"},
    )
    # When the verifikator reads the worklist
    tasks = worklist(api, officers.token("verifikator"))
    # Then it is sorted by deadline, the late one first and flagged
    assert [(t["deadline"], t["receivedAt"]) for t in tasks] == sorted((t["deadline"], t["receivedAt"]) for t in tasks)
    mine = {t["applicationId"]: t for t in tasks}
    late, on_time = mine[slow["applicationId"]], mine[quick["applicationId"]]
    assert late["late"] is True and on_time["late"] is False
    assert tasks.index(late) < tasks.index(on_time)
    assert on_time["deadline"] == quick["estimatedFinish"] and on_time["receiptNumber"] == quick["receiptNumber"]
    assert on_time["izinName"] and on_time["applicantName"] and on_time["claimedBy"] is None
    assert {t["stage"] for t in tasks} == {"verifikasi"} and {t["role"] for t in tasks} == {"verifikator"}
    assert quick_task["taskId"] == on_time["taskId"]
    # and the other roles do not see them
    for role in ("teknis", "kepala", "admin"):
        assert not {t["applicationId"] for t in worklist(api, officers.token(role))} & mine.keys()
    # and pages follow a cursor
    first = api.get("/api/officer/tasks", token=officers.token("verifikator"), params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["cursor"]
    following = api.get(
        "/api/officer/tasks", token=officers.token("verifikator"), params={"limit": 1, "cursor": first["cursor"]}
    ).json()
    assert following["items"][0]["taskId"] != first["items"][0]["taskId"]


def test_the_officer_reads_the_submitted_file_with_five_minute_links(api, applicant, officers):
    submitted = applicant.submitted(RESEARCH)
    view = officer_view(api, officers, submitted["applicationId"], "verifikator")
    assert view["applicantName"] and view["stages"] == ["verifikasi", "persetujuan"]
    assert {a["requirementId"] for a in view["attachments"]} == {p.id for p in RESEARCH.persyaratan if p.mandatory}
    link = view["attachments"][0]["downloadUrl"]
    assert "X-Amz-Expires=300" in link and "versionId=" in link
    assert [e["action"] for e in view["history"]] == ["diajukan"]
    # and an applicant's token is refused on the officers' route (another user pool)
    assert_refused(api.get(f"/api/officer/applications/{submitted['applicationId']}", token=applicant.token), 401)


def test_one_officer_per_task_and_no_decision_without_the_claim(api, applicant, officers, second_verifikator):
    app_id = applicant.submitted(RESEARCH)["applicationId"]
    task = open_task(api, officers, app_id, "verifikasi")
    claim, decision = f"/api/officer/tasks/{task['taskId']}/claim", f"/api/officer/tasks/{task['taskId']}/decision"
    verifikator = officers.token("verifikator")
    # An unclaimed task cannot be decided
    assert_refused(post(api, decision, verifikator, {"decision": "setuju"}), 409, "BELUM_DIKLAIM")
    # The wrong role can neither claim nor decide it
    assert_refused(post(api, claim, officers.token("teknis")), 403)
    assert_refused(post(api, decision, officers.token("kepala"), {"decision": "setuju"}), 403)
    # One verifikator claims it (again, harmlessly); the other gets 409 naming who has it
    claimed = post(api, claim, verifikator)
    assert claimed.status_code == 200 and claimed.json()["claimedBy"]["name"], claimed.text
    assert post(api, claim, verifikator).status_code == 200
    other = post(api, claim, second_verifikator)
    assert_refused(other, 409, "DIKLAIM_PETUGAS_LAIN")
    assert claimed.json()["claimedBy"]["name"] in other.json()["message"]
    assert_refused(post(api, decision, second_verifikator, {"decision": "setuju"}), 409, "DIKLAIM_PETUGAS_LAIN")
    # Nothing moved
    assert history_actions(api, officers, app_id) == ["diajukan"]
    assert applicant.application(app_id)["stage"] == "verifikasi"


def test_a_decision_needs_its_notes_and_what_to_fix(api, applicant, officers):
    app_id = applicant.submitted(RESEARCH)["applicationId"]
    task = open_task(api, officers, app_id, "verifikasi")
    token = officers.token("verifikator")
    assert post(api, f"/api/officer/tasks/{task['taskId']}/claim", token).status_code == 200
    decision = f"/api/officer/tasks/{task['taskId']}/decision"
    cases = [
        ({"decision": "tolak"}, "notes"),
        ({"decision": "perbaikan", "notes": "  "}, "notes"),
        ({"decision": "perbaikan", "notes": "Perbaiki."}, "fix"),
        ({"decision": "perbaikan", "notes": "Perbaiki.", "fix": {"sections": ["perusahaan"]}}, "fix.sections"),
        ({"decision": "perbaikan", "notes": "Perbaiki.", "fix": {"requirements": ["tidak-ada"]}}, "fix.requirements"),
        ({"decision": "setuju", "fix": {"sections": ["lokasi"]}}, "fix"),
        ({"decision": "setuju", "bap": {"tanggal": "2026-11-20"}}, "bap.lokasi"),
        ({"decision": "lanjut"}, "decision"),
    ]
    for body, field in cases:
        response = post(api, decision, token, body)
        assert response.status_code == 422, (body, response.text)
        assert response.json().get("field") == field, (body, response.json())
    assert history_actions(api, officers, app_id) == ["diajukan"]


def test_a_double_decision_moves_the_file_once(api, applicant, officers):
    app_id = applicant.submitted(FISHING)["applicationId"]
    task = open_task(api, officers, app_id, "verifikasi")
    token = officers.token("verifikator")
    assert post(api, f"/api/officer/tasks/{task['taskId']}/claim", token).status_code == 200
    decision = f"/api/officer/tasks/{task['taskId']}/decision"
    # When the same decision is sent twice at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: post(api, decision, token, {"decision": "setuju"}), range(2)))
    # Then one moves the file and the other is refused
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    # and a later one (any decision) too
    assert_refused(post(api, decision, token, {"decision": "tolak", "notes": "Ulang"}), 409, "SUDAH_DIPUTUSKAN")
    open_task(api, officers, app_id, "teknis")
    assert history_actions(api, officers, app_id) == ["diajukan", "setuju"]
    assert not [t for t in worklist(api, token) if t["taskId"] == task["taskId"]]


def test_a_stale_task_is_refused_and_nothing_moves(api, stack, applicant, officers):
    # Given a task that is no longer the one its application's flow waits on
    app_id = applicant.submitted(RESEARCH)["applicationId"]
    task = open_task(api, officers, app_id, "verifikasi")
    token = officers.token("verifikator")
    assert post(api, f"/api/officer/tasks/{task['taskId']}/claim", token).status_code == 200
    table = applications_table(stack)
    key = {"pk": f"PERMOHONAN#{app_id}", "sk": "META"}
    table.update_item(Key=key, UpdateExpression="SET currentTaskId = :other", ExpressionAttributeValues={":other": "x"})
    # When it is decided
    stale = post(api, f"/api/officer/tasks/{task['taskId']}/decision", token, {"decision": "setuju"})
    # Then 409, no transition, and the task is still open
    assert_refused(stale, 409, "TUGAS_USANG")
    assert history_actions(api, officers, app_id) == ["diajukan"]
    assert [t["taskId"] for t in worklist(api, token) if t["applicationId"] == app_id] == [task["taskId"]]
    # and once it is current again, it decides normally
    table.update_item(
        Key=key, UpdateExpression="SET currentTaskId = :t", ExpressionAttributeValues={":t": task["taskId"]}
    )
    assert decide(api, officers, app_id, "verifikasi")["stage"] == "persetujuan"
