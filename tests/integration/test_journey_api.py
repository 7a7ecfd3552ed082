"""What the applicant's journey asks of the API: perorangan or badan usaha decides the sections
and requirements (and the API refuses what does not apply), Data Detail starts from Lokasi Izin,
drafts say how far they are, a draft of the same permit can be found again, photos of pages
become one PDF, the catalogue knows the words people search with, and the security code is
readable."""

from __future__ import annotations

import base64
import io

import pytest
import requests
from PIL import Image

from eptsp.accounts import captcha
from local_stack import template
from tests.integration.accounts_helpers import registered_applicant, solved_captcha
from tests.integration.documents_helpers import PDF, photo, presign, uploaded
from tests.integration.test_accounts import assert_error
from tests.integration.test_applications import LOKASI, PERUSAHAAN, detail_data, save, start
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
EVERY_JENIS = [jenis for izin in CATALOGUE.izin for layanan in izin.layanan for jenis in layanan.jenis_permohonan]
# SIPA: company optional, NIB and akta only for a badan usaha, the well's coordinates in Data Detail.
SIPA = next(jenis for jenis in EVERY_JENIS if jenis.id == "sipa-baru")
FOR_BUSINESS = {p.id for p in SIPA.persyaratan if p.applies_to == "badan_usaha"}
COMPANY_REQUIRED = next(jenis for jenis in EVERY_JENIS if jenis.company == "required")
WITH_KABUPATEN = next(
    jenis for jenis in EVERY_JENIS if any(f.prefill_from == "lokasi.kabupatenKota" for f in jenis.detail_fields)
)


@pytest.fixture
def applicant(api):
    return registered_applicant(api)


def pemohon(draft, **extra) -> dict:
    return {**draft["prefill"]["pemohon"], "occupation": "Wiraswasta", **extra}


