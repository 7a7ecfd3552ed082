"""File requests and answers of the API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from eptsp.models import ApiModel

MAX_FILE_BYTES = 10 * 1024 * 1024
CONTENT_TYPES: dict[str, str] = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}
FileStatus = Literal["menunggu", "siap", "ditolak"]


class PresignRequest(ApiModel):
    file_name: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^/\\<>:\"|?*\x00-\x1f]+$")]
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]
    size: Annotated[int, Field(ge=1, le=MAX_FILE_BYTES, description="bytes, at most 10 MB")]


class PresignOutput(ApiModel):
    file_id: str
    url: str
    fields: dict[str, str]
    expires_in: int
    max_size: int


class FileUse(ApiModel):
    application_id: str
    izin_name: str


class FileOutput(ApiModel):
    file_id: str
    file_name: str
    content_type: str
    file_type: str
    size: int
    status: FileStatus
    reason: str | None = None
    uploaded_at: str
    used_in: list[FileUse]


class FileDetailOutput(FileOutput):
    download_url: str | None = None
    download_expires_in: int | None = None


class FileList(ApiModel):
    items: list[FileOutput]
    next_cursor: str | None = None
