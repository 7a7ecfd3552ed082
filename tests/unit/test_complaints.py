"""Complaint rules without AWS: who handles complaints, what a complaint may say, the words
of its notifications, the notifier finding its owner without an application, and the
front end offering exactly the API's categories."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from eptsp.access import officers
from eptsp.complaints.models import CATEGORIES, ComplaintRequest, ReplyRequest
from eptsp.complaints.service import officer_roles
from eptsp.events import ApplicationEvent
from eptsp.inbox import messages
from eptsp.inbox.notifier import AccountRecipients, UnknownRecipient
from local_stack import template

TEXT = "Permohonan saya sudah lewat dua minggu tetapi belum ada kabar."


@pytest.mark.parametrize(
    ("setting", "roles"),
    [
        (None, ("admin",)),
        ("", ("admin",)),
        ("admin", ("admin",)),
        ("kepala, verifikator", ("admin", "kepala", "verifikator")),
        ("verifikator,admin,verifikator", ("admin", "verifikator")),
    ],
)
def test_admin_always_handles_complaints_with_the_roles_the_office_names(setting, roles):
    assert officer_roles(setting) == roles


def test_a_role_that_is_no_officer_role_is_refused_at_start():
    with pytest.raises(ValueError):
        officers(*officer_roles("admin,pemohon"))
    # and the template's parameter admits only officer roles, admin by default
    parameter = template.load_sam_template()["Parameters"]["ComplaintRoles"]
    pattern = re.compile(parameter["AllowedPattern"])
    assert parameter["Default"] == "admin" and pattern.match("kepala,verifikator")
    assert not pattern.match("pemohon") and not pattern.match("admin,")


def test_a_complaint_is_a_listed_category_and_ten_to_3000_characters_of_text():
    request = ComplaintRequest.model_validate({"category": "waktu", "text": f"  {TEXT}  "})
    assert request.text == TEXT and request.receipt_number is None and request.file_id is None
    for body in (
        {"category": "marah", "text": TEXT},
        {"category": "waktu", "text": "   pendek   "},
        {"category": "waktu", "text": "x" * 3001},
        {"category": "waktu", "text": TEXT, "fileId": "../../x"},
    ):
        with pytest.raises(ValidationError):
            ComplaintRequest.model_validate(body)
    with pytest.raises(ValidationError):
        ReplyRequest.model_validate({"text": "  \n "})


def test_the_page_offers_exactly_the_apis_categories_with_words_in_both_languages():
    root = template.ROOT / "statics" / "js"
    page = (root / "page-pengaduan.js").read_text()
    listed = re.search(r"const CATEGORIES = \[([^\]]*)\]", page).group(1)
    assert re.findall(r"'(\w+)'", listed) == list(CATEGORIES)
    words = (root / "i18n-id.js").read_text() + (root / "i18n-en.js").read_text()
    for category in CATEGORIES:
        assert words.count(f"'pengaduan.cat.{category}'") == 2, category


def complaint_event(kind: str, **fields) -> ApplicationEvent:
    return ApplicationEvent(
        event_id=f"Pq7xK2mN9vB4tR1s#{kind}#1",
        kind=kind,
        owner_id="owner-1",
        owner_username="6571015203951000",
        complaint_id="Pq7xK2mN9vB4tR1s",
        **fields,
    )


@pytest.mark.parametrize("kind", ["pengaduan_dibalas", "pengaduan_selesai"])
def test_a_complaints_notification_links_the_complaint_in_a_short_sms(kind):
    event = complaint_event(kind, notes="Berkas Anda sedang diperiksa.")
    words = messages.wording(event)
    assert words.title and len(messages.sms(event)) <= 160 and "Pengaduan" in words.sms
    assert messages.link(event) == "#/pengaduan/Pq7xK2mN9vB4tR1s"
    subject, body = messages.email(event, "Nur Aisyah", "d111.cloudfront.net")
    lines = body.splitlines()
    assert subject == f"{words.title} - e-PTSP" and lines[0] == "Yth. Nur Aisyah,"
    assert "https://d111.cloudfront.net/#/pengaduan/Pq7xK2mN9vB4tR1s" in lines and "Lihat pengaduan:" in lines
    assert not any(line.startswith(("Nomor resi", "Jenis izin")) for line in lines)  # it names no application
    assert all(len(line) <= messages.EMAIL_WIDTH for line in lines if not line.startswith("https://"))


def test_a_reply_carries_its_words_and_the_receipt_it_is_about():
    event = complaint_event("pengaduan_dibalas", notes="Sudah kami teruskan.", receipt_number="2611-AB12-CD34")
    assert "Sudah kami teruskan." in messages.wording(event).body
    assert "2611-AB12-CD34" in messages.wording(event).body
    assert "Nomor resi: 2611-AB12-CD34" in messages.email(event, "Nur", "d111.cloudfront.net")[1].splitlines()


class Profiles:
    def get_profile(self, username):
        return {"6571015203951000": {"name": "Nur Aisyah", "email": "nur@example.com", "phone": "+6281350001000"}}.get(
            username
        )


class NoApplications:
    def get(self, application_id):
        raise AssertionError("a complaint's owner is not looked up through an application")


def test_the_notifier_finds_a_complaints_owner_by_username():
    recipients = AccountRecipients(NoApplications(), Profiles(), cognito=None, user_pool_id="pool")
    person = recipients.applicant(complaint_event("pengaduan_selesai"))
    assert (person.name, person.email, person.phone) == ("Nur Aisyah", "nur@example.com", "+6281350001000")
    without_owner = complaint_event("pengaduan_selesai").model_copy(update={"owner_username": None})
    with pytest.raises(UnknownRecipient):
        recipients.applicant(without_owner)
