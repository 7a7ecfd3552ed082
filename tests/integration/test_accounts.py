"""Accounts end to end through the local stack: registration with the security code and
activation, sign-in and lockout, Cognito only through our functions, sessions that end,
Lupa Password through its queue, profile with confirmed contacts, password, officers."""

from __future__ import annotations

import json
import threading
import time

import boto3
import botocore.client
import pytest
from botocore.exceptions import ClientError

from eptsp.aws import dynamodb_table
from tests.conftest import Api
from tests.integration.accounts_helpers import (
    activate,
    codes_sent_to,
    drain_queues,
    e164,
    login,
    new_identity,
    register,
    registered_applicant,
    registration,
    solved_captcha,
    wait_for_codes,
)

REFRESH_COOKIE = "eptsp_refresh"


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"code", "message", "field"} and body["message"]
    if code:
        assert body["code"] == code, body
    if field:
        assert body.get("field") == field, body
    return body


@pytest.fixture(scope="module")
def accounts_table(stack):
    return dynamodb_table(stack.provisioned.physical_ids["AccountsTable"])


def pins_in_outbox(api, phone: str) -> list[str]:
    return codes_sent_to(api, e164(phone), about="PIN reset password")


def forgot_password(api, stack, body: dict[str, str], **changes):
    """Ask for a PIN and wait until the worker has handled the request."""
    request = {"identifier": body["nik"], "phone": body["phone"], "email": body["email"], **changes}
    answer = api.post("/api/auth/forgot-password", json=request)
    drain_queues(stack)
    return answer


def code_sent_a_minute_ago(table, username: str) -> None:
    """The activation code's minute between codes is over, as it is a minute (or a day) later."""
    table.update_item(
        Key={"pk": f"ACTIVATION#{username}", "sk": "ACTIVATION"},
        UpdateExpression="SET issuedAt = :t",
        ExpressionAttributeValues={":t": int(time.time()) - 61},
    )


def expire(table, keys: list[tuple[str, str]]) -> None:
    """Move records' expiry into the past, as 24 hours (or 15 minutes) passing would."""
    for pk, sk in keys:
        table.update_item(
            Key={"pk": pk, "sk": sk},
            UpdateExpression="SET expiresAt = :t",
            ExpressionAttributeValues={":t": int(time.time()) - 1},
        )


# ------------------------------------------------------------------ registration


def test_registration_normalises_and_keeps_the_profile(api):
    body, token = registered_applicant(api, phone="0812 3456 7001", npwp="01.855.081.4-005.000", nib="9120001234567")
    me = api.get("/api/me", token=token).json()
    assert me["nik"] == body["nik"] and me["username"] == body["nik"]
    assert me["phone"] == "+6281234567001"
    assert me["npwp"] == "018550814005000" and me["nib"] == "9120001234567"
    assert me["roles"] == ["pemohon"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nik", "12345"),
        ("nik", "6571013203950001"),  # 32 March
        ("nik", "9971015203950001"),  # no such region
        ("email", "bukan-email"),
        ("phone", "0212345678"),  # a landline
        ("password", "pendek1"),
        ("password", "tanpaangka"),
        ("npwp", "123"),
        ("nib", "12ab"),
        ("kabupatenKota", "3171"),
        ("name", ""),
        ("address", ""),
    ],
)
def test_each_bad_registration_field_is_named(api, field, value):
    body = registration(**{field: value})
    if field == "password":
        body["passwordConfirmation"] = value
    assert_error(register(api, body), 422, "VALIDASI_GAGAL", field)


def test_password_confirmation_must_match(api):
    response = register(api, registration(passwordConfirmation="Lain12345"))
    error = assert_error(response, 422, "VALIDASI_GAGAL", "passwordConfirmation")
    assert error["message"] == "Konfirmasi password tidak sama dengan password."


@pytest.mark.parametrize("field", ["nik", "email", "phone"])
def test_duplicate_nik_email_or_phone_is_409_saying_which(api, field):
    first, _ = registered_applicant(api)
    second = {**registration(), field: first[field]}
    error = assert_error(register(api, second), 409, "SUDAH_TERDAFTAR", field)
    assert {"nik": "NIK", "email": "Email", "phone": "Nomor HP"}[field] in error["message"]
    # and nothing of the second registration was kept
    others = {k: v for k, v in second.items() if k in ("nik", "email", "phone") and k != field}
    retry = register(api, {**registration(), **others})
    assert retry.status_code == 201, retry.text


