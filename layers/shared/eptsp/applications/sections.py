"""The data sections of step 4 and how each is validated.

Data Pemohon, Data Perusahaan and Lokasi Izin have fixed fields (pydantic models);
Data Detail has the permit's own fields from the catalogue, checked by their type here.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError

from eptsp.accounts.fields import Address, Email, Name, OptionalEmail, OptionalNpwp, OptionalPhone, Phone, Residence
from eptsp.accounts.identifiers import normalize_nib, normalize_npwp
from eptsp.catalogue.models import ApplicantKind, DetailField
from eptsp.errors import ValidationFailed
from eptsp.http import describe_validation_error
from eptsp.models import ApiModel
from eptsp.wilayah import BOUNDS, KABUPATEN_KOTA, PROVINCE_NAME

SectionName = Literal["pemohon", "perusahaan", "lokasi", "detail"]
SECTION_TITLES = {
    "pemohon": "Data Pemohon",
    "perusahaan": "Data Perusahaan",
    "lokasi": "Lokasi Izin",
    "detail": "Data Detail",
}
# DynamoDB keeps 38 significant digits up to 1e125; no permit field needs more than this,
# and NaN or infinity (refused when the JSON is read) would pass every min/max comparison.
MAX_NUMBER = 10**15
# The province's extent, with a margin (eptsp.wilayah): a pin outside it is a mistake.
LATITUDE_RANGE = (BOUNDS.south, BOUNDS.north)
LONGITUDE_RANGE = (BOUNDS.west, BOUNDS.east)


def _kaltara(value: str) -> str:
    if value not in KABUPATEN_KOTA:
        raise ValueError(f"Lokasi izin harus di kabupaten/kota {PROVINCE_NAME}.")
    return value


Text = Annotated[str, Field(min_length=2, max_length=150)]


class PemohonSection(ApiModel):
    nik: str  # always the account's NIK; checked by the service
    name: Name
    email: Email
    phone: Phone
    address: Address
    kabupaten_kota: Residence
    occupation: Text
    position: Annotated[str | None, Field(max_length=100)] = None  # jabatan in the company
    npwp: OptionalNpwp = None
    # Asked once where the permit allows both; the service checks it against the permit.
    applying_as: ApplicantKind | None = None


class PerusahaanSection(ApiModel):
    company_name: Text
    legal_form: Literal["PT", "CV", "Firma", "Koperasi", "Yayasan", "UD", "BUMD", "BUMN", "Perorangan"]
    npwp: Annotated[str, AfterValidator(normalize_npwp)]
    nib: Annotated[str, AfterValidator(normalize_nib)]
    address: Address
    kabupaten_kota: Residence
    phone: OptionalPhone = None
    email: OptionalEmail = None


class LokasiSection(ApiModel):
    kabupaten_kota: Annotated[str, AfterValidator(_kaltara)]
    kecamatan: Text
    desa_kelurahan: Text
    address: Address
    latitude: Annotated[float | None, Field(ge=LATITUDE_RANGE[0], le=LATITUDE_RANGE[1])] = None
    longitude: Annotated[float | None, Field(ge=LONGITUDE_RANGE[0], le=LONGITUDE_RANGE[1])] = None


SECTION_MODELS: dict[str, type[ApiModel]] = {
    "pemohon": PemohonSection,
    "perusahaan": PerusahaanSection,
    "lokasi": LokasiSection,
}


def validate_fixed_section(section: str, data: dict[str, Any]) -> dict[str, Any]:
    """The section's data in stored form, or 422 naming the first bad field."""
    try:
        model = SECTION_MODELS[section].model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field, message = describe_validation_error({**first, "loc": ("body", *first["loc"])})
        raise ValidationFailed(message, field=f"data.{field}") from None
    if isinstance(model, LokasiSection) and (model.latitude is None) != (model.longitude is None):
        raise ValidationFailed("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.", field="data.latitude")
    return model.model_dump(mode="json", exclude_none=True)


def _bad(field: DetailField, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field.label}: {message}", field=f"data.{field.id}")


def _detail_value(field: DetailField, value: Any) -> Any:
    if field.type in ("text", "textarea"):
        if not isinstance(value, str):
            raise _bad(field, "harus berupa teks.")
        value = value.strip()
        if field.max_length and len(value) > field.max_length:
            raise _bad(field, f"maksimal {field.max_length} karakter.")
        return value
    if field.type in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(field, "harus berupa angka.")
        if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
            raise _bad(field, "angka di luar jangkauan.")
        if field.type == "integer" and (isinstance(value, float) and not value.is_integer()):
            raise _bad(field, "harus bilangan bulat.")
        if field.min is not None and value < field.min:
            raise _bad(field, f"minimal {field.min:g}{' ' + field.unit if field.unit else ''}.")
        if field.max is not None and value > field.max:
            raise _bad(field, f"maksimal {field.max:g}{' ' + field.unit if field.unit else ''}.")
        return int(value) if field.type == "integer" else value
    if field.type == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise _bad(field, "tanggal tidak valid (format TTTT-BB-HH).") from None
    if field.type == "select":
        if value not in (field.options or []):
            raise _bad(field, "pilih salah satu pilihan yang tersedia.")
        return value
    if not isinstance(value, bool):  # boolean
        raise _bad(field, "harus ya atau tidak.")
    return value


def validate_detail_section(fields: list[DetailField], data: dict[str, Any]) -> dict[str, Any]:
    """Data Detail against the permit's own fields: types, limits, required ones present."""
    known = {field.id: field for field in fields}
    for name in data:
        if name not in known:
            raise ValidationFailed(f"Isian '{name}' tidak dikenal untuk izin ini.", field=f"data.{name}")
    clean: dict[str, Any] = {}
    for field in fields:
        value = data.get(field.id)
        if value is None or value == "":
            if field.required:
                raise _bad(field, "wajib diisi.")
            continue
        clean[field.id] = _detail_value(field, value)
    return clean
