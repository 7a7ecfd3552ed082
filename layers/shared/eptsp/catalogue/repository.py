"""Catalogue table access.

Items (pk / sk):
- ``IZIN`` / ``IZIN#<order>#<izinId>``: permit summary; one Query lists every permit in
  the catalogue's own order.
- ``IZIN#<izinId>`` / ``DETAIL``: the permit with its services and application types.
- ``PERMOHONAN#<jenisPermohonanId>`` / ``PERSYARATAN``: requirements, SLA, sections and
  detail fields of one application type.
- ``IZIN#<izinId>`` / ``SOURCE``: the permit as the seed models describe it (what an admin
  edits), with its ``version``, ``order``, ``origin`` (``seed`` or ``admin``) and who last
  changed it.
- ``ID#<id>`` / ``ID``: the claim of a permit on one id (its own, its services', its
  application types'), so no two permits share an id.
The views are denormalised at write time so every request is a single Query or GetItem.
Office days off (``CALENDAR``) and the audit trail (``AUDIT``) share the table and are
never touched by the loader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from eptsp.catalogue.audit import AuditEntry, audit_item
from eptsp.catalogue.models import Izin, IzinDetail, IzinSummary, PersyaratanOutput
from eptsp.dynamo import from_item, to_item
from eptsp.errors import Conflict, DomainError

LIST_PK = "IZIN"
SOURCE = "SOURCE"
CLAIM = "ID"
# Prefixes of the items the catalogue owns (the loader may drop these, nothing else).
CATALOGUE_PREFIXES = ("IZIN", "PERMOHONAN#", "ID#")
Key = tuple[str, str]
Views = tuple[IzinDetail, list[PersyaratanOutput]]


class StaleVersion(Conflict):
    code = "VERSI_USANG"
    default_message = "Jenis izin ini telah diubah oleh orang lain. Muat ulang lalu ulangi perubahan Anda."


class IzinExists(Conflict):
    code = "IZIN_SUDAH_ADA"
    default_message = "Jenis izin dengan id ini sudah ada. Ubah yang ada atau pilih id lain."


class IdTaken(Conflict):
    code = "ID_SUDAH_DIPAKAI"


class CatalogueWriteFailed(DomainError):
    code = "GAGAL_MENYIMPAN"
    default_message = "Perubahan katalog belum dapat disimpan. Coba lagi."


@dataclass(frozen=True)
class IzinSource:
    """A permit as admins edit it, and the bookkeeping of its changes."""

    izin: Izin
    version: int
    order: int
    origin: Literal["seed", "admin"]
    updated_at: str
    updated_by: str


def _source_item(source: IzinSource) -> dict[str, Any]:
    return to_item(
        {
            "pk": f"IZIN#{source.izin.id}",
            "sk": SOURCE,
            "izin": source.izin.model_dump(mode="json", by_alias=True, exclude_none=True),
            "version": source.version,
            "order": source.order,
            "origin": source.origin,
            "updatedAt": source.updated_at,
            "updatedBy": source.updated_by,
        }
    )


def source_from_item(item: dict[str, Any]) -> IzinSource:
    data = from_item(item)
    return IzinSource(
        izin=Izin.model_validate(data["izin"]),
        version=data["version"],
        order=data["order"],
        origin=data["origin"],
        updated_at=data["updatedAt"],
        updated_by=data["updatedBy"],
    )


def ids_of(detail: IzinDetail) -> list[str]:
    """Every id a permit claims: its own, its services', its application types'."""
    services = detail.layanan
    return [detail.id, *(s.id for s in services), *(j.id for s in services for j in s.jenis_permohonan)]


def view_items(views: Views, order: int) -> dict[Key, dict[str, Any]]:
    """The items a permit's views are stored as (its claims apart)."""
    detail, persyaratan_views = views
    summary = IzinSummary.model_validate(detail.model_dump()).model_dump(mode="json")
    items = {
        (LIST_PK, f"IZIN#{order:04d}#{detail.id}"): summary,
        (f"IZIN#{detail.id}", "DETAIL"): detail.model_dump(mode="json"),
    }
    for view in persyaratan_views:
        items[(f"PERMOHONAN#{view.jenis_permohonan.id}", "PERSYARATAN")] = view.model_dump(mode="json")
    return items


def claim_keys(views: Views) -> list[Key]:
    return [(f"ID#{item_id}", CLAIM) for item_id in ids_of(views[0])]


def stored_keys(source: IzinSource, views: Views) -> set[Key]:
    """Every item a permit is stored as: its source, views and claims."""
    return {(f"IZIN#{source.izin.id}", SOURCE), *view_items(views, source.order), *claim_keys(views)}


def _data(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in ("pk", "sk")}


