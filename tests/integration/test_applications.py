"""Application drafts end to end: start from the catalogue, fill every section under
optimistic locking, attach verified files (new or reused), the declaration, completeness,
Permohonan Saya; nobody reaches another applicant's application."""

from __future__ import annotations

import pytest

from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.documents_helpers import JPEG, PDF, upload, uploaded, wait_for_check
from tests.integration.test_accounts import assert_error
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()


def jenis_with(company: str):
    """The first application type whose company rule is ``company``."""
    for izin in CATALOGUE.izin:
        for layanan in izin.layanan:
            for jenis in layanan.jenis_permohonan:
                if jenis.company == company:
                    return izin, jenis
    raise LookupError(company)


IZIN, JENIS = jenis_with("required")
_, JENIS_WITHOUT_COMPANY = jenis_with("none")
EVERY_JENIS = [jenis for izin in CATALOGUE.izin for layanan in izin.layanan for jenis in layanan.jenis_permohonan]
# The catalogue's first numeric field with a maximum, and first requirement taking PDF only.
BOUNDED = next(
    (jenis, field)
    for jenis in EVERY_JENIS
    for field in jenis.detail_fields
    if field.type in ("integer", "number") and field.max is not None
)
PDF_ONLY = next((jenis, p) for jenis in EVERY_JENIS for p in jenis.persyaratan if p.file_types == ["pdf"])


def sample_value(field):
    if field.type == "select":
        return field.options[0]
    if field.type in ("integer", "number"):
        low = field.min if field.min is not None else 1
        return int(low) if field.type == "integer" else float(low)
    if field.type == "date":
        return "2026-12-01"
    if field.type == "boolean":
        return True
    return "Isian contoh"


def detail_data(jenis) -> dict:
    return {field.id: sample_value(field) for field in jenis.detail_fields}


PERUSAHAAN = {
    "companyName": "PT Kayan Hidro Sejahtera",
    "legalForm": "PT",
    "npwp": "01.855.081.4-005.000",
    "nib": "9120001234567",
    "address": "Jl. Jelarai Raya No. 3, Tanjung Selor",
    "kabupatenKota": "6501",
}
LOKASI = {
    "kabupatenKota": "6501",
    "kecamatan": "Tanjung Selor",
    "desaKelurahan": "Tanjung Selor Hilir",
    "address": "Jl. Katamso RT 05, dekat dermaga",
    "latitude": 2.8375,
    "longitude": 117.3652,
}


@pytest.fixture
def applicant(api):
    return registered_applicant(api)


def start(api, token, jenis=JENIS):
    response = api.post("/api/applications", token=token, json={"jenisPermohonanId": jenis.id})
    assert response.status_code == 201, response.text
    return response.json()


def save(api, token, draft, section, data, version=None):
    return api.put(
        f"/api/applications/{draft['applicationId']}/sections/{section}",
        token=token,
        json={"version": version or draft["version"], "data": data},
    )


def pemohon_data(draft) -> dict:
    return {**draft["prefill"]["pemohon"], "occupation": "Wiraswasta", "position": "Direktur"}


def test_a_draft_carries_requirements_sections_and_prefill(api, applicant):
    body, token = applicant
    draft = start(api, token)
    assert draft["status"] == "draft" and draft["version"] == 1
    assert draft["izin"]["id"] == IZIN.id and draft["jenisPermohonan"]["id"] == JENIS.id
    assert [p["id"] for p in draft["persyaratan"]] == [p.id for p in JENIS.persyaratan]
    assert {s["id"] for s in draft["sections"]} == {"pemohon", "perusahaan", "lokasi", "detail"}
    prefill = draft["prefill"]["pemohon"]
    assert prefill["nik"] == body["nik"] and prefill["email"] == body["email"]
    assert draft["completeness"]["complete"] is False