def test_registration_needs_the_security_code(api):
    body = registration()
    assert_error(api.post("/api/auth/register", json=body), 422, "VALIDASI_GAGAL", "captchaId")
    captcha_id, _ = solved_captcha(api)
    wrong = {**body, "captchaId": captcha_id, "captchaAnswer": "XXXXX"}
    assert_error(api.post("/api/auth/register", json=wrong), 400, "KODE_KEAMANAN_SALAH", "captchaAnswer")
    # nothing was kept: the same NIK, e-mail and phone register with a right code
    assert register(api, body).status_code == 201


def test_login_before_activation_says_what_to_do_only_with_the_right_password(api):
    body = registration()
    assert register(api, body).status_code == 201
    # Then a wrong password reads as for any account, and the right one says what to do
    assert_error(login(api, body["nik"], "Salah12345"), 401, "LOGIN_GAGAL")
    waiting = assert_error(login(api, body["email"], body["password"]), 403, "AKUN_BELUM_AKTIF")
    assert "kode aktivasi" in waiting["message"]


def test_the_activation_code_goes_by_email_and_sms_and_works_once(api):
    body = registration()
    created = register(api, body)
    assert created.status_code == 201, created.text
    assert "kode aktivasi" in created.json()["message"].lower()
    by_email, by_sms = wait_for_codes(api, body["email"]), wait_for_codes(api, e164(body["phone"]))
    assert len(by_email) == len(by_sms) == 1 and by_email == by_sms
    code = by_email[0]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    # When
    error = assert_error(
        api.post("/api/auth/activate", json={"username": body["nik"], "code": wrong}), 400, "KODE_SALAH", "code"
    )
    assert "Sisa percobaan: 4" in error["message"]
    activated = api.post("/api/auth/activate", json={"username": body["nik"], "code": code})
    # Then
    assert activated.status_code == 200, activated.text
    assert login(api, body["nik"], body["password"]).status_code == 200
    again = api.post("/api/auth/activate", json={"username": body["nik"], "code": code})
    assert_error(again, 400, "KODE_TIDAK_VALID", "code")


def test_activation_input_is_checked(api):
    assert_error(
        api.post("/api/auth/activate", json={"username": "6571015203950001", "code": "12ab"}), 422, field="code"
    )
    assert_error(api.post("/api/auth/activate", json={"code": "123456"}), 422, field="username")
    unknown = api.post("/api/auth/activate", json={"username": new_identity()["nik"], "code": "123456"})
    assert_error(unknown, 400, "KODE_TIDAK_VALID", "code")


def test_five_wrong_activation_codes_spend_it_and_a_new_one_can_be_asked_for(api, stack, accounts_table):
    body = registration()
    register(api, body)
    code = wait_for_codes(api, body["email"])[-1]
    wrong = {"username": body["nik"], "code": f"{(int(code) + 1) % 10**6:06d}"}
    for _ in range(4):
        assert_error(api.post("/api/auth/activate", json=wrong), 400, "KODE_SALAH")
    assert_error(api.post("/api/auth/activate", json=wrong), 429, "KODE_TERKUNCI")
    assert_error(api.post("/api/auth/activate", json={**wrong, "code": code}), 429, "KODE_TERKUNCI")
    # a new code at most once a minute, and the same answer whoever asks
    resend = api.post("/api/auth/activate/resend", json={"username": body["nik"]})
    nobody = api.post("/api/auth/activate/resend", json={"username": new_identity()["nik"]})
    assert resend.status_code == nobody.status_code == 202 and resend.json() == nobody.json()
    drain_queues(stack)
    assert len(codes_sent_to(api, body["email"])) == 1
    code_sent_a_minute_ago(accounts_table, body["nik"])
    assert api.post("/api/auth/activate/resend", json={"username": body["email"]}).status_code == 202
    fresh = wait_for_codes(api, body["email"], count=2)[-1]
    assert len(wait_for_codes(api, e164(body["phone"]), count=2)) == 2
    assert api.post("/api/auth/activate", json={"username": body["nik"], "code": fresh}).status_code == 200


