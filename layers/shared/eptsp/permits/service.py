"""Permits: issuing one at penerbitan (number, signature, PDF, ``terbit``), verifying one
for anyone holding its id, revoking one, and the PDF for its holder.

Issuance is idempotent per application: each step records what it did, and a retried task
(Step Functions' Retry, or an admin's retry after a gangguan) continues from there with the
permit and number the application already has.
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, Protocol

from eptsp.errors import ApplicationNotFound, Conflict
from eptsp.events import ApplicationEvent
from eptsp.identity import Caller
from eptsp.observability import logger
from eptsp.office import OfficeIdentity
from eptsp.permits.models import IssuanceResult, IssuanceSource, Permit, Revocation, VerificationOutput
from eptsp.permits.numbering import is_permit_id, new_permit_id, permit_number
from eptsp.permits.repository import (
    AlreadyNumbered,
    NotApproved,
    NumberTaken,
    PermitNotFound,
    PermitRepository,
)
from eptsp.workdays import wita_date

# Concurrent issuances each retry until their turn; far more than a day's worth of them at once.
MAX_NUMBER_ATTEMPTS = 500
INVALID = VerificationOutput(valid=False, status="tidak valid")


class PermitNotIssued(Conflict):
    code = "IZIN_BELUM_TERBIT"
    default_message = "Izin untuk permohonan ini belum terbit."


class Signer(Protocol):
    key_id: str

    def sign(self, message: bytes) -> bytes: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class KmsSigner:
    """ECDSA P-256 with SHA-256 on the template's asymmetric KMS key; the private key never leaves KMS."""

    ALGORITHM = "ECDSA_SHA_256"

    def __init__(self, kms: Any, key_id: str):
        self._kms = kms
        self.key_id = key_id

    def sign(self, message: bytes) -> bytes:
        answer = self._kms.sign(KeyId=self.key_id, Message=message, MessageType="RAW", SigningAlgorithm=self.ALGORITHM)
        return answer["Signature"]

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            answer = self._kms.verify(
                KeyId=self.key_id,
                Message=message,
                MessageType="RAW",
                Signature=signature,
                SigningAlgorithm=self.ALGORITHM,
            )
        except self._kms.exceptions.KMSInvalidSignatureException:
            return False
        return bool(answer.get("SignatureValid"))


class DocumentStore(Protocol):
    def put(self, key: str, body: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...


class S3DocumentStore:
    def __init__(self, s3: Any, bucket: str):
        self._s3 = s3
        self._bucket = bucket

    def put(self, key: str, body: bytes) -> None:
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType="application/pdf")

    def get(self, key: str) -> bytes:
        return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def valid_until(issued_on: date, years: int | None) -> date | None:
    """The last day of a validity of ``years``: the day before the anniversary (29 Feb -> 28 Feb)."""
    if not years:
        return None
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        anniversary = issued_on.replace(year=issued_on.year + years, day=28)
    return date.fromordinal(anniversary.toordinal() - 1)


def verification_url(site_origin: str, permit_id: str) -> str:
    return f"{site_origin}/#/verifikasi/{permit_id}"


def document_key(permit: Permit) -> str:
    return f"izin/{permit.application_id}/{permit.permit_id}.pdf"


def file_name(permit_number_text: str) -> str:
    return f"izin-{permit_number_text.replace('/', '-')}.pdf"


Renderer = Callable[[Permit, OfficeIdentity, str], bytes]
Publisher = Callable[[Permit], None]