class CatalogueRepository:
    def __init__(self, table: Any):
        self._table = table

    def list_izin(self) -> list[IzinSummary]:
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = {"KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": LIST_PK}}
        while True:
            answer = self._table.query(**query)
            items.extend(answer["Items"])
            if "LastEvaluatedKey" not in answer:
                break
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return [IzinSummary.model_validate(_data(item)) for item in items]

    def get_izin(self, izin_id: str) -> IzinDetail | None:
        item = self._table.get_item(Key={"pk": f"IZIN#{izin_id}", "sk": "DETAIL"}).get("Item")
        return IzinDetail.model_validate(_data(item)) if item else None

    def get_persyaratan(self, jenis_permohonan_id: str) -> PersyaratanOutput | None:
        item = self._table.get_item(Key={"pk": f"PERMOHONAN#{jenis_permohonan_id}", "sk": "PERSYARATAN"}).get("Item")
        return PersyaratanOutput.model_validate(_data(item)) if item else None

    # ------------------------------------------------------------------ admin changes

    def get_source(self, izin_id: str) -> IzinSource | None:
        item = self._table.get_item(Key={"pk": f"IZIN#{izin_id}", "sk": SOURCE}, ConsistentRead=True).get("Item")
        return source_from_item(item) if item else None

    def claimant(self, item_id: str) -> str | None:
        """The permit that holds ``item_id`` (a permit, service or application type id)."""
        item = self._table.get_item(Key={"pk": f"ID#{item_id}", "sk": CLAIM}, ConsistentRead=True).get("Item")
        return str(item["izinId"]) if item else None

    def next_order(self) -> int:
        """A place after every listed permit, for a new one."""
        orders = [-1]
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": LIST_PK},
            "ProjectionExpression": "sk",
        }
        while True:
            answer = self._table.query(**query)
            orders.extend(int(item["sk"].split("#")[1]) for item in answer["Items"])
            if "LastEvaluatedKey" not in answer:
                return max(orders) + 1
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def save(
        self, source: IzinSource, views: Views, previous: tuple[IzinSource, Views] | None, audit: AuditEntry
    ) -> None:
        """One permit's source, views and claims, and the audit of the change, all or nothing.

        Guarded by the version the admin saw (``previous``), or by the permit being new;
        each id is claimed unless another permit holds it.
        """
        table = self._table.name
        izin_id = source.izin.id
        if previous is None:
            guard = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            guard = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": previous[0].version}}
        actions: list[dict[str, Any]] = [{"Put": {"TableName": table, "Item": _source_item(source), **guard}}]
        claims = claim_keys(views)
        for pk, sk in claims:
            actions.append(
                {
                    "Put": {
                        "TableName": table,
                        "Item": {"pk": pk, "sk": sk, "izinId": izin_id},
                        "ConditionExpression": "attribute_not_exists(pk) OR izinId = :izin",
                        "ExpressionAttributeValues": {":izin": izin_id},
                    }
                }
            )
        wanted = view_items(views, source.order)
        for (pk, sk), data in wanted.items():
            actions.append({"Put": {"TableName": table, "Item": {"pk": pk, "sk": sk, **to_item(data)}}})
        if previous is not None:
            old_source, old_views = previous
            stale = {*view_items(old_views, old_source.order), *claim_keys(old_views)} - {*wanted, *claims}
            actions.extend({"Delete": {"TableName": table, "Key": {"pk": pk, "sk": sk}}} for pk, sk in stale)
        actions.append({"Put": {"TableName": table, "Item": audit_item(audit)}})
        if len(actions) > 100:  # DynamoDB's limit; the models' limits keep a permit well below it
            raise CatalogueWriteFailed("Jenis izin ini terlalu besar untuk disimpan sekaligus.")
        client = self._table.meta.client
        try:
            client.transact_write_items(TransactItems=actions)
        except client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise (IzinExists() if previous is None else StaleVersion()) from None
            for (pk, _), reason in zip(claims, reasons[1:], strict=False):
                if reason == "ConditionalCheckFailed":
                    taken = pk.removeprefix("ID#")
                    raise IdTaken(f"Id '{taken}' sudah dipakai jenis izin lain. Pilih id lain.", field=taken) from None
            raise Conflict() from None

    # ------------------------------------------------------------------ the loader

    def scan_catalogue(self) -> tuple[set[Key], dict[str, IzinSource]]:
        """The keys of every catalogue item and every permit's source (the loader's Scan, never a request's)."""
        keys: set[Key] = set()
        scan: dict[str, Any] = {"ProjectionExpression": "pk, sk", "Limit": 200}
        while True:
            answer = self._table.scan(**scan)
            keys.update(
                (item["pk"], item["sk"]) for item in answer["Items"] if item["pk"].startswith(CATALOGUE_PREFIXES)
            )
            if "LastEvaluatedKey" not in answer:
                break
            scan["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return keys, self._sources([{"pk": pk, "sk": sk} for pk, sk in keys if sk == SOURCE])

    def _sources(self, wanted: list[dict[str, str]]) -> dict[str, IzinSource]:
        sources: dict[str, IzinSource] = {}
        client = self._table.meta.client
        for start in range(0, len(wanted), 100):  # BatchGetItem's limit
            request: dict[str, Any] = {self._table.name: {"Keys": wanted[start : start + 100], "ConsistentRead": True}}
            while request:
                answer = client.batch_get_item(RequestItems=request)
                for item in answer["Responses"].get(self._table.name, []):
                    source = source_from_item(item)
                    sources[source.izin.id] = source
                request = answer.get("UnprocessedKeys") or {}
        return sources

    def write_loaded(
        self,
        permits: Iterable[tuple[IzinSource, Views]],
        keep: set[Key],
        existing: set[Key],
        audits: Iterable[AuditEntry],
    ) -> None:
        """Write the loaded permits, keep ``keep``, drop every other catalogue item, record ``audits``."""
        wanted: dict[Key, dict[str, Any]] = {}
        for source, views in permits:
            wanted[(f"IZIN#{source.izin.id}", SOURCE)] = _data(_source_item(source))
            wanted.update({key: to_item(data) for key, data in view_items(views, source.order).items()})
            wanted.update({key: {"izinId": source.izin.id} for key in claim_keys(views)})
        with self._table.batch_writer() as batch:
            for (pk, sk), data in wanted.items():
                batch.put_item(Item={"pk": pk, "sk": sk, **data})
            for pk, sk in existing - wanted.keys() - keep:
                batch.delete_item(Key={"pk": pk, "sk": sk})
            for entry in audits:
                batch.put_item(Item=audit_item(entry))
