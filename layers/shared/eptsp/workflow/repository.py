"""The workflow's data in ApplicationsTable, behind typed entities and domain exceptions.

Items (see docs/data-model.md):
- ``PERMOHONAN#<id>`` / ``META``: the application; submission adds its status, stage,
  receipt number, SLA dates, the frozen file versions (``submittedFiles``), the current
  officer task, the perbaikan request and the token that waits for a resubmission. While it
  waits on the applicant it is in the sparse index ``byWorklist`` as ``worklist =
  "perbaikan"``, ``dueAt`` = the last day to resubmit.
- ``RESI#<receiptNumber>`` / ``CLAIM``: the receipt number's owner; its conditional put is
  what makes numbers unique, and a GetItem on it finds an application by its number.
- ``TASK#<taskId>`` / ``TASK``: an officer task (a human stage, or an admin's ``gangguan``)
  with the Step Functions task token; while open it is in ``byWorklist`` as ``worklist =
  <role>``, ``dueAt = <deadline>#<receivedAt>``, so a role's worklist is one Query, most
  urgent first.
- ``PERMOHONAN#<id>`` / ``RIWAYAT#<at>#<n>``: one audit event per transition.

No item but META carries ``ownerId`` or ``createdAt``, so ``byOwner`` lists applications only.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from eptsp.dynamo import CursorShape, from_item, query_page, to_item
from eptsp.errors import ApplicationNotFound, Conflict, DomainError, NotFound
from eptsp.workflow.models import (
    Dossier,
    FrozenAttachment,
    HistoryEvent,
    Officer,
    OfficerTask,
    Pause,
    PerbaikanRequest,
)

META = "META"
CLAIM = "CLAIM"
TASK = "TASK"
HISTORY = "RIWAYAT#"
PERBAIKAN_WORKLIST = "perbaikan"
WORKLIST_CURSOR = CursorShape(
    types={"pk": str, "sk": str, "worklist": str, "dueAt": str}, owner="worklist", pk_prefix="TASK#"
)


class TaskNotFound(NotFound):
    default_message = "Tugas tidak ditemukan."


class ReceiptTaken(Conflict):
    """Another application drew the same receipt number (40 random bits: next to never)."""

    code = "RESI_DIPAKAI"


class ChangeRefused(Conflict):
    """A guarded write found the item not as expected; the service re-reads and explains."""

    code = "KONFLIK"


class TaskChanged(ChangeRefused):
    """The task is no longer open, or not claimed by the deciding officer."""


class ApplicationMoved(ChangeRefused):
    """The task is no longer the application's current one (a stale token)."""


class WriteFailed(DomainError):
    code = "GAGAL_MENYIMPAN"
    default_message = "Perubahan tidak dapat disimpan. Coba lagi."


def _app_key(application_id: str) -> dict[str, str]:
    return {"pk": f"PERMOHONAN#{application_id}", "sk": META}


def _task_key(task_id: str) -> dict[str, str]:
    return {"pk": f"TASK#{task_id}", "sk": TASK}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _officer(value: dict[str, Any] | None) -> Officer | None:
    return Officer(id=value["id"], name=value["name"]) if value else None