def test_walk_every_section_attach_files_and_the_list_shrinks_to_nothing(api, applicant):
    _, token = applicant
    draft = start(api, token)
    missing = len(draft["completeness"]["missing"])
    steps = [
        ("pemohon", pemohon_data(draft)),
        ("perusahaan", PERUSAHAAN),
        ("lokasi", LOKASI),
        ("detail", detail_data(JENIS)),
    ]
    for section, data in steps:
        saved = save(api, token, draft, section, data)
        assert saved.status_code == 200, saved.text
        assert saved.json()["version"] == draft["version"] + 1
        assert len(saved.json()["completeness"]["missing"]) == missing - 1
        draft, missing = saved.json(), missing - 1
    for requirement in JENIS.persyaratan:
        if not requirement.mandatory:
            continue
        kind = (
            ("foto.jpg", "image/jpeg", JPEG)
            if "pdf" not in requirement.file_types
            else ("dok.pdf", "application/pdf", PDF)
        )
        file_id = uploaded(api, token, *kind)["fileId"]
        attached = api.put(
            f"/api/applications/{draft['applicationId']}/attachments/{requirement.id}",
            token=token,
            json={"fileId": file_id},
        )
        assert attached.status_code == 200, attached.text
        draft = attached.json()
    completeness = api.get(f"/api/applications/{draft['applicationId']}/completeness", token=token).json()
    assert [m["kind"] for m in completeness["missing"]] == ["pernyataan"]
    declared = api.put(
        f"/api/applications/{draft['applicationId']}/declaration",
        token=token,
        json={"version": draft["version"], "agreed": True},
    )
    assert declared.status_code == 200, declared.text
    assert declared.json()["completeness"] == {"complete": True, "missing": []}
    # Then everything is kept when the applicant comes back
    again = api.get(f"/api/applications/{draft['applicationId']}", token=token).json()
    assert again["data"]["lokasi"]["latitude"] == 2.8375
    assert again["data"]["perusahaan"]["npwp"] == "018550814005000"
    assert again["declaration"] is True and again["complete"] is True
    listed = api.get("/api/applications", token=token).json()["items"]
    assert listed[0]["applicationId"] == draft["applicationId"] and listed[0]["complete"] is True
    # and a change after the declaration takes it back
    changed = save(api, token, again, "lokasi", {**LOKASI, "kecamatan": "Peso"})
    assert changed.json()["declaration"] is False and changed.json()["complete"] is False


def test_the_declaration_needs_everything_else_first(api, applicant):
    _, token = applicant
    draft = start(api, token, JENIS_WITHOUT_COMPANY)
    refused = api.put(
        f"/api/applications/{draft['applicationId']}/declaration",
        token=token,
        json={"version": draft["version"], "agreed": True},
    )
    error = assert_error(refused, 409, "BELUM_LENGKAP")
    assert "Data Pemohon belum diisi" in error["message"]


def test_a_stale_version_is_409_and_nothing_is_overwritten(api, applicant):
    _, token = applicant
    draft = start(api, token)
    first = save(api, token, draft, "lokasi", LOKASI)
    assert first.status_code == 200
    # When another tab saves with the version it loaded earlier
    stale = save(api, token, draft, "lokasi", {**LOKASI, "kecamatan": "Peso"}, version=draft["version"])
    # Then
    assert_error(stale, 409, "VERSI_USANG")
    kept = api.get(f"/api/applications/{draft['applicationId']}", token=token).json()
    assert kept["data"]["lokasi"]["kecamatan"] == "Tanjung Selor"
    assert kept["version"] == first.json()["version"]


@pytest.mark.parametrize(
    ("section", "change", "field"),
    [
        ("pemohon", {"email": "bukan-email"}, "data.email"),
        ("pemohon", {"nik": "6571015203950999"}, "data.nik"),
        ("pemohon", {"occupation": None}, "data.occupation"),
        ("perusahaan", {"npwp": "123"}, "data.npwp"),
        ("perusahaan", {"legalForm": "Kerajaan"}, "data.legalForm"),
        ("perusahaan", {"nib": None}, "data.nib"),
        # The company's own contacts are checked as the browser checks them.
        ("perusahaan", {"phone": "12345"}, "data.phone"),
        ("perusahaan", {"email": "bukan-email"}, "data.email"),
        ("lokasi", {"kabupatenKota": "6401"}, "data.kabupatenKota"),
        ("lokasi", {"latitude": -6.2, "longitude": 106.8}, "data.latitude"),
        ("lokasi", {"longitude": None}, "data.latitude"),
        ("lokasi", {"kecamatan": ""}, "data.kecamatan"),
    ],
)
def test_each_bad_section_field_is_named(api, applicant, section, change, field):
    _, token = applicant
    draft = start(api, token)
    base = {"pemohon": pemohon_data(draft), "perusahaan": PERUSAHAAN, "lokasi": LOKASI}[section]
    data = {k: v for k, v in {**base, **change}.items() if v is not None}
    assert_error(save(api, token, draft, section, data), 422, "VALIDASI_GAGAL", field)


