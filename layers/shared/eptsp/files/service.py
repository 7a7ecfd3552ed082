"""File rules: who may upload what, how uploads are verified, File Saya."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from botocore.exceptions import ClientError

from eptsp.files import checks
from eptsp.files.models import (
    CONTENT_TYPES,
    FileDetailOutput,
    FileList,
    FileOutput,
    FileUse,
    PresignOutput,
    PresignRequest,
)
from eptsp.files.repository import FilesRepository, verified_key

if TYPE_CHECKING:
    from eptsp.idempotency import Idempotency

# Long enough to pick a file on a phone and send 10 MB over a slow line; short, since
# anyone holding the grant may post to the same key until it expires.
UPLOAD_SECONDS = 5 * 60
DOWNLOAD_SECONDS = 5 * 60
PENDING_TTL_SECONDS = 24 * 3600
INCOMING = "incoming/"


def _now() -> str:
    # Milliseconds: lists sort by these times, newest first.
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def file_output(item: dict[str, Any], model: type[FileOutput] = FileOutput, **extra: Any) -> Any:
    return model(
        file_id=item["fileId"],
        file_name=item["fileName"],
        content_type=item["contentType"],
        file_type=CONTENT_TYPES[item["contentType"]],
        size=int(item["size"]),
        status=item["status"],
        reason=item.get("reason"),
        uploaded_at=item["uploadedAt"],
        used_in=[FileUse(application_id=k, izin_name=v) for k, v in sorted((item.get("usedIn") or {}).items())],
        **extra,
    )


class FileService:
    def __init__(self, files: FilesRepository, s3: Any, bucket: str, idempotency: Idempotency):
        self._files = files
        self._s3 = s3
        self._bucket = bucket
        self._idempotency = idempotency

    def presign(
        self, owner_id: str, request: PresignRequest, idempotency_key: str | None = None, lambda_context: Any = None
    ) -> PresignOutput:
        """One upload slot; the same ``idempotency_key`` from the same owner gives the first one again."""
        return self._idempotency.once(
            caller_id=owner_id,
            key=idempotency_key,
            payload=request.model_dump(mode="json"),
            output=PresignOutput,
            create=lambda: self._presign(owner_id, request),
            lambda_context=lambda_context,
        )

    def _presign(self, owner_id: str, request: PresignRequest) -> PresignOutput:
        file_id = secrets.token_urlsafe(16)
        key = f"{INCOMING}{owner_id}/{file_id}"
        self._files.put_pending(
            {
                "fileId": file_id,
                "ownerId": owner_id,
                "fileName": request.file_name,
                "contentType": request.content_type,
                "size": request.size,
                "status": "menunggu",
                "uploadedAt": _now(),
                "expiresAt": int(time.time()) + PENDING_TTL_SECONDS,
            }
        )
        # The policy pins the type and caps the length at the declared size (at most 10 MB);
        # the check after upload enforces both again wherever a policy is not enforced.
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": request.content_type, "success_action_status": "201"},
            Conditions=[
                {"Content-Type": request.content_type},
                {"success_action_status": "201"},
                ["content-length-range", 1, request.size],
            ],
            ExpiresIn=UPLOAD_SECONDS,
        )
        return PresignOutput(
            file_id=file_id, url=post["url"], fields=post["fields"], expires_in=UPLOAD_SECONDS, max_size=request.size
        )

    def list(self, owner_id: str, limit: int, cursor: str | None) -> FileList:
        items, next_cursor = self._files.list_for_owner(owner_id, limit, cursor)
        return FileList(items=[file_output(item) for item in items], next_cursor=next_cursor)

    def get(self, owner_id: str, file_id: str) -> FileDetailOutput:
        item = self._files.owned(owner_id, file_id)
        if item["status"] != "siap":
            return file_output(item, FileDetailOutput)
        disposition = f"attachment; filename*=UTF-8''{quote(item['fileName'])}"
        url = self._s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": item["objectKey"],
                "ResponseContentDisposition": disposition,
                "ResponseContentType": item["contentType"],
            },
            ExpiresIn=DOWNLOAD_SECONDS,
        )
        return file_output(item, FileDetailOutput, download_url=url, download_expires_in=DOWNLOAD_SECONDS)

    def delete(self, owner_id: str, file_id: str) -> None:
        item = self._files.owned(owner_id, file_id)
        self._files.delete_unused(file_id, owner_id)  # 409 while an application uses it
        if item.get("objectKey"):
            remove_all_versions(self._s3, self._bucket, item["objectKey"])


def remove_all_versions(s3: Any, bucket: str, key: str) -> None:
    """Really remove an object from a versioned bucket: every version and delete marker."""
    listing = s3.list_object_versions(Bucket=bucket, Prefix=key)
    for version in [*listing.get("Versions", []), *listing.get("DeleteMarkers", [])]:
        if version["Key"] == key:
            s3.delete_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])


def file_service(files_table: str, bucket: str, idempotency_table: str) -> FileService:
    from eptsp.aws import client, dynamodb_table
    from eptsp.idempotency import Idempotency

    # A replayed grant is only useful while its presigned POST is: keep it as long as that.
    idempotency = Idempotency("files.presign", idempotency_table, UPLOAD_SECONDS, client("dynamodb"))
    return FileService(FilesRepository(dynamodb_table(files_table)), client("s3"), bucket, idempotency)


class UploadVerifier:
    """Runs on every object created under incoming/: keeps it as ``siap`` or removes it.

    It checks and copies the very version its S3 event names (and copies it only while its
    ETag is the one checked), so a second upload under the same presigned POST, arriving
    between the check and the copy, never reaches files/ unchecked; its own event then
    finds the file no longer waiting and removes it.
    """

    def __init__(self, files: FilesRepository, s3: Any):
        self._files = files
        self._s3 = s3

    def verify(self, bucket: str, key: str, version_id: str | None = None) -> str:
        _, owner_id, file_id = [*key.split("/"), "", ""][:3]
        item = self._files.get(file_id) if file_id else None
        if not item or item["ownerId"] != owner_id or item["status"] != "menunggu":
            remove_all_versions(self._s3, bucket, key)
            return "diabaikan"
        version = {"VersionId": version_id} if version_id else {}
        try:
            head = self._s3.head_object(Bucket=bucket, Key=key, **version)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey", "NoSuchVersion"):
                raise
            return "diabaikan"  # removed since (a later event of this key settled the file)
        size = int(head["ContentLength"])
        first = b""
        if size > 0:
            first = self._s3.get_object(
                Bucket=bucket, Key=key, Range=f"bytes=0-{checks.HEAD_BYTES - 1}", IfMatch=head["ETag"], **version
            )["Body"].read()
        reason = checks.refusal(item["contentType"], size, first)
        if reason is None and size > int(item["size"]):
            reason = "Ukuran berkas lebih besar daripada yang dinyatakan saat unggah. Unggah ulang berkasnya."
        if reason:
            remove_all_versions(self._s3, bucket, key)
            self._files.mark_refused(file_id, reason, _now())
            return "ditolak"
        target = verified_key(owner_id, file_id)
        copied = self._s3.copy_object(
            Bucket=bucket,
            Key=target,
            CopySource={"Bucket": bucket, "Key": key, **version},
            CopySourceIfMatch=head["ETag"],
            ContentType=item["contentType"],
            MetadataDirective="REPLACE",
        )
        remove_all_versions(self._s3, bucket, key)
        # The version is what a submission freezes: files/ keys are written only here, once.
        self._files.mark_verified(file_id, size, target, _now(), copied.get("VersionId") or "null")
        return "siap"
