"""Notifications end to end on moto: the approval flow's events go through the notification
queue to the notifier, which writes the Inbox and sends e-mail (SES) and SMS (SNS), as the
local outbox shows them; SES failing then recovering, a poison event dead-lettered, and an
event delivered again sent once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import boto3
import pytest

from local_stack.stack import REGION
from tests.integration.accounts_helpers import e164, registered_applicant
from tests.integration.workflow_helpers import (
    FISHING,
    RESEARCH,
    Applicant,
    Officers,
    decide,
    resubmit,
    status_becomes,
    wait_for,
)

SENDER = "no-reply@e-ptsp.example.go.id"  # the template's SesSenderEmail
# The template gives the queue 180 s (six times the notifier's timeout, for AWS); the
# emulator's queue gets 1 s here so that a retry comes back within the test. Same queue,
# same redrive policy (5 receives), only a shorter wait between attempts.
TEST_VISIBILITY_SECONDS = "1"


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def sqs():
    return boto3.client("sqs", region_name=REGION)


@pytest.fixture(scope="module")
def queues(stack, sqs) -> Iterator[dict[str, str]]:
    ids = stack.provisioned.physical_ids
    urls = {"queue": ids["NotificationQueue"], "dead": ids["NotificationDeadLetterQueue"]}
    before = sqs.get_queue_attributes(QueueUrl=urls["queue"], AttributeNames=["VisibilityTimeout"])["Attributes"]
    sqs.set_queue_attributes(QueueUrl=urls["queue"], Attributes={"VisibilityTimeout": TEST_VISIBILITY_SECONDS})
    try:
        yield urls
    finally:
        sqs.set_queue_attributes(QueueUrl=urls["queue"], Attributes=before)


class Person:
    """A registered applicant with the e-mail and phone the notifications go to."""

    def __init__(self, api):
        body, token = registered_applicant(api)
        self.email, self.phone = body["email"], e164(body["phone"])
        self.applicant = Applicant(api, token)


def outbox(api, to: str, channel: str, about: str = "") -> list[dict]:
    return [
        m
        for m in api.get("/_local/outbox").json()
        if m["to"] == to and m["channel"] == channel and about in m["body"] + m["subject"]
    ]


def inbox(api, token: str) -> list[dict]:
    """Every Inbox message of the caller, newest first, following the cursor."""
    items, cursor = [], None
    while True:
        response = api.get("/api/inbox", token=token, params={"limit": 3, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["cursor"]
        if not cursor:
            return items


def kinds_of(api, token: str, application_id: str) -> list[str]:
    """The kinds of the application's messages, oldest first."""
    return [m["kind"] for m in reversed(inbox(api, token)) if m["applicationId"] == application_id]