def test_detail_fields_are_checked_by_their_catalogue_type(api, applicant):
    _, token = applicant
    draft = start(api, token)
    good = detail_data(JENIS)
    fields = {f.id: f for f in JENIS.detail_fields}
    required = next(f for f in JENIS.detail_fields if f.required)
    assert_error(
        save(api, token, draft, "detail", {k: v for k, v in good.items() if k != required.id}),
        422,
        field=f"data.{required.id}",
    )
    assert_error(save(api, token, draft, "detail", {**good, "tidakAda": "x"}), 422, field="data.tidakAda")
    for field in fields.values():
        wrong = {
            "select": "bukan pilihan",
            "integer": "sepuluh",
            "number": "banyak",
            "date": "31-02-2026",
            "boolean": "mungkin",
            "text": 12,
            "textarea": 12,
        }[field.type]
        assert_error(save(api, token, draft, "detail", {**good, field.id: wrong}), 422, field=f"data.{field.id}")
    assert save(api, token, draft, "detail", good).status_code == 200


def test_a_number_above_its_maximum_is_refused(api, applicant):
    _, token = applicant
    jenis, bounded = BOUNDED
    draft = start(api, token, jenis)
    too_big = {**detail_data(jenis), bounded.id: bounded.max + 1}
    assert_error(save(api, token, draft, "detail", too_big), 422, field=f"data.{bounded.id}")
    assert save(api, token, draft, "detail", {**too_big, bounded.id: bounded.max}).status_code == 200


def test_company_section_is_refused_when_the_permit_has_none(api, applicant):
    _, token = applicant
    draft = start(api, token, JENIS_WITHOUT_COMPANY)
    assert_error(save(api, token, draft, "perusahaan", PERUSAHAAN), 422, field="section")
    assert_error(save(api, token, draft, "rahasia", {}), 422, field="section")


def test_company_data_is_prefilled_from_the_previous_application(api, applicant):
    _, token = applicant
    first = start(api, token)
    assert save(api, token, first, "perusahaan", PERUSAHAAN).status_code == 200
    second = start(api, token)
    assert second["prefill"]["perusahaan"]["companyName"] == PERUSAHAAN["companyName"]


def test_a_file_uploaded_once_is_reused_and_cannot_be_deleted_while_used(api, applicant):
    _, token = applicant
    pdf = uploaded(api, token, "npwp.pdf", "application/pdf", PDF)["fileId"]
    requirement = next(p for p in JENIS.persyaratan if "pdf" in p.file_types)
    drafts = [start(api, token), start(api, token)]
    for draft in drafts:
        attached = api.put(
            f"/api/applications/{draft['applicationId']}/attachments/{requirement.id}",
            token=token,
            json={"fileId": pdf},
        )
        assert attached.status_code == 200, attached.text
    used_in = api.get(f"/api/files/{pdf}", token=token).json()["usedIn"]
    assert {u["applicationId"] for u in used_in} == {d["applicationId"] for d in drafts}
    assert_error(api.delete(f"/api/files/{pdf}", token=token), 409, "BERKAS_DIPAKAI")
    # Detaching from one and cancelling the other frees it
    detached = api.delete(f"/api/applications/{drafts[0]['applicationId']}/attachments/{requirement.id}", token=token)
    assert detached.status_code == 200 and detached.json()["attachments"] == []
    assert api.delete(f"/api/applications/{drafts[1]['applicationId']}", token=token).status_code == 204
    assert api.get(f"/api/files/{pdf}", token=token).json()["usedIn"] == []
    assert api.delete(f"/api/files/{pdf}", token=token).status_code == 204


