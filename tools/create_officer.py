"""An officer account made by the operator, for the first admin of a new stack, or an
officer reset after a lost password or phone (run with the operator's AWS credentials):

    python -m tools.create_officer --stack-name e-ptsp --role admin --nip 199104172019031004 \\
        --name "Agus Pratama" --email agus@dpmptsp.example.go.id --phone 081234500005
    python -m tools.create_officer --stack-name e-ptsp --reset --nip 199104172019031004

Either prints a generated password once. The officer signs in at /api/docs with it, sets up
an authenticator app (the pool asks for it: MFA_SETUP), and changes the password. Every
other officer is created by an admin through the API (POST /api/admin/officers).
"""

from __future__ import annotations

import argparse
import secrets
import string

from eptsp.accounts.identifiers import check_officer_password
from eptsp.accounts.models import OfficerCreateRequest
from eptsp.accounts.service import Accounts

ALPHABET = string.ascii_letters + string.digits


def generated_password(length: int = 20) -> str:
    """A random password the officers' pool accepts (capitals, small letters and digits)."""
    while True:
        candidate = "".join(secrets.choice(ALPHABET) for _ in range(length))
        try:
            return check_officer_password(candidate)
        except ValueError:
            continue


def create_officer(officers: Accounts, nip: str, name: str, email: str, phone: str, role: str) -> str:
    """A new officer in the officers' pool; returns the generated password."""
    password = generated_password()
    request = {"nip": nip, "name": name, "email": email, "phone": phone, "role": role, "password": password}
    officers.create_officer(OfficerCreateRequest.model_validate(request))
    return password


def reset_officer(officers: Accounts, nip: str) -> str:
    """A new password and no authenticator app (the next sign-in sets one up); every session
    ends. Returns the generated password."""
    password = generated_password()
    officers.officer_sign_in.reset(nip, password)
    return password


def main() -> None:
    import boto3

    from tools.demo_accounts import services_for

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack-name", required=True)
    parser.add_argument("--nip", required=True)
    parser.add_argument("--reset", action="store_true", help="a new password and authenticator app for an officer")
    parser.add_argument("--role", choices=["verifikator", "teknis", "kepala", "admin"])
    parser.add_argument("--name")
    parser.add_argument("--email")
    parser.add_argument("--phone")
    args = parser.parse_args()
    resources = boto3.client("cloudformation").describe_stack_resources(StackName=args.stack_name)
    _, officers = services_for({r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources["StackResources"]})
    if args.reset:
        password = reset_officer(officers, args.nip)
    else:
        if not (args.role and args.name and args.email and args.phone):
            parser.error("a new officer needs --role, --name, --email and --phone")
        password = create_officer(officers, args.nip, args.name, args.email, args.phone, args.role)
    print(f"{args.nip}: password {password} (shown once; the officer changes it after the first sign-in)")


if __name__ == "__main__":
    main()
