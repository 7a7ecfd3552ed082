"""Permits ("surat izin"): the entities the repository returns, the signed public record,
and the API's models. No AWS and no PDF library here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from eptsp.models import ApiModel

VerificationStatus = Literal["berlaku", "kedaluwarsa", "dicabut", "tidak valid"]


@dataclass(frozen=True)
class Holder:
    name: str
    nik_masked: str  # the full NIK never leaves the application
    company_name: str | None


@dataclass(frozen=True)
class IssuanceSource:
    """An approved application as issuance reads it."""

    application_id: str
    owner_id: str
    status: str
    receipt_number: str
    izin_name: str
    layanan_name: str
    jenis_permohonan_name: str
    holder: Holder
    location: str | None
    details: list[tuple[str, str]]  # (label, value) of Data Detail, as printed
    validity_years: int | None
    permit_id: str | None  # set once a number is taken: the retried task reuses it


@dataclass(frozen=True)
class Revocation:
    at: str  # ISO UTC
    by_id: str
    by_name: str
    reason: str


@dataclass(frozen=True)
class Permit:
    permit_id: str
    application_id: str
    owner_id: str
    number: str
    year: int
    seq: int
    izin_name: str
    layanan_name: str
    jenis_permohonan_name: str
    holder: Holder
    location: str | None
    details: list[tuple[str, str]]
    issued_on: date  # WITA calendar date
    valid_until: date | None
    issued_at: str  # ISO UTC
    receipt_number: str
    signature: str | None = None  # base64 DER ECDSA over ``signed_payload``
    key_id: str | None = None
    document_key: str | None = None  # the PDF in the documents bucket
    revocation: Revocation | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def public_record(self) -> dict[str, str | None]:
        """What the verification page shows, and exactly what the KMS signature covers."""
        return {
            "permitId": self.permit_id,
            "permitNumber": self.number,
            "izinName": self.izin_name,
            "jenisPermohonanName": self.jenis_permohonan_name,
            "holderName": self.holder.name,
            "companyName": self.holder.company_name,
            "issuedAt": self.issued_on.isoformat(),
            "validUntil": self.valid_until.isoformat() if self.valid_until else None,
        }

    def signed_payload(self) -> bytes:
        """The canonical JSON of the public record: sorted keys, no spaces, UTF-8."""
        return json.dumps(self.public_record(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# ------------------------------------------------------------------ API


class VerificationOutput(ApiModel):
    valid: bool
    status: VerificationStatus
    permit_number: str | None = None
    izin_name: str | None = None
    jenis_permohonan_name: str | None = None
    holder_name: str | None = None
    company_name: str | None = None
    issued_at: str | None = None
    valid_until: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None


class RevokeRequest(ApiModel):
    reason: Annotated[str, Field(min_length=10, max_length=500, description="alasan pencabutan (10-500 karakter)")]


class IssuanceResult(ApiModel):
    status: Literal["terbit"]
    permit_id: str
    permit_number: str
