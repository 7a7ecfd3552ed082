"""Kotak Masuk through the API: the owner's messages newest first in pages, the unread
count, marking one and all as read, and nobody else's messages."""

from __future__ import annotations

import json

import boto3
import pytest

from local_stack.stack import REGION
from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.workflow_helpers import RESEARCH, Applicant, applications_table, wait_for

KINDS = ["tahap_berubah", "perbaikan", "diajukan_ulang", "tahap_berubah"]


@pytest.fixture(scope="module")
def sqs():
    return boto3.client("sqs", region_name=REGION)


def unread(api, token: str) -> int:
    response = api.get("/api/inbox/unread-count", token=token)
    assert response.status_code == 200, response.text
    return response.json()["unread"]


def page(api, token: str, **params) -> dict:
    response = api.get("/api/inbox", token=token, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def everything(api, token: str) -> list[dict]:
    items, cursor = [], None
    while True:
        body = page(api, token, limit=2, **({"cursor": cursor} if cursor else {}))
        items += body["items"]
        cursor = body["cursor"]
        if not cursor:
            return items


@pytest.fixture(scope="module")
def owner(api, stack, sqs) -> tuple[str, str]:
    """An applicant with a submitted application and five Inbox messages: the submission's and
    four more events of it sent to the notification queue as the workflow sends them."""
    _, token = registered_applicant(api)
    submitted = Applicant(api, token).submitted(RESEARCH)
    app_id = submitted["applicationId"]
    owner_id = applications_table(stack).get_item(Key={"pk": f"PERMOHONAN#{app_id}", "sk": "META"})["Item"]["ownerId"]
    wait_for(lambda: unread(api, token) == 1, what="the submission's message")
    for n, kind in enumerate(KINDS):
        event = {
            "eventId": f"{app_id}#{kind}#uji-{n}",
            "kind": kind,
            "applicationId": app_id,
            "ownerId": owner_id,
            "receiptNumber": submitted["receiptNumber"],
            "izinName": "Rekomendasi Penelitian",
            "stage": "verifikasi",
            "notes": "Catatan uji." if kind == "perbaikan" else None,
        }
        sqs.send_message(QueueUrl=stack.provisioned.physical_ids["NotificationQueue"], MessageBody=json.dumps(event))
        # One at a time, so their order is known
        wait_for(lambda expected=n + 2: unread(api, token) == expected, what=f"message {n + 2}")
    return token, app_id


def test_messages_come_newest_first_in_pages_with_their_links(api, owner):
    token, app_id = owner
    first = page(api, token, limit=2)
    assert len(first["items"]) == 2 and first["cursor"]
    items = everything(api, token)
    assert [m["kind"] for m in items] == [*reversed(KINDS), "diajukan"]
    assert [m["createdAt"] for m in items] == sorted((m["createdAt"] for m in items), reverse=True)
    assert all(m["createdAt"].endswith("Z") for m in items)
    assert all(m["link"] == f"#/permohonan/{app_id}" and m["applicationId"] == app_id for m in items)
    assert all(not m["read"] and m["title"] and m["body"] for m in items)
    assert "Catatan uji." in next(m["body"] for m in items if m["kind"] == "perbaikan")


def test_read_one_then_read_all_and_a_new_message_is_unread_again(api, stack, sqs, owner):
    token, app_id = owner
    items = everything(api, token)
    before = unread(api, token)
    # When the newest is read (twice: the second changes nothing)
    for _ in range(2):
        response = api.post(f"/api/inbox/{items[0]['messageId']}/read", token=token)
        assert response.status_code == 204, response.text
    # Then the count drops by one and the message says so
    assert unread(api, token) == before - 1
    assert everything(api, token)[0]["read"] is True
    # When all are read, then none is unread
    assert api.post("/api/inbox/read-all", token=token).status_code == 204
    assert unread(api, token) == 0
    assert all(m["read"] for m in everything(api, token))
    # and reading one already covered by read-all keeps the count at 0
    assert api.post(f"/api/inbox/{items[-1]['messageId']}/read", token=token).status_code == 204
    assert unread(api, token) == 0
    # When another event arrives (a perbaikan request: one message, no survey invitation), then it alone is unread
    owner_id = applications_table(stack).get_item(Key={"pk": f"PERMOHONAN#{app_id}", "sk": "META"})["Item"]["ownerId"]
    event = {
        "eventId": f"{app_id}#perbaikan#uji",
        "kind": "perbaikan",
        "applicationId": app_id,
        "ownerId": owner_id,
        "notes": "Unggah ulang KTP yang terbaca.",
    }
    sqs.send_message(QueueUrl=stack.provisioned.physical_ids["NotificationQueue"], MessageBody=json.dumps(event))
    wait_for(lambda: unread(api, token) == 1, what="the new message")
    newest = everything(api, token)
    assert newest[0]["kind"] == "perbaikan" and newest[0]["read"] is False
    assert all(m["read"] for m in newest[1:])


def test_another_users_messages_are_not_found_and_not_listed(api, owner):
    token, _ = owner
    mine = everything(api, token)
    _, other = registered_applicant(api)
    # Then another applicant lists nothing of them and cannot mark them read
    assert page(api, other)["items"] == []
    response = api.post(f"/api/inbox/{mine[0]['messageId']}/read", token=other)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "TIDAK_DITEMUKAN"
    # nor does read-all touch them
    assert api.post("/api/inbox/read-all", token=other).status_code == 204
    assert unread(api, other) == 0
    # and the owner's cursor opens nothing in another's Inbox
    cursor = page(api, token, limit=1)["cursor"]
    refused = api.get("/api/inbox", token=other, params={"cursor": cursor})
    assert refused.status_code == 422 and refused.json()["field"] == "cursor"
    # The Inbox is the applicants' (officers hear of their tasks by e-mail): an officer's token,
    # of the other user pool, is refused
    assert api.get("/api/inbox/unread-count", token=demo_token(api, "verifikator")).status_code == 401


def test_made_up_and_malformed_message_ids(api, owner):
    token, _ = owner
    missing = api.post("/api/inbox/20260101T000000000Z-00000000/read", token=token)
    assert missing.status_code == 404, missing.text
    malformed = api.post("/api/inbox/bukan-pesan/read", token=token)
    assert malformed.status_code == 422 and malformed.json()["field"] == "messageId", malformed.text
    assert api.get("/api/inbox", token=token, params={"limit": 0}).status_code == 422
    assert api.get("/api/inbox").status_code == 401
