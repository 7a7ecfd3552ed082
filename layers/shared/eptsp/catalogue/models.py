"""Catalogue models: the reviewable seed document (seed/catalogue.yaml) and the API views.

The seed document is validated with the same models the API answers with, so a typo in
the catalogue fails the loader instead of reaching an applicant. Every rule a permit,
service or application type must follow lives here: ``parse_catalogue`` refuses a broken
document with one line per fault, naming the item by its id.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from eptsp.models import ApiModel

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]
JenisPermohonanKind = Literal["baru", "perpanjangan", "perubahan", "pencabutan"]
CompanyRule = Literal["required", "optional", "none"]
FileType = Literal["pdf", "jpeg", "png"]
FieldType = Literal["text", "textarea", "integer", "number", "date", "select", "boolean"]
# Who applies: a person (perorangan) or a business (badan usaha); asked once, in Data Pemohon.
ApplicantKind = Literal["perorangan", "badan_usaha"]
# Data Detail fields that repeat Lokasi Izin start from what was entered there.
PrefillSource = Literal["lokasi.kabupatenKota", "lokasi.koordinat"]
PREFILL_TYPES: dict[str, set[str]] = {
    "lokasi.kabupatenKota": {"select", "text", "textarea"},
    "lokasi.koordinat": {"text", "textarea"},
}

# The keys of a detail field that only make sense for some field types.
TYPE_SPECIFIC_KEYS: dict[str, set[str]] = {
    "max_length": {"text", "textarea"},
    "min": {"integer", "number"},
    "max": {"integer", "number"},
    "unit": {"integer", "number"},
    "options": {"select"},
}
# A follow-up application (anything but ``baru``) attaches the permit it follows up.
PREVIOUS_PERMIT = "izin-lama"


def _repeated(values: list[Any]) -> list[Any]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


class SeedModel(ApiModel):
    """A part of the seed document: an unknown key is a typo, not something to ignore."""

    model_config = ConfigDict(extra="forbid")


class Persyaratan(SeedModel):
    """A document the applicant attaches (lampiran persyaratan)."""

    id: Slug
    name: Text
    description: Text
    mandatory: bool
    file_types: list[FileType] = Field(min_length=1)
    # Only for applicants of this kind (e.g. NIB and akta for a badan usaha); None: for everyone.
    applies_to: ApplicantKind | None = Field(
        default=None,
        description="Hanya untuk pemohon jenis ini (perorangan atau badan_usaha); kosong: untuk semua pemohon",
        examples=["badan_usaha"],
    )

    @model_validator(mode="after")
    def _file_types_are_distinct(self) -> Persyaratan:
        if repeated := _repeated(self.file_types):
            raise ValueError(f"jenis berkas {repeated} disebut lebih dari sekali")
        return self


class DetailField(SeedModel):
    """A permit-specific input of Data Detail."""

    id: str = Field(pattern=r"^[a-z][A-Za-z0-9]*$", max_length=60)
    label: Text
    type: FieldType
    required: bool
    help: Text | None = None
    max_length: int | None = Field(default=None, ge=1)
    min: float | None = None
    max: float | None = None
    unit: Text | None = None
    options: list[Text] | None = None
    prefill_from: PrefillSource | None = Field(
        default=None,
        description="Isian ini diawali dari Lokasi Izin: kabupaten/kota atau koordinat (lintang, bujur)",
        examples=["lokasi.koordinat"],
    )

    @model_validator(mode="after")
    def _keys_fit_the_type(self) -> DetailField:
        if self.prefill_from and self.type not in PREFILL_TYPES[self.prefill_from]:
            raise ValueError(f"isian '{self.id}' bertipe {self.type} tidak dapat diisi dari {self.prefill_from}")
        for key, types in TYPE_SPECIFIC_KEYS.items():
            if getattr(self, key) is not None and self.type not in types:
                raise ValueError(f"isian '{self.id}' bertipe {self.type} tidak boleh punya '{to_camel(key)}'")
        bounds = [bound for bound in (self.min, self.max) if bound is not None]
        if self.type == "integer" and not all(bound.is_integer() for bound in bounds):
            raise ValueError(f"isian '{self.id}' bertipe integer harus punya batas bilangan bulat")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"isian '{self.id}': min {self.min:g} lebih besar dari max {self.max:g}")
        if self.type == "select":
            options = self.options or []
            if len(set(options)) < 2:
                raise ValueError(f"isian '{self.id}' bertipe select harus punya minimal 2 pilihan berbeda")
            if repeated := _repeated(options):
                raise ValueError(f"isian '{self.id}': pilihan {repeated} disebut lebih dari sekali")
        return self


class JenisPermohonan(SeedModel):
    id: Slug
    jenis: JenisPermohonanKind
    name: Text
    sla_working_days: int = Field(ge=1, le=60)
    fee: int = Field(ge=0)
    company: CompanyRule
    field_survey: bool
    # False: the kajian teknis stage is skipped (verifikasi -> persetujuan).
    technical_review: bool
    # Calendar days the applicant has to send a file back for perbaikan.
    perbaikan_days: int = Field(default=14, ge=1, le=60)
    # Years the issued permit is valid (masa berlaku); None: no fixed term.
    validity_years: int | None = Field(default=None, ge=1, le=30)
    persyaratan: list[Persyaratan] = Field(min_length=2)
    detail_fields: list[DetailField] = Field(min_length=1)

    @model_validator(mode="after")
    def _requirements_and_fields_fit_together(self) -> JenisPermohonan:
        if repeated := _repeated([item.id for item in self.persyaratan]):
            raise ValueError(f"persyaratan {repeated} disebut lebih dari sekali")
        if repeated := _repeated([field.id for field in self.detail_fields]):
            raise ValueError(f"isian {repeated} disebut lebih dari sekali")
        if self.field_survey and not self.technical_review:
            raise ValueError("tinjauan lapangan (fieldSurvey) hanya ada bila technicalReview bernilai true")
        if not any(item.mandatory and item.applies_to is None for item in self.persyaratan):
            raise ValueError("minimal satu persyaratan harus wajib (mandatory) bagi semua pemohon")
        only_for = {"required": "perorangan", "none": "badan_usaha"}.get(self.company)
        if only_for and (odd := [item.id for item in self.persyaratan if item.applies_to == only_for]):
            raise ValueError(f"persyaratan {odd} hanya untuk {only_for}, padahal company bernilai {self.company}")
        if self.jenis != "baru":
            previous = [item for item in self.persyaratan if item.id == PREVIOUS_PERMIT]
            if not (previous and previous[0].mandatory):
                raise ValueError(f"permohonan {self.jenis} harus mewajibkan persyaratan '{PREVIOUS_PERMIT}'")
        return self


class Layanan(SeedModel):
    id: Slug
    name: Text
    description: Text
    jenis_permohonan: list[JenisPermohonan] = Field(min_length=2, max_length=4)

    @model_validator(mode="after")
    def _one_of_each_jenis(self) -> Layanan:
        if repeated := _repeated([item.jenis for item in self.jenis_permohonan]):
            raise ValueError(f"jenis permohonan {repeated} ada lebih dari sekali")
        sla = {item.jenis: item.sla_working_days for item in self.jenis_permohonan}
        if "baru" in sla and "perpanjangan" in sla and sla["perpanjangan"] > sla["baru"]:
            raise ValueError(
                f"perpanjangan ({sla['perpanjangan']} hari kerja) tidak boleh lebih lama dari baru ({sla['baru']})"
            )
        return self


class Izin(SeedModel):
    id: Slug
    name: Text
    description: Text
    sector: Text
    legal_basis: Text | None = None
    # Words applicants search with that the name does not contain (e.g. "sumur bor" for SIPA).
    synonyms: list[Annotated[str, Field(min_length=2, max_length=60, pattern=r"\S")]] = Field(
        default_factory=list,
        max_length=30,
        description="Kata lain yang dipakai pemohon untuk izin ini, untuk pencarian (paling banyak 30).",
        examples=[["sumur bor", "air bawah tanah"]],
    )
    layanan: list[Layanan] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _synonyms_are_distinct(self) -> Izin:
        if repeated := _repeated([word.strip().lower() for word in self.synonyms]):
            raise ValueError(f"sinonim {repeated} disebut lebih dari sekali")
        return self


class CatalogueDocument(SeedModel):
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


class CatalogueInvalid(ValueError):
    """The seed document breaks a catalogue rule; the message has one line per fault."""


def _where(raw: Any, loc: tuple[int | str, ...]) -> str:
    """``izin 'a' > layanan 'b' > persyaratan[2] > fileTypes``: a fault's place, by id where there is one."""
    parts: list[str] = []
    node = raw
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(key, int) and parts:
            item_id = node.get("id") if isinstance(node, dict) else None
            parts[-1] += f" '{item_id}'" if isinstance(item_id, str) else f"[{key}]"
        else:
            parts.append(str(key))
    return " > ".join(parts) or "dokumen"


def parse_catalogue(raw: Any) -> CatalogueDocument:
    """The seed document as read from YAML, checked strictly (``true`` is no number, ``1`` no text)."""
    try:
        return CatalogueDocument.model_validate(raw, strict=True)
    except ValidationError as error:
        faults = [f"{_where(raw, e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors()]
        raise CatalogueInvalid("\n".join(faults)) from None


# ------------------------------------------------------------------ API views


class IzinSummary(ApiModel):
    id: str
    name: str
    description: str
    sector: str
    synonyms: list[str] = Field(
        default_factory=list,
        description="Kata lain yang dipakai pemohon untuk izin ini, untuk pencarian",
        examples=[["sumur bor", "air bawah tanah"]],
    )


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
    technical_review: bool
    perbaikan_days: int
    validity_years: int | None = None  # the issued permit's masa berlaku; None: no fixed term
    sections: list[Section]
    persyaratan: list[Persyaratan]
    detail_fields: list[DetailField]
