"""Accounts end to end through the local stack: registration, sign-in with the security
code and lockout, Lupa Password PIN, profile, password, logout, officer accounts."""

from __future__ import annotations

import re
import time

import pytest

from eptsp.aws import dynamodb_table
from tests.integration.accounts_helpers import (
    demo_token,
    login,
    new_identity,
    registered_applicant,
    registration,
    solved_captcha,
)


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
    return [re.search(r"\b(\d{6})\b", m["body"]).group(1) for m in api.get("/_local/outbox").json() if m["to"] == phone]


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
    assert_error(api.post("/api/auth/register", json=body), 422, "VALIDASI_GAGAL", field)


def test_password_confirmation_must_match(api):
    response = api.post("/api/auth/register", json=registration(passwordConfirmation="Lain12345"))
    error = assert_error(response, 422, "VALIDASI_GAGAL", "passwordConfirmation")
    assert error["message"] == "Konfirmasi password tidak sama dengan password."


@pytest.mark.parametrize("field", ["nik", "email", "phone"])
def test_duplicate_nik_email_or_phone_is_409_saying_which(api, field):
    first, _ = registered_applicant(api)
    second = {**registration(), field: first[field]}
    error = assert_error(api.post("/api/auth/register", json=second), 409, "SUDAH_TERDAFTAR", field)
    assert {"nik": "NIK", "email": "Email", "phone": "Nomor HP"}[field] in error["message"]
    # and nothing of the second registration was kept
    others = {k: v for k, v in second.items() if k in ("nik", "email", "phone") and k != field}
    retry = api.post("/api/auth/register", json={**registration(), **others})
    assert retry.status_code == 201, retry.text


def test_roles_in_the_request_body_are_ignored(api):
    _, token = registered_applicant(api, roles=["admin"])
    assert api.get("/api/me", token=token).json()["roles"] == ["pemohon"]
    assert_error(api.post("/api/admin/officers", token=token, json={}), 422)  # body checked first...
    officer = {
        "nip": "199001012020121001",
        "name": "Petugas Palsu",
        "email": "x@example.com",
        "phone": "081299990000",
        "role": "admin",
        "password": "Rahasia123",
    }
    assert_error(api.post("/api/admin/officers", token=token, json=officer), 403, "TIDAK_BERWENANG")


# ------------------------------------------------------------------ sign-in


def test_login_by_nik_and_by_email_gives_tokens_and_a_refresh_cookie(api):
    body, _ = registered_applicant(api)
    for username in (body["nik"], body["email"].upper()):
        response = login(api, username, body["password"])
        assert response.status_code == 200, response.text
        tokens = response.json()
        assert tokens["accessToken"] and tokens["idToken"] and tokens["refreshToken"] and tokens["expiresIn"] > 0
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


def test_refresh_by_cookie_and_logout_ends_the_session(api):
    body, _ = registered_applicant(api)
    from tests.conftest import Api

    browser = Api(api.base_url)  # its own cookie jar, as a browser has
    signed_in = login(browser, body["nik"], body["password"]).json()
    refreshed = browser.post("/api/auth/refresh", json={})
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["refreshToken"] is None  # the cookie keeps it
    token = refreshed.json()["accessToken"]
    assert browser.get("/api/me", token=token).status_code == 200
    # When
    assert browser.post("/api/auth/logout", token=signed_in["accessToken"]).status_code == 204
    # Then every token of that session is refused, and the cookie is gone
    assert_error(browser.get("/api/me", token=token), 401)
    assert_error(browser.get("/api/me", token=signed_in["accessToken"]), 401)
    assert_error(browser.post("/api/auth/refresh", json={}), 401)
    assert_error(api.post("/api/auth/refresh", json={"refreshToken": signed_in["refreshToken"]}), 401)


def test_logout_ends_only_that_session(api):
    body, first = registered_applicant(api)
    second = login(api, body["nik"], body["password"]).json()["accessToken"]
    assert api.post("/api/auth/logout", token=first).status_code == 204
    assert api.get("/api/me", token=second).status_code == 200


# ------------------------------------------------------------------ Lupa Password


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(api):
    body, _ = registered_applicant(api)
    match = api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    )
    wrong_phone = api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": "081399998888", "email": body["email"]}
    )
    nobody = api.post(
        "/api/auth/forgot-password",
        json={"identifier": new_identity()["nik"], "phone": body["phone"], "email": body["email"]},
    )
    assert match.status_code == wrong_phone.status_code == nobody.status_code == 202
    assert match.json() == wrong_phone.json() == nobody.json()
    assert len(pins_in_outbox(api, "+62" + body["phone"][1:])) == 1  # only the match sent a PIN


def test_one_pin_a_minute_whatever_the_number_of_requests(api):
    body, _ = registered_applicant(api)
    for _ in range(3):
        answer = api.post(
            "/api/auth/forgot-password",
            json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]},
        )
        assert answer.status_code == 202
    assert len(pins_in_outbox(api, "+62" + body["phone"][1:])) == 1


def test_pin_goes_by_email_and_sms_and_resets_the_password(api):
    body, old_token = registered_applicant(api)
    phone = "+62" + body["phone"][1:]
    api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    )
    sent = [m for m in api.get("/_local/outbox").json() if m["to"] in (phone, body["email"])]
    assert {m["channel"] for m in sent} == {"email", "sms"}
    assert all(m["sentAt"].endswith("Z") for m in sent)
    pin = pins_in_outbox(api, phone)[-1]
    time.sleep(1.1)  # sessions are ended by the second
    # When
    reset = api.post(
        "/api/auth/reset-password", json={"identifier": body["nik"], "pin": pin, "newPassword": "Baru2026x"}
    )
    # Then
    assert reset.status_code == 200, reset.text
    assert_error(api.get("/api/me", token=old_token), 401)
    assert_error(login(api, body["nik"], body["password"]), 401, "LOGIN_GAGAL")
    assert login(api, body["email"], "Baru2026x").status_code == 200
    # a PIN works once
    again = api.post(
        "/api/auth/reset-password", json={"identifier": body["nik"], "pin": pin, "newPassword": "Lagi2026x"}
    )
    assert_error(again, 400, "PIN_TIDAK_VALID", "pin")


