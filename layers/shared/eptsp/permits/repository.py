"""Permits in the applications table (docs/data-model.md): typed entities in, typed out.

Items:
- ``IZIN#<permitId>`` / ``IZIN``: the permit, its signature, its PDF's key, its revocation;
- ``IZIN#<permitId>`` / ``AUDIT#<at>``: who revoked it, when, why;
- ``NOMOR_IZIN#<year>`` / ``COUNTER``: the last sequence number given that year;
- the application (``PERMOHONAN#<id>`` / ``META``) gains ``permitId`` and ``permitNumber``
  when its number is taken, and becomes ``terbit`` when the permit is complete.

The number is taken in one transaction with the permit and the application's claim: the
counter moves from the value read to the next only if nobody moved it meanwhile, and only
if the application has no permit yet. So a number is never skipped (nothing else takes
one), never given twice (the condition), and an application never gets two.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from eptsp.dynamo import from_item, to_item
from eptsp.errors import Conflict, DomainError, NotFound
from eptsp.permits.models import Holder, IssuanceSource, Permit, Revocation
from eptsp.receipts.document import mask_nik
from eptsp.wilayah import KABUPATEN_KOTA

PERMIT = "IZIN"
COUNTER = "COUNTER"
META = "META"
HISTORY = "RIWAYAT#"
MAX_DETAIL_ROWS = 8
MAX_DETAIL_TEXT = 160


class PermitNotFound(NotFound):
    code = "IZIN_TIDAK_DITEMUKAN"
    default_message = "Izin tidak ditemukan."


class NumberTaken(Conflict):
    """Another issuance took the next number first: read the counter again."""


class AlreadyNumbered(Conflict):
    """The application already has a permit (a retried task): continue with that one."""


class NotApproved(Conflict):
    code = "BELUM_DISETUJUI"
    default_message = "Permohonan belum disetujui."


class AlreadyRevoked(Conflict):
    code = "IZIN_SUDAH_DICABUT"
    default_message = "Izin ini sudah dicabut."


class IssuanceWriteFailed(DomainError):
    code = "GAGAL_MENYIMPAN"
    default_message = "Izin belum dapat disimpan. Coba lagi."


def _permit_key(permit_id: str) -> dict[str, str]:
    return {"pk": f"IZIN#{permit_id}", "sk": PERMIT}


def _app_key(application_id: str) -> dict[str, str]:
    return {"pk": f"PERMOHONAN#{application_id}", "sk": META}


def _counter_key(year: int) -> dict[str, str]:
    return {"pk": f"NOMOR_IZIN#{year}", "sk": COUNTER}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    text = str(value).strip()
    return text if len(text) <= MAX_DETAIL_TEXT else text[: MAX_DETAIL_TEXT - 3].rstrip() + "..."


def _details(item: dict[str, Any]) -> list[tuple[str, str]]:
    """Data Detail as printed: the catalogue's labels with units; long free text is left to the file."""
    values = (item.get("sectionData") or {}).get("detail") or {}
    rows = []
    for spec in item.get("detailFields") or []:
        value = values.get(spec["id"])
        if value in (None, "", []) or spec.get("type") == "textarea":
            continue
        unit = f" {spec['unit']}" if spec.get("unit") else ""
        rows.append((spec["label"], _text(value) + unit))
    return rows[:MAX_DETAIL_ROWS]


def _location(data: dict[str, Any]) -> str | None:
    """Lokasi Izin as one line: address, village, district, regency (its name, not its code)."""
    lokasi = data.get("lokasi") or {}
    kecamatan = lokasi.get("kecamatan")
    regency = lokasi.get("kabupatenKota")
    parts = [
        lokasi.get("address"),
        lokasi.get("desaKelurahan"),
        f"Kec. {kecamatan}" if kecamatan else None,
        KABUPATEN_KOTA.get(regency, regency) if regency else None,
    ]
    return ", ".join(str(part) for part in parts if part) or None