def test_an_unconfirmed_registration_expires_and_frees_its_nik_email_and_phone(api, accounts_table):
    body = registration()
    register(api, body)
    profile = accounts_table.get_item(Key={"pk": f"USER#{body['nik']}", "sk": "PROFILE"})["Item"]
    assert profile["status"] == "menunggu_aktivasi"
    assert 24 * 3600 - 60 < int(profile["expiresAt"]) - time.time() <= 24 * 3600
    claims = [(f"EMAIL#{body['email']}", "CLAIM"), (f"PHONE#{e164(body['phone'])}", "CLAIM")]
    for pk, sk in claims:  # the claims expire with it (DynamoDB TTL)
        assert accounts_table.get_item(Key={"pk": pk, "sk": sk})["Item"]["expiresAt"] == profile["expiresAt"]
    old_code = wait_for_codes(api, body["email"])[-1]
    # When 24 hours pass (TTL removes the records only eventually: they count as free at once)
    expire(accounts_table, [(f"USER#{body['nik']}", "PROFILE"), *claims])
    code_sent_a_minute_ago(accounts_table, body["nik"])
    # Then the code no longer activates it, and the NIK, e-mail and phone register again
    late = api.post("/api/auth/activate", json={"username": body["nik"], "code": old_code})
    assert_error(late, 400, "KODE_TIDAK_VALID")
    assert_error(login(api, body["nik"], body["password"]), 401, "LOGIN_GAGAL")
    again = {**body, "password": "Lagi2026x", "passwordConfirmation": "Lagi2026x"}
    assert register(api, again).status_code == 201
    activate(api, again, sent_before=1)
    assert_error(login(api, body["nik"], body["password"]), 401, "LOGIN_GAGAL")
    assert login(api, body["email"], "Lagi2026x").status_code == 200


def test_another_person_can_take_the_contacts_of_an_expired_registration(api, accounts_table):
    first = registration()
    register(api, first)
    wait_for_codes(api, first["email"])
    claims = [(f"EMAIL#{first['email']}", "CLAIM"), (f"PHONE#{e164(first['phone'])}", "CLAIM")]
    expire(accounts_table, [(f"USER#{first['nik']}", "PROFILE"), *claims])
    second = {**registration(), "email": first["email"], "phone": first["phone"]}
    assert register(api, second).status_code == 201
    activate(api, second, sent_before=1)
    assert login(api, first["email"], second["password"]).json()["user"]["nik"] == second["nik"]


def test_roles_in_the_request_body_are_ignored(api, stack, cognito):
    body, token = registered_applicant(api, roles=["admin"])
    assert api.get("/api/me", token=token).json()["roles"] == ["pemohon"]
    # The applicants' pool holds applicants only: a new one is in no group, and is an applicant
    pool = stack.provisioned.physical_ids["UserPool"]
    assert cognito.admin_list_groups_for_user(UserPoolId=pool, Username=body["nik"])["Groups"] == []
    # An applicant's token is refused before the body: nothing of the admin schema is learnt
    assert_error(api.post("/api/admin/officers", token=token, json={}), 401, "BELUM_MASUK")
    officer = {
        "nip": "199001012020121001",
        "name": "Petugas Palsu",
        "email": "x@example.com",
        "phone": "081299990000",
        "role": "admin",
        "password": "RahasiaSekali123",
    }
    assert_error(api.post("/api/admin/officers", token=token, json=officer), 401, "BELUM_MASUK")


# ------------------------------------------------------------------ sign-in


def test_login_by_nik_and_by_email_gives_tokens_and_a_refresh_cookie(api):
    body, _ = registered_applicant(api)
    for username in (body["nik"], body["email"].upper()):
        response = login(api, username, body["password"])
        assert response.status_code == 200, response.text
        tokens = response.json()
        assert tokens["accessToken"] and tokens["idToken"] and tokens["expiresIn"] > 0
        assert "refreshToken" not in tokens  # only in the HttpOnly cookie
        assert tokens["user"]["nik"] == body["nik"]
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "Path=/api/auth" in cookie and "SameSite=Strict" in cookie


def test_login_failures_give_one_generic_message(api):
    body, _ = registered_applicant(api)
    wrong_password = assert_error(login(api, body["nik"], "Salah12345"), 401, "LOGIN_GAGAL")
    unknown_user = assert_error(login(api, new_identity()["nik"], "Salah12345"), 401, "LOGIN_GAGAL")
    unknown_email = assert_error(login(api, "tidak.ada@example.com", "Salah12345"), 401, "LOGIN_GAGAL")
    assert wrong_password["message"] == unknown_user["message"] == unknown_email["message"]


def test_wrong_captcha_fails_before_any_password_check(api):
    body, _ = registered_applicant(api)
    captcha_id, _ = solved_captcha(api)
    for _ in range(6):  # would lock the account if passwords were being checked
        response = api.post(
            "/api/auth/login",
            json={"username": body["nik"], "password": "Salah12345", "captchaId": captcha_id, "captchaAnswer": "XXXXX"},
        )
        assert_error(response, 400, "KODE_KEAMANAN_SALAH", "captchaAnswer")
    assert login(api, body["nik"], body["password"]).status_code == 200