def _dossier(item: dict[str, Any]) -> Dossier:
    item = from_item(item)
    data = item.get("sectionData") or {}
    perbaikan = item.get("perbaikan")
    return Dossier(
        application_id=item["applicationId"],
        owner_id=item["ownerId"],
        version=item["version"],
        status=item["status"],
        stage=item.get("stage"),
        receipt_number=item.get("receiptNumber"),
        submitted_at=item.get("submittedAt"),
        estimated_finish=_date(item.get("estimatedFinish")),
        sla_working_days=item["slaWorkingDays"],
        stages=item.get("stages") or [],
        field_survey=bool(item.get("fieldSurvey")),
        perbaikan_days=int(item.get("perbaikanDays") or 14),
        izin=item["izin"],
        layanan=item["layanan"],
        jenis_permohonan=item["jenisPermohonan"],
        applicant_name=(data.get("pemohon") or {}).get("name") or "",
        section_ids=[s["id"] for s in item["sections"]],
        requirement_ids=[p["id"] for p in item["persyaratan"]],
        sections=data,
        attachments=[
            FrozenAttachment(
                requirement_id=requirement_id,
                file_id=value["fileId"],
                file_name=value["fileName"],
                content_type=value["contentType"],
                object_key=value["objectKey"],
                version_id=value["versionId"],
            )
            for requirement_id, value in (item.get("submittedFiles") or {}).items()
        ],
        perbaikan=(
            PerbaikanRequest(
                notes=perbaikan["notes"],
                sections=perbaikan.get("sections") or [],
                requirements=perbaikan.get("requirements") or [],
                deadline=date.fromisoformat(perbaikan["deadline"]),
                requested_at=perbaikan["requestedAt"],
            )
            if perbaikan
            else None
        ),
        decision_notes=item.get("decisionNotes"),
        pauses=[Pause(start=p["start"], end=p["end"]) for p in item.get("pauses") or []],
        current_task_id=item.get("currentTaskId"),
        resubmit_token=item.get("resubmitToken"),
        gangguan_task_id=item.get("gangguanTaskId"),
        status_before_gangguan=item.get("statusBeforeGangguan") or "diproses",
        bap=item.get("bap"),
    )


def dossier_of(item: dict[str, Any] | None) -> Dossier | None:
    """The application item (read elsewhere) as the workflow sees it; None for no item."""
    return _dossier(item) if item and item.get("status") else None


def _task(item: dict[str, Any]) -> OfficerTask:
    item = from_item(item)
    return OfficerTask(
        task_id=item["taskId"],
        application_id=item["applicationId"],
        kind=item["kind"],
        stage=item["stage"],
        role=item["role"],
        status=item["status"],
        token=item["token"],
        receipt_number=item["receiptNumber"],
        izin_name=item["izinName"],
        applicant_name=item["applicantName"],
        received_at=item["receivedAt"],
        deadline=date.fromisoformat(item["deadline"]),
        claimed_by=_officer(item.get("claimedBy")),
        failed_state=item.get("failedState"),
        error=item.get("error"),
    )


def _event(item: dict[str, Any]) -> HistoryEvent:
    item = from_item(item)
    return HistoryEvent(
        at=item["at"],
        stage=item["stage"],
        action=item["action"],
        actor_role=item["actorRole"],
        actor=_officer(item.get("actor")),
        notes=item.get("notes"),
        details=item.get("details") or {},
    )