class IssuanceService:
    def __init__(
        self,
        permits: PermitRepository,
        signer: Signer,
        documents: DocumentStore,
        office: OfficeIdentity,
        site_origin: str,
        render: Renderer,
        publish: Publisher | None = None,
        approve: Callable[[str], object] | None = None,
        clock: Callable[[], datetime] = _now,
    ):
        self._permits = permits
        self._signer = signer
        self._documents = documents
        self._office = office
        self._site_origin = site_origin
        self._render = render
        self._publish = publish
        self._approve = approve
        self._clock = clock

    def issue(self, application_id: str) -> IssuanceResult:
        source = self._permits.source(application_id)
        if source is None:
            raise ApplicationNotFound()
        if source.status == "diproses" and self._approve:
            self._approve(application_id)  # penerbitan's first step: disetujui, as issue 9 left it
            source = self._permits.source(application_id) or source
        if source.status not in ("disetujui", "terbit"):
            raise NotApproved()
        permit = self._permits.get(source.permit_id) if source.permit_id else None
        if permit is None:
            permit = self._take_number(source)
        if not permit.signature:
            signature = base64.b64encode(self._signer.sign(permit.signed_payload())).decode()
            self._permits.set_signature(permit.permit_id, signature, self._signer.key_id)
            permit = replace(permit, signature=signature, key_id=self._signer.key_id)
        if not permit.document_key:
            key = document_key(permit)
            url = verification_url(self._site_origin, permit.permit_id)
            self._documents.put(key, self._render(permit, self._office, url))
            self._permits.set_document(permit.permit_id, key)
            permit = replace(permit, document_key=key)
        if source.status != "terbit":
            self._permits.mark_issued(permit, _iso(self._clock()))
        if self._publish:
            self._publish(permit)  # the same event id on a retry: the notifier sends it once
        logger.info("Permit issued", extra={"application_id": application_id, "permit_number": permit.number})
        return IssuanceResult(status="terbit", permit_id=permit.permit_id, permit_number=permit.number)

    def _take_number(self, source: IssuanceSource) -> Permit:
        moment = self._clock()
        issued_on = wita_date(moment)
        permit_id = new_permit_id()
        for attempt in range(MAX_NUMBER_ATTEMPTS):
            previous = self._permits.last_sequence(issued_on.year)
            permit = Permit(
                permit_id=permit_id,
                application_id=source.application_id,
                owner_id=source.owner_id,
                number=permit_number(self._office.number_pattern, previous + 1, issued_on),
                year=issued_on.year,
                seq=previous + 1,
                izin_name=source.izin_name,
                layanan_name=source.layanan_name,
                jenis_permohonan_name=source.jenis_permohonan_name,
                holder=source.holder,
                location=source.location,
                details=source.details,
                issued_on=issued_on,
                valid_until=valid_until(issued_on, source.validity_years),
                issued_at=_iso(moment),
                receipt_number=source.receipt_number,
            )
            try:
                self._permits.record(permit, previous)
                return permit
            except NumberTaken:
                # Another issuance took it: read the counter again after a jittered, growing pause,
                # so that many issuances at once do not all retry together.
                time.sleep(secrets.randbelow(20 * 2 ** min(attempt, 5)) / 1000)
            except AlreadyNumbered:
                current = self._permits.source(source.application_id)
                existing = self._permits.get(current.permit_id) if current and current.permit_id else None
                if existing is None:
                    raise
                return existing
        raise NumberTaken()


class PermitService:
    """Verification (anyone), revocation (admin) and the holder's PDF."""

    def __init__(self, permits: PermitRepository, signer: Signer, clock: Callable[[], datetime] = _now):
        self._permits = permits
        self._signer = signer
        self._clock = clock

    def _genuine(self, permit_id: str) -> Permit | None:
        """The permit if its stored public data carries this office's signature, else None."""
        if not is_permit_id(permit_id):
            return None
        permit = self._permits.get(permit_id)
        if permit is None or not permit.signature:
            return None
        try:
            signature = base64.b64decode(permit.signature, validate=True)
        except ValueError:
            return None
        # Verified with the configured key, never with a key named by the stored data.
        return permit if self._signer.verify(permit.signed_payload(), signature) else None

    def verify(self, permit_id: str) -> VerificationOutput:
        permit = self._genuine(permit_id)
        if permit is None:
            return INVALID
        today = wita_date(self._clock())
        if permit.revocation:
            status = "dicabut"
        elif permit.valid_until and permit.valid_until < today:
            status = "kedaluwarsa"
        else:
            status = "berlaku"
        record = permit.public_record()
        return VerificationOutput(
            valid=status == "berlaku",
            status=status,
            permit_number=record["permitNumber"],
            izin_name=record["izinName"],
            jenis_permohonan_name=record["jenisPermohonanName"],
            holder_name=record["holderName"],
            company_name=record["companyName"],
            issued_at=record["issuedAt"],
            valid_until=record["validUntil"],
            revoked_at=permit.revocation.at if permit.revocation else None,
            revocation_reason=permit.revocation.reason if permit.revocation else None,
        )

    def revoke(self, caller: Caller, permit_id: str, reason: str) -> VerificationOutput:
        if not is_permit_id(permit_id) or self._permits.get(permit_id) is None:
            raise PermitNotFound()
        revocation = Revocation(
            at=_iso(self._clock()), by_id=caller.user_id, by_name=caller.username, reason=reason.strip()
        )
        self._permits.revoke(permit_id, revocation)
        logger.info("Permit revoked", extra={"permit_id": permit_id, "by": caller.user_id})
        return self.verify(permit_id)

    def holder_document(self, caller: Caller, application_id: str, documents: DocumentStore) -> tuple[str, bytes]:
        """Unduh Izin: the permit PDF of the caller's own issued application (another's is 404)."""
        source = self._permits.source(application_id)
        if source is None or source.owner_id != caller.user_id:
            if source is not None:
                logger.warning("Another applicant's permit refused", extra={"application_id": application_id})
            raise ApplicationNotFound()
        permit = self._permits.get(source.permit_id) if source.permit_id and source.status == "terbit" else None
        if permit is None or not permit.document_key:
            raise PermitNotIssued()
        return file_name(permit.number), documents.get(permit.document_key)


def issued_event(permit: Permit) -> ApplicationEvent:
    """The ``terbit`` event for the applicant's Inbox, e-mail and SMS; one id per application,
    so a retried issuance publishes the same event and the notifier sends it once."""
    return ApplicationEvent(
        event_id=f"{permit.application_id}#terbit#1",
        kind="terbit",
        application_id=permit.application_id,
        owner_id=permit.owner_id,
        receipt_number=permit.receipt_number or None,
        izin_name=permit.izin_name,
        stage="selesai",
        permit_number=permit.number,
    )
