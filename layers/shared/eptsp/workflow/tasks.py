"""The approval state machine's Lambda tasks, and the daily end of expired perbaikan.

Each human stage opens an officer task holding the execution's task token; a perbaikan
keeps the token that the resubmission completes; a failure (after the ASL's retries)
parks the file as ``gangguan`` with an admin task; penerbitan marks it ``disetujui``
(the permit document and notifications hook in there next).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from eptsp import events
from eptsp.observability import logger
from eptsp.workdays import wita_date
from eptsp.workflow import rules
from eptsp.workflow.engine import ApprovalEngine, StaleToken
from eptsp.workflow.models import ADMIN, STAGE_ROLES, HistoryEvent, OfficerTask
from eptsp.workflow.repository import ApplicationNotFound, ChangeRefused, WorkflowRepository

EXPIRED_ERROR = "BatasPerbaikanLewat"
EXPIRED_NOTES = "Perbaikan tidak dikirim ulang sampai batas waktunya; permohonan ditolak."


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class WorkflowTasks:
    def __init__(self, workflow: WorkflowRepository, engine: ApprovalEngine):
        self._workflow = workflow
        self._engine = engine

    def _dossier(self, application_id: str):
        dossier = self._workflow.get(application_id)
        if dossier is None:
            raise ApplicationNotFound()
        return dossier

    def open_stage(self, application_id: str, stage: str, token: str) -> dict[str, str]:
        """A human stage's officer task, in its role's worklist until decided."""
        dossier = self._dossier(application_id)
        task = OfficerTask(
            task_id=secrets.token_urlsafe(12),
            application_id=application_id,
            kind="tahap",
            stage=stage,
            role=STAGE_ROLES[stage],
            status="terbuka",
            token=token,
            receipt_number=dossier.receipt_number,
            izin_name=dossier.izin["name"],
            applicant_name=dossier.applicant_name,
            received_at=_now(),
            deadline=dossier.estimated_finish,
        )
        self._workflow.open_task(task)
        logger.info("Officer task opened", extra={"application_id": application_id, "stage": stage})
        # Retried with the same token, this step publishes the same event ids.
        published = [
            events.for_dossier(
                dossier,
                "tugas_baru",
                f"{application_id}#tugas_baru#{events.token_key(token)}",
                stage=stage,
                role=task.role,
            )
        ]
        if dossier.stages and stage == dossier.stages[0] and not dossier.pauses:
            # The applicant hears of the submission from the flow's first step (Kirim only
            # starts the flow); a step run again, after a gangguan, publishes the same id.
            published.insert(0, events.for_dossier(dossier, "diajukan", f"{application_id}#diajukan#1", stage=stage))
        events.publish_all(published)
        return {"taskId": task.task_id}

    def await_resubmission(self, application_id: str, token: str) -> dict[str, str]:
        dossier = self._dossier(application_id)
        self._workflow.await_resubmission(application_id, token, dossier.perbaikan.deadline)
        return {"deadline": dossier.perbaikan.deadline.isoformat()}

    def penerbitan(self, application_id: str) -> dict[str, str]:
        """The file is approved; the issuance function calls this before it issues the permit."""
        self._workflow.approve(
            application_id,
            HistoryEvent(at=_now(), stage="penerbitan", action="disetujui", actor_role="sistem"),
        )
        # A retried penerbitan publishes the same id.
        events.publish(events.for_dossier(self._dossier(application_id), "disetujui", f"{application_id}#disetujui#1"))
        return {"status": "disetujui"}

    def record_gangguan(
        self, application_id: str, stage: str, failed_state: str, error: str, token: str
    ) -> dict[str, str]:
        """A step failed after its retries: an admin's task to run it again, and the file shows it."""
        dossier = self._dossier(application_id)
        task = OfficerTask(
            task_id=secrets.token_urlsafe(12),
            application_id=application_id,
            kind="gangguan",
            stage="penerbitan" if failed_state == "Penerbitan" else stage,
            role=ADMIN,
            status="terbuka",
            token=token,
            receipt_number=dossier.receipt_number,
            izin_name=dossier.izin["name"],
            applicant_name=dossier.applicant_name,
            received_at=_now(),
            deadline=dossier.estimated_finish,
            failed_state=failed_state,
            error=error[:500],
        )
        self._workflow.open_task(task)
        logger.error(
            "Workflow step failed; parked for an admin",
            extra={"application_id": application_id, "state": failed_state, "error": error[:500]},
        )
        return {"taskId": task.task_id}

    def expire_perbaikan(self, now: datetime | None = None) -> dict[str, int]:
        """Every perbaikan past its last day ends as ``ditolak`` (its waiting token failed)."""
        today: date = wita_date(now or datetime.now(UTC))
        expired = 0
        for dossier in self._workflow.perbaikan_due_before(today):
            if not dossier.resubmit_token or not rules.perbaikan_expired(
                dossier.perbaikan.deadline, now or datetime.now(UTC)
            ):
                continue
            try:
                self._workflow.expire_perbaikan(
                    dossier,
                    HistoryEvent(
                        at=_now(),
                        stage=dossier.stage,
                        action="batas_perbaikan_lewat",
                        actor_role="sistem",
                        notes=EXPIRED_NOTES,
                    ),
                    EXPIRED_NOTES,
                )
            except ChangeRefused:
                continue  # resubmitted in the meantime
            events.publish(
                events.for_dossier(
                    dossier, "ditolak", f"{dossier.application_id}#ditolak#batas_perbaikan", notes=EXPIRED_NOTES
                )
            )
            try:
                self._engine.fail(dossier.resubmit_token, EXPIRED_ERROR, EXPIRED_NOTES)
            except StaleToken:
                logger.error("Expired perbaikan's token no longer waited on", extra={"id": dossier.application_id})
            expired += 1
        return {"expired": expired}
