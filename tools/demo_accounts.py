"""Demo accounts: one applicant and one officer per role, for the local stack or a test stage.

    python -m tools.demo_accounts --stack-name e-ptsp-staging
Creating them again is harmless: accounts that exist are left as they are.
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
OFFICER_PASSWORD = "Petugas2026"  # noqa: S105 (demo accounts, printed for developers)


def demo_accounts() -> list[dict[str, str]]:
    """What a developer needs to sign in as each role."""
    return [
        {"role": "pemohon", "username": APPLICANT["nik"], "password": APPLICANT["password"], "name": APPLICANT["name"]}
    ] + [{"role": o["role"], "username": o["nip"], "password": OFFICER_PASSWORD, "name": o["name"]} for o in OFFICERS]


def service_for(physical_ids: dict[str, str]) -> Accounts:
    """The account service of a stack, from its resources' physical ids."""
    return account_service(
        UserPoolSettings(
            accounts_table=physical_ids["AccountsTable"],
            user_pool_id=physical_ids["UserPool"],
            user_pool_client_id=physical_ids["UserPoolClient"],
        )
    )


def create_demo_accounts(service: Accounts) -> None:
    """Created active: the demo applicant has no activation code to type."""
    applicant = NewApplicant.model_validate({**APPLICANT, "passwordConfirmation": APPLICANT["password"]})
    with contextlib.suppress(Conflict):
        service.registration.create_active_applicant(applicant)
    for officer in OFFICERS:
        email = f"{officer['role']}@dpmptsp.example.go.id"
        request = OfficerCreateRequest.model_validate({**officer, "email": email, "password": OFFICER_PASSWORD})
        with contextlib.suppress(Conflict):
            service.registration.create_officer(request)


def main() -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack-name", required=True)
    args = parser.parse_args()
    resources = boto3.client("cloudformation").describe_stack_resources(StackName=args.stack_name)
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources["StackResources"]}
    create_demo_accounts(service_for(ids))
    for account in demo_accounts():
        print(f"{account['role']:<12} {account['username']:<20} {account['password']}")


if __name__ == "__main__":
    main()
