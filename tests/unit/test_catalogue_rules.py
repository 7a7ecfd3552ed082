"""Catalogue document validation and the views built from it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from eptsp.catalogue.models import CatalogueDocument
from eptsp.catalogue.service import build_views


def document(**jenis_overrides):
    jenis = {
        "id": "a-baru",
        "jenis": "baru",
        "name": "Baru",
        "slaWorkingDays": 5,
        "fee": 0,
        "company": "optional",
        "fieldSurvey": True,
        "persyaratan": [{"id": "ktp", "name": "KTP", "mandatory": True, "fileTypes": ["pdf"]}],
        "detailFields": [{"id": "judul", "label": "Judul", "type": "text", "required": True}],
        **jenis_overrides,
    }
    return {
        "version": 1,
        "izin": [
            {
                "id": "a",
                "name": "A",
                "description": "d",
                "sector": "s",
                "layanan": [{"id": "a-l", "name": "L", "jenisPermohonan": [jenis]}],
            }
        ],
    }


def test_views_carry_sections_by_company_rule():
    detail, views = next(build_views(CatalogueDocument.model_validate(document())))
    assert detail.layanan[0].jenis_permohonan[0].id == "a-baru"
    assert [(s.id, s.required) for s in views[0].sections] == [
        ("pemohon", True),
        ("perusahaan", False),
        ("lokasi", True),
        ("detail", True),
    ]
    _, views = next(build_views(CatalogueDocument.model_validate(document(company="none"))))
    assert "perusahaan" not in [s.id for s in views[0].sections]


@pytest.mark.parametrize(
    "override",
    [
        {"jenis": "sementara"},
        {"slaWorkingDays": 0},
        {"persyaratan": []},
        {"detailFields": [{"id": "x", "label": "X", "type": "select", "required": True, "options": ["satu"]}]},
        {"persyaratan": [{"id": "ktp", "name": "KTP", "mandatory": True, "fileTypes": ["exe"]}]},
    ],
)
def test_bad_catalogue_entries_are_refused(override):
    with pytest.raises(ValidationError):
        CatalogueDocument.model_validate(document(**override))


def test_ids_must_be_unique_across_the_document():
    doc = document()
    doc["izin"][0]["layanan"][0]["id"] = "a"  # same as the permit
    with pytest.raises(ValidationError, match="lebih dari sekali"):
        CatalogueDocument.model_validate(doc)