@pytest.mark.parametrize(("identifier_field", "value"), [("npwp", "02.436.181.8-721.000"), ("nib", "9120009876543")])
def test_pin_by_npwp_or_nib(api, identifier_field, value):
    body, _ = registered_applicant(api, **{identifier_field: value})
    identifier = value
    api.post(
        "/api/auth/forgot-password", json={"identifier": identifier, "phone": body["phone"], "email": body["email"]}
    )
    pin = pins_in_outbox(api, "+62" + body["phone"][1:])[-1]
    reset = api.post(
        "/api/auth/reset-password", json={"identifier": identifier, "pin": pin, "newPassword": "Baru2026x"}
    )
    assert reset.status_code == 200, reset.text


def test_five_wrong_pins_spend_the_pin(api):
    body, _ = registered_applicant(api)
    api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    )
    pin = pins_in_outbox(api, "+62" + body["phone"][1:])[-1]
    wrong = f"{(int(pin) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        error = assert_error(
            api.post(
                "/api/auth/reset-password", json={"identifier": body["nik"], "pin": wrong, "newPassword": "Baru2026x"}
            ),
            400,
            "PIN_SALAH",
            "pin",
        )
        assert f"Sisa percobaan: {left}" in error["message"]
    assert_error(
        api.post(
            "/api/auth/reset-password", json={"identifier": body["nik"], "pin": wrong, "newPassword": "Baru2026x"}
        ),
        429,
        "PIN_TERKUNCI",
    )
    assert_error(
        api.post("/api/auth/reset-password", json={"identifier": body["nik"], "pin": pin, "newPassword": "Baru2026x"}),
        429,
        "PIN_TERKUNCI",
    )


def test_an_expired_pin_is_refused(api, accounts_table):
    body, _ = registered_applicant(api)
    api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    )
    pin = pins_in_outbox(api, "+62" + body["phone"][1:])[-1]
    accounts_table.update_item(
        Key={"pk": f"PIN#{body['nik']}", "sk": "PIN"},
        UpdateExpression="SET expiresAt = :t",
        ExpressionAttributeValues={":t": int(time.time()) - 1},
    )
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


def test_edit_profile_keeps_the_nik_and_moves_the_email(api):
    body, token = registered_applicant(api)
    other, _ = registered_applicant(api)
    me = api.get("/api/me", token=token).json()
    fresh = new_identity()
    update = {
        "name": "Nur Aisyah Putri",
        "email": fresh["email"],
        "phone": me["phone"],
        "address": "Jl. Baru 1, Tarakan",
        "kabupatenKota": "6571",
        "nik": other["nik"],
    }
    # When
    saved = api.put("/api/me", token=token, json=update)
    # Then
    assert saved.status_code == 200, saved.text
    assert saved.json()["nik"] == body["nik"] and saved.json()["name"] == "Nur Aisyah Putri"
    assert login(api, fresh["email"], body["password"]).status_code == 200
    assert login(api, body["email"], body["password"]).status_code == 401
    # the old e-mail is free again; a taken one is refused
    assert_error(
        api.put("/api/me", token=token, json={**update, "email": other["email"]}), 409, "SUDAH_TERDAFTAR", "email"
    )
    assert_error(api.put("/api/me", token=token, json={**update, "phone": "123"}), 422, field="phone")


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
    assert (
        api.post(
            "/api/me/password", token=token, json={"oldPassword": body["password"], "newPassword": "Baru2026x"}
        ).status_code
        == 204
    )
    assert login(api, body["nik"], "Baru2026x").status_code == 200


# ------------------------------------------------------------------ officers


def test_admin_creates_an_officer_who_signs_in_with_the_nip(api):
    admin = demo_token(api, "admin")
    officer = {
        "nip": "199208172020122001",
        "name": "Fitri Handayani",
        "email": "fitri@dpmptsp.example.go.id",
        "phone": "081277770001",
        "role": "verifikator",
        "password": "Petugas2026",
    }
    created = api.post("/api/admin/officers", token=admin, json=officer)
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["verifikator"]
    signed_in = login(api, officer["nip"], officer["password"])
    assert signed_in.status_code == 200
    assert signed_in.json()["user"]["roles"] == ["verifikator"]
    assert_error(api.post("/api/admin/officers", token=admin, json=officer), 409, "SUDAH_TERDAFTAR", "username")
    assert_error(api.post("/api/admin/officers", token=admin, json={**officer, "role": "raja"}), 422, field="role")


@pytest.mark.parametrize("role", ["pemohon", "verifikator", "teknis", "kepala"])
def test_only_admin_creates_officers(api, role):
    officer = {
        "nip": "199208172020122009",
        "name": "Tidak Boleh",
        "email": "tb@example.com",
        "phone": "081277770009",
        "role": "teknis",
        "password": "Petugas2026",
    }
    assert_error(api.post("/api/admin/officers", token=demo_token(api, role), json=officer), 403, "TIDAK_BERWENANG")


def test_demo_accounts_cover_every_role(api):
    accounts = api.get("/_local/accounts").json()
    assert {a["role"] for a in accounts} == {"pemohon", "verifikator", "teknis", "kepala", "admin"}
    for account in accounts:
        response = login(api, account["username"], account["password"])
        assert response.json()["user"]["roles"] == [account["role"]]
