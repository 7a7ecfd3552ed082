"""What officers read: their role's worklist, most urgent first, and a submitted file with
its frozen attachments (5-minute links to the exact versions) and its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eptsp.errors import Forbidden
from eptsp.identity import Caller
from eptsp.workdays import WorkingCalendar
from eptsp.workflow.models import (
    ADMIN,
    STAGE_ROLES,
    ClaimedBy,
    Officer,
    OfficerApplicationOutput,
    OfficerAttachment,
    OfficerTask,
    TaskList,
    TaskOutput,
)
from eptsp.workflow.monitoring import history_output, perbaikan_output, public_fields
from eptsp.workflow.repository import ApplicationNotFound, WorkflowRepository

DOWNLOAD_SECONDS = 300
# The role whose worklist an officer sees, when the token carries several.
ROLE_ORDER = (*STAGE_ROLES.values(), ADMIN)


def officer_role(caller: Caller) -> str:
    for role in ROLE_ORDER:
        if role in caller.roles:
            return role
    raise Forbidden()


class OfficerDirectory:
    """An officer's display name, from their profile."""

    def __init__(self, accounts: Any):
        self._accounts = accounts

    def officer(self, caller: Caller) -> Officer:
        profile = self._accounts.get_profile(caller.username) or {}
        return Officer(id=caller.user_id, name=profile.get("name") or caller.username)


def task_output(task: OfficerTask, calendar: WorkingCalendar) -> TaskOutput:
    return TaskOutput(
        task_id=task.task_id,
        application_id=task.application_id,
        receipt_number=task.receipt_number,
        izin_name=task.izin_name,
        applicant_name=task.applicant_name,
        stage=task.stage,
        role=task.role,
        kind=task.kind,
        received_at=task.received_at,
        deadline=task.deadline,
        late=calendar.is_late(task.deadline),
        claimed_by=ClaimedBy(id=task.claimed_by.id, name=task.claimed_by.name) if task.claimed_by else None,
        error=task.error,
    )


class WorklistService:
    def __init__(self, workflow: WorkflowRepository, s3: Any, bucket: str, calendar: WorkingCalendar):
        self._workflow = workflow
        self._s3 = s3
        self._bucket = bucket
        self._calendar = calendar

    def tasks(self, caller: Caller, limit: int, cursor: str | None) -> TaskList:
        tasks, next_cursor = self._workflow.worklist(officer_role(caller), limit, cursor)
        return TaskList(items=[task_output(t, self._calendar) for t in tasks], cursor=next_cursor)

    def task(self, task: OfficerTask) -> TaskOutput:
        return task_output(task, self._calendar)

    def application(self, caller: Caller, application_id: str) -> OfficerApplicationOutput:
        officer_role(caller)
        dossier = self._workflow.get(application_id)
        if dossier is None or dossier.status == "draft":
            raise ApplicationNotFound()
        attachments = [
            OfficerAttachment(
                requirement_id=a.requirement_id,
                file_name=a.file_name,
                content_type=a.content_type,
                version_id=a.version_id,
                download_url=self._s3.generate_presigned_url(
                    "get_object",
                    Params={
                        "Bucket": self._bucket,
                        "Key": a.object_key,
                        "VersionId": a.version_id,
                        "ResponseContentDisposition": f'attachment; filename="{a.requirement_id}"',
                        "ResponseContentType": a.content_type,
                    },
                    ExpiresIn=DOWNLOAD_SECONDS,
                ),
            )
            for a in dossier.attachments
        ]
        finish = dossier.estimated_finish
        return OfficerApplicationOutput(
            **public_fields(dossier),
            history=history_output(self._workflow.history(application_id), for_officer=True),
            perbaikan=perbaikan_output(dossier),
            decision_notes=dossier.decision_notes,
            application_id=application_id,
            applicant_name=dossier.applicant_name,
            stages=dossier.stages,
            field_survey=dossier.field_survey,
            late=bool(finish and dossier.status == "diproses" and self._calendar.is_late(finish, datetime.now(UTC))),
            sections=dossier.sections,
            attachments=attachments,
            current_task_id=dossier.current_task_id,
            bap=dossier.bap,
        )