def test_attachments_must_be_ready_of_an_accepted_type_and_known(api, applicant):
    _, token = applicant
    jenis, pdf_only = PDF_ONLY
    draft = start(api, token, jenis)
    path = f"/api/applications/{draft['applicationId']}/attachments"
    refused_upload = wait_for_check(api, token, upload(api, token, "palsu.pdf", "application/pdf", JPEG))["fileId"]
    requirement = jenis.persyaratan[0].id
    assert_error(
        api.put(f"{path}/{requirement}", token=token, json={"fileId": refused_upload}), 409, "BERKAS_TIDAK_SIAP"
    )
    assert_error(api.put(f"{path}/tidak-ada", token=token, json={"fileId": refused_upload}), 404)
    jpeg = uploaded(api, token, "foto.jpg", "image/jpeg", JPEG)["fileId"]
    assert_error(api.put(f"{path}/{pdf_only.id}", token=token, json={"fileId": jpeg}), 422, field="fileId")


def test_permohonan_saya_searches_filters_and_pages(api, applicant):
    _, token = applicant
    other_izin, other_jenis = jenis_with("none")
    drafts = [start(api, token), start(api, token, other_jenis), start(api, token)]
    everything = api.get("/api/applications", token=token).json()["items"]
    assert [d["applicationId"] for d in everything] == [d["applicationId"] for d in reversed(drafts)]
    found = api.get("/api/applications", token=token, params={"q": other_izin.name.split()[-1].upper()}).json()
    assert drafts[1]["applicationId"] in [d["applicationId"] for d in found["items"]]
    page = api.get("/api/applications?limit=2", token=token).json()
    rest = api.get("/api/applications", token=token, params={"limit": 2, "cursor": page["nextCursor"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["nextCursor"] is None
    assert api.get("/api/applications?status=draft", token=token).json()["items"]
    assert_error(api.get("/api/applications?status=terbang", token=token), 422, field="status")


def test_cancel_removes_only_a_draft(api, applicant):
    _, token = applicant
    draft = start(api, token)
    assert api.delete(f"/api/applications/{draft['applicationId']}", token=token).status_code == 204
    assert_error(api.get(f"/api/applications/{draft['applicationId']}", token=token), 404)


def test_every_route_refuses_another_applicants_id(api, applicant):
    _, owner = applicant
    draft = start(api, owner)
    pdf = uploaded(api, owner, "milik.pdf", "application/pdf", PDF)["fileId"]
    _, stranger = registered_applicant(api)
    stranger_pdf = uploaded(api, stranger, "asing.pdf", "application/pdf", PDF)["fileId"]
    base = f"/api/applications/{draft['applicationId']}"
    requirement = JENIS.persyaratan[0].id
    attempts = [
        ("GET", base, None),
        ("DELETE", base, None),
        ("GET", f"{base}/completeness", None),
        ("PUT", f"{base}/sections/lokasi", {"version": draft["version"], "data": LOKASI}),
        ("PUT", f"{base}/attachments/{requirement}", {"fileId": stranger_pdf}),
        ("DELETE", f"{base}/attachments/{requirement}", None),
        ("PUT", f"{base}/declaration", {"version": draft["version"], "agreed": False}),
        ("GET", f"/api/files/{pdf}", None),
        ("DELETE", f"/api/files/{pdf}", None),
    ]
    for method, path, body in attempts:
        assert_error(api.request(method, path, token=stranger, json=body), 404, "TIDAK_DITEMUKAN")
    # nor can the owner attach the stranger's file
    own_path = f"{base}/attachments/{requirement}"
    assert_error(api.put(own_path, token=owner, json={"fileId": stranger_pdf}), 404, "TIDAK_DITEMUKAN")
    assert api.get(base, token=owner).json()["version"] == draft["version"]
    assert draft["applicationId"] not in [
        a["applicationId"] for a in api.get("/api/applications", token=stranger).json()["items"]
    ]
    assert api.get(f"/api/files/{pdf}", token=owner).status_code == 200


def test_officers_and_anonymous_callers_are_refused(api):
    assert_error(api.post("/api/applications", json={"jenisPermohonanId": JENIS.id}), 401)
    officer = demo_token(api, "verifikator")
    assert_error(api.post("/api/applications", token=officer, json={"jenisPermohonanId": JENIS.id}), 401)


def test_unknown_application_type_and_bad_ids(api, applicant):
    _, token = applicant
    assert_error(api.post("/api/applications", token=token, json={"jenisPermohonanId": "tidak-ada"}), 404)
    assert_error(
        api.post("/api/applications", token=token, json={"jenisPermohonanId": "BUKAN SLUG"}),
        422,
        field="jenisPermohonanId",
    )
    assert_error(api.get("/api/applications/x", token=token), 422, field="applicationId")
