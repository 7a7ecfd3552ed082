"""Idempotency-Key on the creation routes: a double tap or a retried request creates one
draft or one upload slot and gets the same answer; the key is the caller's own."""

from __future__ import annotations

import uuid

import pytest

from eptsp.aws import dynamodb_table
from tests.integration.accounts_helpers import registered_applicant
from tests.integration.test_accounts import assert_error
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
JENIS = [jenis for izin in CATALOGUE.izin for layanan in izin.layanan for jenis in layanan.jenis_permohonan][:2]
UPLOAD = {"fileName": "ktp.pdf", "contentType": "application/pdf", "size": 2048}


@pytest.fixture
def applicant(api) -> str:
    return registered_applicant(api)[1]


@pytest.fixture(scope="module")
def records(stack):
    table = dynamodb_table(stack.provisioned.physical_ids["IdempotencyTable"])

    def of(action: str) -> list[dict]:
        # The test reads the whole (small) table; the handlers' table client has no Scan.
        items = table.meta.client.scan(TableName=table.name)["Items"]
        return [item for item in items if item["id"].startswith(f"{action}#")]

    return of


def new_key() -> str:
    return str(uuid.uuid4())


def create(api, token, key=None, jenis=JENIS[0]):
    headers = {"Idempotency-Key": key} if key else {}
    return api.post("/api/applications", token=token, json={"jenisPermohonanId": jenis.id}, headers=headers)


def presign(api, token, key=None, body=UPLOAD):
    headers = {"Idempotency-Key": key} if key else {}
    return api.post("/api/files/presign", token=token, json=body, headers=headers)


def listed(api, token, path: str) -> list[dict]:
    return api.get(path, token=token).json()["items"]


def test_a_retried_start_gives_the_same_draft_and_creates_one(api, applicant, records):
    # Given a key the client made for this one "Mulai" tap
    key, before = new_key(), len(records("applications.create"))
    # When the request is sent twice (a double tap, or a retry after a lost answer)
    first, second = create(api, applicant, key), create(api, applicant, key)
    # Then both get the same draft, and only one exists
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json() == second.json()
    assert [d["applicationId"] for d in listed(api, applicant, "/api/applications")] == [first.json()["applicationId"]]
    assert len(records("applications.create")) == before + 1
    assert records("applications.create")[0]["expiration"] > 0  # the table's TTL attribute


def test_different_keys_or_no_key_create_different_drafts(api, applicant):
    ids = {create(api, applicant, new_key()).json()["applicationId"] for _ in range(2)}
    ids |= {create(api, applicant).json()["applicationId"] for _ in range(2)}
    assert len(ids) == 4
    assert len(listed(api, applicant, "/api/applications")) == 4


def test_the_same_key_for_another_request_is_refused(api, applicant):
    key = new_key()
    assert create(api, applicant, key, JENIS[0]).status_code == 201
    error = assert_error(create(api, applicant, key, JENIS[1]), 422, "KUNCI_IDEMPOTENSI_DIPAKAI", "Idempotency-Key")
    assert "kunci baru" in error["message"]
    assert len(listed(api, applicant, "/api/applications")) == 1


def test_a_key_belongs_to_its_caller(api, applicant):
    # Another applicant who happens to send the same key gets a draft of their own
    key, other = new_key(), registered_applicant(api)[1]
    mine, theirs = create(api, applicant, key).json(), create(api, other, key).json()
    assert mine["applicationId"] != theirs["applicationId"]
    assert [d["applicationId"] for d in listed(api, other, "/api/applications")] == [theirs["applicationId"]]


def test_a_retried_presign_gives_the_same_upload_slot(api, applicant, records):
    key, before = new_key(), len(records("files.presign"))
    first, second = presign(api, applicant, key), presign(api, applicant, key)
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json() == second.json()
    assert [f["fileId"] for f in listed(api, applicant, "/api/files")] == [first.json()["fileId"]]
    assert len(records("files.presign")) == before + 1
    # A different key, or the same key with another file, is another matter
    assert presign(api, applicant, new_key()).json()["fileId"] != first.json()["fileId"]
    assert_error(presign(api, applicant, key, {**UPLOAD, "size": 4096}), 422, "KUNCI_IDEMPOTENSI_DIPAKAI")
    assert len(listed(api, applicant, "/api/files")) == 2


@pytest.mark.parametrize("key", ["pendek", "ada spasi di dalamnya", "x" * 129, "kunci/miring"])
def test_a_malformed_key_is_422_naming_the_header(api, applicant, key):
    assert_error(create(api, applicant, key), 422, "VALIDASI_GAGAL", "Idempotency-Key")


def test_the_header_is_in_the_openapi_document(api):
    document = api.get("/api/openapi.json").json()
    for path in ("/api/applications", "/api/files/presign"):
        parameters = document["paths"][path]["post"]["parameters"]
        header = next(p for p in parameters if p["in"] == "header")
        assert header["name"].lower() == "idempotency-key" and not header.get("required", False)
