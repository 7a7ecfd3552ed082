"""One source for every rule: GET /api/meta gives the browser the API's own lists and limits,
and the browser keeps no copy of them."""

from __future__ import annotations

import re
from typing import get_args

from eptsp.accounts.identifiers import normalize_email, normalize_nik, normalize_phone
from eptsp.applications.sections import LATITUDE_RANGE, LONGITUDE_RANGE, PerusahaanSection
from eptsp.files.models import CONTENT_TYPES, MAX_FILE_BYTES
from eptsp.wilayah import KABUPATEN_KOTA, RESIDENCE_CHOICES
from local_stack.template import ROOT

BROWSER = ROOT / "statics" / "js"


def test_meta_gives_the_apis_own_rules_cached(api):
    response = api.get("/api/meta")
    assert response.status_code == 200
    assert "max-age=" in response.headers["Cache-Control"]
    meta = response.json()
    assert {r["code"]: r["name"] for r in meta["kabupatenKota"]} == KABUPATEN_KOTA
    assert {r["code"]: r["name"] for r in meta["residence"]} == RESIDENCE_CHOICES
    assert meta["legalForms"] == list(get_args(PerusahaanSection.model_fields["legal_form"].annotation))
    assert (meta["latitude"]["min"], meta["latitude"]["max"]) == LATITUDE_RANGE
    assert (meta["longitude"]["min"], meta["longitude"]["max"]) == LONGITUDE_RANGE
    assert meta["maxUploadBytes"] == MAX_FILE_BYTES
    assert meta["uploadContentTypes"] == list(CONTENT_TYPES)


def _accepted(normalize, value: str) -> bool:
    try:
        normalize(value)
    except ValueError:
        return False
    return True


def test_the_identifier_rules_the_browser_gets_agree_with_the_apis_checks(api):
    rules = api.get("/api/meta").json()["identifiers"]
    nik = rules["nik"]

    def browser_accepts_nik(value: str) -> bool:
        # form.js: 16 digits, a known province or regency (the date and serial checks are its own)
        return bool(re.fullmatch(nik["pattern"], value)) and (
            value[:2] in nik["provinceCodes"] or value[:4] in nik["regionCodes"]
        )

    for value in ["6501014508900001", "3171011708450001", "9971011708450001", "6599014508900001", "6401015203950001"]:
        assert browser_accepts_nik(value) == _accepted(normalize_nik, value), value
    for value in ["081234567890", "+6281234567890", "6281234567890", "0812345", "021555123", "08123456789012345"]:
        assert bool(re.fullmatch(rules["phone"]["pattern"], value)) == _accepted(normalize_phone, value), value
    for value in ["siti@example.com", "a.b+c@dinas.kaltaraprov.go.id", "bukan-email", "a@b", "x@-bad.com"]:
        assert bool(re.fullmatch(rules["email"]["pattern"], value)) == _accepted(normalize_email, value), value


def test_the_browser_keeps_no_copy_of_the_rules():
    """A list or limit written again in statics/js drifts from the API's; read GET /api/meta (meta.js)."""
    copies = {
        "a regency code": r"['\"]65(0[1-4]|71)['\"]",
        "a regency name": r"(label|name)\s*:\s*['\"](Kabupaten|Kota) ",
        "the legal forms": r"['\"]PT['\"],\s*['\"]CV['\"]",
        "the map's ranges": r"\b(114[.,]3|118[.,]3)\b|\[\s*0\.8\s*,\s*4\.8\s*\]|0,8 dan 4,8",
        "the upload limit": r"10\s*\*\s*1024\s*\*\s*1024|10485760",
    }
    found = [
        f"{path.name}: {what}"
        for path in sorted(BROWSER.glob("**/*.js"))
        for what, pattern in copies.items()
        if re.search(pattern, path.read_text(encoding="utf-8"))
    ]
    assert not found, found
