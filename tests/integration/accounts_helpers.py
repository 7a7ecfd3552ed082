"""Helpers for account tests: fresh identities, solved security codes, signed-in sessions."""

from __future__ import annotations

import itertools
import os

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


def login(api, username: str, password: str):
    captcha_id, answer = solved_captcha(api)
    return api.post(
        "/api/auth/login",
        json={"username": username, "password": password, "captchaId": captcha_id, "captchaAnswer": answer},
    )


def registered_applicant(api, **overrides) -> tuple[dict[str, str], str]:
    """A new applicant and its access token."""
    body = registration(**overrides)
    response = api.post("/api/auth/register", json=body)
    assert response.status_code == 201, response.text
    signed_in = login(api, body["nik"], body["password"])
    assert signed_in.status_code == 200, signed_in.text
    return body, signed_in.json()["accessToken"]


def demo_token(api, role: str) -> str:
    account = next(a for a in api.get("/_local/accounts").json() if a["role"] == role)
    response = login(api, account["username"], account["password"])
    assert response.status_code == 200, response.text
    return response.json()["accessToken"]