def saved(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def test_perorangan_or_badan_usaha_decides_sections_and_requirements(api, applicant):
    _, token = applicant
    assert {"nib", "akta-pendirian"} == FOR_BUSINESS
    draft = start(api, token, SIPA)
    # Not chosen yet: Data Perusahaan optional, the business documents listed but not required
    assert draft["applicantKind"] is None
    assert {s["id"]: s["required"] for s in draft["sections"]}["perusahaan"] is False
    assert {p["id"]: p["mandatory"] for p in draft["persyaratan"] if p["id"] in FOR_BUSINESS} == dict.fromkeys(
        FOR_BUSINESS, False
    )
    # A person has no jabatan in a company
    assert_error(save(api, token, draft, "pemohon", pemohon(draft, applyingAs="perorangan", position="Direktur")),
                 422, "VALIDASI_GAGAL", "data.position")  # fmt: skip
    draft = saved(save(api, token, draft, "pemohon", pemohon(draft, applyingAs="perorangan")))
    assert draft["applicantKind"] == "perorangan"
    assert [s["id"] for s in draft["sections"]] == ["pemohon", "lokasi", "detail"]
    assert not FOR_BUSINESS & {p["id"] for p in draft["persyaratan"]}
    assert not {m["id"] for m in draft["completeness"]["missing"]} & ({"perusahaan"} | FOR_BUSINESS)
    mandatory = [p for p in SIPA.persyaratan if p.mandatory and p.applies_to is None]
    assert draft["progress"] == {"done": 1, "total": 3 + len(mandatory)}
    # and the API refuses what does not apply to a person
    assert_error(save(api, token, draft, "perusahaan", PERUSAHAAN), 422, "VALIDASI_GAGAL", "section")
    pdf_id = uploaded(api, token, "nib.pdf", "application/pdf", PDF)["fileId"]
    refused = api.put(
        f"/api/applications/{draft['applicationId']}/attachments/nib", token=token, json={"fileId": pdf_id}
    )
    assert_error(refused, 422, "VALIDASI_GAGAL", "requirementId")
    # As a badan usaha: Data Perusahaan, NIB and akta are required
    draft = saved(save(api, token, draft, "pemohon", pemohon(draft, applyingAs="badan_usaha", position="Direktur")))
    assert {s["id"]: s["required"] for s in draft["sections"]}["perusahaan"] is True
    missing = {m["id"] for m in draft["completeness"]["missing"]}
    assert {"perusahaan", *FOR_BUSINESS} <= missing
    draft = saved(save(api, token, draft, "perusahaan", PERUSAHAAN))
    attached = api.put(
        f"/api/applications/{draft['applicationId']}/attachments/nib", token=token, json={"fileId": pdf_id}
    )
    draft = saved(attached)
    # Back to perorangan: the company's data goes, nothing of the business is asked for
    draft = saved(save(api, token, draft, "pemohon", pemohon(draft, applyingAs="perorangan")))
    assert "perusahaan" not in draft["data"]
    assert not {m["id"] for m in draft["completeness"]["missing"]} & ({"perusahaan"} | FOR_BUSINESS)


def test_a_permit_for_businesses_only_refuses_a_person(api, applicant):
    _, token = applicant
    draft = start(api, token, COMPANY_REQUIRED)
    assert draft["applicantKind"] == "badan_usaha"
    assert {s["id"]: s["required"] for s in draft["sections"]}["perusahaan"] is True
    refused = save(api, token, draft, "pemohon", pemohon(draft, applyingAs="perorangan"))
    assert_error(refused, 422, "VALIDASI_GAGAL", "data.applyingAs")


def test_data_detail_starts_from_lokasi_izin(api, applicant):
    _, token = applicant
    draft = start(api, token, SIPA)
    assert draft["prefill"]["detail"] == {}
    draft = saved(save(api, token, draft, "lokasi", LOKASI))
    assert draft["prefill"]["detail"]["koordinatSumur"] == "2.8375, 117.3652"
    other = start(api, token, WITH_KABUPATEN)
    other = saved(save(api, token, other, "lokasi", {**LOKASI, "kabupatenKota": "6503"}))
    field = next(f for f in WITH_KABUPATEN.detail_fields if f.prefill_from == "lokasi.kabupatenKota")
    assert other["prefill"]["detail"][field.id] == "Kabupaten Nunukan"


def test_drafts_say_how_far_they_are_and_a_draft_of_the_same_permit_is_found(api, applicant):
    _, token = applicant
    first = start(api, token, WITH_KABUPATEN)
    other = start(api, token, SIPA)
    listed = api.get("/api/applications", token=token).json()["items"]
    assert {item["statusLabel"] for item in listed} == {"Draf - belum dikirim"}
    assert all(item["progress"]["done"] == 0 and item["progress"]["total"] > 3 for item in listed)
    same = api.get("/api/applications", token=token, params={"jenisPermohonanId": SIPA.id, "status": "draft"})
    assert [item["applicationId"] for item in same.json()["items"]] == [other["applicationId"]]
    assert_error(
        api.get("/api/applications", token=token, params={"jenisPermohonanId": "Bukan Slug"}), 422, "VALIDASI_GAGAL"
    )
    # Every section and attachment given, not yet declared: ready to send
    draft = saved(save(api, token, first, "pemohon", pemohon(first, applyingAs="perorangan")))
    draft = saved(save(api, token, draft, "lokasi", LOKASI))
    draft = saved(save(api, token, draft, "detail", detail_data(WITH_KABUPATEN)))
    for requirement in draft["persyaratan"]:
        if requirement["mandatory"]:
            file_id = uploaded(api, token, "dok.pdf", "application/pdf", PDF)["fileId"]
            draft = saved(
                api.put(
                    f"/api/applications/{draft['applicationId']}/attachments/{requirement['id']}",
                    token=token,
                    json={"fileId": file_id},
                )
            )
    assert draft["progress"]["done"] == draft["progress"]["total"]
    assert draft["statusLabel"] == "Siap dikirim" and draft["declaration"] is False


def test_photos_of_pages_become_one_pdf(api, applicant):
    _, token = applicant
    pages = [
        uploaded(api, token, "hal-1.jpg", "image/jpeg", photo(3000, 4000))["fileId"],
        uploaded(api, token, "hal-2.png", "image/png", photo(800, 600, "PNG"))["fileId"],
        uploaded(api, token, "hal-3.jpg", "image/jpeg", photo(1200, 1600, color=(90, 90, 90)))["fileId"],
    ]
    answer = api.post(
        "/api/files/merge",
        token=token,
        json={"fileIds": pages, "fileName": "Sertifikat Tanah"},
        headers={"Idempotency-Key": "gabung-sertifikat-0001"},
    )
    assert answer.status_code == 201, answer.text
    merged = answer.json()
    assert merged["fileName"] == "Sertifikat Tanah.pdf" and merged["fileType"] == "pdf" and merged["status"] == "siap"
    detail = api.get(f"/api/files/{merged['fileId']}", token=token).json()
    content = requests.get(detail["downloadUrl"], timeout=30).content
    assert content.startswith(b"%PDF-") and len(content) == merged["size"] <= 10 * 1024 * 1024
    assert content.count(b"/Type /Page\n") + content.count(b"/Type /Page ") + content.count(b"/Type /Page>") == 3
    # The same key again gives the same PDF, not a second one
    again = api.post(
        "/api/files/merge",
        token=token,
        json={"fileIds": pages, "fileName": "Sertifikat Tanah"},
        headers={"Idempotency-Key": "gabung-sertifikat-0001"},
    )
    assert again.json()["fileId"] == merged["fileId"]
    # and the PDF is attached where only PDF is accepted
    draft = start(api, token, SIPA)
    pdf_only = next(p for p in SIPA.persyaratan if p.file_types == ["pdf"] and p.applies_to is None)
    attached = api.put(
        f"/api/applications/{draft['applicationId']}/attachments/{pdf_only.id}",
        token=token,
        json={"fileId": merged["fileId"]},
    )
    assert attached.status_code == 200, attached.text


def test_only_checked_photos_of_ones_own_are_merged(api, applicant):
    _, token = applicant
    photo_id = uploaded(api, token, "hal.jpg", "image/jpeg", photo(400, 500))["fileId"]
    pdf_id = uploaded(api, token, "dok.pdf", "application/pdf", PDF)["fileId"]
    waiting = presign(api, token, "hal-2.jpg", "image/jpeg", 1000).json()["fileId"]
    _, other_token = registered_applicant(api)
    theirs = uploaded(api, other_token, "hal.jpg", "image/jpeg", photo(400, 500))["fileId"]
    cases = [
        ([photo_id, pdf_id], 422, "fileIds"),
        ([photo_id, waiting], 422, "fileIds"),
        ([photo_id, photo_id], 422, "fileIds"),
        ([photo_id] * 11, 422, "fileIds"),
        ([], 422, "fileIds"),
        ([photo_id, theirs], 404, None),
    ]
    for file_ids, status, field in cases:
        answer = api.post("/api/files/merge", token=token, json={"fileIds": file_ids, "fileName": "gabungan"})
        error = assert_error(answer, status)
        if field:
            assert error["field"] == field, (file_ids, error)
    bad_name = api.post("/api/files/merge", token=token, json={"fileIds": [photo_id], "fileName": "a/b"})
    assert_error(bad_name, 422, "VALIDASI_GAGAL", "fileName")
    assert api.post("/api/files/merge", json={"fileIds": [photo_id], "fileName": "x"}).status_code == 401


def test_the_catalogue_carries_the_words_people_search_with(api):
    items = api.get("/api/catalogue/izin").json()["items"]
    sipa = next(item for item in items if item["id"] == "persetujuan-penggunaan-air-tanah")
    assert "sumur bor" in sipa["synonyms"]
    assert all(item["synonyms"] for item in items)


def test_the_security_code_is_large_dark_on_white_and_without_look_alikes(api):
    alphabet = set(captcha.ALPHABET)
    # One of each pair that looks alike on a phone, and no 7 (read as ">")
    for pair in ("0O", "OQ", "0D", "1I", "1L", "2Z", "5S", "6G", "8B", "UV"):
        assert not set(pair) <= alphabet, pair
    assert "7" not in alphabet
    for _ in range(5):
        _, answer = solved_captcha(api)
        assert len(answer) == 5 and set(answer) <= alphabet
    image = api.get("/api/auth/captcha").json()["image"]
    picture = Image.open(io.BytesIO(base64.b64decode(image.split(",", 1)[1]))).convert("RGB")
    assert picture.size == (280, 90)
    assert picture.getpixel((1, 1)) == (255, 255, 255) or sum(picture.getpixel((1, 1))) > 700


def test_the_merge_function_has_only_the_rights_it_needs():
    spec = next(s for s in template.functions(template.load_sam_template()) if s.logical_id == "FileMergeFunction")
    assert [route.route_key for route in spec.routes] == ["POST /api/files/merge"]
