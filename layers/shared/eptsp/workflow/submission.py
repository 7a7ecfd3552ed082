"""Kirim and Kirim Ulang: a complete draft becomes a submitted file with a receipt number,
its sections and the exact versions of its files frozen, and its approval flow started.

Idempotent twice over: an ``Idempotency-Key`` gives a retried request the first answer,
and the conditional state change (draft -> diproses) lets only one submission through,
whatever the keys; the execution is named after the application, so starting it again
(a retry after a failed start) starts nothing new.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from eptsp import events
from eptsp.applications.service import NotADraft, StaleVersion, completeness
from eptsp.errors import Conflict, DomainError, NotFound
from eptsp.identity import Caller
from eptsp.observability import logger
from eptsp.workdays import WorkingCalendar
from eptsp.workflow import receipts, rules
from eptsp.workflow.engine import ApprovalEngine, StaleToken
from eptsp.workflow.models import Dossier, FrozenAttachment, HistoryEvent, SubmissionOutput
from eptsp.workflow.repository import ChangeRefused, ReceiptTaken, WorkflowRepository

if TYPE_CHECKING:
    from eptsp.applications.repository import ApplicationsRepository
    from eptsp.files.repository import FilesRepository
    from eptsp.idempotency import Idempotency

SUBMIT_IDEMPOTENCY_SECONDS = 24 * 3600
RECEIPT_ATTEMPTS = 3
# A duplicate that arrives while the first request still runs waits this long for its answer.
DUPLICATE_WAIT_SECONDS = 8.0


class NotComplete(DomainError):
    """422 with the list of what is missing (the same items as GET .../completeness)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "BELUM_LENGKAP"

    def __init__(self, missing: list[dict[str, str]]):
        super().__init__("Permohonan belum lengkap: " + " ".join(m["message"] for m in missing))
        self.missing = missing

    def to_body(self) -> dict[str, Any]:
        return {**super().to_body(), "missing": self.missing}


class NotInPerbaikan(Conflict):
    code = "BUKAN_PERBAIKAN"
    default_message = "Permohonan ini tidak sedang menunggu perbaikan."


class FlowNotReady(Conflict):
    code = "ALUR_BELUM_SIAP"
    default_message = "Permohonan sedang diproses sistem. Coba kirim ulang beberapa detik lagi."


class FileMissing(Conflict):
    code = "BERKAS_TIDAK_SIAP"
    default_message = "Salah satu lampiran tidak lagi tersedia. Lampirkan ulang berkasnya, lalu kirim lagi."


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def answer(dossier: Dossier) -> SubmissionOutput:
    return SubmissionOutput(
        application_id=dossier.application_id,
        receipt_number=dossier.receipt_number or "",
        status=dossier.status,
        stage=dossier.stage,
        estimated_finish=dossier.estimated_finish,
    )