def _source(item: dict[str, Any]) -> IssuanceSource:
    item = from_item(item)
    data = item.get("sectionData") or {}
    pemohon = data.get("pemohon") or {}
    company = (data.get("perusahaan") or {}).get("companyName")
    return IssuanceSource(
        application_id=item["applicationId"],
        owner_id=item["ownerId"],
        status=item["status"],
        receipt_number=item.get("receiptNumber") or "",
        izin_name=item["izin"]["name"],
        layanan_name=item["layanan"]["name"],
        jenis_permohonan_name=item["jenisPermohonan"]["name"],
        holder=Holder(
            name=str(pemohon.get("name") or ""),
            nik_masked=mask_nik(str(pemohon.get("nik") or "")),
            company_name=company,
        ),
        location=_location(data),
        details=_details(item),
        validity_years=item.get("validityYears"),
        permit_id=item.get("permitId"),
    )


def _permit_item(permit: Permit) -> dict[str, Any]:
    return to_item(
        {
            **_permit_key(permit.permit_id),
            "permitId": permit.permit_id,
            "applicationId": permit.application_id,
            "ownerId": permit.owner_id,
            "permitNumber": permit.number,
            "year": permit.year,
            "seq": permit.seq,
            "izinName": permit.izin_name,
            "layananName": permit.layanan_name,
            "jenisPermohonanName": permit.jenis_permohonan_name,
            "holder": {
                "name": permit.holder.name,
                "nikMasked": permit.holder.nik_masked,
                "companyName": permit.holder.company_name,
            },
            "location": permit.location,
            "details": [[label, value] for label, value in permit.details],
            "issuedOn": permit.issued_on.isoformat(),
            "validUntil": permit.valid_until.isoformat() if permit.valid_until else None,
            "issuedAt": permit.issued_at,
            "receiptNumber": permit.receipt_number,
        }
    )


def _permit(item: dict[str, Any]) -> Permit:
    item = from_item(item)
    holder = item.get("holder") or {}
    revocation = item.get("revocation")
    return Permit(
        permit_id=item["permitId"],
        application_id=item["applicationId"],
        owner_id=item["ownerId"],
        number=item["permitNumber"],
        year=item["year"],
        seq=item["seq"],
        izin_name=item["izinName"],
        layanan_name=item.get("layananName") or "",
        jenis_permohonan_name=item["jenisPermohonanName"],
        holder=Holder(
            name=holder.get("name", ""), nik_masked=holder.get("nikMasked", ""), company_name=holder.get("companyName")
        ),
        location=item.get("location"),
        details=[(label, value) for label, value in item.get("details") or []],
        issued_on=date.fromisoformat(item["issuedOn"]),
        valid_until=date.fromisoformat(item["validUntil"]) if item.get("validUntil") else None,
        issued_at=item["issuedAt"],
        receipt_number=item.get("receiptNumber") or "",
        signature=item.get("signature"),
        key_id=item.get("keyId"),
        document_key=item.get("documentKey"),
        revocation=Revocation(
            at=revocation["at"], by_id=revocation["byId"], by_name=revocation["byName"], reason=revocation["reason"]
        )
        if revocation
        else None,
    )


