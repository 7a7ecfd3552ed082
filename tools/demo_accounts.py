"""Demo accounts: one applicant and one officer per role, for the local stack or a test stage.

    python -m tools.demo_accounts --stack-name e-ptsp-staging
Creating them again is harmless: accounts that exist are left as they are.

Officers sign in with an authenticator app's code as well: each new demo officer's app is set
up here, and its secret printed (add it to an authenticator app, or compute codes with
``totp_code``). An officer who already exists keeps the app set up before.
"""

from __future__ import annotations

import argparse
import contextlib

from eptsp.accounts.models import NewApplicant, OfficerCreateRequest
from eptsp.accounts.service import Accounts, account_service
from eptsp.errors import Conflict
from eptsp.settings import UserPoolSettings

APPLICANT = {
    "nik": "6501014508900001",
    "name": "Siti Rahmawati",
    "email": "siti.rahmawati@example.com",
    "phone": "081234500001",
    "address": "Jl. Sengkawit No. 12, Tanjung Selor Hilir, Tanjung Selor",
    "kabupatenKota": "6501",
    "password": "Pemohon2026",  # demo account, printed for developers
}
OFFICERS = [
    {"nip": "198703122010011001", "name": "Rudi Hartono", "role": "verifikator", "phone": "081234500002"},
    {"nip": "198905242014022002", "name": "Dewi Lestari, S.T.", "role": "teknis", "phone": "081234500003"},
    {"nip": "197501081999031003", "name": "Ir. Muhammad Yusuf, M.Si.", "role": "kepala", "phone": "081234500004"},
    {"nip": "199104172019031004", "name": "Agus Pratama", "role": "admin", "phone": "081234500005"},
]
OFFICER_PASSWORD = "PetugasKaltara2026"  # noqa: S105 (demo accounts, printed for developers)


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for ``secret`` (RFC 6238, 30 s, SHA-1)."""
    import base64
    import time

    from cryptography.hazmat.primitives.hashes import SHA1
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    totp = TOTP(key, 6, SHA1(), 30, enforce_key_length=False)  # noqa: S303 (RFC 6238's default, as apps use)
    return totp.generate(time.time() if at is None else at).decode()


def demo_accounts(totp_secrets: dict[str, str] | None = None) -> list[dict[str, str]]:
    """What a developer needs to sign in as each role (an officer's app secret when known)."""
    secrets = totp_secrets or {}
    return [
        {"role": "pemohon", "username": APPLICANT["nik"], "password": APPLICANT["password"], "name": APPLICANT["name"]}
    ] + [
        {
            "role": o["role"],
            "username": o["nip"],
            "password": OFFICER_PASSWORD,
            "name": o["name"],
            **({"totpSecret": secrets[o["nip"]]} if o["nip"] in secrets else {}),
        }
        for o in OFFICERS
    ]


def services_for(physical_ids: dict[str, str]) -> tuple[Accounts, Accounts]:
    """The account services of a stack (applicants' pool, officers' pool), from its physical ids."""

    def service(pool: str, client: str) -> Accounts:
        return account_service(
            UserPoolSettings(
                accounts_table=physical_ids["AccountsTable"],
                user_pool_id=physical_ids[pool],
                user_pool_client_id=physical_ids[client],
            )
        )

    return service("UserPool", "UserPoolClient"), service("OfficerUserPool", "OfficerUserPoolClient")


def set_up_authenticator(officers: Accounts, username: str, password: str) -> str:
    """The first sign-in of an officer, as the officer would do it: the app's secret, then its code."""
    from eptsp.accounts.models import OfficerLoginRequest, OfficerMfaRequest

    sign_in = officers.officer_sign_in
    setup = sign_in.login(OfficerLoginRequest(username=username, password=password))
    if setup.secret_code is None:
        raise RuntimeError(f"{username} has an authenticator app already")
    confirm = {"username": username, "challenge": setup.challenge, "session": setup.session}
    sign_in.confirm(OfficerMfaRequest.model_validate({**confirm, "code": totp_code(setup.secret_code)}))
    return setup.secret_code


def create_demo_accounts(applicants: Accounts, officers: Accounts) -> dict[str, str]:
    """Created active: the demo applicant has no activation code to type. Returns the app
    secret of each officer created now (NIP -> secret)."""
    applicant = NewApplicant.model_validate({**APPLICANT, "passwordConfirmation": APPLICANT["password"]})
    with contextlib.suppress(Conflict):
        applicants.registration.create_active_applicant(applicant)
    secrets = {}
    for officer in OFFICERS:
        email = f"{officer['role']}@dpmptsp.example.go.id"
        request = OfficerCreateRequest.model_validate({**officer, "email": email, "password": OFFICER_PASSWORD})
        with contextlib.suppress(Conflict):
            officers.registration.create_officer(request)
            secrets[officer["nip"]] = set_up_authenticator(officers, officer["nip"], OFFICER_PASSWORD)
    return secrets


def main() -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack-name", required=True)
    args = parser.parse_args()
    resources = boto3.client("cloudformation").describe_stack_resources(StackName=args.stack_name)
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources["StackResources"]}
    secrets = create_demo_accounts(*services_for(ids))
    for account in demo_accounts(secrets):
        print(
            f"{account['role']:<12} {account['username']:<20} {account['password']:<20} {account.get('totpSecret', '')}"
        )


if __name__ == "__main__":
    main()