class _Update:
    """An UpdateExpression built from plain values, with every name aliased."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._sets: list[str] = []
        self._removes: list[str] = []
        self._appends: list[str] = []
        self.conditions: list[str] = []

    def name(self, dotted: str) -> str:
        parts = []
        for part in dotted.split("."):
            alias = f"#n{len(self.names)}"
            self.names[alias] = part
            parts.append(alias)
        return ".".join(parts)

    def value(self, value: Any) -> str:
        alias = f":v{len(self.values)}"
        self.values[alias] = to_item(value)
        return alias

    def set(self, **fields: Any) -> _Update:
        for dotted, value in fields.items():
            if value is None:
                self._removes.append(self.name(dotted))
            else:
                self._sets.append(f"{self.name(dotted)} = {self.value(value)}")
        return self

    def remove(self, *dotted: str) -> _Update:
        self._removes.extend(self.name(d) for d in dotted)
        return self

    def append(self, dotted: str, values: list[Any]) -> _Update:
        name = self.name(dotted)
        self._sets.append(f"{name} = list_append(if_not_exists({name}, {self.value([])}), {self.value(values)})")
        return self

    def increment(self, dotted: str) -> _Update:
        name = self.name(dotted)
        self._sets.append(f"{name} = {name} + {self.value(1)}")
        return self

    def when(self, dotted: str, equals: Any) -> _Update:
        self.conditions.append(f"{self.name(dotted)} = {self.value(equals)}")
        return self

    def when_absent(self, dotted: str) -> _Update:
        self.conditions.append(f"attribute_not_exists({self.name(dotted)})")
        return self

    def when_present(self, dotted: str) -> _Update:
        self.conditions.append(f"attribute_exists({self.name(dotted)})")
        return self

    def when_raw(self, expression: str) -> _Update:
        self.conditions.append(expression)
        return self

    def action(self, table: str, key: dict[str, str]) -> dict[str, Any]:
        expression = ""
        if self._sets:
            expression += "SET " + ", ".join(self._sets)
        if self._removes:
            expression += " REMOVE " + ", ".join(self._removes)
        update: dict[str, Any] = {
            "TableName": table,
            "Key": key,
            "UpdateExpression": expression.strip(),
            "ExpressionAttributeNames": self.names,
        }
        if self.values:
            update["ExpressionAttributeValues"] = self.values
        if self.conditions:
            update["ConditionExpression"] = " AND ".join(self.conditions)
        return {"Update": update}


class WorkflowRepository:
    def __init__(self, table: Any):
        self._table = table
        self._client = table.meta.client
        self._name = table.name

    # ------------------------------------------------------------- writing
    def _run(self, actions: list[dict[str, Any]], refusals: list[DomainError | None]) -> None:
        """Run the actions in one transaction; a failed condition raises the refusal given for it."""
        try:
            self._client.transact_write_items(TransactItems=actions)
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            for code, refusal in zip(reasons, refusals, strict=False):
                if code == "ConditionalCheckFailed":
                    raise refusal or ChangeRefused() from None
            raise WriteFailed() from None

    def _history_put(self, application_id: str, event: HistoryEvent) -> dict[str, Any]:
        item = {
            "pk": f"PERMOHONAN#{application_id}",
            "sk": f"{HISTORY}{event.at}#{secrets.token_hex(3)}",
            "at": event.at,
            "stage": event.stage,
            "action": event.action,
            "actorRole": event.actor_role,
            "actor": {"id": event.actor.id, "name": event.actor.name} if event.actor else None,
            "notes": event.notes,
            "details": event.details or None,
        }
        return {"Put": {"TableName": self._name, "Item": to_item(item)}}

    def submit(
        self,
        draft: dict[str, Any],
        version: int,
        receipt_number: str,
        *,
        submitted_at: str,
        estimated_finish: date,
        stages: list[str],
        perbaikan_days: int,
        files: list[FrozenAttachment],
        search_text: str,
        event: HistoryEvent,
        guards: list[tuple[dict[str, Any], DomainError]] = (),
    ) -> Dossier:
        """Draft -> diproses, with the receipt claimed in the same transaction; the submitted
        file as it now is (the draft as read, with what this write changed).

        ``guards``: more actions of the same transaction, each with the refusal raised when
        its condition fails (checked before the others: an idempotency record, the files).
        Raises ``ReceiptTaken`` when the number belongs to another application and
        ``ChangeRefused`` when the draft is not (or no longer) this owner's complete draft
        at ``version``.
        """
        application_id, owner_id = draft["applicationId"], draft["ownerId"]
        changes = {
            "status": "diproses",
            "stage": stages[0],
            "receiptNumber": receipt_number,
            "submittedAt": submitted_at,
            "updatedAt": submitted_at,
            "estimatedFinish": estimated_finish.isoformat(),
            "stages": stages,
            "perbaikanDays": perbaikan_days,
            "submittedFiles": _frozen(files),
            "pauses": [],
            "searchText": search_text,
        }
        # The version goes up like every other change of the application.
        update = _Update().set(**changes).increment("version")
        update.when("ownerId", owner_id).when("status", "draft").when("declaration.agreed", True)
        update.when("version", version)
        claim = {
            "Put": {
                "TableName": self._name,
                "Item": {"pk": f"RESI#{receipt_number}", "sk": CLAIM, "applicationId": application_id},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        self._run(
            [
                *(action for action, _ in guards),
                update.action(self._name, _app_key(application_id)),
                claim,
                self._history_put(application_id, event),
            ],
            [*(refusal for _, refusal in guards), None, ReceiptTaken(), None],
        )
        return _dossier({**draft, **changes, "version": version + 1})

    def open_task(self, task: OfficerTask, *, estimated_finish: date | None = None) -> None:
        """A new officer task becomes the application's current one; the task it replaces is closed.

        A human stage's task only opens while the application is being processed at that
        stage; an admin's ``gangguan`` task parks the application as ``gangguan``.
        """
        dossier = self.get(task.application_id)
        if dossier is None:
            raise ApplicationNotFound()
        previous = dossier.gangguan_task_id if task.kind == "gangguan" else dossier.current_task_id
        item = {
            **_task_key(task.task_id),
            "taskId": task.task_id,
            "applicationId": task.application_id,
            "kind": task.kind,
            "stage": task.stage,
            "role": task.role,
            "status": "terbuka",
            "token": task.token,
            "receiptNumber": task.receipt_number,
            "izinName": task.izin_name,
            "applicantName": task.applicant_name,
            "receivedAt": task.received_at,
            "deadline": task.deadline.isoformat(),
            "worklist": task.role,
            "dueAt": f"{task.deadline.isoformat()}#{task.received_at}",
            "failedState": task.failed_state,
            "error": task.error,
        }
        actions: list[dict[str, Any]] = [{"Put": {"TableName": self._name, "Item": to_item(item)}}]
        app = _Update()
        if task.kind == "gangguan":
            app.set(status="gangguan", gangguanTaskId=task.task_id)
            if dossier.status != "gangguan":
                app.set(statusBeforeGangguan=dossier.status)
                actions.append(
                    self._history_put(
                        task.application_id,
                        HistoryEvent(
                            at=task.received_at,
                            stage=task.stage,
                            action="gangguan",
                            actor_role="sistem",
                            notes="Proses tertunda karena gangguan sistem; admin akan melanjutkannya.",
                            details={"state": task.failed_state or "", "error": task.error or ""},
                        ),
                    )
                )
        else:
            app.set(currentTaskId=task.task_id, stage=task.stage, status="diproses", updatedAt=task.received_at)
            app.when("status", "diproses").when("stage", task.stage)
            if estimated_finish:
                app.set(estimatedFinish=estimated_finish.isoformat())
        actions.append(app.action(self._name, _app_key(task.application_id)))
        replaced = self.get_task(previous) if previous and previous != task.task_id else None
        if replaced is not None and replaced.status == "terbuka":
            # A retried step (or a resumed gangguan) replaces its earlier, still open task.
            closed = _Update().set(status="usang").remove("worklist", "dueAt").when("status", "terbuka")
            actions.append(closed.action(self._name, _task_key(replaced.task_id)))
        self._run(actions, [None, ChangeRefused(), None])

    def claim_task(self, task_id: str, officer: Officer) -> None:
        """The officer takes the open task (again, if it is already theirs)."""
        update = _Update().set(claimedBy={"id": officer.id, "name": officer.name}).when("status", "terbuka")
        update.when_raw(
            f"(attribute_not_exists({update.name('claimedBy')}) OR {update.name('claimedBy.id')} = "
            f"{update.value(officer.id)})"
        )
        self._run([update.action(self._name, _task_key(task_id))], [TaskChanged()])

    def decide(
        self,
        task: OfficerTask,
        officer: Officer,
        *,
        decision: str,
        decided_at: str,
        status: str,
        stage: str,
        notes: str | None,
        perbaikan: PerbaikanRequest | None,
        bap: dict[str, Any] | None,
        event: HistoryEvent,
    ) -> None:
        """One decision on one task: the task closes (only if open and claimed by ``officer``)
        and the application moves (only if this task is still its current one), together."""
        closing = (
            _Update()
            .set(status="diputuskan", decision=decision, decidedAt=decided_at, notes=notes)
            .remove("worklist", "dueAt")
            .when("status", "terbuka")
            .when("claimedBy.id", officer.id)
        )
        moving = _Update().set(status=status, stage=stage, updatedAt=decided_at)
        moving.when("currentTaskId", task.task_id).when("status", "diproses")
        if decision == "tolak":
            moving.set(decisionNotes=notes)
            moving.remove("currentTaskId")
        if perbaikan:
            moving.set(
                perbaikan={
                    "notes": perbaikan.notes,
                    "sections": perbaikan.sections,
                    "requirements": perbaikan.requirements,
                    "deadline": perbaikan.deadline.isoformat(),
                    "requestedAt": perbaikan.requested_at,
                }
            )
        if bap:
            moving.set(bap=bap)
        self._run(
            [
                closing.action(self._name, _task_key(task.task_id)),
                moving.action(self._name, _app_key(task.application_id)),
                self._history_put(task.application_id, event),
            ],
            [TaskChanged(), ApplicationMoved(), None],
        )

    def await_resubmission(self, application_id: str, token: str, deadline: date) -> None:
        """The workflow's token that the resubmission (or the deadline) completes."""
        update = (
            _Update()
            .set(resubmitToken=token, worklist=PERBAIKAN_WORKLIST, dueAt=deadline.isoformat())
            .when("status", "perbaikan")
        )
        self._run([update.action(self._name, _app_key(application_id))], [ChangeRefused()])

    def resubmit(
        self,
        dossier: Dossier,
        *,
        version: int,
        resubmitted_at: str,
        estimated_finish: date,
        files: list[FrozenAttachment],
        event: HistoryEvent,
        guards: list[tuple[dict[str, Any], DomainError]] = (),
    ) -> None:
        """Perbaikan -> diproses at the same stage, the pause kept, the new files frozen;
        ``guards`` as in ``submit``."""
        update = _Update().set(
            status="diproses",
            updatedAt=resubmitted_at,
            estimatedFinish=estimated_finish.isoformat(),
            submittedFiles=_frozen(files),
        )
        update.append("pauses", [{"start": dossier.perbaikan.requested_at, "end": resubmitted_at}])
        update.remove("perbaikan", "resubmitToken", "worklist", "dueAt")
        update.increment("version")
        update.when("ownerId", dossier.owner_id).when("status", "perbaikan").when("version", version)
        update.when("resubmitToken", dossier.resubmit_token)
        self._run(
            [
                *(action for action, _ in guards),
                update.action(self._name, _app_key(dossier.application_id)),
                self._history_put(dossier.application_id, event),
            ],
            [*(refusal for _, refusal in guards), ChangeRefused(), None],
        )

    def expire_perbaikan(self, dossier: Dossier, event: HistoryEvent, notes: str) -> None:
        """Perbaikan not sent back in time: ditolak, unless the resubmission came first."""
        update = (
            _Update()
            .set(status="ditolak", stage="selesai", decisionNotes=notes, updatedAt=event.at)
            .remove("resubmitToken", "worklist", "dueAt", "currentTaskId")
            .when("status", "perbaikan")
            .when("resubmitToken", dossier.resubmit_token)
        )
        self._run(
            [
                update.action(self._name, _app_key(dossier.application_id)),
                self._history_put(dossier.application_id, event),
            ],
            [ChangeRefused(), None],
        )

    def resume(self, dossier: Dossier, task: OfficerTask, officer: Officer, event: HistoryEvent) -> None:
        """An admin takes a ``gangguan`` back to where it was (the status it had)."""
        closing = (
            _Update()
            .set(status="dilanjutkan", decidedAt=event.at, claimedBy={"id": officer.id, "name": officer.name})
            .remove("worklist", "dueAt")
            .when("status", "terbuka")
        )
        app = _Update().set(status=dossier.status_before_gangguan, updatedAt=event.at).remove("gangguanTaskId")
        app.when("status", "gangguan").when("gangguanTaskId", task.task_id)
        self._run(
            [
                closing.action(self._name, _task_key(task.task_id)),
                app.action(self._name, _app_key(dossier.application_id)),
                self._history_put(dossier.application_id, event),
            ],
            [ChangeRefused(), ChangeRefused(), None],
        )

    def approve(self, application_id: str, event: HistoryEvent) -> bool:
        """Penerbitan: the application is ``disetujui`` (False when it already was)."""
        update = (
            _Update()
            .set(status="disetujui", stage="selesai", updatedAt=event.at)
            .remove("currentTaskId")
            .when("status", "diproses")
            .when("stage", "penerbitan")
        )
        try:
            self._run(
                [update.action(self._name, _app_key(application_id)), self._history_put(application_id, event)],
                [ChangeRefused(), None],
            )
        except ChangeRefused:
            current = self.get(application_id)
            if current is not None and current.status == "disetujui":
                return False
            raise
        return True

    # ------------------------------------------------------------- reading
    def get(self, application_id: str) -> Dossier | None:
        item = self._table.get_item(Key=_app_key(application_id), ConsistentRead=True).get("Item")
        return dossier_of(item)

    def by_receipt(self, receipt_number: str) -> Dossier | None:
        claim = self._table.get_item(Key={"pk": f"RESI#{receipt_number}", "sk": CLAIM}).get("Item")
        return self.get(claim["applicationId"]) if claim else None

    def get_task(self, task_id: str) -> OfficerTask | None:
        item = self._table.get_item(Key=_task_key(task_id), ConsistentRead=True).get("Item")
        return _task(item) if item else None

    def history(self, application_id: str) -> list[HistoryEvent]:
        events: list[HistoryEvent] = []
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :history)",
            "ExpressionAttributeValues": {":pk": f"PERMOHONAN#{application_id}", ":history": HISTORY},
        }
        while True:
            answer = self._table.query(**query)
            events.extend(_event(item) for item in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer:
                return events
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def worklist(self, role: str, limit: int, cursor: str | None) -> tuple[list[OfficerTask], str | None]:
        """A role's open tasks, most urgent deadline first."""
        items, next_cursor = query_page(
            self._table,
            limit=limit,
            start=WORKLIST_CURSOR.decode(cursor, role),
            IndexName="byWorklist",
            KeyConditionExpression="worklist = :role",
            ExpressionAttributeValues={":role": role},
        )
        return [_task(item) for item in items], next_cursor

    def perbaikan_due_before(self, day: date) -> list[Dossier]:
        """Applications whose last day to send a perbaikan back is before ``day``."""
        found: list[Dossier] = []
        query: dict[str, Any] = {
            "IndexName": "byWorklist",
            "KeyConditionExpression": "worklist = :perbaikan AND dueAt < :day",
            "ExpressionAttributeValues": {":perbaikan": PERBAIKAN_WORKLIST, ":day": day.isoformat()},
        }
        while True:
            answer = self._table.query(**query)
            for item in answer.get("Items", []):
                dossier = self.get(from_item(item)["applicationId"])
                if dossier is not None:
                    found.append(dossier)
            if "LastEvaluatedKey" not in answer:
                return found
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _frozen(files: list[FrozenAttachment]) -> dict[str, Any]:
    return {
        f.requirement_id: {
            "fileId": f.file_id,
            "fileName": f.file_name,
            "contentType": f.content_type,
            "objectKey": f.object_key,
            "versionId": f.version_id,
        }
        for f in files
    }
