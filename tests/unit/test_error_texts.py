"""English that is English: every error code the API can return has its text in both
languages in the browser (statics/js/errors-id.js, errors-en.js); the browser shows the
code's text in English and the server's Indonesian message in Indonesian."""

from __future__ import annotations

import re
from pathlib import Path

from eptsp.apiconsole.codes import error_codes

ROOT = Path(__file__).resolve().parents[2]
BROWSER = ROOT / "statics" / "js"
# What the gateway answers itself (API Gateway's and CloudFront's refusals, locally).
GATEWAY_CODE = re.compile(r"""_error\(\d+, "([A-Z]+_[A-Z_]+)"|\("([A-Z]+_[A-Z_]+)", "[A-Z][a-z]""")
# Codes the browser makes itself (a session that could not be renewed).
BROWSER_CODES = {"SESI_BERAKHIR"}


def _texts(language: str) -> dict[str, str]:
    source = (BROWSER / f"errors-{language}.js").read_text(encoding="utf-8")
    return dict(re.findall(r"^  ([A-Z][A-Z0-9_]+): '((?:[^'\\]|\\.)+)',$", source, re.M))


def every_code() -> set[str]:
    gateway = (ROOT / "local_stack" / "gateway.py").read_text(encoding="utf-8")
    from_gateway = {a or b for a, b in GATEWAY_CODE.findall(gateway)}
    return set(error_codes([ROOT / "functions"])) | from_gateway | BROWSER_CODES


def test_every_code_the_api_can_return_has_an_indonesian_and_an_english_text():
    codes = every_code()
    assert {"VALIDASI_GAGAL", "KODE_KEAMANAN_SALAH", "PIN_SALAH", "ALAMAT_TIDAK_SAH", "LAYANAN_SIBUK"} <= codes
    for language in ("id", "en"):
        texts = _texts(language)
        missing = sorted(codes - set(texts))
        assert not missing, f"errors-{language}.js has no text for {missing}"
        assert all(text.strip() for text in texts.values())


def test_english_texts_are_english_and_differ_from_the_indonesian_ones():
    indonesian, english = _texts("id"), _texts("en")
    assert set(indonesian) == set(english)
    same = [code for code in english if english[code] == indonesian[code]]
    assert not same, same
    # A few Indonesian words that must not be left in the English table.
    leftovers = [c for c, text in english.items() if re.search(r"\b(tidak|silakan|sudah|belum|coba)\b", text, re.I)]
    assert not leftovers, leftovers


def _keys(language: str) -> set[str]:
    source = (BROWSER / f"i18n-{language}.js").read_text(encoding="utf-8")
    return set(re.findall(r"^  '([^']+)':", source, re.M))


def test_the_english_words_cover_every_indonesian_key():
    """Only the chosen language's words are fetched, so English has no Indonesian to fall back on."""
    missing = sorted(_keys("id") - _keys("en"))
    assert not missing, f"i18n-en.js has no English for {missing}"
    assert len(_keys("id")) > 500