class SubmissionService:
    def __init__(
        self,
        workflow: WorkflowRepository,
        applications: ApplicationsRepository,
        files: FilesRepository,
        s3: Any,
        bucket: str,
        engine: ApprovalEngine,
        calendar: WorkingCalendar,
        idempotency: Idempotency,
    ):
        self._workflow = workflow
        self._applications = applications
        self._files = files
        self._s3 = s3
        self._bucket = bucket
        self._engine = engine
        self._calendar = calendar
        self._idempotency = idempotency

    # ------------------------------------------------------------- helpers
    def _draft(self, caller: Caller, application_id: str) -> dict[str, Any]:
        item = self._applications.get(application_id)
        if not item or item["ownerId"] != caller.user_id:
            raise NotFound("Permohonan tidak ditemukan.")
        return item

    def _freeze(self, item: dict[str, Any]) -> list[FrozenAttachment]:
        """Each attached file at its current S3 object version, the one the officers will read."""
        frozen = []
        for requirement_id, attachment in sorted((item.get("attachments") or {}).items()):
            file = self._files.get(attachment["fileId"])
            if not file or file.get("status") != "siap" or not file.get("objectKey"):
                raise FileMissing()
            try:
                head = self._s3.head_object(Bucket=self._bucket, Key=file["objectKey"])
            except self._s3.exceptions.ClientError:
                raise FileMissing() from None
            frozen.append(
                FrozenAttachment(
                    requirement_id=requirement_id,
                    file_id=file["fileId"],
                    file_name=attachment["fileName"],
                    content_type=attachment["contentType"],
                    object_key=file["objectKey"],
                    version_id=head.get("VersionId") or "null",
                )
            )
        return frozen

    def _started(self, dossier: Dossier) -> SubmissionOutput:
        # A submission whose start failed after the write is started by any later attempt,
        # which publishes again too: the same event id, delivered once.
        self._engine.start(dossier.application_id, dossier.stages[0])
        events.publish(
            events.for_dossier(dossier, "diajukan", f"{dossier.application_id}#diajukan#1", stage=dossier.stages[0])
        )
        return answer(dossier)

    # ------------------------------------------------------------- Kirim
    def submit(
        self, caller: Caller, application_id: str, version: int, key: str | None, lambda_context: Any = None
    ) -> SubmissionOutput:
        try:
            return self._idempotency.once(
                caller_id=caller.user_id,
                key=key,
                payload={"applicationId": application_id, "version": version},
                output=SubmissionOutput,
                create=lambda: self._submit(caller, application_id, version),
                lambda_context=lambda_context,
            )
        except Conflict as refusal:
            if refusal.code != "PERMINTAAN_SEDANG_DIPROSES":
                raise
            return self._await_first(caller, application_id, refusal)

    def _await_first(self, caller: Caller, application_id: str, refusal: Conflict) -> SubmissionOutput:
        """A duplicate of a request still running: the first one's answer once it is there."""
        deadline = time.monotonic() + DUPLICATE_WAIT_SECONDS
        while time.monotonic() < deadline:
            dossier = self._workflow.get(application_id)
            if dossier and dossier.owner_id == caller.user_id and dossier.receipt_number:
                return answer(dossier)
            time.sleep(0.2)
        raise refusal

    def _submit(self, caller: Caller, application_id: str, version: int) -> SubmissionOutput:
        item = self._draft(caller, application_id)
        if item["status"] != "draft":
            return self._started(self._workflow.get(application_id))
        if item["version"] != version:
            raise StaleVersion()
        missing = completeness(item).missing
        if missing:
            raise NotComplete([m.model_dump() for m in missing])
        files = self._freeze(item)
        submitted = datetime.now(UTC)
        stages = rules.stages_for(bool(item.get("technicalReview", True)))
        for attempt in range(RECEIPT_ATTEMPTS):
            receipt = receipts.new_receipt_number(submitted)
            try:
                self._workflow.submit(
                    application_id,
                    caller.user_id,
                    version,
                    receipt,
                    submitted_at=submitted.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    estimated_finish=rules.estimated_finish(self._calendar, submitted, item["slaWorkingDays"], []),
                    stages=stages,
                    perbaikan_days=int(item.get("perbaikanDays") or 14),
                    files=files,
                    # Permohonan Saya finds it by its receipt number too.
                    search_text=f"{item.get('searchText', '')} {receipt.lower()}".strip(),
                    event=HistoryEvent(
                        at=submitted.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                        stage=stages[0],
                        action="diajukan",
                        actor_role="pemohon",
                        notes=f"Nomor resi {receipt}",
                    ),
                )
                break
            except ReceiptTaken:
                logger.warning("Receipt number drawn twice", extra={"attempt": attempt})
            except ChangeRefused:
                current = self._workflow.get(application_id)
                if current and current.owner_id == caller.user_id and current.receipt_number:
                    return self._started(current)  # a concurrent request submitted it first
                fresh = self._draft(caller, application_id)
                if fresh["status"] != "draft":
                    raise NotADraft() from None
                if fresh["version"] != version:
                    raise StaleVersion() from None
                raise NotComplete([m.model_dump() for m in completeness(fresh).missing]) from None
        else:
            raise ReceiptTaken("Nomor resi tidak dapat dibuat. Coba kirim lagi.")
        dossier = self._workflow.get(application_id)
        logger.info("Application submitted", extra={"application_id": application_id})
        return self._started(dossier)

    # ------------------------------------------------------------- Kirim Ulang (after perbaikan)
    def resubmit(self, caller: Caller, application_id: str, version: int) -> SubmissionOutput:
        item = self._draft(caller, application_id)
        dossier = self._workflow.get(application_id)
        if dossier is None or dossier.status != "perbaikan" or dossier.perbaikan is None:
            raise NotInPerbaikan()
        if dossier.version != version:
            raise StaleVersion()
        if not dossier.resubmit_token:
            raise FlowNotReady()
        missing = completeness(item, with_declaration=False).missing
        if missing:
            raise NotComplete([m.model_dump() for m in missing])
        files = self._freeze(item)
        now = datetime.now(UTC)
        at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        pauses = [(parse_time(p.start), parse_time(p.end)) for p in dossier.pauses]
        pauses.append((parse_time(dossier.perbaikan.requested_at), now))
        try:
            self._workflow.resubmit(
                dossier,
                version=version,
                resubmitted_at=at,
                estimated_finish=rules.estimated_finish(
                    self._calendar, parse_time(dossier.submitted_at), dossier.sla_working_days, pauses
                ),
                files=files,
                event=HistoryEvent(at=at, stage=dossier.stage, action="diajukan_ulang", actor_role="pemohon"),
            )
        except ChangeRefused:
            current = self._workflow.get(application_id)
            if current and current.status == "perbaikan" and current.version != version:
                raise StaleVersion() from None
            raise NotInPerbaikan() from None
        try:
            self._engine.resume(dossier.resubmit_token, {"outcome": "diajukan_ulang"})
        except StaleToken:
            logger.error("Resubmission's token no longer waited on", extra={"application_id": application_id})
            raise
        # One perbaikan, one resubmission: its request time names the event.
        events.publish(
            events.for_dossier(
                dossier, "diajukan_ulang", f"{application_id}#diajukan_ulang#{dossier.perbaikan.requested_at}"
            )
        )
        return answer(self._workflow.get(application_id))


def submission_service(
    applications_table: str,
    files_table: str,
    bucket: str,
    state_machine_arn: str,
    idempotency_table: str,
    catalogue_table: str,
) -> SubmissionService:
    from eptsp.applications.repository import ApplicationsRepository
    from eptsp.aws import client, dynamodb_table
    from eptsp.catalogue.calendar import office_calendar
    from eptsp.files.repository import FilesRepository
    from eptsp.idempotency import Idempotency

    return SubmissionService(
        WorkflowRepository(dynamodb_table(applications_table)),
        ApplicationsRepository(dynamodb_table(applications_table)),
        FilesRepository(dynamodb_table(files_table)),
        client("s3"),
        bucket,
        ApprovalEngine(client("stepfunctions"), state_machine_arn),
        office_calendar(catalogue_table),  # read once per request: the office's days off count
        Idempotency("applications.submit", idempotency_table, SUBMIT_IDEMPOTENCY_SECONDS, client("dynamodb")),
    )
