"""The rules the browser shares with the API, read from where the API keeps them (GET
/api/meta): the regencies (eptsp.wilayah), the legal forms and the map's ranges (the
sections' models), the upload limit and types (the files' models), and the identifier
checks (eptsp.accounts.identifiers). The browser keeps no copy of its own."""

from __future__ import annotations

from functools import cache
from typing import Annotated, get_args

from pydantic import Field
from stdnum import numdb

from eptsp.accounts import identifiers
from eptsp.applications.sections import LATITUDE_RANGE, LONGITUDE_RANGE, PerusahaanSection
from eptsp.files.models import CONTENT_TYPES, MAX_FILE_BYTES
from eptsp.models import ApiModel
from eptsp.wilayah import KABUPATEN_KOTA, RESIDENCE_CHOICES

# normalize_phone's rule as one pattern, on the number without spaces, dashes, dots or brackets.
PHONE_PATTERN = r"^(\+62|62|0)8[0-9]{8,11}$"


class Region(ApiModel):
    code: Annotated[str, Field(description="Kode Kemendagri (4 digit), atau 'luar'.", examples=["6501"])]
    name: Annotated[str, Field(description="Nama kabupaten/kota.", examples=["Kabupaten Bulungan"])]


class Range(ApiModel):
    min: Annotated[float, Field(description="Nilai terkecil (derajat desimal).", examples=[0.8])]
    max: Annotated[float, Field(description="Nilai terbesar (derajat desimal).", examples=[4.8])]


class IdentifierRule(ApiModel):
    pattern: Annotated[
        str,
        Field(
            description="Pola (regex, sintaks JavaScript dan Python) untuk nilai tanpa spasi, titik, tanda hubung "
            "atau garis miring.",
            examples=["^[0-9]{16}$"],
        ),
    ]


class NikRule(IdentifierRule):
    province_codes: Annotated[
        list[str],
        Field(description="Kode provinsi (2 digit pertama NIK) yang diterima.", examples=[["11", "64"]]),
    ]
    region_codes: Annotated[
        list[str],
        Field(
            description="Kode kabupaten/kota (4 digit pertama NIK) yang juga diterima (provinsi yang lebih baru).",
            examples=[["6501", "6571"]],
        ),
    ]


class Identifiers(ApiModel):
    nik: Annotated[NikRule, Field(description="NIK: 16 digit, kode wilayah, tanggal lahir, nomor urut bukan 0000.")]
    npwp: Annotated[IdentifierRule, Field(description="NPWP: 15 atau 16 digit.")]
    nib: Annotated[IdentifierRule, Field(description="NIB: 13 digit.")]
    phone: Annotated[IdentifierRule, Field(description="Nomor HP seluler Indonesia (08..., 628..., +628...).")]
    email: Annotated[IdentifierRule, Field(description="Alamat email.")]


class MetaOutput(ApiModel):
    kabupaten_kota: Annotated[
        list[Region], Field(description="Kabupaten/kota Kalimantan Utara: lokasi izin (Lokasi Izin).")
    ]
    residence: Annotated[
        list[Region], Field(description="Tempat tinggal pemohon dan alamat perusahaan: Kalimantan Utara atau 'luar'.")
    ]
    legal_forms: Annotated[
        list[str], Field(description="Bentuk badan usaha (Data Perusahaan).", examples=[["PT", "CV", "Koperasi"]])
    ]
    latitude: Annotated[Range, Field(description="Lintang yang diterima untuk titik lokasi izin.")]
    longitude: Annotated[Range, Field(description="Bujur yang diterima untuk titik lokasi izin.")]
    max_upload_bytes: Annotated[
        int, Field(description="Ukuran terbesar satu berkas unggahan, dalam byte.", examples=[10485760])
    ]
    upload_content_types: Annotated[
        list[str], Field(description="Jenis berkas yang diterima.", examples=[["application/pdf", "image/jpeg"]])
    ]
    identifiers: Annotated[Identifiers, Field(description="Aturan nomor identitas dan kontak.")]


def _regions(choices: dict[str, str]) -> list[Region]:
    return [Region(code=code, name=name) for code, name in choices.items()]


def nik_province_codes() -> list[str]:
    """The provinces python-stdnum knows; normalize_nik accepts a NIK whose first two digits are one
    of them, or whose first four are a regency of Kalimantan Utara (younger than stdnum's list)."""
    places = numdb.get("id/loc")
    return [f"{n:02d}" for n in range(100) if places.info(f"{n:02d}")[0][1]]


@cache
def meta() -> MetaOutput:
    return MetaOutput(
        kabupaten_kota=_regions(KABUPATEN_KOTA),
        residence=_regions(RESIDENCE_CHOICES),
        legal_forms=list(get_args(PerusahaanSection.model_fields["legal_form"].annotation)),
        latitude=Range(min=LATITUDE_RANGE[0], max=LATITUDE_RANGE[1]),
        longitude=Range(min=LONGITUDE_RANGE[0], max=LONGITUDE_RANGE[1]),
        max_upload_bytes=MAX_FILE_BYTES,
        upload_content_types=list(CONTENT_TYPES),
        identifiers=Identifiers(
            nik=NikRule(pattern=r"^[0-9]{16}$", province_codes=nik_province_codes(), region_codes=list(KABUPATEN_KOTA)),
            npwp=IdentifierRule(pattern=r"^[0-9]{15,16}$"),
            nib=IdentifierRule(pattern=r"^[0-9]{13}$"),
            phone=IdentifierRule(pattern=PHONE_PATTERN),
            email=IdentifierRule(pattern=identifiers.EMAIL_PATTERN),
        ),
    )
