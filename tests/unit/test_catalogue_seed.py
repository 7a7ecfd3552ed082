import re
from pathlib import Path

import pytest
import yaml

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "seed" / "catalogue.yaml"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")

JENIS_VALUES = {"baru", "perpanjangan", "perubahan", "pencabutan"}
COMPANY_VALUES = {"required", "optional", "none"}
FIELD_TYPES = {"text", "textarea", "integer", "number", "date", "select", "boolean"}
FILE_TYPES = {"pdf", "jpeg", "png"}

IZIN_KEYS = {"id", "name", "description", "sector", "layanan"}
IZIN_OPTIONAL_KEYS = {"legalBasis"}
LAYANAN_KEYS = {"id", "name", "description", "jenisPermohonan"}
JENIS_PERMOHONAN_KEYS = {
    "id",
    "jenis",
    "name",
    "slaWorkingDays",
    "fee",
    "company",
    "fieldSurvey",
    "persyaratan",
    "detailFields",
}
PERSYARATAN_KEYS = {"id", "name", "description", "mandatory", "fileTypes"}
DETAIL_FIELD_KEYS = {"id", "label", "type", "required"}
DETAIL_FIELD_OPTIONAL_KEYS = {"help", "maxLength", "min", "max", "unit", "options"}
TYPE_SPECIFIC_KEYS = {
    "maxLength": {"text", "textarea"},
    "min": {"integer", "number"},
    "max": {"integer", "number"},
    "unit": {"integer", "number"},
    "options": {"select"},
}


def _load_catalogue():
    with CATALOGUE_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


CATALOGUE = _load_catalogue()
IZIN = CATALOGUE["izin"]
LAYANAN = [(izin, layanan) for izin in IZIN for layanan in izin["layanan"]]
JENIS_PERMOHONAN = [(izin, layanan, jp) for izin, layanan in LAYANAN for jp in layanan["jenisPermohonan"]]


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _non_empty_str(value):
    return isinstance(value, str) and value.strip() != ""


izin_params = pytest.mark.parametrize("izin", IZIN, ids=[i["id"] for i in IZIN])
layanan_params = pytest.mark.parametrize("izin,layanan", LAYANAN, ids=[layanan["id"] for _, layanan in LAYANAN])
jp_params = pytest.mark.parametrize(
    "izin,layanan,jp", JENIS_PERMOHONAN, ids=[jp["id"] for _, _, jp in JENIS_PERMOHONAN]
)


def test_top_level_has_version_1_and_izin_list():
    assert set(CATALOGUE) == {"version", "izin"}
    assert CATALOGUE["version"] == 1
    assert isinstance(IZIN, list)


def test_catalogue_has_at_least_12_permits():
    assert len(IZIN) >= 12


def test_ids_are_slugs_and_unique_across_the_file():
    # Given every izin, layanan and jenis permohonan id in the file
    ids = (
        [izin["id"] for izin in IZIN]
        + [layanan["id"] for _, layanan in LAYANAN]
        + [jp["id"] for _, _, jp in JENIS_PERMOHONAN]
    )

    # When looking for malformed and repeated ids
    not_slugs = [i for i in ids if not (isinstance(i, str) and SLUG.match(i))]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})

    # Then there are none
    assert not_slugs == []
    assert duplicates == []


@izin_params
def test_izin_has_expected_keys_and_text(izin):
    keys = set(izin)
    assert keys >= IZIN_KEYS
    assert keys <= IZIN_KEYS | IZIN_OPTIONAL_KEYS
    for key in ("name", "description", "sector"):
        assert _non_empty_str(izin[key]), key
    if "legalBasis" in izin:
        assert _non_empty_str(izin["legalBasis"])


@izin_params
def test_izin_has_one_to_three_layanan(izin):
    assert isinstance(izin["layanan"], list)
    assert 1 <= len(izin["layanan"]) <= 3


@layanan_params
def test_layanan_has_expected_keys_and_two_to_four_application_types(izin, layanan):
    assert set(layanan) == LAYANAN_KEYS
    assert _non_empty_str(layanan["name"])
    assert _non_empty_str(layanan["description"])
    assert 2 <= len(layanan["jenisPermohonan"]) <= 4


@layanan_params
def test_layanan_does_not_repeat_a_jenis(izin, layanan):
    jenis = [jp["jenis"] for jp in layanan["jenisPermohonan"]]
    assert len(jenis) == len(set(jenis))


@layanan_params
def test_perpanjangan_is_not_slower_than_baru(izin, layanan):
    sla = {jp["jenis"]: jp["slaWorkingDays"] for jp in layanan["jenisPermohonan"]}
    if "baru" in sla and "perpanjangan" in sla:
        assert sla["perpanjangan"] <= sla["baru"]


