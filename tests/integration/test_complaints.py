"""Pengaduan through the API on the local stack: an applicant files a complaint about one of
their own applications with a File Saya attachment, an officer lists it by status, replies
and closes it; the applicant reads the replies and hears of each (Inbox, e-mail, SMS).
Nobody else reads it, an applicant is refused the officer routes, and bad input is a 4xx."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.integration.accounts_helpers import demo_token, e164, registered_applicant
from tests.integration.documents_helpers import PDF, presign
from tests.integration.workflow_helpers import RESEARCH, Applicant, wait_for

TEXT = "Permohonan saya sudah lewat dua minggu tetapi belum ada kabar dari petugas."
REPLY = "Berkas Anda sedang diperiksa tim teknis; hasilnya kami kabarkan paling lambat Jumat."


class Owner:
    """An applicant with a submitted application and a verified file, and the admin's token."""

    def __init__(self, api):
        body, self.token = registered_applicant(api)
        self.email, self.phone = body["email"], e164(body["phone"])
        self.applicant = Applicant(api, self.token)
        self.receipt = self.applicant.submitted(RESEARCH)["receiptNumber"]
        self.admin = demo_token(api, "admin")


@pytest.fixture(scope="module")
def owner(api) -> Owner:
    return Owner(api)


def file_complaint(api, token: str, expect: int = 201, headers: dict | None = None, **body) -> dict:
    response = api.post(
        "/api/complaints", token=token, json={"category": "waktu", "text": TEXT, **body}, headers=headers or {}
    )
    assert response.status_code == expect, response.text
    return response.json()


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def officer_list(api, token: str, status: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = ok(
            api.get(
                "/api/officer/complaints",
                token=token,
                params={"status": status, "limit": 100, **({"cursor": cursor} if cursor else {})},
            )
        )
        items += page["items"]
        cursor = page["cursor"]
        if not cursor:
            return items


def inbox_kinds(api, token: str) -> dict[str, dict]:
    return {m["kind"]: m for m in ok(api.get("/api/inbox", token=token, params={"limit": 100}))["items"]}


def outbox(api, to: str, about: str) -> list[dict]:
    return [m for m in api.get("/_local/outbox").json() if m["to"] == to and about in m["subject"] + m["body"]]


def test_file_reply_close_and_the_applicant_reads_each_step(api, owner):
    # Given the owner's verified file and their own receipt number, typed loosely
    file_id = owner.applicant.pdf
    typed = owner.receipt.lower().replace("-", " ")
    # When they file a complaint about it
    filed = file_complaint(api, owner.token, receiptNumber=typed, fileId=file_id)
    complaint_id = filed["complaintId"]
    # Then it is received, with the number in its one written form and the file's name
    assert filed["status"] == "diterima" and filed["replies"] == [] and filed["replyCount"] == 0
    assert filed["receiptNumber"] == owner.receipt and filed["applicationId"]
    assert filed["attachment"]["fileId"] == file_id and filed["attachment"]["fileName"] == "dokumen.pdf"
    assert filed["categoryLabel"] == "Waktu penyelesaian" and filed["text"] == TEXT
    mine = ok(api.get("/api/complaints", token=owner.token))["items"]
    assert mine[0]["complaintId"] == complaint_id and mine[0]["status"] == "diterima"
    # And the admin finds it among the received ones, with the applicant's name
    received = {c["complaintId"]: c for c in officer_list(api, owner.admin, "diterima")}
    assert received[complaint_id]["applicantName"] == "Nur Aisyah"
    # with a short link to the attachment that the applicant's own answers do not carry
    link = received[complaint_id]["attachment"]["downloadUrl"]
    download = requests.get(link, timeout=30)
    assert download.status_code == 200 and download.content == PDF, download.text[:200]
    assert filed["attachment"]["downloadUrl"] is None

    # When the admin replies
    replied = ok(
        api.post(f"/api/officer/complaints/{complaint_id}/replies", token=owner.admin, json={"text": f"  {REPLY} "}),
        201,
    )
    # Then it is in process, the reply signed with the officer's name for officers
    assert replied["status"] == "diproses" and replied["replyCount"] == 1
    assert replied["replies"][0]["text"] == REPLY and replied["replies"][0]["officerName"]
    assert complaint_id not in {c["complaintId"] for c in officer_list(api, owner.admin, "diterima")}
    assert complaint_id in {c["complaintId"] for c in officer_list(api, owner.admin, "diproses")}
    # And the applicant reads the reply (from the office, unnamed)
    detail = ok(api.get(f"/api/complaints/{complaint_id}", token=owner.token))
    assert detail["status"] == "diproses"
    assert [(r["text"], r["officerName"]) for r in detail["replies"]] == [(REPLY, None)]
    # And hears of it in the Inbox (linking the complaint), by e-mail and by SMS
    message = wait_for(lambda: inbox_kinds(api, owner.token).get("pengaduan_dibalas"), what="the reply's message")
    assert message["link"] == f"#/pengaduan/{complaint_id}" and REPLY in message["body"]
    assert message["title"] == "Pengaduan Anda dibalas" and message["receiptNumber"] == owner.receipt
    email = wait_for(lambda: outbox(api, owner.email, "Pengaduan Anda dibalas"), what="the reply's e-mail")
    assert f"#/pengaduan/{complaint_id}" in email[0]["body"] and "Berkas Anda sedang diperiksa" in email[0]["body"]
    assert wait_for(lambda: outbox(api, owner.phone, "Pengaduan Anda sudah dibalas"), what="the reply's SMS")

    # When a second reply comes and the admin closes it
    ok(
        api.post(f"/api/officer/complaints/{complaint_id}/replies", token=owner.admin, json={"text": "Sudah selesai."}),
        201,
    )
    closed = ok(api.post(f"/api/officer/complaints/{complaint_id}/close", token=owner.admin))
    # Then it is finished, and neither a reply nor a second close is taken
    assert closed["status"] == "selesai" and closed["closedAt"] and closed["replyCount"] == 2
    for path, body in (("replies", {"text": "Satu lagi."}), ("close", None)):
        refused = api.post(f"/api/officer/complaints/{complaint_id}/{path}", token=owner.admin, json=body)
        assert refused.status_code == 409 and refused.json()["code"] == "PENGADUAN_SELESAI", refused.text
    assert complaint_id in {c["complaintId"] for c in officer_list(api, owner.admin, "selesai")}
    # And the applicant sees both replies in order, the status, and the closing message
    detail = ok(api.get(f"/api/complaints/{complaint_id}", token=owner.token))
    assert detail["status"] == "selesai" and [r["text"] for r in detail["replies"]] == [REPLY, "Sudah selesai."]
    closing = wait_for(lambda: inbox_kinds(api, owner.token).get("pengaduan_selesai"), what="the closing message")
    assert closing["link"] == f"#/pengaduan/{complaint_id}"
    assert (
        len(
            [
                m
                for m in ok(api.get("/api/inbox", token=owner.token, params={"limit": 100}))["items"]
                if m["kind"] == "pengaduan_dibalas"
            ]
        )
        == 2
    )


def test_nobody_else_reads_it_nor_names_the_owners_receipt_or_file(api, owner):
    complaint_id = file_complaint(api, owner.token)["complaintId"]
    _, other = registered_applicant(api)
    # Then another applicant gets 404 for it and lists nothing of it
    refused = api.get(f"/api/complaints/{complaint_id}", token=other)
    assert refused.status_code == 404 and refused.json()["code"] == "TIDAK_DITEMUKAN", refused.text
    assert ok(api.get("/api/complaints", token=other))["items"] == []
    # Nor may they complain about the owner's application or attach the owner's file
    for field, value in (("receiptNumber", owner.receipt), ("fileId", owner.applicant.pdf)):
        error = file_complaint(api, other, expect=422, **{field: value})
        assert error["field"] == field, error
    # A made-up complaint is 404 for the officer too
    missing = api.post("/api/officer/complaints/tidakAda12345/replies", token=owner.admin, json={"text": "Halo."})
    assert missing.status_code == 404, missing.text
    assert api.post("/api/officer/complaints/tidakAda12345/close", token=owner.admin).status_code == 404
    assert api.get("/api/complaints/tidakAda12345", token=owner.token).status_code == 404


def test_applicants_and_other_roles_are_refused_the_officer_routes(api, owner):
    complaint_id = file_complaint(api, owner.token)["complaintId"]
    verifikator = demo_token(api, "verifikator")  # COMPLAINT_ROLES is admin by default
    # An applicant's token is of another user pool (401); another officer role is 403
    for token, status, code in ((owner.token, 401, "BELUM_MASUK"), (verifikator, 403, "TIDAK_BERWENANG")):
        assert api.get("/api/officer/complaints", token=token).status_code == status
        reply = api.post(f"/api/officer/complaints/{complaint_id}/replies", token=token, json={"text": "Halo."})
        assert reply.status_code == status and reply.json()["code"] == code, reply.text
        assert api.post(f"/api/officer/complaints/{complaint_id}/close", token=token).status_code == status
    # And officers do not file complaints (their tokens are not applicants')
    assert api.post("/api/complaints", token=owner.admin, json={"category": "waktu", "text": TEXT}).status_code == 401
    assert ok(api.get(f"/api/complaints/{complaint_id}", token=owner.token))["status"] == "diterima"


def test_bad_input_is_refused_with_the_field_named(api, owner):
    pending = presign(api, owner.token, "surat.pdf", "application/pdf", 1000).json()["fileId"]
    cases = [
        ({"category": "marah", "text": TEXT}, "category"),
        ({"category": "waktu", "text": "  pendek   "}, "text"),
        ({"category": "waktu", "text": "x" * 3001}, "text"),
        ({"category": "waktu"}, "text"),
        ({"category": "waktu", "text": TEXT, "receiptNumber": "2611-0000-0000"}, "receiptNumber"),
        ({"category": "waktu", "text": TEXT, "receiptNumber": "bukan resi"}, "receiptNumber"),
        ({"category": "waktu", "text": TEXT, "fileId": "tidakAda123456"}, "fileId"),
        ({"category": "waktu", "text": TEXT, "fileId": pending}, "fileId"),
        ({"category": "waktu", "text": TEXT, "fileId": "../x"}, "fileId"),
    ]
    before = len(ok(api.get("/api/complaints", token=owner.token, params={"limit": 100}))["items"])
    for body, field in cases:
        response = api.post("/api/complaints", token=owner.token, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["field"] == field and response.json()["message"], (body, response.text)
    assert len(ok(api.get("/api/complaints", token=owner.token, params={"limit": 100}))["items"]) == before
    complaint_id = file_complaint(api, owner.token)["complaintId"]
    blank = api.post(f"/api/officer/complaints/{complaint_id}/replies", token=owner.admin, json={"text": "   "})
    assert blank.status_code == 422 and blank.json()["field"] == "text", blank.text
    assert api.get("/api/officer/complaints", token=owner.admin, params={"status": "baru"}).status_code == 422


def test_lists_page_with_cursors_of_their_own(api, owner):
    _, token = registered_applicant(api)
    filed = [file_complaint(api, token, text=f"{TEXT} ({n})")["complaintId"] for n in range(3)]
    first = ok(api.get("/api/complaints", token=token, params={"limit": 2}))
    second = ok(api.get("/api/complaints", token=token, params={"limit": 2, "cursor": first["cursor"]}))
    # Newest first, across pages, each once
    assert [c["complaintId"] for c in first["items"] + second["items"]] == list(reversed(filed))
    assert second["cursor"] is None
    # Another applicant's cursor, or the officers' cursor of another status, opens nothing
    refused = api.get("/api/complaints", token=owner.token, params={"cursor": first["cursor"]})
    assert refused.status_code == 422 and refused.json()["field"] == "cursor", refused.text
    officers = ok(api.get("/api/officer/complaints", token=owner.admin, params={"status": "diterima", "limit": 1}))
    assert officers["cursor"]
    other_status = api.get(
        "/api/officer/complaints", token=owner.admin, params={"status": "selesai", "cursor": officers["cursor"]}
    )
    assert other_status.status_code == 422 and other_status.json()["field"] == "cursor", other_status.text


def test_a_repeated_idempotency_key_creates_once(api, owner):
    _, token = registered_applicant(api)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = file_complaint(api, token, headers=key)
    again = file_complaint(api, token, headers=key)
    assert again["complaintId"] == first["complaintId"]
    assert len(ok(api.get("/api/complaints", token=token))["items"]) == 1
    # The same key with another body is refused
    reused = api.post("/api/complaints", token=token, json={"category": "biaya", "text": TEXT}, headers=key)
    assert reused.status_code == 422 and reused.json()["code"] == "KUNCI_IDEMPOTENSI_DIPAKAI", reused.text
    # And a reply sent twice with one key is one reply
    path = f"/api/officer/complaints/{first['complaintId']}/replies"
    reply_key = {"Idempotency-Key": str(uuid.uuid4())}
    for _ in range(2):
        ok(api.post(path, token=owner.admin, json={"text": REPLY}, headers=reply_key), 201)
    assert ok(api.get(f"/api/complaints/{first['complaintId']}", token=token))["replyCount"] == 1
