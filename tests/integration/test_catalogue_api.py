"""The permit catalogue through the local stack: real handler, real tables on moto."""

from __future__ import annotations

import time

import pytest

from tests.integration.accounts_helpers import registered_applicant
from tools.load_catalogue import read_catalogue


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["message"]  # Indonesian sentence for the user
    return body


def test_lists_at_least_ten_permits_in_catalogue_order(api):
    # When
    response = api.get("/api/catalogue/izin")
    # Then
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) >= 10
    # the seed's permits in its order; permits admins added (in other tests) come after them
    seed = [izin.id for izin in read_catalogue().izin]
    assert [item["id"] for item in items][: len(seed)] == seed
    assert all(item["name"] and item["description"] and item["sector"] for item in items)
    assert "max-age=" in response.headers["Cache-Control"]


def test_one_permit_has_its_services_and_application_types(api):
    izin = read_catalogue().izin[0]
    # When
    body = api.get(f"/api/catalogue/izin/{izin.id}").json()
    # Then
    assert body["name"] == izin.name
    assert [layanan["id"] for layanan in body["layanan"]] == [layanan.id for layanan in izin.layanan]
    kinds = {jenis["jenis"] for layanan in body["layanan"] for jenis in layanan["jenisPermohonan"]}
    assert kinds <= {"baru", "perpanjangan", "perubahan", "pencabutan"}
    assert "persyaratan" not in body["layanan"][0]["jenisPermohonan"][0]  # step 3 fetches those


def every_jenis_permohonan():
    return [
        (izin.id, layanan.id, jenis)
        for izin in read_catalogue().izin
        for layanan in izin.layanan
        for jenis in layanan.jenis_permohonan
    ]


def test_every_application_type_serves_its_requirements(api):
    for izin_id, layanan_id, jenis in every_jenis_permohonan():
        # When
        response = api.get(f"/api/catalogue/permohonan/{jenis.id}/persyaratan")
        # Then
        assert response.status_code == 200, jenis.id
        body = response.json()
        assert body["izin"]["id"] == izin_id and body["layanan"]["id"] == layanan_id
        assert body["slaWorkingDays"] == jenis.sla_working_days
        assert [p["id"] for p in body["persyaratan"]] == [p.id for p in jenis.persyaratan]
        assert [f["id"] for f in body["detailFields"]] == [f.id for f in jenis.detail_fields]
        sections = {s["id"]: s["required"] for s in body["sections"]}
        assert sections["pemohon"] and sections["lokasi"] and sections["detail"]
        if jenis.company == "none":
            assert "perusahaan" not in sections
        else:
            assert sections["perusahaan"] == (jenis.company == "required")


@pytest.mark.parametrize(
    "path",
    ["/api/catalogue/izin/tidak-ada", "/api/catalogue/permohonan/tidak-ada/persyaratan"],
)
def test_unknown_ids_are_404_in_the_error_shape(api, path):
    body = assert_error(api.get(path), 404, "TIDAK_DITEMUKAN")
    assert "tidak-ada" in body["message"]


def test_malformed_id_names_the_field(api):
    body = assert_error(api.get("/api/catalogue/izin/BUKAN_SLUG!"), 422, "VALIDASI_GAGAL")
    assert body["field"] == "izinId"


def test_unknown_api_path_is_404_in_the_error_shape(api):
    assert_error(api.get("/api/tidak-ada"), 404, "TIDAK_DITEMUKAN")
    assert_error(api.post("/api/catalogue/izin"), 404, "TIDAK_DITEMUKAN")


def test_loader_replaces_the_catalogue(stack, api):
    from eptsp.catalogue.models import CatalogueDocument
    from tools.load_catalogue import write_catalogue

    full = read_catalogue()
    table = stack.provisioned.physical_ids["CatalogueTable"]
    dropped = full.izin[-1]
    try:
        # Given a catalogue without its last permit (permits admins added in other tests stay)
        write_catalogue(table, CatalogueDocument(version=1, izin=full.izin[:-1]), "keep")
        # Then that permit and its application types are gone
        assert dropped.id not in [i["id"] for i in api.get("/api/catalogue/izin").json()["items"]]
        assert api.get(f"/api/catalogue/izin/{dropped.id}").status_code == 404
        gone = dropped.layanan[0].jenis_permohonan[0].id
        assert api.get(f"/api/catalogue/permohonan/{gone}/persyaratan").status_code == 404
    finally:
        write_catalogue(table, full, "keep")
    assert api.get(f"/api/catalogue/izin/{dropped.id}").status_code == 200


def test_outbox_lists_what_was_sent_in_one_shape(api):
    # Given a Lupa Password request, which sends a PIN by e-mail and SMS
    body, _ = registered_applicant(api)
    asked = api.post(
        "/api/auth/forgot-password", json={"identifier": body["nik"], "phone": body["phone"], "email": body["email"]}
    )
    assert asked.status_code == 202, asked.text
    # When the outbox is read (the PIN may be sent after the answer), then both messages are there in one shape
    deadline = time.monotonic() + 15
    while True:
        response = api.get("/_local/outbox")
        assert response.status_code == 200
        sent = [m for m in response.json() if m["to"] in (body["email"], "+62" + body["phone"][1:])]
        if len(sent) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert {m["channel"] for m in sent} == {"email", "sms"}
    for message in sent:
        assert {"channel", "to", "subject", "body", "sentAt"} <= set(message)
