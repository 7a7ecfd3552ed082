"""Files table access.

Items: ``FILE#<fileId>`` holds the metadata: owner, name, declared type and size, status
(``menunggu`` until verified, then ``siap`` or ``ditolak`` with a reason), the object key
and its S3 version (``versionId``, recorded by the upload check), and ``usedIn``
(application id -> permit name) while applications use it.
GSI ``byOwner`` (ownerId, uploadedAt) lists "File Saya", newest first.
A presigned upload that never arrives expires with the TTL (``expiresAt``).
"""

from __future__ import annotations

from typing import Any

from eptsp.dynamo import CursorShape, query_page
from eptsp.errors import Conflict, NotFound
from eptsp.observability import logger

# Where a verified file's object is kept (written once: by the upload check's copy, or a merge).
VERIFIED = "files/"


def verified_key(owner_id: str, file_id: str) -> str:
    return f"{VERIFIED}{owner_id}/{file_id}"


# LastEvaluatedKey of the byOwner index: the table's key and the index's.
BY_OWNER_CURSOR = CursorShape(types={"pk": str, "ownerId": str, "uploadedAt": str}, owner="ownerId", pk_prefix="FILE#")


class FilesRepository:
    def __init__(self, table: Any):
        self._table = table
        self._client = table.meta.client

    def put_pending(self, item: dict[str, Any]) -> None:
        # usedIn starts as an empty map so applications can add themselves to it.
        self._table.put_item(Item={"pk": f"FILE#{item['fileId']}", "usedIn": {}, **item})

    def get(self, file_id: str) -> dict[str, Any] | None:
        return self._table.get_item(Key={"pk": f"FILE#{file_id}"}).get("Item")

    def owned(self, owner_id: str, file_id: str) -> dict[str, Any]:
        """The caller's own file; another's reads as absent (404), and the attempt is logged."""
        item = self.get(file_id)
        if not item or item["ownerId"] != owner_id:
            if item:
                logger.warning("Access to another user's file refused", extra={"file_id": file_id, "caller": owner_id})
            raise NotFound("Berkas tidak ditemukan.")
        return item

    def list_for_owner(self, owner_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        return query_page(
            self._table,
            limit=limit,
            start=BY_OWNER_CURSOR.decode(cursor, owner_id),
            IndexName="byOwner",
            KeyConditionExpression="ownerId = :o",
            ExpressionAttributeValues={":o": owner_id},
            ScanIndexForward=False,
        )

    def mark_verified(self, file_id: str, size: int, key: str, verified_at: str, version_id: str) -> bool:
        """siap, with the object's key and version; False when the file is no longer waiting
        (already handled or deleted)."""
        return self._finish(
            file_id,
            "SET #s = :siap, #size = :size, objectKey = :key, versionId = :version, verifiedAt = :at REMOVE expiresAt",
            {":siap": "siap", ":size": size, ":key": key, ":version": version_id, ":at": verified_at},
        )

    def mark_refused(self, file_id: str, reason: str, verified_at: str) -> bool:
        return self._finish(
            file_id,
            "SET #s = :ditolak, reason = :reason, verifiedAt = :at",
            {":ditolak": "ditolak", ":reason": reason, ":at": verified_at},
        )

    def _finish(self, file_id: str, update: str, values: dict[str, Any]) -> bool:
        try:
            self._table.update_item(
                Key={"pk": f"FILE#{file_id}"},
                UpdateExpression=update,
                ConditionExpression="#s = :menunggu",
                ExpressionAttributeNames={"#s": "status", **({"#size": "size"} if "#size" in update else {})},
                ExpressionAttributeValues={**values, ":menunggu": "menunggu"},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def delete_unused(self, file_id: str, owner_id: str) -> None:
        """Delete the metadata unless an application uses the file (409)."""
        try:
            self._table.delete_item(
                Key={"pk": f"FILE#{file_id}"},
                ConditionExpression="ownerId = :o AND (attribute_not_exists(usedIn) OR size(usedIn) = :zero)",
                ExpressionAttributeValues={":o": owner_id, ":zero": 0},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            raise Conflict(
                "Berkas ini masih dipakai di permohonan. Lepaskan dari permohonan itu dulu, lalu hapus.",
                code="BERKAS_DIPAKAI",
            ) from None

    # The actions below run inside the applications' transactions.
    def use_action(self, file_id: str, owner_id: str, application_id: str, izin_name: str) -> dict[str, Any]:
        """Record that an application uses the file; only a verified file of the same owner."""
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": {"pk": f"FILE#{file_id}"},
                "UpdateExpression": "SET usedIn.#app = :name",
                "ConditionExpression": "ownerId = :o AND #s = :siap",
                "ExpressionAttributeNames": {"#s": "status", "#app": application_id},
                "ExpressionAttributeValues": {":o": owner_id, ":siap": "siap", ":name": izin_name},
            }
        }

    def ready_check_action(self, file_id: str, object_key: str) -> dict[str, Any]:
        """A submission's check that the file is still verified, at the object it froze."""
        return {
            "ConditionCheck": {
                "TableName": self._table.name,
                "Key": {"pk": f"FILE#{file_id}"},
                "ConditionExpression": "#s = :siap AND objectKey = :key",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {":siap": "siap", ":key": object_key},
            }
        }

    def release_action(self, file_id: str, application_id: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": {"pk": f"FILE#{file_id}"},
                "UpdateExpression": "REMOVE usedIn.#app",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeNames": {"#app": application_id},
            }
        }
