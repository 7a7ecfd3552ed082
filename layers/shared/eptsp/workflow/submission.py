"""Kirim and Kirim Ulang: a complete draft becomes a submitted file with a receipt number,
its sections and the exact versions of its files frozen, and its approval flow started.

Idempotent twice over: an ``Idempotency-Key`` gives a retried request the first answer
(recorded in the submission's own transaction, ``eptsp.transactional_idempotency``), and
the conditional state change (draft -> diproses) lets only one submission through,
whatever the keys; the execution is named after the application, so starting it again
(a retry after a failed start) starts nothing new.

Four AWS calls: the session check reads the draft along (one BatchGetItem), the office's
days off (one Query, for the estimated finish), one transaction (the application, its
receipt, its history, the idempotency record, a check that every attached file is still
ready at the version frozen) and the execution's start. The applicant's "diajukan"
notification is published by the flow's first step (``eptsp.workflow.tasks``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from eptsp import events
from eptsp.applications.service import NotADraft, StaleVersion, completeness
from eptsp.errors import Conflict, DomainError, NotFound
from eptsp.files.repository import verified_key
from eptsp.identity import Caller
from eptsp.observability import logger
from eptsp.transactional_idempotency import KeyAlreadyAnswered, RecordedAnswers
from eptsp.workdays import WorkingCalendar
from eptsp.workflow import receipts, rules
from eptsp.workflow.engine import ApprovalEngine, StaleToken
from eptsp.workflow.models import Dossier, FrozenAttachment, HistoryEvent, SubmissionOutput
from eptsp.workflow.repository import ChangeRefused, ReceiptTaken, WorkflowRepository, dossier_of

if TYPE_CHECKING:
    from eptsp.applications.repository import ApplicationsRepository
    from eptsp.files.repository import FilesRepository
    from eptsp.sessions import Prefetched

SUBMIT_IDEMPOTENCY_SECONDS = 24 * 3600
RECEIPT_ATTEMPTS = 3


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
        s3: Callable[[], Any],
        bucket: str,
        engine: ApprovalEngine,
        calendar: WorkingCalendar,
        answers: RecordedAnswers,
        resubmissions: RecordedAnswers,
    ):
        self._workflow = workflow
        self._applications = applications
        self._files = files
        self._s3 = s3  # made only for a draft attached before file versions were recorded
        self._bucket = bucket
        self._engine = engine
        self._calendar = calendar
        self._answers = answers
        self._resubmissions = resubmissions

    # ------------------------------------------------------------- helpers
    def _draft(self, caller: Caller, application_id: str) -> dict[str, Any]:
        item = self._applications.get(application_id)
        if not item or item["ownerId"] != caller.user_id:
            raise NotFound("Permohonan tidak ditemukan.")
        return item

    def _freeze(self, item: dict[str, Any]) -> tuple[list[FrozenAttachment], list[tuple[dict[str, Any], Conflict]]]:
        """Each attached file at the object version its upload check recorded (the one the
        officers will read), and the transaction's checks that each is still ready there."""
        attachments = sorted((item.get("attachments") or {}).items())
        # Drafts attached before versions were recorded: their files are read (and S3 asked).
        older = self._recorded_elsewhere([a for _, a in attachments if not a.get("versionId")])
        frozen, checks = [], {}
        for requirement_id, attachment in attachments:
            stored = older.get(attachment["fileId"]) or {
                "objectKey": verified_key(item["ownerId"], attachment["fileId"]),
                "versionId": attachment["versionId"],
            }
            frozen.append(
                FrozenAttachment(
                    requirement_id=requirement_id,
                    file_id=attachment["fileId"],
                    file_name=attachment["fileName"],
                    content_type=attachment["contentType"],
                    object_key=stored["objectKey"],
                    version_id=stored["versionId"],
                )
            )
            # One check per file (a transaction names an item once), whatever it is attached to.
            checks[attachment["fileId"]] = (
                self._files.ready_check_action(attachment["fileId"], stored["objectKey"]),
                FileMissing(),
            )
        return frozen, list(checks.values())

    def _recorded_elsewhere(self, attachments: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
        """objectKey and versionId of files attached without them: the file's own record,
        else the object's current version in S3."""
        found = {}
        for attachment in attachments:
            file = self._files.get(attachment["fileId"])
            if not file or file.get("status") != "siap" or not file.get("objectKey"):
                raise FileMissing()
            version = file.get("versionId")
            if not version:
                s3 = self._s3()
                try:
                    version = s3.head_object(Bucket=self._bucket, Key=file["objectKey"]).get("VersionId")
                except s3.exceptions.ClientError:
                    raise FileMissing() from None
            found[attachment["fileId"]] = {"objectKey": file["objectKey"], "versionId": version or "null"}
        return found

    def _started(self, dossier: Dossier) -> SubmissionOutput:
        # A submission whose start failed after the write is started by any later attempt.
        self._engine.start(dossier.application_id, dossier.stages[0])
        return answer(dossier)

    # ------------------------------------------------------------- Kirim
    def submit(self, caller: Caller, application_id: str, version: int, key: str | None = None) -> SubmissionOutput:
        payload = {"applicationId": application_id, "version": version}
        item = self._draft(caller, application_id)
        if item["status"] != "draft":
            # A retry: the answer recorded with the key, else the file as it is; the flow
            # started either way, in case the first attempt failed after its write.
            replayed = key and self._answers.replay(
                caller_id=caller.user_id, key=key, payload=payload, output=SubmissionOutput
            )
            current = self._started(dossier_of(item))
            return replayed[0] if replayed else current
        if item["version"] != version:
            raise StaleVersion()
        missing = completeness(item).missing
        if missing:
            raise NotComplete([m.model_dump() for m in missing])
        files, file_checks = self._freeze(item)
        submitted = datetime.now(UTC)
        at = submitted.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        stages = rules.stages_for(bool(item.get("technicalReview", True)))
        estimated_finish = rules.estimated_finish(self._calendar, submitted, item["slaWorkingDays"], [])
        for attempt in range(RECEIPT_ATTEMPTS):
            receipt = receipts.new_receipt_number(submitted)
            output = SubmissionOutput(
                application_id=application_id,
                receipt_number=receipt,
                status="diproses",
                stage=stages[0],
                estimated_finish=estimated_finish,
            )
            guards = (
                [self._answers.record(caller_id=caller.user_id, key=key, payload=payload, answer=output)] if key else []
            )
            try:
                dossier = self._workflow.submit(
                    item,
                    version,
                    receipt,
                    submitted_at=at,
                    estimated_finish=estimated_finish,
                    stages=stages,
                    perbaikan_days=int(item.get("perbaikanDays") or 14),
                    files=files,
                    # Permohonan Saya finds it by its receipt number too.
                    search_text=f"{item.get('searchText', '')} {receipt.lower()}".strip(),
                    event=HistoryEvent(
                        at=at, stage=stages[0], action="diajukan", actor_role="pemohon", notes=f"Nomor resi {receipt}"
                    ),
                    guards=[*guards, *file_checks],
                )
                break
            except ReceiptTaken:
                logger.warning("Receipt number drawn twice", extra={"attempt": attempt})
            except KeyAlreadyAnswered:
                # A duplicate with the same key went first: its answer (or 422 for another payload).
                replayed = self._answers.replay(
                    caller_id=caller.user_id, key=key, payload=payload, output=SubmissionOutput
                )
                if replayed:
                    return replayed[0]
                raise ChangeRefused() from None
            except ChangeRefused:
                return self._refused(caller, application_id, version)
        else:
            raise ReceiptTaken("Nomor resi tidak dapat dibuat. Coba kirim lagi.")
        logger.info("Application submitted", extra={"application_id": application_id})
        return self._started(dossier)

    def _refused(self, caller: Caller, application_id: str, version: int) -> SubmissionOutput:
        """The draft changed under the submission: said in the words of what changed."""
        current = self._workflow.get(application_id)
        if current and current.owner_id == caller.user_id and current.receipt_number:
            return self._started(current)  # a concurrent request submitted it first
        fresh = self._draft(caller, application_id)
        if fresh["status"] != "draft":
            raise NotADraft()
        if fresh["version"] != version:
            raise StaleVersion()
        raise NotComplete([m.model_dump() for m in completeness(fresh).missing])

    # ------------------------------------------------------------- Kirim Ulang (after perbaikan)
    def resubmit(self, caller: Caller, application_id: str, version: int, key: str | None = None) -> SubmissionOutput:
        payload = {"applicationId": application_id, "version": version}
        item = self._draft(caller, application_id)
        dossier = dossier_of(item)
        if key and (dossier is None or dossier.status != "perbaikan"):
            # A retry after a lost answer: the recorded one, the flow resumed if it was not.
            replayed = self._resubmissions.replay(
                caller_id=caller.user_id, key=key, payload=payload, output=SubmissionOutput
            )
            if replayed:
                self._resume(application_id, replayed[1].get("resumeToken"))
                return replayed[0]
        if dossier is None or dossier.status != "perbaikan" or dossier.perbaikan is None:
            raise NotInPerbaikan()
        if dossier.version != version:
            raise StaleVersion()
        if not dossier.resubmit_token:
            raise FlowNotReady()
        missing = completeness(item, with_declaration=False).missing
        if missing:
            raise NotComplete([m.model_dump() for m in missing])
        files, file_checks = self._freeze(item)
        now = datetime.now(UTC)
        at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        pauses = [(parse_time(p.start), parse_time(p.end)) for p in dossier.pauses]
        pauses.append((parse_time(dossier.perbaikan.requested_at), now))
        estimated_finish = rules.estimated_finish(
            self._calendar, parse_time(dossier.submitted_at), dossier.sla_working_days, pauses
        )
        output = SubmissionOutput(
            application_id=application_id,
            receipt_number=dossier.receipt_number or "",
            status="diproses",
            stage=dossier.stage,
            estimated_finish=estimated_finish,
        )
        guards = []
        if key:
            guards.append(
                self._resubmissions.record(
                    caller_id=caller.user_id,
                    key=key,
                    payload=payload,
                    answer=output,
                    extra={"resumeToken": dossier.resubmit_token},
                )
            )
        try:
            self._workflow.resubmit(
                dossier,
                version=version,
                resubmitted_at=at,
                estimated_finish=estimated_finish,
                files=files,
                event=HistoryEvent(at=at, stage=dossier.stage, action="diajukan_ulang", actor_role="pemohon"),
                guards=[*guards, *file_checks],
            )
        except KeyAlreadyAnswered:
            replayed = self._resubmissions.replay(
                caller_id=caller.user_id, key=key, payload=payload, output=SubmissionOutput
            )
            if replayed:
                return replayed[0]
            raise NotInPerbaikan() from None
        except ChangeRefused:
            current = self._workflow.get(application_id)
            if current and current.status == "perbaikan" and current.version != version:
                raise StaleVersion() from None
            raise NotInPerbaikan() from None
        self._resume(application_id, dossier.resubmit_token, stale_is_error=True)
        # One perbaikan, one resubmission: its request time names the event.
        events.publish(
            events.for_dossier(
                dossier, "diajukan_ulang", f"{application_id}#diajukan_ulang#{dossier.perbaikan.requested_at}"
            )
        )
        return output

    def _resume(self, application_id: str, token: str | None, stale_is_error: bool = False) -> None:
        """The flow waiting on the resubmission goes on (a retry finds it already gone on)."""
        if not token:
            return
        try:
            self._engine.resume(token, {"outcome": "diajukan_ulang"})
        except StaleToken:
            if not stale_is_error:
                return
            logger.error("Resubmission's token no longer waited on", extra={"application_id": application_id})
            raise


def submission_service(
    applications_table: str,
    files_table: str,
    bucket: str,
    state_machine_arn: str,
    idempotency_table: str,
    catalogue_table: str,
    prefetched: Prefetched | None = None,
) -> SubmissionService:
    """The service of one request; ``prefetched``: what its session check read along."""
    from eptsp.applications.repository import ApplicationsRepository
    from eptsp.aws import client, dynamodb_table
    from eptsp.catalogue.calendar import office_calendar
    from eptsp.files.repository import FilesRepository

    return SubmissionService(
        WorkflowRepository(dynamodb_table(applications_table)),
        ApplicationsRepository(dynamodb_table(applications_table), prefetched),
        FilesRepository(dynamodb_table(files_table)),
        lambda: client("s3"),
        bucket,
        ApprovalEngine(client("stepfunctions"), state_machine_arn),
        office_calendar(catalogue_table),  # read once per request: the office's days off count
        RecordedAnswers("applications.submit", dynamodb_table(idempotency_table), SUBMIT_IDEMPOTENCY_SECONDS),
        RecordedAnswers("applications.resubmit", dynamodb_table(idempotency_table), SUBMIT_IDEMPOTENCY_SECONDS),
    )
