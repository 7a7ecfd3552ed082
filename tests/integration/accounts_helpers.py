"""Helpers for account tests: fresh identities, solved security codes, registered and
activated applicants, codes read from the local outbox, signed-in sessions."""

from __future__ import annotations

import itertools
import os
import re
import time

from tools.demo_accounts import totp_code

# Numbers differ between runs so a test never meets an account of an earlier run.
_serial = itertools.count(1000 + int.from_bytes(os.urandom(2)) % 3000)


def new_identity() -> dict[str, str]:
    """A valid, unused NIK (Tarakan, woman born 12-03-1995), e-mail and phone."""
    n = next(_serial)
    return {
        "nik": f"657101520395{n:04d}",
        "email": f"pemohon{n}@example.com",
        "phone": f"08135{n:07d}",
    }


def e164(phone: str) -> str:
    """A form's 08... number as it is stored and texted (+628...)."""
    return "+62" + phone[1:] if phone.startswith("0") else phone


def registration(**overrides) -> dict[str, str]:
    identity = new_identity()
    body = {
        **identity,
        "name": "Nur Aisyah",
        "password": "Rahasia123",
        "passwordConfirmation": "Rahasia123",
        "address": "Jl. Yos Sudarso No. 5, Tarakan",
        "kabupatenKota": "6571",
    }
    body.update(overrides)
    return body


def solved_captcha(api) -> tuple[str, str]:
    captcha = api.get("/api/auth/captcha").json()
    answer = api.get(f"/_local/captcha/{captcha['captchaId']}").json()["answer"]
    return captcha["captchaId"], answer


def register(api, body: dict[str, str]):
    """POST /api/auth/register with a freshly solved security code."""
    captcha_id, answer = solved_captcha(api)
    return api.post("/api/auth/register", json={**body, "captchaId": captcha_id, "captchaAnswer": answer})


def codes_sent_to(api, to: str, about: str = "") -> list[str]:
    """Every 6-digit code e-mailed or texted to ``to`` (in a message that says ``about``), oldest first."""
    found = []
    for message in api.get("/_local/outbox").json():
        if message["to"] == to and about in message["body"] and (code := re.search(r"\b(\d{6})\b", message["body"])):
            found.append(code.group(1))
    return found


def wait_for_codes(api, to: str, count: int = 1, about: str = "", timeout: float = 10) -> list[str]:
    """``codes_sent_to`` once at least ``count`` codes have arrived: activation codes and PINs
    are sent by a worker after the queue delivers the request, a moment after the answer."""
    deadline = time.monotonic() + timeout
    while len(found := codes_sent_to(api, to, about)) < count:
        assert time.monotonic() < deadline, f"{count} code(s) to {to} awaited, {len(found)} sent in {timeout} s"
        time.sleep(0.1)  # the local queue is polled every 0.2 s; the outbox is read whole
    return found


def activate(api, body: dict[str, str], sent_before: int = 0) -> None:
    """Activate with the code e-mailed after the ``sent_before`` codes the address already had."""
    code = wait_for_codes(api, body["email"], count=sent_before + 1)[-1]
    response = api.post("/api/auth/activate", json={"username": body["nik"], "code": code})
    assert response.status_code == 200, response.text


def login(api, username: str, password: str):
    captcha_id, answer = solved_captcha(api)
    return api.post(
        "/api/auth/login",
        json={"username": username, "password": password, "captchaId": captcha_id, "captchaAnswer": answer},
    )


def registered_applicant(api, **overrides) -> tuple[dict[str, str], str]:
    """A new, activated applicant and its access token."""
    body = registration(**overrides)
    response = register(api, body)
    assert response.status_code == 201, response.text
    activate(api, body)
    signed_in = login(api, body["nik"], body["password"])
    assert signed_in.status_code == 200, signed_in.text
    return body, signed_in.json()["accessToken"]


def authenticator_code(secret: str) -> str:
    """The app's code now; near the end of its 30 s the next one is awaited, as a person would."""
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.05)
    return totp_code(secret)


_nip = itertools.count(int.from_bytes(os.urandom(2)) % 9000)


def new_officer(**overrides) -> dict[str, str]:
    n = next(_nip)
    return {
        "nip": f"19920817202012{n:04d}",
        "name": "Fitri Handayani",
        "email": f"petugas{n}@dpmptsp.example.go.id",
        "phone": f"0812777{n:05d}",
        "role": "verifikator",
        "password": "PetugasBaru2026",
        **overrides,
    }


def first_step(api, username: str, password: str) -> dict:
    response = api.post("/api/officer/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    return response.json()


def second_step(api, username: str, challenge: dict, code: str):
    body = {"username": username, "challenge": challenge["challenge"], "session": challenge["session"], "code": code}
    return api.post("/api/officer/auth/mfa", json=body)


def created_officer(api, **overrides) -> tuple[dict[str, str], str]:
    """A new officer with the authenticator app set up, and the app's secret."""
    officer = new_officer(**overrides)
    created = api.post("/api/admin/officers", token=demo_token(api, "admin"), json=officer)
    assert created.status_code == 201, created.text
    setup = first_step(api, officer["nip"], officer["password"])
    signed_in = second_step(api, officer["nip"], setup, authenticator_code(setup["secretCode"]))
    assert signed_in.status_code == 200, signed_in.text
    return officer, setup["secretCode"]


def officer_login(api, username: str, password: str, secret: str):
    """An officer's two steps: the password, then the authenticator app's code."""
    challenge = first_step(api, username, password)
    assert challenge["challenge"] == "SOFTWARE_TOKEN_MFA", challenge
    return second_step(api, username, challenge, authenticator_code(secret))


def demo_account(api, role: str) -> dict[str, str]:
    return next(a for a in api.get("/_local/accounts").json() if a["role"] == role)


def demo_token(api, role: str) -> str:
    account = demo_account(api, role)
    if role == "pemohon":
        response = login(api, account["username"], account["password"])
    else:
        response = officer_login(api, account["username"], account["password"], account["totpSecret"])
    assert response.status_code == 200, response.text
    return response.json()["accessToken"]


def drain_queues(stack) -> None:
    """Wait until the local stack's queues (code requests, notifications) are handled."""
    stack.event_sources.sqs.wait_until_drained()