def test_a_whole_journey_notifies_every_stage_by_inbox_email_and_sms_and_the_officers_of_their_tasks(
    api, stack, queues, officers
):
    # Given an applicant whose permit needs a technical review
    person = Person(api)
    applicant = person.applicant
    submitted = applicant.submitted(FISHING)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    # When it passes verifikasi, teknis asks for a fix, the applicant sends it again, and
    # teknis and the head approve
    decide(api, officers, app_id, "verifikasi")
    decide(
        api,
        officers,
        app_id,
        "teknis",
        "perbaikan",
        notes="Foto kapal kurang jelas, unggah ulang.",
        fix={"sections": [], "requirements": [FISHING.persyaratan[0].id]},
    )
    status_becomes(applicant, app_id, "perbaikan")
    resubmit(applicant, app_id, applicant.application(app_id)["version"])
    decide(api, officers, app_id, "teknis")
    decide(api, officers, app_id, "persetujuan")
    status_becomes(applicant, app_id, "terbit")
    # terbit also invites to the Survey IKM (Inbox and e-mail, no SMS)
    expected = [
        "diajukan",
        "tahap_berubah",
        "perbaikan",
        "diajukan_ulang",
        "tahap_berubah",
        "disetujui",
        "terbit",
        "survei_diundang",
    ]

    # Then the Inbox holds one message per event, newest first, each linking to the application
    def every_kind():
        found = kinds_of(api, applicant.token, app_id)
        return found if found == expected else None

    wait_for(every_kind, what="every stage in the Inbox")
    messages = [m for m in inbox(api, applicant.token) if m["applicationId"] == app_id]
    links = {m["kind"]: m["link"] for m in messages}
    assert all(m["receiptNumber"] == receipt for m in messages) and links.pop("survei_diundang") == f"#/survei/{app_id}"
    assert set(links.values()) == {f"#/permohonan/{app_id}"}
    assert all(not m["read"] for m in messages)
    perbaikan = next(m for m in messages if m["kind"] == "perbaikan")
    assert "Foto kapal kurang jelas" in perbaikan["body"]
    teknis = [m for m in messages if m["kind"] == "tahap_berubah"]
    assert {m["title"] for m in teknis} == {"Masuk tahap Kajian Teknis", "Masuk tahap Persetujuan Kepala"}

    # and one e-mail and one SMS per event, with the receipt and (e-mail) the link back
    emails = wait_for(
        lambda: (lambda found: found if len(found) >= len(expected) else None)(
            outbox(api, person.email, "email", receipt)
        ),
        what="the e-mails",
    )
    subjects = [m["subject"] for m in emails]
    assert len(subjects) == len(expected), subjects
    assert subjects[-2:] == [f"Izin terbit - {receipt}", f"Bagaimana pelayanan kami? - {receipt}"]
    assert applicant.application(app_id)["permitNumber"] in emails[-2]["body"]
    assert all(receipt in m["subject"] and f"Nomor resi: {receipt}" in m["body"] for m in emails)
    assert all(f"/#/permohonan/{app_id}" in m["body"] for m in emails[:-1])
    assert f"/#/survei/{app_id}" in emails[-1]["body"]
    # wrapped for a phone: no line but the link is wider than 72 characters
    assert all(len(line) <= 72 or line.startswith("http") for m in emails for line in m["body"].splitlines())
    texts = outbox(api, person.phone, "sms", receipt)
    assert len(texts) == len(expected) - 1, texts  # no SMS for the survey invitation
    assert all(len(m["body"]) <= 160 for m in texts)
    # and each officer role got an e-mail when the file landed in its worklist (teknis twice)
    tasks = {
        role: outbox(api, f"{role}@dpmptsp.example.go.id", "email", receipt)
        for role in ("verifikator", "teknis", "kepala")
    }
    assert [len(tasks[r]) for r in ("verifikator", "teknis", "kepala")] == [1, 2, 1], tasks
    assert all("Tugas baru" in m["subject"] and f"/#/monitoring/{receipt}" in m["body"] for m in tasks["teknis"])


def test_tolak_is_notified_with_the_officers_notes(api, queues, officers):
    person = Person(api)
    submitted = person.applicant.submitted(RESEARCH)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    decide(api, officers, app_id, "verifikasi", "tolak", notes="Proposal penelitian tidak dilampirkan lengkap.")
    wait_for(
        lambda: kinds_of(api, person.applicant.token, app_id) == ["diajukan", "ditolak", "survei_diundang"],
        what="the rejection and the survey invitation",
    )
    email = wait_for(lambda: outbox(api, person.email, "email", "Permohonan ditolak"), what="the rejection e-mail")
    assert len(email) == 1 and "Proposal penelitian tidak dilampirkan lengkap." in email[0]["body"]
    assert receipt in email[0]["body"]