@jp_params
def test_jenis_permohonan_has_expected_keys(izin, layanan, jp):
    assert set(jp) == JENIS_PERMOHONAN_KEYS
    assert _non_empty_str(jp["name"])


@jp_params
def test_jenis_and_company_are_allowed_values(izin, layanan, jp):
    assert jp["jenis"] in JENIS_VALUES
    assert jp["company"] in COMPANY_VALUES
    assert isinstance(jp["fieldSurvey"], bool)


@jp_params
def test_sla_and_fee_are_in_range(izin, layanan, jp):
    assert _is_int(jp["slaWorkingDays"])
    assert 1 <= jp["slaWorkingDays"] <= 60
    assert _is_int(jp["fee"])
    assert jp["fee"] >= 0


@jp_params
def test_persyaratan_are_well_formed(izin, layanan, jp):
    persyaratan = jp["persyaratan"]
    assert isinstance(persyaratan, list)
    assert len(persyaratan) >= 2
    for item in persyaratan:
        assert set(item) == PERSYARATAN_KEYS, item.get("id")
        assert isinstance(item["id"], str) and SLUG.match(item["id"]), item["id"]
        assert _non_empty_str(item["name"]), item["id"]
        assert _non_empty_str(item["description"]), item["id"]
        assert isinstance(item["mandatory"], bool), item["id"]
        file_types = item["fileTypes"]
        assert isinstance(file_types, list) and file_types, item["id"]
        assert set(file_types) <= FILE_TYPES, item["id"]
        assert len(file_types) == len(set(file_types)), item["id"]


@jp_params
def test_persyaratan_ids_are_unique_within_the_list(izin, layanan, jp):
    ids = [item["id"] for item in jp["persyaratan"]]
    assert len(ids) == len(set(ids))


@jp_params
def test_at_least_one_persyaratan_is_mandatory(izin, layanan, jp):
    assert any(item["mandatory"] for item in jp["persyaratan"])


@jp_params
def test_follow_up_applications_require_the_previous_permit(izin, layanan, jp):
    if jp["jenis"] == "baru":
        return
    izin_lama = [item for item in jp["persyaratan"] if item["id"] == "izin-lama"]
    assert len(izin_lama) == 1
    assert izin_lama[0]["mandatory"] is True


@jp_params
def test_detail_fields_are_well_formed(izin, layanan, jp):
    fields = jp["detailFields"]
    assert isinstance(fields, list)
    assert len(fields) >= 1
    for field in fields:
        field_id = field.get("id")
        keys = set(field)
        assert keys >= DETAIL_FIELD_KEYS, field_id
        assert keys <= DETAIL_FIELD_KEYS | DETAIL_FIELD_OPTIONAL_KEYS, field_id
        assert isinstance(field_id, str) and CAMEL_CASE.match(field_id), field_id
        assert _non_empty_str(field["label"]), field_id
        assert field["type"] in FIELD_TYPES, field_id
        assert isinstance(field["required"], bool), field_id
        if "help" in field:
            assert _non_empty_str(field["help"]), field_id


@jp_params
def test_detail_field_ids_are_unique_within_the_list(izin, layanan, jp):
    ids = [field["id"] for field in jp["detailFields"]]
    assert len(ids) == len(set(ids))


@jp_params
def test_type_specific_keys_match_the_field_type(izin, layanan, jp):
    for field in jp["detailFields"]:
        for key, allowed_types in TYPE_SPECIFIC_KEYS.items():
            if key in field:
                assert field["type"] in allowed_types, (field["id"], key)
        if "maxLength" in field:
            assert _is_int(field["maxLength"]) and field["maxLength"] > 0, field["id"]
        if "unit" in field:
            assert _non_empty_str(field["unit"]), field["id"]
        for bound in ("min", "max"):
            if bound in field:
                check = _is_int if field["type"] == "integer" else _is_number
                assert check(field[bound]), (field["id"], bound)
        if "min" in field and "max" in field:
            assert field["min"] <= field["max"], field["id"]


@jp_params
def test_select_fields_have_at_least_two_distinct_options(izin, layanan, jp):
    for field in jp["detailFields"]:
        if field["type"] != "select":
            continue
        options = field.get("options")
        assert isinstance(options, list), field["id"]
        assert len(options) >= 2, field["id"]
        assert all(_non_empty_str(option) for option in options), field["id"]
        assert len(options) == len(set(options)), field["id"]


def test_helpers_reject_booleans_as_numbers():
    assert _is_int(3)
    assert not _is_int(True)
    assert _is_number(0.5)
    assert not _is_number(False)