@pytest.mark.parametrize("answer", ["ÄBÇDÉ", "١٢٣٤٥", "\u200b"])
def test_a_security_code_answer_in_any_script_is_just_wrong(api, answer):
    body, _ = registered_applicant(api)
    captcha_id, _ = solved_captcha(api)
    attempt = {"username": body["nik"], "password": body["password"], "captchaId": captcha_id, "captchaAnswer": answer}
    assert_error(api.post("/api/auth/login", json=attempt), 400, "KODE_KEAMANAN_SALAH", "captchaAnswer")
    captcha_id, _ = solved_captcha(api)
    signup = {**registration(), "captchaId": captcha_id, "captchaAnswer": answer}
    assert_error(api.post("/api/auth/register", json=signup), 400, "KODE_KEAMANAN_SALAH", "captchaAnswer")


def test_a_captcha_works_once(api):
    body, _ = registered_applicant(api)
    captcha_id, answer = solved_captcha(api)
    attempt = {"username": body["nik"], "password": body["password"], "captchaId": captcha_id, "captchaAnswer": answer}
    assert api.post("/api/auth/login", json=attempt).status_code == 200
    assert_error(api.post("/api/auth/login", json=attempt), 400, "KODE_KEAMANAN_SALAH")


def test_an_expired_captcha_is_refused(api, accounts_table):
    body, _ = registered_applicant(api)
    captcha_id, answer = solved_captcha(api)
    accounts_table.update_item(
        Key={"pk": f"CAPTCHA#{captcha_id}", "sk": "CAPTCHA"},
        UpdateExpression="SET expiresAt = :t",
        ExpressionAttributeValues={":t": int(time.time()) - 1},
    )
    attempt = {"username": body["nik"], "password": body["password"], "captchaId": captcha_id, "captchaAnswer": answer}
    assert_error(api.post("/api/auth/login", json=attempt), 400, "KODE_KEAMANAN_SALAH")


def test_captcha_is_an_image_with_an_answer_only_the_local_helper_knows(api):
    captcha = api.get("/api/auth/captcha").json()
    assert captcha["image"].startswith("data:image/png;base64,")
    assert captcha["expiresIn"] == 300
    assert "answer" not in captcha
    assert api.get("/_local/captcha/tidak-ada").status_code == 404


def test_five_failures_lock_the_account_for_fifteen_minutes(api, accounts_table):
    body, _ = registered_applicant(api)
    for _ in range(5):
        assert_error(login(api, body["nik"], "Salah12345"), 401, "LOGIN_GAGAL")
    # the right password no longer helps, and Cognito is not asked
    locked = assert_error(login(api, body["nik"], body["password"]), 429, "AKUN_TERKUNCI")
    assert "15 menit" in locked["message"]
    # when the lock has run out, the account opens again
    accounts_table.update_item(
        Key={"pk": f"LOGIN#{body['nik']}", "sk": "FAILURES"},
        UpdateExpression="SET lockedUntil = :t, expiresAt = :t",
        ExpressionAttributeValues={":t": int(time.time()) - 1},
    )
    assert login(api, body["nik"], body["password"]).status_code == 200


def test_unknown_names_lock_too_so_the_lock_reveals_nothing(api):
    nik = new_identity()["nik"]
    for _ in range(5):
        login(api, nik, "Salah12345")
    assert_error(login(api, nik, "Salah12345"), 429, "AKUN_TERKUNCI")


# ------------------------------------------------------------------ sessions


def test_no_token_or_a_forged_one_is_401(api):
    assert_error(api.get("/api/me"), 401)
    assert_error(api.get("/api/me", token="eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."), 401)


def browser_session(api, body: dict[str, str]) -> tuple[Api, str]:
    """A signed-in browser: its own cookie jar (with the refresh cookie) and access token."""
    browser = Api(api.base_url)
    signed_in = login(browser, body["nik"], body["password"])
    assert signed_in.status_code == 200, signed_in.text
    return browser, signed_in.json()["accessToken"]


def test_refresh_by_cookie_and_logout_ends_the_session(api):
    body, _ = registered_applicant(api)
    browser, access = browser_session(api, body)
    refresh_token = browser.session.cookies.get(REFRESH_COOKIE)
    refreshed = browser.post("/api/auth/refresh", json={})
    assert refreshed.status_code == 200, refreshed.text
    assert "refreshToken" not in refreshed.json()  # the cookie keeps it
    token = refreshed.json()["accessToken"]
    assert browser.get("/api/me", token=token).status_code == 200
    # When
    assert browser.post("/api/auth/logout", token=access).status_code == 204
    # Then every token of that session is refused, and the cookie is gone
    assert_error(browser.get("/api/me", token=token), 401)
    assert_error(browser.get("/api/me", token=access), 401)
    assert_error(browser.post("/api/auth/refresh", json={}), 401)
    assert_error(api.post("/api/auth/refresh", json={"refreshToken": refresh_token}), 401)


