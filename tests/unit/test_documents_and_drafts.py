"""Pure rules of uploads and drafts: the magic-byte check, Data Detail types, completeness."""

from __future__ import annotations

import pytest

from eptsp.applications.sections import validate_detail_section, validate_fixed_section
from eptsp.applications.service import completeness
from eptsp.catalogue.models import DetailField
from eptsp.errors import ValidationFailed
from eptsp.files.checks import refusal


@pytest.mark.parametrize(
    ("declared", "head", "ok"),
    [
        ("application/pdf", b"%PDF-1.7", True),
        ("image/jpeg", b"\xff\xd8\xff\xe1xx", True),
        ("image/png", b"\x89PNG\r\n\x1a\n", True),
        ("application/pdf", b"\xff\xd8\xff\xe0", False),
        ("image/png", b"%PDF-1.4", False),
        ("image/jpeg", b"GIF89a", False),
    ],
)
def test_magic_bytes_must_match_the_declared_type(declared, head, ok):
    assert (refusal(declared, 1000, head) is None) is ok


def test_size_limits():
    assert "kosong" in refusal("application/pdf", 0, b"")
    assert "10 MB" in refusal("application/pdf", 10 * 1024 * 1024 + 1, b"%PDF-")
    assert refusal("application/pdf", 10 * 1024 * 1024, b"%PDF-") is None


FIELDS = [
    DetailField(id="gt", label="Ukuran kapal", type="integer", required=True, min=1, max=30, unit="GT"),
    DetailField(id="alat", label="Alat tangkap", type="select", required=True, options=["Pancing", "Jaring"]),
    DetailField(id="mulai", label="Mulai", type="date", required=False),
    DetailField(id="catatan", label="Catatan", type="textarea", required=False, max_length=10),
    DetailField(id="sewa", label="Sewa", type="boolean", required=False),
]


def test_detail_values_are_typed_and_cleaned():
    clean = validate_detail_section(FIELDS, {"gt": 30.0, "alat": "Jaring", "mulai": "2026-12-01", "catatan": " ok "})
    assert clean == {"gt": 30, "alat": "Jaring", "mulai": "2026-12-01", "catatan": "ok"}


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"alat": "Jaring"}, "data.gt", "wajib"),
        ({"gt": 31, "alat": "Jaring"}, "data.gt", "maksimal 30 GT"),
        ({"gt": 2.5, "alat": "Jaring"}, "data.gt", "bulat"),
        ({"gt": True, "alat": "Jaring"}, "data.gt", "angka"),
        ({"gt": 5, "alat": "Bom"}, "data.alat", "pilihan"),
        ({"gt": 5, "alat": "Jaring", "mulai": "01-12-2026"}, "data.mulai", "tanggal"),
        ({"gt": 5, "alat": "Jaring", "catatan": "x" * 11}, "data.catatan", "10 karakter"),
        ({"gt": 5, "alat": "Jaring", "sewa": "ya"}, "data.sewa", "ya atau tidak"),
        ({"gt": 5, "alat": "Jaring", "lain": 1}, "data.lain", "tidak dikenal"),
    ],
)
def test_bad_detail_values_name_the_field(data, field, words):
    with pytest.raises(ValidationFailed, match=words) as error:
        validate_detail_section(FIELDS, data)
    assert error.value.field == field


def test_coordinates_come_in_pairs_inside_kalimantan_utara():
    base = {
        "kabupatenKota": "6571",
        "kecamatan": "Tarakan Barat",
        "desaKelurahan": "Karang Anyar",
        "address": "Jl. Mulawarman 1",
    }
    assert validate_fixed_section("lokasi", base) == base
    with pytest.raises(ValidationFailed):
        validate_fixed_section("lokasi", {**base, "latitude": 3.3})
    with pytest.raises(ValidationFailed) as error:
        validate_fixed_section("lokasi", {**base, "latitude": -6.2, "longitude": 106.8})  # Jakarta
    assert error.value.field == "data.latitude"


def test_completeness_lists_sections_mandatory_attachments_and_the_declaration():
    item = {
        "sections": [
            {"id": "pemohon", "name": "Data Pemohon", "required": True},
            {"id": "perusahaan", "name": "Data Perusahaan", "required": False},
        ],
        "persyaratan": [
            {"id": "ktp", "name": "Scan KTP", "mandatory": True},
            {"id": "foto", "name": "Foto", "mandatory": False},
        ],
        "sectionData": {},
        "attachments": {},
    }
    missing = completeness(item).missing
    assert [(m.kind, m.id) for m in missing] == [
        ("section", "pemohon"),
        ("persyaratan", "ktp"),
        ("pernyataan", "pernyataan"),
    ]
    item.update(
        sectionData={"pemohon": {"nik": "x"}}, attachments={"ktp": {"fileId": "f"}}, declaration={"agreed": True}
    )
    assert completeness(item).complete
