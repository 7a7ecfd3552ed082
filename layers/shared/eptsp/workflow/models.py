"""Words of the workflow (statuses, stages, roles, decisions, history actions), its
entities as the repository returns them, and the API's requests and answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from eptsp.applications.models import JenisPermohonanRef
from eptsp.catalogue.models import NamedRef
from eptsp.models import ApiModel
from eptsp.workflow.words import (  # noqa: F401  (the vocabulary, re-exported)
    ACTION_LABELS,
    ADMIN,
    HUMAN_STAGES,
    STAGE_LABELS,
    STAGE_ROLES,
    STATUS_LABELS,
    Action,
    Decision,
    Stage,
    Status,
    TaskKind,
)

# ------------------------------------------------------------------ entities


@dataclass(frozen=True)
class Officer:
    id: str
    name: str


@dataclass(frozen=True)
class FrozenAttachment:
    """An attached file as submitted: its exact S3 object version."""

    requirement_id: str
    file_id: str
    file_name: str
    content_type: str
    object_key: str
    version_id: str


@dataclass(frozen=True)
class PerbaikanRequest:
    notes: str
    sections: list[str]
    requirements: list[str]
    deadline: date
    requested_at: str


@dataclass(frozen=True)
class Pause:
    start: str
    end: str


@dataclass(frozen=True)
class Dossier:
    """A submitted application as the workflow sees it."""

    application_id: str
    owner_id: str
    version: int
    status: str
    stage: str | None
    receipt_number: str | None
    submitted_at: str | None
    estimated_finish: date | None
    sla_working_days: int
    stages: list[str]
    field_survey: bool
    perbaikan_days: int
    izin: dict[str, str]
    layanan: dict[str, str]
    jenis_permohonan: dict[str, str]
    applicant_name: str
    section_ids: list[str]
    requirement_ids: list[str]
    sections: dict[str, Any]
    attachments: list[FrozenAttachment]
    perbaikan: PerbaikanRequest | None
    decision_notes: str | None
    pauses: list[Pause]
    current_task_id: str | None
    resubmit_token: str | None
    gangguan_task_id: str | None
    status_before_gangguan: str
    bap: dict[str, Any] | None


@dataclass(frozen=True)
class OfficerTask:
    task_id: str
    application_id: str
    kind: str
    stage: str
    role: str
    status: str
    token: str
    receipt_number: str
    izin_name: str
    applicant_name: str
    received_at: str
    deadline: date
    claimed_by: Officer | None = None
    failed_state: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class HistoryEvent:
    at: str
    stage: str
    action: str
    actor_role: str
    actor: Officer | None = None
    notes: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ API


class SubmitRequest(ApiModel):
    version: Annotated[int, Field(ge=1, le=1_000_000_000, description="the version the applicant saw")]


class SubmissionOutput(ApiModel):
    application_id: str
    receipt_number: str
    status: Status
    stage: Stage | None
    estimated_finish: date | None


class BelumLengkapBody(ApiModel):
    code: Literal["BELUM_LENGKAP"]
    message: str
    missing: list[dict[str, str]]


class Fix(ApiModel):
    sections: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=10)
    requirements: list[Annotated[str, Field(max_length=80)]] = Field(default_factory=list, max_length=40)


class Bap(ApiModel):
    """Berita acara pemeriksaan lapangan: the minutes of the field survey."""

    tanggal: date
    lokasi: Annotated[str, Field(min_length=1, max_length=300, pattern=r"\S")]
    petugas: list[Annotated[str, Field(min_length=1, max_length=120, pattern=r"\S")]] = Field(
        min_length=1, max_length=10
    )
    temuan: Annotated[str, Field(min_length=1, max_length=4000, pattern=r"\S")]
    kesimpulan: Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]


class DecisionRequest(ApiModel):
    decision: Decision
    notes: Annotated[str | None, Field(max_length=4000)] = None
    fix: Fix | None = None
    bap: Bap | None = None

    @field_validator("notes")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return (value or "").strip() or None


class DecisionOutput(ApiModel):
    task_id: str
    application_id: str
    decision: Decision
    status: Status
    stage: Stage | None


class ClaimedBy(ApiModel):
    id: str
    name: str


class TaskOutput(ApiModel):
    task_id: str
    application_id: str
    receipt_number: str
    izin_name: str
    applicant_name: str
    stage: Stage
    role: str
    kind: TaskKind
    received_at: str
    deadline: date
    late: bool
    claimed_by: ClaimedBy | None
    error: str | None = None


class TaskList(ApiModel):
    items: list[TaskOutput]
    cursor: str | None = None


class PerbaikanOutput(ApiModel):
    notes: str
    sections: list[str]
    requirements: list[str]
    deadline: date
    requested_at: str


class HistoryOutput(ApiModel):
    at: str
    stage: str
    stage_label: str
    action: Action
    action_label: str
    actor_role: str
    actor_name: str | None = None
    notes: str | None = None


class MonitoringOutput(ApiModel):
    receipt_number: str
    izin: NamedRef
    layanan: NamedRef
    jenis_permohonan: JenisPermohonanRef
    status: Status
    status_label: str
    stage: Stage | None
    stage_label: str | None
    submitted_at: str | None
    estimated_finish: date | None


class RiwayatOutput(MonitoringOutput):
    history: list[HistoryOutput]
    perbaikan: PerbaikanOutput | None = None
    decision_notes: str | None = None


class OfficerAttachment(ApiModel):
    requirement_id: str
    file_name: str
    content_type: str
    version_id: str
    download_url: str


class OfficerApplicationOutput(RiwayatOutput):
    application_id: str
    applicant_name: str
    stages: list[Stage]
    field_survey: bool
    late: bool
    sections: dict[str, Any]
    attachments: list[OfficerAttachment]
    current_task_id: str | None = None
    bap: dict[str, Any] | None = None


class RetryOutput(ApiModel):
    application_id: str
    status: Status
    stage: Stage | None