def test_ses_failing_for_a_while_then_recovering_sends_each_channel_once(api, stack, queues, sqs):
    ses = boto3.client("ses", region_name=REGION)
    person = Person(api)
    # Given SES refusing to send (the sender identity is no longer verified)
    ses.delete_identity(Identity=SENDER)
    try:
        submitted = person.applicant.submitted(RESEARCH)
        app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
        # When the notifier handles the submission: the Inbox and the SMS go, the e-mail fails
        wait_for(lambda: outbox(api, person.phone, "sms", receipt), what="the SMS")
        wait_for(lambda: kinds_of(api, person.applicant.token, app_id) == ["diajukan"], what="the Inbox message")
        time.sleep(1.5)  # at least one more attempt, refused again
        assert outbox(api, person.email, "email", receipt) == []
    finally:
        # Then SES recovers
        ses.verify_email_identity(EmailAddress=SENDER)
    # and the event, back from the queue, sends the e-mail once, and nothing else again
    wait_for(lambda: outbox(api, person.email, "email", receipt), what="the e-mail after SES recovered")
    stack.event_sources.sqs.wait_until_drained()
    assert len(outbox(api, person.email, "email", receipt)) == 1
    assert len(outbox(api, person.phone, "sms", receipt)) == 1
    assert kinds_of(api, person.applicant.token, app_id) == ["diajukan"]
    assert api.get("/api/inbox/unread-count", token=person.applicant.token).json() == {"unread": 1}
    # and nothing was dead-lettered
    assert sqs.receive_message(QueueUrl=queues["dead"], WaitTimeSeconds=0).get("Messages", []) == []


def test_an_event_delivered_again_sends_nothing_again(api, stack, queues, sqs):
    # Given a submission whose notifications were all sent
    person = Person(api)
    submitted = person.applicant.submitted(RESEARCH)
    app_id, receipt = submitted["applicationId"], submitted["receiptNumber"]
    wait_for(lambda: outbox(api, person.email, "email", receipt), what="the e-mail")
    wait_for(lambda: outbox(api, person.phone, "sms", receipt), what="the SMS")
    stack.event_sources.sqs.wait_until_drained()
    owner = next(m for m in inbox(api, person.applicant.token) if m["applicationId"] == app_id)
    assert owner["kind"] == "diajukan"
    # When the same event reaches the notifier twice more (a redelivery, a retried publish)
    event = {
        "eventId": f"{app_id}#diajukan#1",
        "kind": "diajukan",
        "applicationId": app_id,
        "ownerId": applicant_id(stack, app_id),
        "receiptNumber": receipt,
        "izinName": RESEARCH.id,
        "stage": "verifikasi",
    }
    for _ in range(2):
        sqs.send_message(QueueUrl=queues["queue"], MessageBody=json.dumps(event))
    stack.event_sources.sqs.wait_until_drained()
    # Then each channel still has the one message
    assert len(outbox(api, person.email, "email", receipt)) == 1
    assert len(outbox(api, person.phone, "sms", receipt)) == 1
    assert kinds_of(api, person.applicant.token, app_id) == ["diajukan"]


def test_a_poison_event_ends_in_the_dead_letter_queue_after_its_retries(api, stack, queues, sqs):
    # Given events the notifier can never deliver: not an event, and an event of no application
    bodies = {
        "bukan event",
        json.dumps({"eventId": "x#diajukan#1", "kind": "diajukan", "applicationId": "tidakAda1234", "ownerId": "x"}),
    }
    for body in bodies:
        sqs.send_message(QueueUrl=queues["queue"], MessageBody=body)
    # When they fail five receives, then both rest in the dead-letter queue
    found: set[str] = set()

    def dead_lettered():
        for message in sqs.receive_message(QueueUrl=queues["dead"], MaxNumberOfMessages=10).get("Messages", []):
            found.add(message["Body"])
            sqs.delete_message(QueueUrl=queues["dead"], ReceiptHandle=message["ReceiptHandle"])
        return found == bodies

    wait_for(dead_lettered, timeout=30, interval=0.5, what="the poison events in the dead-letter queue")
    stack.event_sources.sqs.wait_until_drained()


def applicant_id(stack, application_id: str) -> str:
    from tests.integration.workflow_helpers import applications_table

    return applications_table(stack).get_item(Key={"pk": f"PERMOHONAN#{application_id}", "sk": "META"})["Item"][
        "ownerId"
    ]
