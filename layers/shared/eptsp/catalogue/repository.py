"""Catalogue table access.

Items (pk / sk):
- ``IZIN`` / ``IZIN#<order>#<izinId>``: permit summary; one Query lists every permit in
  the catalogue's own order.
- ``IZIN#<izinId>`` / ``DETAIL``: the permit with its services and application types.
- ``PERMOHONAN#<jenisPermohonanId>`` / ``PERSYARATAN``: requirements, SLA, sections and
  detail fields of one application type.
The views are denormalised at load time so every request is a single Query or GetItem.
"""

from __future__ import annotations

from typing import Any

from eptsp.catalogue.models import IzinDetail, IzinSummary, PersyaratanOutput
from eptsp.dynamo import to_item

LIST_PK = "IZIN"


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

    def replace_all(self, views: list[tuple[IzinDetail, list[PersyaratanOutput]]]) -> None:
        wanted: dict[tuple[str, str], dict[str, Any]] = {}
        for order, (detail, persyaratan_views) in enumerate(views):
            summary = IzinSummary.model_validate(detail.model_dump()).model_dump(mode="json")
            wanted[(LIST_PK, f"IZIN#{order:04d}#{detail.id}")] = summary
            wanted[(f"IZIN#{detail.id}", "DETAIL")] = detail.model_dump(mode="json")
            for view in persyaratan_views:
                wanted[(f"PERMOHONAN#{view.jenis_permohonan.id}", "PERSYARATAN")] = view.model_dump(mode="json")
        # Loading is an operator's action, not a request path: a Scan finds what to drop.
        existing: set[tuple[str, str]] = set()
        scan: dict[str, Any] = {"ProjectionExpression": "pk, sk"}
        while True:
            answer = self._table.scan(**scan)
            existing.update((item["pk"], item["sk"]) for item in answer["Items"])
            if "LastEvaluatedKey" not in answer:
                break
            scan["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        with self._table.batch_writer() as batch:
            for (pk, sk), data in wanted.items():
                batch.put_item(Item={"pk": pk, "sk": sk, **to_item(data)})
            for pk, sk in existing - wanted.keys():
                batch.delete_item(Key={"pk": pk, "sk": sk})
