"""Officers' accounts, in their own user pool: an admin creates them; they sign in with the
NIP and a password of 12+ characters, then the code of an authenticator app, set up at the
first sign-in; their sessions end at sign-out and when the password changes; the two pools'
tokens are not interchangeable."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.integration.accounts_helpers import (
    authenticator_code,
    created_officer,
    demo_account,
    demo_token,
    first_step,
    login,
    new_officer,
    officer_login,
    registered_applicant,
    second_step,
)
from tests.integration.test_accounts import assert_error


def test_a_new_officer_sets_up_the_authenticator_app_and_then_needs_its_code_every_time(api):
    # Given an officer an admin has just created
    officer = new_officer()
    created = api.post("/api/admin/officers", token=demo_token(api, "admin"), json=officer)
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["verifikator"]
    # When the officer signs in the first time, the password step asks to set up the app
    setup = first_step(api, officer["nip"], officer["password"])
    assert setup["challenge"] == "MFA_SETUP" and setup["secretCode"]
    uri = urlparse(setup["otpauthUri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp") and officer["nip"] in uri.path
    assert parse_qs(uri.query)["secret"] == [setup["secretCode"]]
    # Then a wrong code is refused and the right one opens a session of at most an hour
    assert_error(second_step(api, officer["nip"], setup, "000000"), 401, "KODE_AUTENTIKATOR_SALAH", "code")
    signed_in = second_step(api, officer["nip"], setup, authenticator_code(setup["secretCode"]))
    assert signed_in.status_code == 200, signed_in.text
    session = signed_in.json()
    assert session["user"]["roles"] == ["verifikator"] and 0 < session["expiresIn"] <= 3600
    assert "refreshToken" not in session and "idToken" not in session
    assert "eptsp_refresh" not in signed_in.headers.get("Set-Cookie", "")
    assert api.get("/api/officer/tasks", token=session["accessToken"]).status_code == 200
    # And every later sign-in asks for the app's code, with no secret shown again
    again = first_step(api, officer["nip"], officer["password"])
    assert again["challenge"] == "SOFTWARE_TOKEN_MFA" and again.get("secretCode") is None
    assert second_step(api, officer["nip"], again, authenticator_code(setup["secretCode"])).status_code == 200
    # And the same NIP cannot be created twice, nor an unknown role
    admin = demo_token(api, "admin")
    assert_error(api.post("/api/admin/officers", token=admin, json=officer), 409, "SUDAH_TERDAFTAR", "username")
    assert_error(api.post("/api/admin/officers", token=admin, json={**officer, "role": "raja"}), 422, field="role")


@pytest.mark.parametrize("password", ["Petugas2026", "petugasbaru2026", "PETUGASBARU2026", "PetugasBaruSekali"])
def test_an_officer_password_has_12_characters_capitals_small_letters_and_digits(api, password):
    response = api.post("/api/admin/officers", token=demo_token(api, "admin"), json=new_officer(password=password))
    assert_error(response, 422, field="password")


def test_the_two_pools_tokens_are_not_interchangeable(api):
    # Given a signed-in applicant and a signed-in officer
    _, applicant = registered_applicant(api)
    officer = demo_token(api, "admin")
    # Then each is refused on the other's routes, before anything is read
    assert_error(api.get("/api/officer/tasks", token=applicant), 401, "BELUM_MASUK")
    assert_error(api.post("/api/admin/officers", token=applicant, json={}), 401, "BELUM_MASUK")
    assert_error(api.get("/api/me", token=officer), 401, "BELUM_MASUK")
    assert_error(api.get("/api/applications", token=officer), 401, "BELUM_MASUK")
    # And an officer cannot sign in through the applicants' login (another pool)
    account = demo_account(api, "admin")
    assert_error(login(api, account["username"], account["password"]), 401, "LOGIN_GAGAL")
    # Nor an applicant through the officers'
    body, _ = registered_applicant(api)
    response = api.post("/api/officer/auth/login", json={"username": body["nik"], "password": body["password"]})
    assert_error(response, 401, "LOGIN_GAGAL")


def test_a_sign_in_session_answers_only_for_its_own_officer(api):
    # Given one officer's password step done
    first, first_secret = created_officer(api)
    second = demo_account(api, "kepala")
    challenge = first_step(api, first["nip"], first["password"])
    # Then the code step cannot be taken in another officer's name with that session
    response = second_step(api, second["username"], challenge, authenticator_code(first_secret))
    assert_error(response, 401, "KODE_AUTENTIKATOR_SALAH")


def test_wrong_codes_lock_the_officer_out_like_wrong_passwords(api):
    officer, secret = created_officer(api)
    challenge = first_step(api, officer["nip"], officer["password"])
    for _ in range(5):
        assert_error(second_step(api, officer["nip"], challenge, "000000"), 401, "KODE_AUTENTIKATOR_SALAH")
    # The right code (and the right password) no longer help for 15 minutes
    assert_error(second_step(api, officer["nip"], challenge, authenticator_code(secret)), 429, "AKUN_TERKUNCI")
    response = api.post("/api/officer/auth/login", json={"username": officer["nip"], "password": officer["password"]})
    assert_error(response, 429, "AKUN_TERKUNCI")


def test_an_officer_changes_the_password_and_every_session_ends(api):
    # Given an officer signed in on two devices
    officer, secret = created_officer(api)
    laptop = officer_login(api, officer["nip"], officer["password"], secret).json()["accessToken"]
    phone = officer_login(api, officer["nip"], officer["password"], secret).json()["accessToken"]
    assert api.get("/api/officer/me", token=laptop).json()["username"] == officer["nip"]
    # When the old password is wrong, or the new one too weak, nothing changes
    wrong = {"oldPassword": "BukanPassword2026", "newPassword": "PetugasLagi2027"}
    assert_error(api.post("/api/officer/me/password", token=laptop, json=wrong), 400, "PASSWORD_LAMA_SALAH")
    weak = {"oldPassword": officer["password"], "newPassword": "Pendek2027"}
    assert_error(api.post("/api/officer/me/password", token=laptop, json=weak), 422, field="newPassword")
    # When it changes (sessions are ended by the second)
    time.sleep(1.1)
    change = {"oldPassword": officer["password"], "newPassword": "PetugasLagi2027"}
    changed = api.post("/api/officer/me/password", token=laptop, json=change)
    assert changed.status_code == 200, changed.text
    # Then both sessions are over, and the new password (with the app's code) signs in
    for token in (laptop, phone):
        assert_error(api.get("/api/officer/me", token=token), 401)
    assert officer_login(api, officer["nip"], "PetugasLagi2027", secret).status_code == 200
    response = api.post("/api/officer/auth/login", json={"username": officer["nip"], "password": officer["password"]})
    assert_error(response, 401, "LOGIN_GAGAL")


def test_an_officer_signs_out(api):
    token = demo_token(api, "teknis")
    assert api.get("/api/officer/me", token=token).json()["roles"] == ["teknis"]
    assert api.post("/api/officer/auth/logout", token=token).status_code == 204
    assert_error(api.get("/api/officer/me", token=token), 401)
    assert_error(api.get("/api/officer/tasks", token=token), 401)


def test_demo_accounts_cover_every_role(api):
    accounts = api.get("/_local/accounts").json()
    assert {a["role"] for a in accounts} == {"pemohon", "verifikator", "teknis", "kepala", "admin"}
    for account in accounts:
        token = demo_token(api, account["role"])
        me = api.get("/api/officer/me" if account["role"] != "pemohon" else "/api/me", token=token).json()
        assert me["roles"] == [account["role"]]


def test_the_operator_creates_the_first_admin_and_resets_an_officer_who_lost_the_phone(stack, api):
    from local_stack.functions import _INVOCATION_LOCK
    from tools.create_officer import create_officer, reset_officer
    from tools.demo_accounts import services_for

    _, officers = services_for(stack.provisioned.physical_ids)
    officer = new_officer(role="admin")
    # Given an admin the operator created with a generated password
    with _INVOCATION_LOCK:
        password = create_officer(
            officers, officer["nip"], officer["name"], officer["email"], officer["phone"], "admin"
        )
    setup = first_step(api, officer["nip"], password)
    assert setup["challenge"] == "MFA_SETUP"
    signed_in = second_step(api, officer["nip"], setup, authenticator_code(setup["secretCode"]))
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["accessToken"]
    assert api.get("/api/admin/calendar", token=token).status_code == 200
    # When the operator resets the account (sessions are ended by the second)
    time.sleep(1.1)
    with _INVOCATION_LOCK:
        new_password = reset_officer(officers, officer["nip"])
    # Then the session and the old password are over, and the new password sets up a new app
    assert_error(api.get("/api/admin/calendar", token=token), 401)
    old = api.post("/api/officer/auth/login", json={"username": officer["nip"], "password": password})
    assert_error(old, 401, "LOGIN_GAGAL")
    again = first_step(api, officer["nip"], new_password)
    assert again["challenge"] == "MFA_SETUP" and again["secretCode"]
    assert second_step(api, officer["nip"], again, authenticator_code(again["secretCode"])).status_code == 200


def test_the_local_stack_shows_a_demo_officers_current_code(api):
    account = demo_account(api, "kepala")
    code = api.get(f"/_local/totp/{account['username']}").json()["code"]
    assert len(code) == 6 and code.isdigit()
    assert api.get("/_local/totp/6501014508900001").status_code == 404
