"""Catalogue models: the reviewable seed document (seed/catalogue.yaml) and the API views.

The seed document is validated with the same models the API answers with, so a typo in
the catalogue fails the loader instead of reaching an applicant.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from eptsp.models import ApiModel

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
JenisPermohonanKind = Literal["baru", "perpanjangan", "perubahan", "pencabutan"]
CompanyRule = Literal["required", "optional", "none"]
FileType = Literal["pdf", "jpeg", "png"]
FieldType = Literal["text", "textarea", "integer", "number", "date", "select", "boolean"]


class Persyaratan(ApiModel):
    """A document the applicant attaches (lampiran persyaratan)."""

    id: Slug
    name: str
    description: str = ""
    mandatory: bool
    file_types: list[FileType] = Field(min_length=1)


class DetailField(ApiModel):
    """A permit-specific input of Data Detail."""

    id: str = Field(pattern=r"^[a-z][A-Za-z0-9]*$", max_length=60)
    label: str
    type: FieldType
    required: bool
    help: str | None = None
    max_length: int | None = Field(default=None, ge=1)
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    options: list[str] | None = None

    @model_validator(mode="after")
    def _select_has_options(self) -> DetailField:
        if self.type == "select" and len(self.options or []) < 2:
            raise ValueError(f"isian '{self.id}' bertipe select harus punya minimal 2 pilihan")
        return self


class JenisPermohonan(ApiModel):
    id: Slug
    jenis: JenisPermohonanKind
    name: str
    sla_working_days: int = Field(ge=1, le=60)
    fee: int = Field(ge=0)
    company: CompanyRule
    field_survey: bool
    persyaratan: list[Persyaratan] = Field(min_length=1)
    detail_fields: list[DetailField] = Field(min_length=1)


class Layanan(ApiModel):
    id: Slug
    name: str
    description: str = ""
    jenis_permohonan: list[JenisPermohonan] = Field(min_length=1)


class Izin(ApiModel):
    id: Slug
    name: str
    description: str
    sector: str
    legal_basis: str | None = None
    layanan: list[Layanan] = Field(min_length=1)


class CatalogueDocument(ApiModel):
    version: Literal[1]
    izin: list[Izin] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> CatalogueDocument:
        seen: set[str] = set()
        for izin in self.izin:
            for item in [izin, *izin.layanan, *(j for layanan in izin.layanan for j in layanan.jenis_permohonan)]:
                if item.id in seen:
                    raise ValueError(f"id '{item.id}' dipakai lebih dari sekali")
                seen.add(item.id)
        return self


# ------------------------------------------------------------------ API views


class IzinSummary(ApiModel):
    id: str
    name: str
    description: str
    sector: str


class IzinList(ApiModel):
    items: list[IzinSummary]


class JenisPermohonanSummary(ApiModel):
    id: str
    jenis: JenisPermohonanKind
    name: str
    sla_working_days: int
    fee: int


class LayananDetail(ApiModel):
    id: str
    name: str
    description: str
    jenis_permohonan: list[JenisPermohonanSummary]


class IzinDetail(IzinSummary):
    legal_basis: str | None = None
    layanan: list[LayananDetail]


class NamedRef(ApiModel):
    id: str
    name: str


class Section(ApiModel):
    """A data section of step 4 (Isi Kelengkapan) and whether it must be filled."""

    id: Literal["pemohon", "perusahaan", "lokasi", "detail"]
    name: str
    required: bool


class PersyaratanOutput(ApiModel):
    """Everything step 3 shows and step 4 asks for, for one jenis permohonan."""

    izin: NamedRef
    layanan: NamedRef
    jenis_permohonan: JenisPermohonanSummary
    sla_working_days: int
    fee: int
    company: CompanyRule
    field_survey: bool
    sections: list[Section]
    persyaratan: list[Persyaratan]
    detail_fields: list[DetailField]
