"""The officer API console: the merged OpenAPI document and Swagger UI, offline."""

from __future__ import annotations

import json
import re

from eptsp.apiconsole import scalar_types
from eptsp.apiconsole.codes import error_codes
from eptsp.apiconsole.glossary import TAGS
from eptsp.wilayah import RESIDENCE_CHOICES
from local_stack import template
from tools import api_document

FUNCTIONS_DIR = template.ROOT / "functions"


def test_openapi_document_has_every_routed_path_of_the_template(api):
    # Given the routes the template declares (the console's own two are not in the document)
    declared = {
        (route.method.lower(), route.path)
        for spec in template.functions(template.load_sam_template())
        for route in spec.routes
        if spec.logical_id != "ApiDocsFunction"
    }
    # When
    response = api.get("/api/openapi.json")
    # Then
    assert response.status_code == 200
    document = response.json()
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert declared == documented
    assert "IzinDetail" in document["components"]["schemas"]
    assert document["info"]["title"].startswith("e-PTSP")


def test_the_console_ships_the_document_the_code_describes():
    # The console function serves files written at build time (tools/api_document.py): a route
    # or model changed without writing them again would show officers an outdated API.
    shipped = json.loads(api_document.DOCUMENT.read_text(encoding="utf-8"))
    built = api_document.build()
    fix = "run `python -m tools.api_document` and commit functions/apidocs/"
    assert sorted(shipped["paths"]) == sorted(built["paths"]), fix
    assert shipped == built, fix
    assert api_document.CONSOLE.read_text(encoding="utf-8") == api_document.console_page(), fix


def test_routes_behind_login_ask_for_the_bearer_token_in_the_document(api):
    authorized = {
        (route.method.lower(), route.path): route.authorized
        for spec in template.functions(template.load_sam_template())
        for route in spec.routes
        if spec.logical_id != "ApiDocsFunction"
    }
    document = api.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["cognito"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            asks_for_token = operation.get("security") == [{"cognito": []}]
            assert asks_for_token == authorized[(method, path)], (method, path)


def test_swagger_ui_is_served_with_its_assets_inline(api):
    response = api.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.text
    assert "SwaggerUIBundle" in html
    # Nothing is loaded from another origin: the page works offline.
    assert not re.search(r"""(src|href)=["']https?://""", html)


# ------------------------------------------------------------------ a console an officer can use


def _fields(document: dict) -> list[tuple[str, dict]]:
    """Every request and response field: component schema properties (nested ones too) and
    operation parameters, named as "Schema.field" / "METHOD /path ?param"."""
    found: list[tuple[str, dict]] = []

    def walk(name: str, schema: dict) -> None:
        for field, prop in (schema.get("properties") or {}).items():
            found.append((f"{name}.{field}", prop))
            walk(f"{name}.{field}", prop)
        for option in [schema.get("items"), *schema.get("anyOf", [])]:
            if option:
                walk(name, option)

    for name, schema in document["components"]["schemas"].items():
        walk(name, schema)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                found.append((f"{method.upper()} {path} ?{parameter['name']}", parameter))
    return found


def test_every_field_has_a_description_and_every_value_field_an_example(api):
    document = api.get("/api/openapi.json").json()
    fields = _fields(document)
    undescribed = [name for name, field in fields if not field.get("description")]
    assert not undescribed, (
        "fields without a description in the API console; give each one "
        "Field(description=..., examples=[...]) in its model (Indonesian), or add shared names to "
        f"eptsp/apiconsole/glossary.py: {undescribed}"
    )
    value_fields = [(n, f) for n, f in fields if scalar_types(f.get("schema", f))]
    no_example = [n for n, f in value_fields if not (f.get("examples") or "example" in f)]
    assert not no_example, f"fields without an example in the API console: {no_example}"
    print(f"console coverage: {len(fields) - len(undescribed)}/{len(fields)} fields described")


def test_code_lists_are_enums(api):
    schemas = api.get("/api/openapi.json").json()["components"]["schemas"]
    register = schemas["RegisterRequest"]["properties"]["kabupatenKota"]
    assert register["enum"] == list(RESIDENCE_CHOICES)
    codes = schemas["ErrorOutput"]["properties"]["code"]["enum"]
    assert set(error_codes([FUNCTIONS_DIR])) <= set(codes)
    assert {"VALIDASI_GAGAL", "KODE_KEAMANAN_SALAH", "PIN_SALAH", "LAYANAN_SIBUK"} <= set(codes)


def test_every_route_declares_its_error_answers_in_the_error_shape(api):
    document = api.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"422", "429"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if "{" in path:
                expected.add("404")
            if "requestBody" in operation:
                expected.add("415")
            responses = operation["responses"]
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in [s for s in responses if s.startswith("4")]:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOutput"}, (method, path, status)


def test_tags_follow_the_manuals_menus_and_the_officers_stages(api):
    document = api.get("/api/openapi.json").json()
    manual = [tag for tag, _, _ in TAGS]
    tags_of = {(m, p): op["tags"] for p, ops in document["paths"].items() for m, op in ops.items()}
    assert tags_of[("post", "/api/auth/login")] == ["Akun: Masuk dan Daftar"]
    assert tags_of[("post", "/api/officer/tasks/{taskId}/decision")] == ["Petugas: Verifikasi, Tim Teknis, Persetujuan"]
    assert tags_of[("get", "/api/catalogue/izin")] == ["Pengajuan Permohonan (langkah 1-3)"]
    listed = [tag["name"] for tag in document["tags"]]
    assert [t for t in listed if t in manual] == [t for t in manual if t in listed]
    assert all(tag.get("description") for tag in document["tags"] if tag["name"] in manual)


def test_the_console_page_shows_the_same_document(api):
    html = api.get("/api/docs").text
    assert "Akun: Masuk dan Daftar" in html and "Nomor resi (YYMM-XXXX-XXXX)." in html
