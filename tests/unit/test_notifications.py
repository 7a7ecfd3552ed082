"""The words of each notification, and the notifier's once-per-channel delivery with fakes
in place of the inbox table, the accounts and the providers."""

from __future__ import annotations

import pytest

from eptsp.events import ApplicationEvent, token_key
from eptsp.inbox import messages
from eptsp.inbox.notifier import DeliveryFailed, Notifier, Recipient, UnknownRecipient

APPLICANT_KINDS = ["diajukan", "tahap_berubah", "perbaikan", "diajukan_ulang", "ditolak", "disetujui", "terbit"]


def event(kind: str = "diajukan", **fields) -> ApplicationEvent:
    return ApplicationEvent(
        event_id=f"app1#{kind}#1",
        kind=kind,
        application_id="app1",
        owner_id="owner-1",
        receipt_number="2611-AB12-CD34",
        izin_name="Surat Izin Usaha Perikanan",
        stage="teknis",
        **fields,
    )


@pytest.mark.parametrize("kind", APPLICANT_KINDS)
def test_every_kind_says_its_receipt_in_a_short_sms_and_links_to_the_application(kind):
    words = messages.wording(event(kind, notes="Lengkapi foto.", permit_number="503/1/DPMPTSP-KU/XI/2026"))
    assert words.title and "2611-AB12-CD34" in words.body
    sms = messages.sms(event(kind))
    assert "2611-AB12-CD34" in sms and len(sms) <= 160
    subject, body = messages.email(event(kind), "Nur Aisyah", "d111.cloudfront.net")
    assert subject.endswith("2611-AB12-CD34") and body.startswith("Yth. Nur Aisyah,")
    assert "https://d111.cloudfront.net/#/permohonan/app1" in body.splitlines()
    assert all(len(line) <= messages.EMAIL_WIDTH for line in body.splitlines() if not line.startswith("https://"))


def test_notes_and_the_permit_number_are_in_the_message():
    assert "Lengkapi foto." in messages.wording(event("perbaikan", notes="Lengkapi foto.")).body
    number = "503/1/DPMPTSP-KU/XI/2026"
    assert number in messages.wording(event("terbit", permit_number=number)).body


def test_an_officers_task_links_to_monitoring_and_says_the_stage():
    task = event("tugas_baru", role="teknis")
    assert messages.link(task) == "#/monitoring/2611-AB12-CD34"
    assert messages.wording(task).title == "Tugas baru: Kajian Teknis"


def test_a_task_token_gives_the_same_key_every_time():
    assert token_key("token-a") == token_key("token-a") != token_key("token-b")


class FakeInbox:
    def __init__(self):
        self.claims: set[tuple[str, str]] = set()
        self.messages: list[str] = []

    def claim(self, event_id, channel):
        if (event_id, channel) in self.claims:
            return False
        self.claims.add((event_id, channel))
        return True

    def release(self, event_id, channel):
        self.claims.discard((event_id, channel))

    def add(self, delivery):
        if not self.claim(delivery.event_id, "inbox"):
            return None
        self.messages.append(delivery.title)
        return delivery


class FakeRecipients:
    def applicant(self, event):
        if event.application_id != "app1":
            raise UnknownRecipient(event.event_id)
        return Recipient(key="nik", name="Nur Aisyah", email="nur@example.com", phone="+6281200000001")

    def officers(self, role):
        return [
            Recipient(key=f"{role}-1", name="Rudi", email=f"{role}1@example.go.id", phone=None),
            Recipient(key=f"{role}-2", name="Dewi", email=f"{role}2@example.go.id", phone=None),
        ]


class FlakySender:
    """SES refusing until ``email_works``; every send recorded."""

    def __init__(self):
        self.email_works = False
        self.sent: list[tuple[str, str]] = []

    def email(self, to, subject, body):
        if not self.email_works:
            raise RuntimeError("MessageRejected")
        self.sent.append(("email", to))

    def sms(self, phone, text):
        self.sent.append(("sms", phone))


def test_a_failed_channel_fails_the_event_and_the_retry_sends_only_that_channel():
    inbox, sender = FakeInbox(), FlakySender()
    notifier = Notifier(inbox, FakeRecipients(), sender, "d111.cloudfront.net")
    # When SES fails, the Inbox and SMS go, and the event fails so the queue brings it back
    with pytest.raises(DeliveryFailed):
        notifier.deliver(event())
    assert inbox.messages == ["Permohonan diterima"] and sender.sent == [("sms", "+6281200000001")]
    # When it comes back with SES working, only the e-mail goes
    sender.email_works = True
    assert notifier.deliver(event()) == ["email"]
    # and a third delivery sends nothing
    assert notifier.deliver(event()) == []
    assert sender.sent == [("sms", "+6281200000001"), ("email", "nur@example.com")]
    assert inbox.messages == ["Permohonan diterima"]


def test_a_task_emails_each_officer_of_the_role_once_and_stores_no_inbox_message():
    inbox, sender = FakeInbox(), FlakySender()
    sender.email_works = True
    notifier = Notifier(inbox, FakeRecipients(), sender, "d111.cloudfront.net")
    task = event("tugas_baru", role="verifikator")
    assert notifier.deliver(task) == ["email#verifikator-1", "email#verifikator-2"]
    assert notifier.deliver(task) == []
    assert inbox.messages == []


def test_an_event_of_no_application_stores_nothing():
    inbox, sender = FakeInbox(), FlakySender()
    notifier = Notifier(inbox, FakeRecipients(), sender, "d111.cloudfront.net")
    with pytest.raises(UnknownRecipient):
        notifier.deliver(event().model_copy(update={"application_id": "tidakAda"}))
    assert inbox.messages == [] and sender.sent == []
