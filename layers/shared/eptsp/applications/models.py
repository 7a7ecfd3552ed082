"""Application requests and answers of the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from eptsp.catalogue.models import (
    ApplicantKind,
    DetailField,
    JenisPermohonanKind,
    NamedRef,
    Persyaratan,
    Section,
)
from eptsp.models import ApiModel
from eptsp.workflow.words import STAGE_LABELS, STATUS_LABELS, Stage, Status

ApplicationStatus = Status
__all__ = ["STAGE_LABELS", "STATUS_LABELS"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


class CreateApplicationRequest(ApiModel):
    jenis_permohonan_id: Slug


class SectionRequest(ApiModel):
    version: Annotated[int, Field(ge=1, description="the version this change is based on")]
    data: dict[str, Any]


class AttachRequest(ApiModel):
    file_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{10,64}$")]
    version: Annotated[int | None, Field(ge=1)] = None


class DeclarationRequest(ApiModel):
    version: Annotated[int, Field(ge=1)]
    agreed: bool


class JenisPermohonanRef(NamedRef):
    jenis: JenisPermohonanKind


class Attachment(ApiModel):
    requirement_id: str
    file_id: str
    file_name: str
    content_type: str
    attached_at: str


class MissingItem(ApiModel):
    kind: Literal["section", "persyaratan", "pernyataan"]
    id: str
    message: str


class Completeness(ApiModel):
    complete: bool
    missing: list[MissingItem]


class Progress(ApiModel):
    """How far a draft is: required sections filled and mandatory attachments given."""

    done: Annotated[
        int, Field(ge=0, description="Bagian wajib yang sudah diisi dan lampiran wajib yang sudah ada", examples=[5])
    ]
    total: Annotated[int, Field(ge=0, description="Semua bagian wajib dan lampiran wajib", examples=[9])]


class Perbaikan(ApiModel):
    """What the applicant must fix, by when (while the file waits on them)."""

    notes: str
    sections: list[str]
    requirements: list[str]
    deadline: str
    requested_at: str


class ApplicationSummary(ApiModel):
    application_id: str
    izin: NamedRef
    layanan: NamedRef
    jenis_permohonan: JenisPermohonanRef
    status: ApplicationStatus
    status_label: Annotated[
        str,
        Field(
            description="Status dalam kata-kata pemohon; draf: 'Draf - belum dikirim' atau 'Siap dikirim'",
            examples=["Siap dikirim"],
        ),
    ]
    complete: bool
    progress: Progress
    stage: Stage | None = None
    stage_label: str | None = None
    receipt_number: str | None = None
    submitted_at: str | None = None
    estimated_finish: str | None = None
    perbaikan: Perbaikan | None = None
    decision_notes: str | None = None
    # Set at penerbitan (status terbit): the permit's id (verification) and number.
    permit_id: str | None = None
    permit_number: str | None = None
    created_at: str
    updated_at: str


class ApplicationOutput(ApplicationSummary):
    version: int
    sla_working_days: int
    fee: int
    company: Literal["required", "optional", "none"]
    field_survey: bool
    technical_review: bool
    perbaikan_days: int
    sections: list[Section]
    persyaratan: list[Persyaratan]
    detail_fields: list[DetailField]
    data: dict[str, dict[str, Any]]
    prefill: dict[str, dict[str, Any]]
    attachments: list[Attachment]
    declaration: bool
    completeness: Completeness
    applicant_kind: Annotated[
        ApplicantKind | None,
        Field(
            description=(
                "Mengajukan sebagai perorangan atau badan usaha (dari Data Pemohon, atau dari aturan izin); "
                "kosong bila belum dipilih"
            ),
            examples=["perorangan"],
        ),
    ] = None


class ApplicationList(ApiModel):
    items: list[ApplicationSummary]
    next_cursor: str | None = None
