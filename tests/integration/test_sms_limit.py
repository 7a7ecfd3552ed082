"""Texts cost money: each phone number gets at most SmsDailyLimitPerPhone codes a WITA day
(activation, Lupa Password PIN, contact confirmation), counted in the accounts table; the
e-mail still carries the code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eptsp.accounts.repository import AccountsRepository
from eptsp.aws import dynamodb_table
from eptsp.workdays import wita_date
from local_stack import template
from tests.integration.accounts_helpers import codes_sent_to, drain_queues, e164, registered_applicant

LIMIT = int(template.load_sam_template()["Parameters"]["SmsDailyLimitPerPhone"]["Default"])


@pytest.fixture(scope="module")
def accounts(stack) -> AccountsRepository:
    return AccountsRepository(dynamodb_table(stack.provisioned.physical_ids["AccountsTable"]))


def today() -> str:
    return wita_date(datetime.now(UTC)).isoformat()


def ask_for_pin(api, stack, body: dict[str, str]) -> None:
    answer = api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    )
    assert answer.status_code == 202, answer.text
    drain_queues(stack)


def test_each_text_to_a_phone_is_counted_for_the_day(api, stack, accounts):
    body, _ = registered_applicant(api)
    phone = e164(body["phone"])
    drain_queues(stack)  # the worker texts after it e-mails
    # The activation code was texted once: the day's count for that number says so.
    item = accounts._table.get_item(Key={"pk": f"SMS#{phone}", "sk": today()})["Item"]
    assert item["sent"] == 1
    assert item["expiresAt"] > datetime.now(UTC).timestamp() + 86400  # kept past the WITA day, then gone


def test_a_phone_at_its_daily_limit_gets_the_pin_by_email_only(api, stack, accounts):
    body, _ = registered_applicant(api)
    phone = e164(body["phone"])
    texts_before = len(codes_sent_to(api, phone))
    # Given the number has had its day's texts already (activation included)
    while accounts.take_sms(phone, today(), LIMIT):
        pass
    # When the applicant asks for a PIN
    ask_for_pin(api, stack, body)
    # Then the PIN arrives by e-mail, and no further text is sent (or paid for)
    assert codes_sent_to(api, body["email"], about="PIN reset password")
    assert len(codes_sent_to(api, phone)) == texts_before
    item = accounts._table.get_item(Key={"pk": f"SMS#{phone}", "sk": today()})["Item"]
    assert item["sent"] == LIMIT
    # A fresh number is texted as usual
    other, _ = registered_applicant(api)
    ask_for_pin(api, stack, other)
    assert codes_sent_to(api, e164(other["phone"]), about="PIN reset password")


def test_the_limit_is_the_template_parameter_the_account_functions_read():
    resources = template.load_sam_template()["Resources"]
    # The code worker texts activation codes and PINs, the profile function contact codes.
    for function in ("PasswordResetWorkerFunction", "ProfileFunction"):
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert variables["SMS_DAILY_LIMIT_PER_PHONE"] == {"Ref": "SmsDailyLimitPerPhone"}, function