def test_logout_ends_only_that_session(api):
    body, first = registered_applicant(api)
    second = login(api, body["nik"], body["password"]).json()["accessToken"]
    assert api.post("/api/auth/logout", token=first).status_code == 204
    assert api.get("/api/me", token=second).status_code == 200


def test_change_password_ends_every_other_session_and_renews_this_one(api):
    body, _ = registered_applicant(api)
    phone, phone_token = browser_session(api, body)
    laptop, laptop_token = browser_session(api, body)
    old_laptop_refresh = laptop.session.cookies.get(REFRESH_COOKIE)
    time.sleep(1.1)  # sessions are ended by the second
    # When
    changed = laptop.post(
        "/api/me/password", token=laptop_token, json={"oldPassword": body["password"], "newPassword": "Baru2026x"}
    )
    # Then the laptop goes on with fresh tokens and a fresh refresh cookie
    assert changed.status_code == 200, changed.text
    renewed = changed.json()["accessToken"]
    assert "refreshToken" not in changed.json() and "HttpOnly" in changed.headers["Set-Cookie"]
    assert laptop.get("/api/me", token=renewed).status_code == 200
    assert laptop.post("/api/auth/refresh", json={}).status_code == 200
    assert laptop.session.cookies.get(REFRESH_COOKIE) != old_laptop_refresh
    # and every other session is over: its access token and its refresh token
    assert_error(phone.get("/api/me", token=phone_token), 401)
    assert_error(phone.post("/api/auth/refresh", json={}), 401)
    assert_error(laptop.get("/api/me", token=laptop_token), 401)
    assert_error(api.post("/api/auth/refresh", json={"refreshToken": old_laptop_refresh}), 401)
    assert login(api, body["nik"], "Baru2026x").status_code == 200


def test_a_wrong_old_password_counts_toward_the_login_lockout(api):
    body, token = registered_applicant(api)
    for _ in range(4):
        assert_error(login(api, body["nik"], "Salah12345"), 401, "LOGIN_GAGAL")
    wrong_old = {"oldPassword": "Salah12345", "newPassword": "Baru2026x"}
    assert_error(api.post("/api/me/password", token=token, json=wrong_old), 400, "PASSWORD_LAMA_SALAH", "oldPassword")
    # the fifth failure locked the account, for login and for Ubah Password alike
    assert_error(login(api, body["nik"], body["password"]), 429, "AKUN_TERKUNCI")
    right_old = {"oldPassword": body["password"], "newPassword": "Baru2026x"}
    assert_error(api.post("/api/me/password", token=token, json=right_old), 429, "AKUN_TERKUNCI")


def test_five_wrong_old_passwords_lock_the_account(api):
    body, token = registered_applicant(api)
    for _ in range(5):
        wrong_old = {"oldPassword": "Salah12345", "newPassword": "Baru2026x"}
        assert_error(api.post("/api/me/password", token=token, json=wrong_old), 400, "PASSWORD_LAMA_SALAH")
    assert_error(login(api, body["nik"], body["password"]), 429, "AKUN_TERKUNCI")


# ------------------------------------------------------------------ Cognito only through our functions


@pytest.fixture(scope="module")
def cognito(stack):
    return boto3.client("cognito-idp", region_name="ap-southeast-3")


def test_a_direct_cognito_password_sign_in_with_the_client_id_is_refused(api, stack, cognito):
    body, _ = registered_applicant(api)
    for flow in ("USER_PASSWORD_AUTH", "USER_SRP_AUTH"):
        with pytest.raises(ClientError) as refused:
            cognito.initiate_auth(
                ClientId=stack.provisioned.user_pool_client_id,
                AuthFlow=flow,
                AuthParameters={"USERNAME": body["nik"], "PASSWORD": body["password"], "SRP_A": "00"},
            )
        assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
        assert "not enabled for this client" in refused.value.response["Error"]["Message"]
    # while sign-in and refresh through our API go on working
    browser, _ = browser_session(api, body)
    assert browser.post("/api/auth/refresh", json={}).status_code == 200


