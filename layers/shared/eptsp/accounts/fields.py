"""The checked fields of an account (NIK, e-mail, phone, name, address, ...), shared by the
account models and the application's Data Pemohon and Data Perusahaan sections.

No model is defined here: a function that checks a section imports these few types, not the
twenty account models whose schemas pydantic builds at import."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from eptsp.accounts.identifiers import (
    check_officer_password,
    check_password,
    normalize_email,
    normalize_nib,
    normalize_nik,
    normalize_nip,
    normalize_npwp,
    normalize_phone,
)
from eptsp.wilayah import RESIDENCE_CHOICES


def _optional(normalize):
    return lambda value: normalize(value) if value not in (None, "") else None


def _residence(value: str) -> str:
    if value not in RESIDENCE_CHOICES:
        raise ValueError("Pilih kabupaten/kota dari daftar.")
    return value


Nik = Annotated[str, AfterValidator(normalize_nik)]
Nip = Annotated[str, AfterValidator(normalize_nip)]
Email = Annotated[str, Field(max_length=254), AfterValidator(normalize_email)]
Phone = Annotated[str, Field(max_length=20), AfterValidator(normalize_phone)]
Password = Annotated[str, AfterValidator(check_password)]
OFFICER_PASSWORD_RULE = "minimal 12 karakter, berisi huruf besar, huruf kecil dan angka"  # noqa: S105 (words of a rule)
OfficerPassword = Annotated[
    str,
    Field(description=f"Password petugas: {OFFICER_PASSWORD_RULE}.", examples=["PetugasKaltara2026"]),
    AfterValidator(check_officer_password),
]
OptionalNpwp = Annotated[str | None, AfterValidator(_optional(normalize_npwp))]
OptionalNib = Annotated[str | None, AfterValidator(_optional(normalize_nib))]
# A company's own contacts (Data Perusahaan), optional but checked as the applicant's are.
OptionalPhone = Annotated[str | None, Field(max_length=20), AfterValidator(_optional(normalize_phone))]
OptionalEmail = Annotated[str | None, Field(max_length=254), AfterValidator(_optional(normalize_email))]
Name = Annotated[str, Field(min_length=3, max_length=100, pattern=r"^[^<>{}\[\]\\]*$")]
Address = Annotated[str, Field(min_length=5, max_length=300)]
Residence = Annotated[str, AfterValidator(_residence)]
OfficerRole = Literal["verifikator", "teknis", "kepala", "admin"]
