"""The catalogue rules: the loader refuses a broken catalogue, naming the item at fault;
the views are built from a good one."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from eptsp.catalogue.models import CatalogueInvalid, parse_catalogue
from eptsp.catalogue.service import build_views
from tools.load_catalogue import read_catalogue

KTP = {"id": "ktp", "name": "KTP", "description": "KTP pemohon", "mandatory": True, "fileTypes": ["pdf", "jpeg"]}
FOTO = {"id": "foto", "name": "Foto", "description": "Foto lokasi", "mandatory": False, "fileTypes": ["png"]}
IZIN_LAMA = {"id": "izin-lama", "name": "Izin lama", "description": "Izin sebelumnya", "mandatory": True,
             "fileTypes": ["pdf"]}  # fmt: skip
FIELDS = [
    {"id": "judul", "label": "Judul", "type": "text", "required": True, "maxLength": 200},
    {"id": "luas", "label": "Luas", "type": "number", "required": True, "min": 0, "max": 100, "unit": "ha"},
    {"id": "skala", "label": "Skala", "type": "select", "required": False, "options": ["kecil", "besar"]},
]


def jenis(kind: str, sla: int, persyaratan: list[dict]) -> dict:
    return {
        "id": f"a-{kind}",
        "jenis": kind,
        "name": kind.title(),
        "slaWorkingDays": sla,
        "fee": 0,
        "company": "optional",
        "fieldSurvey": True,
        "technicalReview": True,
        "persyaratan": copy.deepcopy(persyaratan),
        "detailFields": copy.deepcopy(FIELDS),
    }


def good_catalogue() -> dict:
    return {
        "version": 1,
        "izin": [
            {
                "id": "a",
                "name": "Izin A",
                "description": "Izin contoh",
                "sector": "Contoh",
                "layanan": [
                    {
                        "id": "a-l",
                        "name": "Layanan A",
                        "description": "Layanan contoh",
                        "jenisPermohonan": [jenis("baru", 5, [KTP, FOTO]), jenis("perpanjangan", 3, [KTP, IZIN_LAMA])],
                    }
                ],
            }
        ],
    }


def izin(doc):
    return doc["izin"][0]


def layanan(doc):
    return izin(doc)["layanan"][0]


def baru(doc):
    return layanan(doc)["jenisPermohonan"][0]


def perpanjangan(doc):
    return layanan(doc)["jenisPermohonan"][1]


def field(doc, field_id):
    return next(f for f in baru(doc)["detailFields"] if f["id"] == field_id)


AT_BARU = "izin 'a' > layanan 'a-l' > jenisPermohonan 'a-baru'"
AT_PERPANJANGAN = "izin 'a' > layanan 'a-l' > jenisPermohonan 'a-perpanjangan'"

# One broken variant per rule: (what breaks it, where the loader says the fault is, what it says).
BROKEN = {
    "unknown key (a typo)": (lambda d: d.update(versi=1), "versi", "Extra inputs are not permitted"),
    "id that is not a slug": (lambda d: izin(d).update(id="Izin A"), "izin 'Izin A' > id", "should match pattern"),
    "id used twice in the file": (lambda d: layanan(d).update(id="a"), "dokumen", "id 'a' dipakai lebih dari sekali"),
    "blank permit text": (lambda d: izin(d).update(sector="  "), "izin 'a' > sector", "should match pattern"),
    "permit with 4 services": (
        lambda d: izin(d)["layanan"].extend(copy.deepcopy(izin(d)["layanan"] * 3)),
        "izin 'a' > layanan",
        "at most 3 items",
    ),
    "service with one application type": (
        lambda d: layanan(d)["jenisPermohonan"].pop(),
        "izin 'a' > layanan 'a-l' > jenisPermohonan",
        "at least 2 items",
    ),
    "service repeating a jenis": (
        lambda d: perpanjangan(d).update(jenis="baru"),
        "izin 'a' > layanan 'a-l'",
        "jenis permohonan ['baru'] ada lebih dari sekali",
    ),
    "perpanjangan slower than baru": (
        lambda d: perpanjangan(d).update(slaWorkingDays=6),
        "izin 'a' > layanan 'a-l'",
        "perpanjangan (6 hari kerja) tidak boleh lebih lama dari baru (5)",
    ),
    "unknown company rule": (lambda d: baru(d).update(company="wajib"), f"{AT_BARU} > company", "Input should be"),
    "boolean as a fee": (lambda d: baru(d).update(fee=True), f"{AT_BARU} > fee", "valid integer"),
    "SLA over 60 working days": (lambda d: baru(d).update(slaWorkingDays=61), f"{AT_BARU} > slaWorkingDays", "60"),
    "text as a yes/no": (lambda d: baru(d).update(fieldSurvey="ya"), f"{AT_BARU} > fieldSurvey", "valid boolean"),
    "unknown file type": (
        lambda d: baru(d)["persyaratan"][0].update(fileTypes=["exe"]),
        f"{AT_BARU} > persyaratan 'ktp' > fileTypes[0]",
        "Input should be 'pdf', 'jpeg' or 'png'",
    ),
    "requirement without description": (
        lambda d: baru(d)["persyaratan"][1].pop("description"),
        f"{AT_BARU} > persyaratan 'foto' > description",
        "Field required",
    ),
    "a single requirement": (
        lambda d: baru(d)["persyaratan"].pop(),
        f"{AT_BARU} > persyaratan",
        "at least 2 items",
    ),
    "requirement listed twice": (
        lambda d: baru(d)["persyaratan"].append(copy.deepcopy(KTP)),
        AT_BARU,
        "persyaratan ['ktp'] disebut lebih dari sekali",
    ),
    "no mandatory requirement": (
        lambda d: baru(d)["persyaratan"][0].update(mandatory=False),
        AT_BARU,
        "minimal satu persyaratan harus wajib",
    ),
    "follow-up without the previous permit": (
        lambda d: perpanjangan(d)["persyaratan"][1].update(mandatory=False),
        AT_PERPANJANGAN,
        "permohonan perpanjangan harus mewajibkan persyaratan 'izin-lama'",
    ),
    "detail field id that is not camelCase": (
        lambda d: field(d, "judul").update(id="judul_izin"),
        f"{AT_BARU} > detailFields 'judul_izin' > id",
        "should match pattern",
    ),
    "unknown field type": (
        lambda d: field(d, "judul").update(type="file"),
        f"{AT_BARU} > detailFields 'judul' > type",
        "Input should be",
    ),
    "detail field listed twice": (
        lambda d: baru(d)["detailFields"].append(copy.deepcopy(FIELDS[0])),
        AT_BARU,
        "isian ['judul'] disebut lebih dari sekali",
    ),
    "a key of another field type": (
        lambda d: field(d, "luas").update(maxLength=10),
        f"{AT_BARU} > detailFields 'luas'",
        "isian 'luas' bertipe number tidak boleh punya 'maxLength'",
    ),
    "min above max": (
        lambda d: field(d, "luas").update(min=101),
        f"{AT_BARU} > detailFields 'luas'",
        "min 101 lebih besar dari max 100",
    ),
    "fractional bound of an integer": (
        lambda d: field(d, "luas").update(type="integer", min=0.5),
        f"{AT_BARU} > detailFields 'luas'",
        "harus punya batas bilangan bulat",
    ),
    "a synonym listed twice": (
        lambda d: izin(d).update(synonyms=["sumur bor", "Sumur Bor "]),
        "izin 'a'",
        "sinonim ['sumur bor'] disebut lebih dari sekali",
    ),
    "a business document where only persons apply": (
        lambda d: baru(d).update(company="none") or baru(d)["persyaratan"][1].update(appliesTo="badan_usaha"),
        AT_BARU,
        "persyaratan ['foto'] hanya untuk badan_usaha, padahal company bernilai none",
    ),
    "the only mandatory requirement only for some": (
        lambda d: baru(d)["persyaratan"][0].update(appliesTo="perorangan"),
        AT_BARU,
        "minimal satu persyaratan harus wajib (mandatory) bagi semua pemohon",
    ),
    "a number prefilled from the permit's regency": (
        lambda d: field(d, "luas").update(prefillFrom="lokasi.kabupatenKota"),
        f"{AT_BARU} > detailFields 'luas'",
        "isian 'luas' bertipe number tidak dapat diisi dari lokasi.kabupatenKota",
    ),
    "select with one distinct option": (
        lambda d: field(d, "skala").update(options=["kecil", "kecil"]),
        f"{AT_BARU} > detailFields 'skala'",
        "minimal 2 pilihan berbeda",
    ),
}


def test_the_good_catalogue_of_this_table_loads(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(good_catalogue()), encoding="utf-8")
    assert [j.id for j in read_catalogue(path).izin[0].layanan[0].jenis_permohonan] == ["a-baru", "a-perpanjangan"]


@pytest.mark.parametrize("rule", BROKEN)
def test_the_loader_refuses_a_broken_catalogue_naming_the_item(tmp_path, rule):
    # Given the good catalogue broken in one way, written as an operator would
    breaks, where, says = BROKEN[rule]
    doc = good_catalogue()
    breaks(doc)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    # When the loader reads it, then it refuses it with the place and the reason
    with pytest.raises(CatalogueInvalid) as refused:
        read_catalogue(path)
    assert re.search(rf"^{re.escape(where)}: .*{re.escape(says)}", str(refused.value), re.MULTILINE), str(refused.value)


def test_views_carry_sections_by_company_rule():
    detail, views = next(build_views(parse_catalogue(good_catalogue())))
    assert [j.id for j in detail.layanan[0].jenis_permohonan] == ["a-baru", "a-perpanjangan"]
    assert [(s.id, s.required) for s in views[0].sections] == [
        ("pemohon", True),
        ("perusahaan", False),
        ("lokasi", True),
        ("detail", True),
    ]
    doc = good_catalogue()
    baru(doc)["company"] = "none"
    _, views = next(build_views(parse_catalogue(doc)))
    assert [s.id for s in views[0].sections] == ["pemohon", "lokasi", "detail"]