@pytest.mark.parametrize("attribute", ["email", "phone_number", "custom:npwp", "custom:nib", "name"])
def test_users_cannot_rewrite_their_own_attributes_with_their_access_token(api, cognito, attribute):
    body, token = registered_applicant(api)
    values = {"email": "x@example.com", "phone_number": "+6281399990000", "custom:npwp": "018550814005000"}
    with pytest.raises(ClientError) as refused:
        cognito.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": attribute, "Value": values.get(attribute, "9120001234567")}]
        )
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert api.get("/api/me", token=token).json()["email"] == body["email"]


# ------------------------------------------------------------------ Lupa Password


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(api, stack):
    body, _ = registered_applicant(api)
    match = forgot_password(api, stack, body)
    wrong_phone = forgot_password(api, stack, body, phone="081399998888")
    nobody = forgot_password(api, stack, body, identifier=new_identity()["nik"])
    assert match.status_code == wrong_phone.status_code == nobody.status_code == 202
    assert match.json() == wrong_phone.json() == nobody.json()
    assert len(pins_in_outbox(api, body["phone"])) == 1  # only the match sent a PIN


def test_forgot_password_answers_before_looking_anything_up(api, stack, monkeypatch):
    """The answer's time cannot depend on the account: while the API answers, the only AWS
    call is the queue's SendMessage; the lookups and the PIN happen in the worker."""
    body, _ = registered_applicant(api)
    calls: list[str] = []
    inside = threading.local()
    auth = stack.functions["AuthFunction"]
    invoke, make_api_call = auth.invoke, botocore.client.BaseClient._make_api_call

    def recording_invoke(event):
        inside.active = True
        try:
            return invoke(event)
        finally:
            inside.active = False

    def recording_call(client, operation, params):
        if getattr(inside, "active", False):
            calls.append(f"{client.meta.service_model.service_name}:{operation}")
        return make_api_call(client, operation, params)

    monkeypatch.setattr(auth, "invoke", recording_invoke)
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recording_call)
    # When
    for identifier in (body["nik"], new_identity()["nik"]):
        answer = api.post(
            "/api/auth/forgot-password", json={"identifier": identifier, "phone": body["phone"], "email": body["email"]}
        )
        assert answer.status_code == 202, answer.text
    # Then
    assert calls == ["sqs:SendMessage", "sqs:SendMessage"]
    drain_queues(stack)
    assert len(pins_in_outbox(api, body["phone"])) == 1  # the worker sent the one PIN


def sqs_record(message_id: str, body: str) -> dict:
    return {
        "messageId": message_id,
        "receiptHandle": message_id,
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:ap-southeast-3:123456789012:reset",
        "awsRegion": "ap-southeast-3",
    }


