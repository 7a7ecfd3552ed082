"""Photos of a document's pages (JPEG, PNG) made into one PDF: phones have no PDF tool.

Only files that passed the upload check are merged; the PDF is written straight to files/
as a verified file of the same owner. The pages stay in File Saya until their owner deletes
them (the front end does so once the PDF is attached).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from eptsp.errors import ValidationFailed
from eptsp.files.models import MAX_FILE_BYTES, FileOutput
from eptsp.files.repository import FilesRepository, verified_key
from eptsp.files.service import file_output
from eptsp.models import ApiModel

if TYPE_CHECKING:
    from eptsp.idempotency import Idempotency

MAX_PAGES = 10
# A page fits A4 at about 200 dpi: legible stamps and signatures, a few hundred KB a page.
MAX_SIDE = 2000
JPEG_QUALITY = 80
MERGE_IDEMPOTENCY_SECONDS = 15 * 60
PHOTO_TYPES = {"image/jpeg", "image/png"}

FileId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{10,64}$")]


class MergeRequest(ApiModel):
    file_ids: Annotated[
        list[FileId],
        Field(
            min_length=1,
            max_length=MAX_PAGES,
            description="Berkas foto (JPEG/PNG, berstatus siap) dalam urutan halaman, paling banyak 10",
            examples=[["Qm9uZ2thcjEyMzQ1Ng", "U2VydGlmaWthdDU2Nzg"]],
        ),
    ]
    file_name: Annotated[
        str,
        Field(
            min_length=1,
            max_length=200,
            pattern=r"^[^/\\<>:\"|?*\x00-\x1f]+$",
            description="Nama berkas PDF hasil gabungan (.pdf ditambahkan bila belum ada)",
            examples=["Sertifikat Tanah.pdf"],
        ),
    ]


def photos_to_pdf(pages: list[bytes]) -> bytes:
    """One PDF page per photo, in order, turned upright (EXIF) and scaled to at most MAX_SIDE."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # only this route pays for Pillow

    images = []
    for number, raw in enumerate(pages, start=1):
        try:
            with Image.open(BytesIO(raw)) as photo:
                photo.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a smaller scale, much faster
                upright = ImageOps.exif_transpose(photo)
                upright.thumbnail((MAX_SIDE, MAX_SIDE))
                images.append(upright.convert("RGB"))
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError):
            raise ValidationFailed(
                f"Foto halaman {number} tidak dapat dibaca. Foto ulang halaman itu lalu unggah lagi.", field="fileIds"
            ) from None
    out = BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200.0, quality=JPEG_QUALITY)
    return out.getvalue()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class PageMerger:
    def __init__(self, files: FilesRepository, s3: Any, bucket: str, idempotency: Idempotency):
        self._files = files
        self._s3 = s3
        self._bucket = bucket
        self._idempotency = idempotency

    def merge(
        self, owner_id: str, request: MergeRequest, idempotency_key: str | None = None, lambda_context: Any = None
    ) -> FileOutput:
        """The new PDF; the same ``idempotency_key`` from the same owner gives the first one again."""
        return self._idempotency.once(
            caller_id=owner_id,
            key=idempotency_key,
            payload=request.model_dump(mode="json"),
            output=FileOutput,
            create=lambda: self._merge(owner_id, request),
            lambda_context=lambda_context,
        )

    def _page(self, owner_id: str, file_id: str) -> dict[str, Any]:
        item = self._files.owned(owner_id, file_id)
        if item["status"] != "siap":
            raise ValidationFailed(
                f"'{item['fileName']}' belum lolos pemeriksaan unggahan (masih diperiksa atau ditolak).",
                field="fileIds",
            )
        if item["contentType"] not in PHOTO_TYPES:
            raise ValidationFailed(
                f"'{item['fileName']}' bukan foto JPEG/PNG; hanya foto yang digabung menjadi PDF.", field="fileIds"
            )
        return item

    def _merge(self, owner_id: str, request: MergeRequest) -> FileOutput:
        if len(set(request.file_ids)) != len(request.file_ids):
            raise ValidationFailed("Setiap foto hanya boleh dipakai sekali.", field="fileIds")
        pages = [self._page(owner_id, file_id) for file_id in request.file_ids]
        photos = [self._s3.get_object(Bucket=self._bucket, Key=page["objectKey"])["Body"].read() for page in pages]
        pdf = photos_to_pdf(photos)
        if len(pdf) > MAX_FILE_BYTES:
            raise ValidationFailed(
                "Gabungan foto melebihi 10 MB. Bagi menjadi beberapa bagian atau kurangi jumlah halaman.",
                field="fileIds",
            )
        file_id = secrets.token_urlsafe(16)
        key = verified_key(owner_id, file_id)
        stored = self._s3.put_object(Bucket=self._bucket, Key=key, Body=pdf, ContentType="application/pdf")
        name = request.file_name.strip()
        timestamp = _now()
        item = {
            "fileId": file_id,
            "ownerId": owner_id,
            "fileName": name if name.lower().endswith(".pdf") else f"{name[:196]}.pdf",
            "contentType": "application/pdf",
            "size": len(pdf),
            "status": "siap",
            "uploadedAt": timestamp,
            "verifiedAt": timestamp,
            "objectKey": key,
            "versionId": stored.get("VersionId") or "null",
            "mergedFrom": list(request.file_ids),
        }
        self._files.put_pending(item)
        return file_output(item)


def page_merger(files_table: str, bucket: str, idempotency_table: str) -> PageMerger:
    from eptsp.aws import client, dynamodb_table
    from eptsp.idempotency import Idempotency

    idempotency = Idempotency("files.merge", idempotency_table, MERGE_IDEMPOTENCY_SECONDS, client("dynamodb"))
    return PageMerger(FilesRepository(dynamodb_table(files_table)), client("s3"), bucket, idempotency)
