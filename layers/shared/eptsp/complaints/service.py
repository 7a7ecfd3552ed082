"""Complaint rules: who files and reads what, the status each reply and the close bring,
and the applicant's notification of each.

An applicant files a complaint about the office (a category from a fixed list, the text),
optionally naming one of their own applications by receipt number and attaching one of
their own verified files from File Saya; they read only their own complaints. Officers of
the complaint roles list complaints by status, reply (the first reply moves ``diterima``
to ``diproses``) and close (``selesai``); a closed complaint takes no more replies (409).
Each reply and the close is an event for the notifier: Inbox, e-mail and SMS as for any
application event.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from eptsp.complaints.models import (
    CATEGORIES,
    Attachment,
    AttachmentOutput,
    Complaint,
    ComplaintDetailOutput,
    ComplaintOutput,
    ComplaintPage,
    ComplaintRequest,
    OfficerComplaintDetailOutput,
    OfficerComplaintOutput,
    OfficerComplaintPage,
    Reply,
    ReplyOutput,
    ReplyRequest,
)
from eptsp.complaints.repository import ComplaintNotFound, ComplaintsRepository, new_reply_id, now_iso
from eptsp.errors import ValidationFailed
from eptsp.events import ApplicationEvent
from eptsp.identity import Caller
from eptsp.observability import logger
from eptsp.workflow import receipts

if TYPE_CHECKING:
    from eptsp.idempotency import Idempotency

IDEMPOTENCY_SECONDS = 24 * 3600
DOWNLOAD_SECONDS = 5 * 60
UNKNOWN_RECEIPT = ValidationFailed(
    "Nomor resi tidak ditemukan di antara permohonan Anda.", field="receiptNumber", code="RESI_TIDAK_DIKENAL"
)
UNKNOWN_FILE = ValidationFailed(
    "Berkas tidak ditemukan di File Saya Anda.", field="fileId", code="BERKAS_TIDAK_DIKENAL"
)
FILE_NOT_READY = ValidationFailed(
    "Berkas ini belum lolos pemeriksaan (atau ditolak). Pilih berkas berstatus siap.",
    field="fileId",
    code="BERKAS_BELUM_SIAP",
)


def _output(
    complaint: Complaint,
    model: type[ComplaintOutput] = ComplaintOutput,
    link: Callable[[Attachment], str | None] = lambda attachment: None,
    **extra: Any,
) -> Any:
    return model(
        complaint_id=complaint.complaint_id,
        category=complaint.category,
        category_label=CATEGORIES.get(complaint.category, complaint.category),
        text=complaint.text,
        status=complaint.status,
        receipt_number=complaint.receipt_number,
        application_id=complaint.application_id,
        attachment=AttachmentOutput(
            file_id=complaint.attachment.file_id,
            file_name=complaint.attachment.file_name,
            download_url=link(complaint.attachment),
        )
        if complaint.attachment
        else None,
        created_at=complaint.created_at,
        updated_at=complaint.updated_at,
        reply_count=complaint.reply_count,
        closed_at=complaint.closed_at,
        **extra,
    )


def _reply_output(reply: Reply, for_officer: bool) -> ReplyOutput:
    # The applicant hears from the office, not from a named officer (as in the History Proses).
    return ReplyOutput(
        reply_id=reply.reply_id,
        text=reply.text,
        created_at=reply.created_at,
        officer_name=reply.officer_name if for_officer else None,
    )


class ComplaintService:
    def __init__(
        self,
        complaints: ComplaintsRepository,
        applications: Any,  # eptsp.workflow.repository.WorkflowRepository: by_receipt
        files: Any,  # eptsp.files.repository.FilesRepository: get
        accounts: Any,  # eptsp.accounts.repository.AccountsRepository: get_profile
        idempotency: Callable[[str], Idempotency],
        publish: Callable[[ApplicationEvent], bool],
        download_link: Callable[[str, str], str] = lambda object_key, file_name: "",
    ):
        self._complaints = complaints
        self._applications = applications
        self._files = files
        self._accounts = accounts
        self._idempotency = idempotency
        self._publish = publish
        self._download_link = download_link

    def _officers_link(self, attachment: Attachment) -> str | None:
        # Officers open the attachment by a short link; the applicant has it in File Saya.
        return self._download_link(attachment.object_key, attachment.file_name) if attachment.object_key else None

    def _officer_output(self, complaint: Complaint) -> OfficerComplaintOutput:
        return _output(complaint, OfficerComplaintOutput, self._officers_link, applicant_name=complaint.owner_name)

    def _name(self, username: str) -> str:
        profile = self._accounts.get_profile(username) or {}
        return profile.get("name") or username

    # ------------------------------------------------------------------ applicant
    def file(
        self, caller: Caller, request: ComplaintRequest, key: str | None = None, lambda_context: Any = None
    ) -> ComplaintDetailOutput:
        """A new complaint (``diterima``); the same ``key`` from the same caller gives the first one again."""
        return self._idempotency("complaints.create").once(
            caller_id=caller.user_id,
            key=key,
            payload=request.model_dump(mode="json"),
            output=ComplaintDetailOutput,
            create=lambda: self._file(caller, request),
            lambda_context=lambda_context,
        )

    def _file(self, caller: Caller, request: ComplaintRequest) -> ComplaintDetailOutput:
        receipt_number = application_id = None
        if request.receipt_number:
            receipt_number = receipts.normalize(request.receipt_number)
            dossier = self._applications.by_receipt(receipt_number) if receipt_number else None
            if dossier is None or dossier.owner_id != caller.user_id:
                raise UNKNOWN_RECEIPT
            application_id = dossier.application_id
        attachment = None
        if request.file_id:
            item = self._files.get(request.file_id)
            if not item or item.get("ownerId") != caller.user_id:
                if item:
                    logger.warning("Another user's file named in a complaint", extra={"file_id": request.file_id})
                raise UNKNOWN_FILE
            if item.get("status") != "siap":
                raise FILE_NOT_READY
            attachment = Attachment(
                file_id=request.file_id, file_name=item["fileName"], object_key=item.get("objectKey")
            )
        at = now_iso()
        complaint = Complaint(
            complaint_id=secrets.token_urlsafe(12),
            owner_id=caller.user_id,
            owner_username=caller.username,
            owner_name=self._name(caller.username),
            category=request.category,
            text=request.text,
            status="diterima",
            created_at=at,
            updated_at=at,
            reply_count=0,
            receipt_number=receipt_number,
            application_id=application_id,
            attachment=attachment,
        )
        self._complaints.create(complaint)
        return _output(complaint, ComplaintDetailOutput, replies=[])

    def _own(self, caller: Caller, complaint_id: str) -> Complaint:
        complaint = self._complaints.get(complaint_id)
        if complaint.owner_id != caller.user_id:
            logger.warning("Access to another user's complaint refused", extra={"complaint_id": complaint_id})
            raise ComplaintNotFound()  # not theirs to know about
        return complaint

    def page(self, caller: Caller, limit: int, cursor: str | None) -> ComplaintPage:
        complaints, next_cursor = self._complaints.page_for_owner(caller.user_id, limit, cursor)
        return ComplaintPage(items=[_output(c) for c in complaints], cursor=next_cursor)

    def detail(self, caller: Caller, complaint_id: str) -> ComplaintDetailOutput:
        complaint = self._own(caller, complaint_id)
        replies = [_reply_output(r, for_officer=False) for r in self._complaints.replies(complaint_id)]
        return _output(complaint, ComplaintDetailOutput, replies=replies)

    # ------------------------------------------------------------------ officers
    def officer_page(self, status: str, limit: int, cursor: str | None) -> OfficerComplaintPage:
        complaints, next_cursor = self._complaints.page_by_status(status, limit, cursor)
        return OfficerComplaintPage(items=[self._officer_output(c) for c in complaints], cursor=next_cursor)

    def _changed(self, complaint_id: str, kind: str, event_id: str, notes: str | None) -> OfficerComplaintDetailOutput:
        """The complaint as it now is, after its owner was told (Inbox, e-mail, SMS) of the change."""
        complaint = self._complaints.get(complaint_id)
        self._publish(
            ApplicationEvent(
                event_id=event_id,
                kind=kind,
                owner_id=complaint.owner_id,
                owner_username=complaint.owner_username,
                complaint_id=complaint_id,
                receipt_number=complaint.receipt_number,
                notes=notes,
            )
        )
        replies = [_reply_output(r, for_officer=True) for r in self._complaints.replies(complaint_id)]
        return _output(
            complaint,
            OfficerComplaintDetailOutput,
            self._officers_link,
            applicant_name=complaint.owner_name,
            replies=replies,
        )

    def reply(
        self,
        officer: Caller,
        complaint_id: str,
        request: ReplyRequest,
        key: str | None = None,
        lambda_context: Any = None,
    ) -> OfficerComplaintDetailOutput:
        return self._idempotency("complaints.reply").once(
            caller_id=officer.user_id,
            key=key,
            payload={"complaintId": complaint_id, **request.model_dump(mode="json")},
            output=OfficerComplaintDetailOutput,
            create=lambda: self._reply(officer, complaint_id, request),
            lambda_context=lambda_context,
        )

    def _reply(self, officer: Caller, complaint_id: str, request: ReplyRequest) -> OfficerComplaintDetailOutput:
        reply = Reply(
            reply_id=new_reply_id(),
            text=request.text,
            officer_id=officer.user_id,
            officer_name=self._name(officer.username),
            created_at=now_iso(),
        )
        self._complaints.add_reply(complaint_id, reply)  # 404 unknown, 409 selesai
        return self._changed(
            complaint_id, "pengaduan_dibalas", f"{complaint_id}#pengaduan_dibalas#{reply.reply_id}", reply.text
        )

    def close(
        self, officer: Caller, complaint_id: str, key: str | None = None, lambda_context: Any = None
    ) -> OfficerComplaintDetailOutput:
        return self._idempotency("complaints.close").once(
            caller_id=officer.user_id,
            key=key,
            payload={"complaintId": complaint_id},
            output=OfficerComplaintDetailOutput,
            create=lambda: self._close(officer, complaint_id),
            lambda_context=lambda_context,
        )

    def _close(self, officer: Caller, complaint_id: str) -> OfficerComplaintDetailOutput:
        self._complaints.close(complaint_id, officer.user_id, now_iso())  # 404 unknown, 409 selesai
        return self._changed(complaint_id, "pengaduan_selesai", f"{complaint_id}#pengaduan_selesai", None)


def complaint_service(
    complaints_table: str,
    applications_table: str,
    files_table: str,
    accounts_table: str,
    idempotency_table: str,
    documents_bucket: str,
) -> ComplaintService:
    from eptsp import events
    from eptsp.accounts.repository import AccountsRepository
    from eptsp.aws import client, dynamodb_table
    from eptsp.files.repository import FilesRepository
    from eptsp.idempotency import Idempotency
    from eptsp.workflow.repository import WorkflowRepository

    def download_link(object_key: str, file_name: str) -> str:
        # Only officers' answers sign links: the applicant's routes never create the S3 client.
        return client("s3").generate_presigned_url(
            "get_object",
            Params={
                "Bucket": documents_bucket,
                "Key": object_key,
                "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(file_name)}",
            },
            ExpiresIn=DOWNLOAD_SECONDS,
        )

    def idempotency(action: str) -> Idempotency:
        return Idempotency(action, idempotency_table, IDEMPOTENCY_SECONDS, client("dynamodb"))

    return ComplaintService(
        ComplaintsRepository(dynamodb_table(complaints_table)),
        WorkflowRepository(dynamodb_table(applications_table)),
        FilesRepository(dynamodb_table(files_table)),
        AccountsRepository(dynamodb_table(accounts_table)),
        idempotency,
        events.publish,
        download_link,
    )


def officer_roles(setting: str | None) -> tuple[str, ...]:
    """The roles that handle complaints: admin always, plus those the office names
    (``COMPLAINT_ROLES``, comma-separated; a name that is no officer role is refused by
    ``eptsp.access.officers``)."""
    named = {role.strip() for role in (setting or "").split(",") if role.strip()}
    return ("admin", *sorted(named - {"admin"}))
