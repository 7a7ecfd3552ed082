"""Officers at work: claiming a task, deciding it (setuju, perbaikan, tolak), and an
admin resuming a file that a failure parked as ``gangguan``.

One officer works a task (a claim); a decision closes the task and moves the application
in one transaction guarded by the task being open, claimed by the caller and still the
application's current task, so a double, late or foreign decision never moves it twice.
Only then is the waiting execution resumed with the decision.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eptsp import events
from eptsp.errors import Conflict, Forbidden
from eptsp.identity import Caller
from eptsp.observability import logger
from eptsp.workdays import WorkingCalendar
from eptsp.workflow import rules
from eptsp.workflow.engine import ApprovalEngine
from eptsp.workflow.models import (
    ADMIN,
    STAGE_LABELS,
    DecisionOutput,
    DecisionRequest,
    HistoryEvent,
    OfficerTask,
    PerbaikanRequest,
    RetryOutput,
)
from eptsp.workflow.repository import (
    ApplicationMoved,
    ApplicationNotFound,
    TaskChanged,
    TaskNotFound,
    WorkflowRepository,
)
from eptsp.workflow.worklist import OfficerDirectory, officer_role


class AlreadyDecided(Conflict):
    code = "SUDAH_DIPUTUSKAN"
    default_message = "Tugas ini sudah diputuskan."


class NotClaimed(Conflict):
    code = "BELUM_DIKLAIM"
    default_message = "Ambil (klaim) tugas ini dulu sebelum memutuskannya."


class ClaimedByAnother(Conflict):
    code = "DIKLAIM_PETUGAS_LAIN"


class NotGangguan(Conflict):
    code = "TIDAK_TERTUNDA"
    default_message = "Permohonan ini tidak sedang tertunda karena gangguan."


DECISION_EVENTS = {"setuju": "tahap_berubah", "perbaikan": "perbaikan", "tolak": "ditolak"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class DecisionService:
    def __init__(
        self,
        workflow: WorkflowRepository,
        engine: ApprovalEngine,
        directory: OfficerDirectory,
        calendar: WorkingCalendar | None = None,
    ):
        self._workflow = workflow
        self._engine = engine
        self._directory = directory
        # The office's days off decide a perbaikan's last day (none given: calendar days only).
        self._calendar = calendar

    def _task_for(self, caller: Caller, task_id: str) -> OfficerTask:
        task = self._workflow.get_task(task_id)
        if task is None:
            raise TaskNotFound()
        if task.role != officer_role(caller):
            raise Forbidden(f"Tugas ini untuk peran {task.role}, bukan peran Anda.")
        return task

    def _refuse_closed(self, task: OfficerTask) -> None:
        if task.status == "diputuskan":
            raise AlreadyDecided()
        if task.status != "terbuka":
            raise Conflict(
                "Tugas ini tidak berlaku lagi (alur permohonan sudah berpindah). Muat ulang daftar tugas.",
                code="TUGAS_USANG",
            )

    def claim(self, caller: Caller, task_id: str) -> OfficerTask:
        task = self._task_for(caller, task_id)
        self._refuse_closed(task)
        officer = self._directory.officer(caller)
        try:
            self._workflow.claim_task(task_id, officer)
        except TaskChanged:
            current = self._workflow.get_task(task_id)
            self._refuse_closed(current)
            raise ClaimedByAnother(f"Tugas ini sedang dikerjakan oleh {current.claimed_by.name}.") from None
        return self._workflow.get_task(task_id)

    def decide(self, caller: Caller, task_id: str, request: DecisionRequest) -> DecisionOutput:
        task = self._task_for(caller, task_id)
        self._refuse_closed(task)
        if task.kind != "tahap":
            raise Conflict("Tugas gangguan dilanjutkan dengan tombol ulangi, bukan keputusan.", code="BUKAN_TAHAP")
        if task.claimed_by is None:
            raise NotClaimed()
        if task.claimed_by.id != caller.user_id:
            raise ClaimedByAnother(f"Tugas ini sedang dikerjakan oleh {task.claimed_by.name}.")
        dossier = self._workflow.get(task.application_id)
        if dossier is None:
            raise ApplicationNotFound()
        fix = request.fix
        rules.check_decision(
            request.decision,
            request.notes,
            fix.sections if fix else [],
            fix.requirements if fix else [],
            request.bap is not None,
            stage=task.stage,
            field_survey=dossier.field_survey,
            section_ids=dossier.section_ids,
            requirement_ids=dossier.requirement_ids,
        )
        outcome = rules.outcome(request.decision, dossier.stages, task.stage)
        now = datetime.now(UTC)
        at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        perbaikan = None
        if request.decision == "perbaikan":
            perbaikan = PerbaikanRequest(
                notes=request.notes or "",
                sections=fix.sections,
                requirements=fix.requirements,
                deadline=rules.perbaikan_deadline(now, dossier.perbaikan_days, self._calendar),
                requested_at=at,
            )
        officer = task.claimed_by
        bap = request.bap.model_dump(mode="json", by_alias=True) if request.bap else None
        details: dict[str, Any] = {}
        if perbaikan:
            details = {"sections": perbaikan.sections, "requirements": perbaikan.requirements}
        if bap:
            details["bap"] = bap
        try:
            self._workflow.decide(
                task,
                officer,
                decision=request.decision,
                decided_at=at,
                status=outcome.status,
                stage=outcome.stage,
                notes=request.notes,
                perbaikan=perbaikan,
                bap=bap,
                event=HistoryEvent(
                    at=at,
                    stage=task.stage,
                    action=request.decision,
                    actor_role=task.role,
                    actor=officer,
                    notes=request.notes,
                    details=details,
                ),
            )
        except TaskChanged:
            current = self._workflow.get_task(task_id)
            self._refuse_closed(current)
            raise ClaimedByAnother("Tugas ini sedang dikerjakan petugas lain.") from None
        except ApplicationMoved:
            raise Conflict(
                "Tugas ini tidak berlaku lagi (alur permohonan sudah berpindah). Muat ulang daftar tugas.",
                code="TUGAS_USANG",
            ) from None
        logger.info(
            "Decision recorded",
            extra={"application_id": task.application_id, "stage": task.stage, "decision": request.decision},
        )
        self._engine.resume(task.token, {"decision": request.decision, "nextStage": outcome.stage})
        # A task is decided once: its id names the event. Approving the last stage says
        # disetujui from penerbitan instead.
        kind = DECISION_EVENTS[request.decision]
        if not (kind == "tahap_berubah" and outcome.stage == "penerbitan"):
            events.publish(
                events.for_dossier(
                    dossier, kind, f"{task.application_id}#{kind}#{task_id}", stage=outcome.stage, notes=request.notes
                )
            )
        return DecisionOutput(
            task_id=task_id,
            application_id=task.application_id,
            decision=request.decision,
            status=outcome.status,
            stage=outcome.stage,
        )

    def retry(self, caller: Caller, application_id: str) -> RetryOutput:
        """An admin resumes a ``gangguan``: the failed step runs again."""
        if ADMIN not in caller.roles:
            raise Forbidden()
        dossier = self._workflow.get(application_id)
        if dossier is None:
            raise ApplicationNotFound()
        task = self._workflow.get_task(dossier.gangguan_task_id) if dossier.gangguan_task_id else None
        if dossier.status != "gangguan" or task is None or task.status != "terbuka":
            raise NotGangguan()
        officer = self._directory.officer(caller)
        at = _now()
        try:
            self._workflow.resume(
                dossier,
                task,
                officer,
                HistoryEvent(
                    at=at,
                    stage=task.stage,
                    action="dilanjutkan",
                    actor_role=ADMIN,
                    actor=officer,
                    notes=f"Langkah '{STAGE_LABELS.get(task.stage, task.stage)}' dijalankan ulang.",
                ),
            )
        except (TaskChanged, ApplicationMoved):
            raise NotGangguan() from None
        self._engine.resume(task.token, {"resumed": True})
        return RetryOutput(application_id=application_id, status=dossier.status_before_gangguan, stage=dossier.stage)
