"""The site's own origin: the front end with the security headers CloudFront sends."""

from __future__ import annotations

import gzip
import re
import shutil

import brotli
import pytest

from local_stack.site import MIN_COMPRESS_BYTES
from local_stack.template import load_sam_template
from tools.build_statics import SOURCE, build, minify_js


def test_front_end_is_served_with_the_templates_security_headers(api):
    response = api.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "${" not in csp  # every reference resolved
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_paths_outside_statics_are_not_served(api):
    assert api.get("/../template.yaml").status_code == 404
    assert api.get("/js/../../template.yaml").status_code == 404
    assert api.get("/tidak-ada.html").status_code == 404


# ------------------------------------------------------------------ safe releases, fast on slow data


def _assets_named_by(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(assets/[^"]+)"', html)


def _distribution_cache_headers() -> dict[str, str]:
    """The Cache-Control each cache behaviour's response headers policy sets, from the template."""
    sam = load_sam_template()
    resources = sam["Resources"]
    config = resources["Distribution"]["Properties"]["DistributionConfig"]

    def cache_control(behaviour: dict) -> str:
        policy = resources[behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
        items = policy["CustomHeadersConfig"]["Items"]
        return next(item["Value"] for item in items if item["Header"] == "Cache-Control" and item["Override"])

    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    return {"/assets/*": cache_control(behaviours["/assets/*"]), "*": cache_control(config["DefaultCacheBehavior"])}


def test_index_is_always_revalidated_and_every_asset_is_hashed_and_cached_for_a_year(api):
    policies = _distribution_cache_headers()
    assert policies["*"] == "no-cache"
    assert "immutable" in policies["/assets/*"] and "max-age=31536000" in policies["/assets/*"]

    index = api.get("/")
    assert index.headers["Cache-Control"] == policies["*"]
    etag = index.headers["ETag"]
    # A repeat visit revalidates index.html in one small 304.
    again = api.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""

    named = _assets_named_by(index.text)
    assert any(p.endswith(".css") for p in named) and any(p.startswith("assets/js/app.") for p in named)
    for path in named:
        asset = api.get("/" + path)
        assert asset.status_code == 200, path
        assert asset.headers["Cache-Control"] == policies["/assets/*"], path
        assert re.search(r"\.[0-9a-f]{10}\.(js|css)$", path), f"{path} carries no content hash"
        # The security headers of the front end come along on the assets' own behaviour.
        assert "script-src 'self'" in asset.headers["Content-Security-Policy"]
    # The unhashed source names are not served: an old name never meets new content.
    assert api.get("/js/app.js").status_code == 404
    assert api.get("/css/app.css").status_code == 404


def test_text_assets_are_served_compressed(api):
    """As CloudFront with Gzip and Brotli on: Brotli to a browser that accepts both, gzip to one that accepts gzip."""
    index = api.get("/")
    for path in _assets_named_by(index.text):
        plain = api.get("/" + path, headers={"Accept-Encoding": "identity"}, stream=True)
        raw_plain = plain.raw.read()
        if len(raw_plain) < MIN_COMPRESS_BYTES:
            continue
        assert "Content-Encoding" not in plain.headers
        for accepted, encoding in (("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")):
            compressed = api.get("/" + path, headers={"Accept-Encoding": accepted}, stream=True)
            raw_compressed = compressed.raw.read()
            assert compressed.headers["Content-Encoding"] == encoding, path
            assert "Accept-Encoding" in compressed.headers["Vary"]
            assert len(raw_compressed) < len(raw_plain) / 2, path
            decoded = brotli.decompress(raw_compressed) if encoding == "br" else gzip.decompress(raw_compressed)
            assert decoded == raw_plain, path


def test_the_first_page_arrives_in_one_script_and_every_other_module_shares_its_copies(api):
    """index.html names one script for the app: the entry's whole static import graph, the words and the login
    page joined; every other module of statics/js (a page added by anyone included) is built on its own, every
    module it names exists, and what it takes from a joined module it takes from the entry (one copy of each)."""
    html = api.get("/").text
    entry = re.search(r'<script type="module" src="(assets/js/app\.[0-9a-f]{10}\.js)"', html).group(1)
    assert re.findall(r'<script type="module"', html) == ['<script type="module"']
    assert "modulepreload" not in html
    site = build()
    assert {"js/app.js", "js/dom.js", "js/i18n.js", "js/i18n-id.js", "js/page-masuk.js", "js/aktivasi.js"} <= set(
        site.bundled
    )
    served = api.get("/" + entry).text
    for module in site.bundled:
        assert f'"{module}": () => {{' in served, f"{module} not joined"
    # The security code's early request comes from a small script of its own, asked for with the app.
    early = re.search(r'<script src="(assets/js/captcha-early\.[0-9a-f]{10}\.js)" defer', html).group(1)
    assert html.index(early) < html.index(entry)  # it runs before the app, whose first code request it answers
    assert "api/auth/captcha" in api.get("/" + early).text

    built = {re.sub(r"\.[0-9a-f]{10}\.js$", ".js", p.removeprefix("assets/")) for p in site.files if p.endswith(".js")}
    sources = {p.relative_to(SOURCE).as_posix() for p in SOURCE.glob("js/**/*.js")}
    assert sources - set(site.bundled) <= built
    assert not (built - {"js/app.js"}) & set(site.bundled), "a joined module is also served on its own"
    for path, data in site.files.items():
        if not path.endswith(".js"):
            continue
        text = data.decode()
        for name in re.findall(r"""\bfrom\s*['"]\./([^'"]+)['"]""", text):
            assert "assets/js/" + name in site.files, f"{path} imports {name}, which is not built"
        for name in re.findall(r"""\bglobalThis\.eptspJoined\("([^"]+)"\)""", text):
            assert name in site.bundled, f"{path} asks the entry for {name}, which is not joined"
    daftar = next(d.decode() for p, d in site.files.items() if p.startswith("assets/js/page-daftar."))
    assert 'globalThis.eptspJoined("js/page-masuk.js")' in daftar  # the security code's box, from the login page


def test_a_change_in_a_module_renames_it_and_every_module_that_reaches_it(tmp_path):
    source = tmp_path / "statics"
    shutil.copytree(SOURCE, source)
    before = build(source)
    page = source / "js" / "page-verifikasi.js"
    page.write_text(page.read_text() + "\n// changed\n")
    after = build(source)
    renamed = set(before.files) - set(after.files)
    assert {p.split("/")[-1].split(".")[0] for p in renamed} == {"page-verifikasi", "app"}
    # A module that reaches nothing changed keeps its name (and its year in the cache).
    assert any("/format." in p for p in set(before.files) & set(after.files))
    assert any("/page-pengajuan." in p for p in set(before.files) & set(after.files))


def test_the_build_drops_comments_and_indentation_but_never_a_literal_or_a_line_break():
    source = """import { t } from './i18n.js'; // the words
/** A price, in rupiah. */
export function price(n) {
    const url = 'https://example.test/*not-a-comment*/';   // a string with comment marks
    const pattern = /\\/\\/[^/]*\\//g;
    const text = `
        kept as typed ${n ? `nested ${n}` : '' /* in a substitution */}
    `;
    return [url, pattern, text]
    /* no semicolon above: the line break must stay */
    .length
}
"""
    out = minify_js(source, "price.js")
    assert "the words" not in out and "A price" not in out and "    const" not in out
    for literal in ("'https://example.test/*not-a-comment*/'", "/\\/\\/[^/]*\\//g", "kept as typed ${n ?"):
        assert literal in out
    assert "`\n        kept as typed" in out and "/* in a substitution */" in out  # a template stays as written
    assert "return [url, pattern, text]\n.length" in out
    with pytest.raises(ValueError, match="not valid JavaScript"):
        minify_js("const = ;", "broken.js")