def test_the_worker_hands_back_only_a_broken_request(api, stack):
    body, _ = registered_applicant(api)
    request = {"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    good = json.dumps({"kind": "pin", **request})
    no_kind = json.dumps(request)  # the worker sends PINs and activation codes: each message says which
    event = {"Records": [sqs_record("baik", good), sqs_record("rusak", "{bukan json"), sqs_record("tanpa", no_kind)]}
    # When
    result = stack.functions["PasswordResetWorkerFunction"].invoke(event)
    # Then the broken ones go back to the queue (and on to the dead-letter queue), the good one is done
    assert result == {"batchItemFailures": [{"itemIdentifier": "rusak"}, {"itemIdentifier": "tanpa"}]}
    assert len(pins_in_outbox(api, body["phone"])) == 1


def test_forgot_password_checks_the_shape_before_queueing(api):
    assert_error(
        api.post(
            "/api/auth/forgot-password", json={"identifier": "6571015203950001", "phone": "123", "email": "a@b.co"}
        ),
        422,
        field="phone",
    )
    assert_error(api.post("/api/auth/forgot-password", json={"phone": "081234567890"}), 422)


def test_one_pin_a_minute_whatever_the_number_of_requests(api, stack):
    body, _ = registered_applicant(api)
    for _ in range(3):
        assert forgot_password(api, stack, body).status_code == 202
    assert len(pins_in_outbox(api, body["phone"])) == 1


def test_a_pending_account_gets_no_pin(api, stack):
    body = registration()
    register(api, body)
    assert forgot_password(api, stack, body).status_code == 202
    assert codes_sent_to(api, e164(body["phone"])) == codes_sent_to(api, body["email"])  # the activation code only
    assert len(codes_sent_to(api, e164(body["phone"]))) == 1


def test_pin_goes_by_email_and_sms_and_resets_the_password(api, stack):
    body, old_token = registered_applicant(api)
    old_session, _ = browser_session(api, body)
    forgot_password(api, stack, body)
    sent = [m for m in api.get("/_local/outbox").json() if m["to"] in (e164(body["phone"]), body["email"])]
    assert {m["channel"] for m in sent} == {"email", "sms"}
    assert all(m["sentAt"].endswith("Z") for m in sent)
    pin = pins_in_outbox(api, body["phone"])[-1]
    time.sleep(1.1)  # sessions are ended by the second
    # When
    reset = api.post(
        "/api/auth/reset-password", json={"identifier": body["nik"], "pin": pin, "newPassword": "Baru2026x"}
    )
    # Then every session is over: access tokens and refresh tokens issued before
    assert reset.status_code == 200, reset.text
    assert_error(api.get("/api/me", token=old_token), 401)
    assert_error(old_session.post("/api/auth/refresh", json={}), 401)
    assert_error(login(api, body["nik"], body["password"]), 401, "LOGIN_GAGAL")
    assert login(api, body["email"], "Baru2026x").status_code == 200
    # a PIN works once
    again = api.post(
        "/api/auth/reset-password", json={"identifier": body["nik"], "pin": pin, "newPassword": "Lagi2026x"}
    )
    assert_error(again, 400, "PIN_TIDAK_VALID", "pin")


@pytest.mark.parametrize(("identifier_field", "value"), [("npwp", "02.436.181.8-721.000"), ("nib", "9120009876543")])
def test_pin_by_npwp_or_nib(api, stack, identifier_field, value):
    body, _ = registered_applicant(api, **{identifier_field: value})
    forgot_password(api, stack, body, identifier=value)
    pin = pins_in_outbox(api, body["phone"])[-1]
    reset = api.post("/api/auth/reset-password", json={"identifier": value, "pin": pin, "newPassword": "Baru2026x"})
    assert reset.status_code == 200, reset.text


def test_five_wrong_pins_spend_the_pin(api, stack):
    body, _ = registered_applicant(api)
    forgot_password(api, stack, body)
    pin = pins_in_outbox(api, body["phone"])[-1]
    wrong = f"{(int(pin) + 1) % 10**6:06d}"
    attempt = {"identifier": body["nik"], "pin": wrong, "newPassword": "Baru2026x"}
    for left in (4, 3, 2, 1):
        error = assert_error(api.post("/api/auth/reset-password", json=attempt), 400, "PIN_SALAH", "pin")
        assert f"Sisa percobaan: {left}" in error["message"]
    assert_error(api.post("/api/auth/reset-password", json=attempt), 429, "PIN_TERKUNCI")
    assert_error(api.post("/api/auth/reset-password", json={**attempt, "pin": pin}), 429, "PIN_TERKUNCI")


def test_an_expired_pin_is_refused(api, stack, accounts_table):
    body, _ = registered_applicant(api)
    forgot_password(api, stack, body)
    pin = pins_in_outbox(api, body["phone"])[-1]
    expire(accounts_table, [(f"PIN#{body['nik']}", "PIN")])
    assert_error(
        api.post("/api/auth/reset-password", json={"identifier": body["nik"], "pin": pin, "newPassword": "Baru2026x"}),
        400,
        "PIN_TIDAK_VALID",
    )


def test_reset_password_input_is_checked(api):
    assert_error(
        api.post(
            "/api/auth/reset-password",
            json={"identifier": "6571015203950001", "pin": "12ab", "newPassword": "Baru2026x"},
        ),
        422,
        field="pin",
    )
    assert_error(
        api.post(
            "/api/auth/reset-password",
            json={"identifier": "6571015203950001", "pin": "123456", "newPassword": "pendek"},
        ),
        422,
        field="newPassword",
    )


# ------------------------------------------------------------------ profile and password


def profile_update(me: dict, **changes) -> dict:
    fields = ("name", "email", "phone", "npwp", "nib", "address", "kabupatenKota")
    return {**{k: me[k] for k in fields if me.get(k)}, **changes}


def test_edit_profile_keeps_the_nik_and_saves_other_fields_at_once(api):
    body, token = registered_applicant(api)
    other, _ = registered_applicant(api)
    me = api.get("/api/me", token=token).json()
    update = profile_update(me, name="Nur Aisyah Putri", address="Jl. Baru 1, Tarakan", nik=other["nik"])
    # When
    saved = api.put("/api/me", token=token, json=update)
    # Then no password is needed when the contacts stay
    assert saved.status_code == 200, saved.text
    assert saved.json()["nik"] == body["nik"] and saved.json()["name"] == "Nur Aisyah Putri"
    assert saved.json()["pending"] is None
    assert_error(api.put("/api/me", token=token, json={**update, "phone": "123"}), 422, field="phone")


def test_a_new_email_needs_the_password_and_takes_effect_with_the_code_sent_to_it(api):
    body, token = registered_applicant(api)
    other, _ = registered_applicant(api)
    me = api.get("/api/me", token=token).json()
    fresh = new_identity()["email"]
    update = profile_update(me, email=fresh, name="Nur Aisyah Putri")
    assert_error(api.put("/api/me", token=token, json=update), 400, "PASSWORD_DIPERLUKAN", "currentPassword")
    wrong = {**update, "currentPassword": "Salah12345"}
    assert_error(api.put("/api/me", token=token, json=wrong), 400, "PASSWORD_SALAH", "currentPassword")
    taken = {**update, "email": other["email"], "currentPassword": body["password"]}
    assert_error(api.put("/api/me", token=token, json=taken), 409, "SUDAH_TERDAFTAR", "email")
    # When
    pending = api.put("/api/me", token=token, json={**update, "currentPassword": body["password"]})
    # Then the other fields are saved, the e-mail waits for its code, sent to the new address only
    assert pending.status_code == 202, pending.text
    assert pending.json()["pending"] == {"email": fresh, "phone": None}
    assert pending.json()["email"] == body["email"] and pending.json()["name"] == "Nur Aisyah Putri"
    assert api.get("/api/me", token=token).json()["email"] == body["email"]
    assert_error(login(api, fresh, body["password"]), 401)
    code = codes_sent_to(api, fresh)[-1]
    assert len(codes_sent_to(api, body["email"])) == 1  # only the activation code
    wrong_code = f"{(int(code) + 1) % 10**6:06d}"
    confirm = "/api/me/contact/confirm"
    assert_error(api.post(confirm, token=token, json={"code": wrong_code}), 400, "KODE_SALAH", "code")
    confirmed = api.post(confirm, token=token, json={"code": code})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["email"] == fresh
    assert login(api, fresh, body["password"]).status_code == 200
    assert_error(login(api, body["email"], body["password"]), 401)
    assert_error(api.post(confirm, token=token, json={"code": code}), 400, "KODE_TIDAK_VALID")
    # the old e-mail is free for someone else
    assert register(api, {**registration(), "email": body["email"]}).status_code == 201


def test_a_new_phone_is_confirmed_by_sms(api):
    body, token = registered_applicant(api)
    me = api.get("/api/me", token=token).json()
    fresh = new_identity()["phone"]
    pending = api.put("/api/me", token=token, json=profile_update(me, phone=fresh, currentPassword=body["password"]))
    assert pending.status_code == 202, pending.text
    assert pending.json()["pending"]["phone"] == e164(fresh)
    code = codes_sent_to(api, e164(fresh))[-1]
    confirmed = api.post("/api/me/contact/confirm", token=token, json={"code": code})
    assert confirmed.status_code == 200, confirmed.text
    assert api.get("/api/me", token=token).json()["phone"] == e164(fresh)


def test_one_contact_code_a_minute(api):
    body, token = registered_applicant(api)
    me = api.get("/api/me", token=token).json()
    fresh = new_identity()["email"]
    first = api.put("/api/me", token=token, json=profile_update(me, email=fresh, currentPassword=body["password"]))
    assert first.status_code == 202, first.text
    again = profile_update(me, email=fresh, name="Nama Baru Sekali", currentPassword=body["password"])
    error = assert_error(api.put("/api/me", token=token, json=again), 429, "KODE_BARU_SAJA_DIKIRIM")
    assert "1 menit" in error["message"]
    assert api.get("/api/me", token=token).json()["name"] == "Nama Baru Sekali"  # the rest was saved
    assert len(codes_sent_to(api, fresh)) == 1


def test_change_password_needs_the_old_one(api):
    body, token = registered_applicant(api)
    assert_error(
        api.post("/api/me/password", token=token, json={"oldPassword": "Salah123", "newPassword": "Baru2026x"}),
        400,
        "PASSWORD_LAMA_SALAH",
        "oldPassword",
    )
    assert_error(
        api.post("/api/me/password", token=token, json={"oldPassword": body["password"], "newPassword": "x"}),
        422,
        field="newPassword",
    )
    changed = api.post(
        "/api/me/password", token=token, json={"oldPassword": body["password"], "newPassword": "Baru2026x"}
    )
    assert changed.status_code == 200, changed.text
    assert login(api, body["nik"], "Baru2026x").status_code == 200
