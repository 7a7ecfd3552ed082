"""The merged OpenAPI document made into a console an officer can use: every field described
with an example (the model's own words first, then the glossary), code lists as enums, every
route's possible error answers in the one error shape, and tags after the manual's menus and
the officer's stages."""

from __future__ import annotations

import copy
from typing import Any

from eptsp.apiconsole.glossary import CURSOR, FIELDS, NULL, TAGS
from eptsp.wilayah import RESIDENCE_CHOICES

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOutput"}
ERROR_ANSWERS = {
    "401": "Belum masuk, atau sesi sudah berakhir (token akses tidak berlaku).",
    "403": "Peran Anda tidak berwenang untuk rute ini.",
    "404": "Data tidak ditemukan, atau bukan milik Anda.",
    "409": "Keadaan data tidak mengizinkan tindakan ini (sudah berubah, sudah diputuskan, belum diajukan, ...).",
    "415": "Content-Type selain application/json.",
    "422": "Isian tidak valid; 'field' menyebut isian yang salah.",
    "429": "Terlalu banyak permintaan atau percobaan; coba lagi nanti.",
}
# Field name -> the values the API accepts (checked by its models' validators).
CODE_LISTS: dict[str, list[str]] = {"kabupatenKota": list(RESIDENCE_CHOICES)}
SCALARS = {"string", "integer", "number", "boolean"}
PARAMETER_WORDS: dict[str, tuple[str, Any]] = {
    "limit": ("Jumlah terbanyak per halaman.", 20),
    "cursor": ("Penanda halaman berikutnya dari jawaban sebelumnya (nextCursor/cursor).", CURSOR),
    "q": ("Cari nama izin atau nomor resi.", "perikanan"),
    "idempotency-key": ("Kunci unik per tindakan (mis. UUID).", "3f2b8c1e-8d4a-4c55-9a4e-2f6a1b7c9d10"),
    "section": ("Bagian: pemohon, perusahaan, lokasi, detail.", "lokasi"),
    "izinId": ("Pengenal jenis izin (langkah 1).", "izin-usaha-perikanan"),
    "version": ("Versi draf yang dibaca.", 3),
    "from": ("Tanggal awal (YYYY-MM-DD, WITA), termasuk; paling jauh 24 bulan dari 'to'.", "2026-01-01"),
    "to": ("Tanggal akhir (YYYY-MM-DD, WITA), termasuk.", "2026-06-30"),
    "layananId": ("Pengenal layanan (langkah 2).", "siup-perikanan-tangkap"),
    "date": ("Tanggal (YYYY-MM-DD, WITA).", "2026-12-24"),
    "year": ("Tahun kalender.", 2026),
    "complaintId": ("Pengenal pengaduan.", "Pq7xK2mN9vB4tR1s"),
    "format": ("Bentuk jawaban: json atau csv.", "csv"),
}


def scalar_types(schema: dict[str, Any]) -> set[str]:
    types = {schema.get("type")} if isinstance(schema.get("type"), str) else set(schema.get("type") or [])
    for option in schema.get("anyOf", []):
        types |= scalar_types(option)
    return types & SCALARS


def words_for(schema_name: str, field: str) -> tuple[str, Any] | None:
    return FIELDS.get(f"{schema_name}.{field}") or FIELDS.get(field)


def _describe_properties(schema_name: str, schema: dict[str, Any]) -> None:
    for field, prop in (schema.get("properties") or {}).items():
        words = words_for(schema_name, field)
        if words and not prop.get("description"):
            prop["description"] = words[0]
        if words and words[1] is not None and "examples" not in prop and "example" not in prop:
            prop["examples"] = [None if words[1] == NULL else words[1]]
        if field in CODE_LISTS:
            _add_enum(prop, CODE_LISTS[field])
        if prop.get("properties"):
            _describe_properties(f"{schema_name}.{field}", prop)


def _add_enum(prop: dict[str, Any], values: list[str]) -> None:
    for option in [prop, *prop.get("anyOf", [])]:
        if option.get("type") == "string" and "enum" not in option:
            option["enum"] = values


def _operations(document: dict[str, Any]):
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _tag_of(path: str) -> tuple[str, str] | None:
    for tag, description, prefixes in TAGS:
        if path.startswith(prefixes):
            return tag, description
    return None


def enrich(document: dict[str, Any], error_codes: list[str]) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        _describe_properties(name, schema)
    error = schemas.get("ErrorOutput")
    if error:
        _add_enum(error["properties"]["code"], error_codes)

    used_tags: dict[str, str] = {}
    for path, method, operation in _operations(doc):
        for parameter in operation.get("parameters", []):
            words = PARAMETER_WORDS.get(parameter["name"]) or words_for("", parameter["name"])
            if words and not parameter.get("description"):
                parameter["description"] = words[0]
            if words and words[1] is not None and "example" not in parameter:
                parameter["example"] = words[1]
        responses = operation["responses"]
        answers = {"422", "429"}
        if operation.get("security"):
            answers |= {"401", "403"}
        if "{" in path:
            answers.add("404")
        if "requestBody" in operation:
            answers.add("415")
        if method in ("post", "put", "delete") and "{" in path:
            answers.add("409")
        for status in sorted(answers):
            answer = responses.setdefault(status, {"description": ERROR_ANSWERS[status]})
            answer["content"] = {"application/json": {"schema": ERROR_SCHEMA}}
            if answer.get("description") in (None, "", "Validation Error"):
                answer["description"] = ERROR_ANSWERS[status]
        tag = _tag_of(path)
        if tag:
            operation["tags"] = [tag[0]]
            used_tags[tag[0]] = tag[1]
        for name in operation.get("tags", []):
            used_tags.setdefault(name, "")
    order = [tag for tag, _, _ in TAGS]
    doc["tags"] = [
        {"name": name, **({"description": text} if text else {})}
        for name, text in sorted(
            used_tags.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])
        )
    ]
    return doc