class PermitRepository:
    def __init__(self, table: Any):
        self._table = table
        self._client = table.meta.client
        self._name = table.name

    # ------------------------------------------------------------- reading
    def source(self, application_id: str) -> IssuanceSource | None:
        item = self._table.get_item(Key=_app_key(application_id), ConsistentRead=True).get("Item")
        return _source(item) if item and item.get("status") else None

    def get(self, permit_id: str) -> Permit | None:
        item = self._table.get_item(Key=_permit_key(permit_id), ConsistentRead=True).get("Item")
        return _permit(item) if item else None

    def last_sequence(self, year: int) -> int:
        item = self._table.get_item(Key=_counter_key(year), ConsistentRead=True).get("Item")
        return int(item["seq"]) if item else 0

    # ------------------------------------------------------------- writing
    def _run(self, actions: list[dict[str, Any]], refusals: list[DomainError]) -> None:
        try:
            self._client.transact_write_items(TransactItems=actions)
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            for code, refusal in zip(reasons, refusals, strict=False):
                if code == "ConditionalCheckFailed":
                    raise refusal from None
            # A conflict with a concurrent transaction on the counter: read it again.
            if "TransactionConflict" in reasons:
                raise NumberTaken() from None
            raise IssuanceWriteFailed() from None

    def record(self, permit: Permit, previous_seq: int) -> None:
        """Take number ``permit.seq`` (the counter stood at ``previous_seq``) for this permit,
        and claim the application for it: one transaction."""
        counter: dict[str, Any] = {
            "Update": {
                "TableName": self._name,
                "Key": _counter_key(permit.year),
                "UpdateExpression": "SET seq = :next",
                "ExpressionAttributeValues": {":next": permit.seq},
            }
        }
        if previous_seq:
            counter["Update"]["ConditionExpression"] = "seq = :previous"
            counter["Update"]["ExpressionAttributeValues"][":previous"] = previous_seq
        else:
            counter["Update"]["ConditionExpression"] = "attribute_not_exists(seq)"
        self._run(
            [
                counter,
                {
                    "Put": {
                        "TableName": self._name,
                        "Item": _permit_item(permit),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Update": {
                        "TableName": self._name,
                        "Key": _app_key(permit.application_id),
                        "UpdateExpression": "SET permitId = :id, permitNumber = :number",
                        "ConditionExpression": "#status = :approved AND attribute_not_exists(permitId)",
                        "ExpressionAttributeNames": {"#status": "status"},
                        "ExpressionAttributeValues": {
                            ":id": permit.permit_id,
                            ":number": permit.number,
                            ":approved": "disetujui",
                        },
                    }
                },
            ],
            [NumberTaken(), IssuanceWriteFailed(), AlreadyNumbered()],
        )

    def set_signature(self, permit_id: str, signature: str, key_id: str) -> None:
        self._table.update_item(
            Key=_permit_key(permit_id),
            UpdateExpression="SET signature = :signature, keyId = :key",
            ExpressionAttributeValues={":signature": signature, ":key": key_id},
        )

    def set_document(self, permit_id: str, document_key: str) -> None:
        self._table.update_item(
            Key=_permit_key(permit_id),
            UpdateExpression="SET documentKey = :key",
            ExpressionAttributeValues={":key": document_key},
        )

    def mark_issued(self, permit: Permit, at: str) -> bool:
        """The application becomes ``terbit`` with its History Proses entry (False when it already was)."""
        history = {
            "pk": f"PERMOHONAN#{permit.application_id}",
            "sk": f"{HISTORY}{at}#{secrets.token_hex(3)}",
            "at": at,
            "stage": "selesai",
            "action": "terbit",
            "actorRole": "sistem",
            "notes": f"Izin terbit dengan nomor {permit.number}.",
            "details": {"permitId": permit.permit_id, "permitNumber": permit.number},
        }
        try:
            self._run(
                [
                    {
                        "Update": {
                            "TableName": self._name,
                            "Key": _app_key(permit.application_id),
                            "UpdateExpression": "SET #status = :issued, updatedAt = :at",
                            "ConditionExpression": "#status = :approved AND permitId = :id",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {
                                ":issued": "terbit",
                                ":approved": "disetujui",
                                ":id": permit.permit_id,
                                ":at": at,
                            },
                        }
                    },
                    {"Put": {"TableName": self._name, "Item": to_item(history)}},
                ],
                [NotApproved(), IssuanceWriteFailed()],
            )
        except NotApproved:
            current = self.source(permit.application_id)
            if current is not None and current.status == "terbit" and current.permit_id == permit.permit_id:
                return False
            raise
        return True

    def revoke(self, permit_id: str, revocation: Revocation) -> None:
        """Revoke once, with its audit entry; a second revocation is 409."""
        record = {
            "at": revocation.at,
            "byId": revocation.by_id,
            "byName": revocation.by_name,
            "reason": revocation.reason,
        }
        self._run(
            [
                {
                    "Update": {
                        "TableName": self._name,
                        "Key": _permit_key(permit_id),
                        "UpdateExpression": "SET revocation = :revocation",
                        "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(revocation)",
                        "ExpressionAttributeValues": {":revocation": record},
                    }
                },
                {
                    "Put": {
                        "TableName": self._name,
                        "Item": {
                            "pk": f"IZIN#{permit_id}",
                            "sk": f"AUDIT#{revocation.at}",
                            "action": "dicabut",
                            **record,
                        },
                    }
                },
            ],
            [AlreadyRevoked(), IssuanceWriteFailed()],
        )
