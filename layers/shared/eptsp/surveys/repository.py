"""SurveysTable access (docs/data-model.md), and the reads of ApplicationsTable a survey needs.

Items of SurveysTable (pk / sk):
- ``SURVEI#<applicationId>`` / ``SURVEI``: the one survey of an application; its put is
  conditional (``attribute_not_exists(pk)``), so a second survey is refused by DynamoDB.
- ``IKM#KANTOR`` / ``BULAN#<YYYY-MM>``: the office's counter of a WITA month: ``respondents``
  and the sum of each element's scores (``u1``..``u9``).
- ``IKM#IZIN#<izinId>`` / ``BULAN#<YYYY-MM>``: the same counter for one permit type.
- ``IKM#PERIZIN`` / ``<YYYY-MM>#<izinId>``: the permit type's counter again, under one
  partition, so that every permit type of a range of months is one Query.
The survey and its three counter updates are one transaction: the counters never count a
survey that was refused, and never miss one that was stored. Reports read counters only
(Query on a key range, no Scan).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eptsp.dynamo import CursorShape, encode_cursor, from_item, run_query, to_item
from eptsp.errors import Conflict, NotFound
from eptsp.surveys.ikm import ELEMENT_IDS
from eptsp.surveys.models import ENDED, EndedApplication, MonthTally, Survey

SURVEY = "SURVEI"
OFFICE = "IKM#KANTOR"
PER_IZIN = "IKM#PERIZIN"
MONTH = "BULAN#"
MAX_QUERY_CALLS = 10
# LastEvaluatedKey of ApplicationsTable's byOwner index (the pending list pages over it).
BY_OWNER_CURSOR = CursorShape(
    types={"pk": str, "sk": str, "ownerId": str, "createdAt": str}, owner="ownerId", pk_prefix="PERMOHONAN#"
)


class SurveyAlreadyFilled(Conflict):
    code = "SURVEI_SUDAH_DIISI"
    default_message = "Survei untuk permohonan ini sudah diisi. Setiap permohonan hanya dapat dinilai satu kali."


class ApplicationNotFound(NotFound):
    code = "PERMOHONAN_TIDAK_DITEMUKAN"
    default_message = "Permohonan tidak ditemukan."


def survey_key(application_id: str) -> dict[str, str]:
    return {"pk": f"SURVEI#{application_id}", "sk": SURVEY}


def izin_partition(izin_id: str) -> str:
    return f"IKM#IZIN#{izin_id}"


def _ended(item: dict[str, Any]) -> EndedApplication:
    return EndedApplication(
        application_id=item["applicationId"],
        owner_id=item["ownerId"],
        status=item["status"],
        izin_id=item["izin"]["id"],
        izin_name=item["izin"]["name"],
        receipt_number=item.get("receiptNumber"),
        ended_at=item.get("updatedAt"),
    )


def _tally(item: dict[str, Any], izin_id: str | None) -> MonthTally:
    return MonthTally(
        month=item["month"],
        izin_id=izin_id,
        izin_name=item.get("izinName"),
        respondents=int(item.get("respondents", 0)),
        sums={e: int(item.get(e, 0)) for e in ELEMENT_IDS},
    )


class SurveysRepository:
    def __init__(self, surveys_table: Any, applications_table: Any | None = None):
        self._table = surveys_table
        self._client = surveys_table.meta.client
        self._name = surveys_table.name
        self._applications = applications_table

    # ------------------------------------------------------------- applications (read only)
    def ended_application(self, application_id: str, owner_id: str) -> EndedApplication:
        """The caller's own application; another's is not found, like a made-up id."""
        item = self._applications.get_item(Key={"pk": f"PERMOHONAN#{application_id}", "sk": "META"}).get("Item")
        if not item or item.get("ownerId") != owner_id:
            raise ApplicationNotFound()
        return _ended(from_item(item))

    def ended_page(self, owner_id: str, limit: int, cursor: str | None) -> tuple[list[EndedApplication], str | None]:
        """A page of the owner's applications that ended (terbit or ditolak), newest first."""
        query: dict[str, Any] = {
            "IndexName": "byOwner",
            "KeyConditionExpression": "ownerId = :owner",
            "FilterExpression": "#status IN (:terbit, :ditolak)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":owner": owner_id, ":terbit": ENDED[0], ":ditolak": ENDED[1]},
            "ScanIndexForward": False,
        }
        start = BY_OWNER_CURSOR.decode(cursor, owner_id)
        items: list[EndedApplication] = []
        for _ in range(MAX_QUERY_CALLS):
            if start:
                query["ExclusiveStartKey"] = start
            # Asking for no more than what is missing keeps the cursor exact under the filter.
            answer = run_query(self._applications, Limit=limit - len(items), **query)
            items.extend(_ended(from_item(item)) for item in answer.get("Items", []))
            start = answer.get("LastEvaluatedKey")
            if not start or len(items) >= limit:
                break
        return items, encode_cursor(start)

    # ------------------------------------------------------------- surveys
    def surveyed(self, application_ids: Iterable[str]) -> set[str]:
        """Which of these applications have a survey (one BatchGetItem of up to 100 keys)."""
        ids = list(dict.fromkeys(application_ids))
        found: set[str] = set()
        for start in range(0, len(ids), 100):
            keys = [survey_key(i) for i in ids[start : start + 100]]
            request = {self._name: {"Keys": keys, "ProjectionExpression": "pk"}}
            while request:
                answer = self._client.batch_get_item(RequestItems=request)
                found.update(item["pk"].removeprefix("SURVEI#") for item in answer["Responses"].get(self._name, []))
                request = answer.get("UnprocessedKeys") or {}
        return found

    def add(self, survey: Survey) -> None:
        """The survey and its month's counters, all or nothing; a second survey of the
        application is ``SurveyAlreadyFilled``."""
        put = {
            **survey_key(survey.application_id),
            "applicationId": survey.application_id,
            "ownerId": survey.owner_id,
            "izinId": survey.izin_id,
            "izinName": survey.izin_name,
            "outcome": survey.outcome,
            "answers": survey.answers,
            "saran": survey.saran,
            "submittedAt": survey.submitted_at,
            "month": survey.month,
        }
        counter_keys = [
            ({"pk": OFFICE, "sk": MONTH + survey.month}, {}),
            (
                {"pk": izin_partition(survey.izin_id), "sk": MONTH + survey.month},
                {"izinId": survey.izin_id, "izinName": survey.izin_name},
            ),
            (
                {"pk": PER_IZIN, "sk": f"{survey.month}#{survey.izin_id}"},
                {"izinId": survey.izin_id, "izinName": survey.izin_name},
            ),
        ]
        adds = ", ".join(["respondents :one", *(f"{e} :{e}" for e in ELEMENT_IDS)])
        values: dict[str, Any] = {":one": 1, ":month": survey.month}
        values.update({f":{e}": survey.answers[e] for e in ELEMENT_IDS})
        updates = []
        for key, names in counter_keys:
            sets = ["#month = :month", *(f"{name} = :{name}" for name in names)]
            updates.append(
                {
                    "Update": {
                        "TableName": self._name,
                        "Key": key,
                        "UpdateExpression": f"ADD {adds} SET {', '.join(sets)}",
                        "ExpressionAttributeNames": {"#month": "month"},
                        "ExpressionAttributeValues": {**values, **{f":{n}": v for n, v in names.items()}},
                    }
                }
            )
        try:
            # The resource's client takes and returns plain Python values.
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._name,
                            "Item": to_item(put),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    *updates,
                ]
            )
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise SurveyAlreadyFilled() from None
            raise

    def filled(self, application_id: str) -> Survey | None:
        """The survey stored for the application, if any."""
        item = self._table.get_item(Key=survey_key(application_id), ConsistentRead=True).get("Item")
        if not item:
            return None
        item = from_item(item)
        return Survey(
            application_id=item["applicationId"],
            owner_id=item["ownerId"],
            izin_id=item["izinId"],
            izin_name=item["izinName"],
            outcome=item["outcome"],
            answers={element: int(score) for element, score in item["answers"].items()},
            saran=item.get("saran"),
            submitted_at=item["submittedAt"],
            month=item["month"],
        )

    # ------------------------------------------------------------- counters
    def office_months(self, from_month: str, to_month: str) -> list[MonthTally]:
        return self._months(OFFICE, from_month, to_month, None)

    def izin_months(self, izin_id: str, from_month: str, to_month: str) -> list[MonthTally]:
        return self._months(izin_partition(izin_id), from_month, to_month, izin_id)

    def _months(self, partition: str, from_month: str, to_month: str, izin_id: str | None) -> list[MonthTally]:
        items = self._all(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues={":pk": partition, ":from": MONTH + from_month, ":to": MONTH + to_month},
        )
        return [_tally(item, izin_id) for item in items]

    def per_izin_months(self, from_month: str, to_month: str) -> list[MonthTally]:
        """Every permit type's counter of every month in the range ("~" sorts after any id)."""
        items = self._all(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues={":pk": PER_IZIN, ":from": f"{from_month}#", ":to": f"{to_month}#~"},
        )
        return [_tally(item, item["izinId"]) for item in items]

    def _all(self, **query: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            answer = self._table.query(ConsistentRead=True, **query)
            items.extend(from_item(item) for item in answer.get("Items", []))
            if not answer.get("LastEvaluatedKey"):
                return items
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
