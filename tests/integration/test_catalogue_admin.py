"""Catalogue administration through the API: an admin adds and changes permit types,
services and application types (SLA, perbaikan deadline, requirements, detail fields),
validated by the loader's own models, each change audited and guarded by a version;
applications already started or submitted keep their snapshot.

Every test works on permits of its own (copies of a seed permit under new ids), so the
seeded catalogue other tests rely on never changes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from eptsp.catalogue.models import Izin, JenisPermohonan
from eptsp.workdays import national_calendar
from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.workflow_helpers import CATALOGUE, FISHING, Applicant

SEED_IZIN = next(i for i in CATALOGUE.izin if any(j.id == FISHING.id for s in i.layanan for j in s.jenis_permohonan))
ADMIN = "admin"


def dump(model) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def copy_of_seed_izin() -> dict[str, Any]:
    """The seed permit of FISHING under fresh ids (its own, its services', its application types')."""
    suffix = uuid.uuid4().hex[:6]
    data = dump(SEED_IZIN)
    data["id"] = f"{data['id']}-uji-{suffix}"
    data["name"] = f"{data['name']} (uji {suffix})"
    for layanan in data["layanan"]:
        layanan["id"] = f"{layanan['id']}-uji-{suffix}"
        for jenis in layanan["jenisPermohonan"]:
            jenis["id"] = f"{jenis['id']}-uji-{suffix}"
    return data


def baru_of(izin: dict[str, Any]) -> dict[str, Any]:
    """The copy of FISHING (a new application, by a company)."""
    return next(j for s in izin["layanan"] for j in s["jenisPermohonan"] if j["id"].startswith(f"{FISHING.id}-uji-"))


@pytest.fixture(scope="module")
def admin(api) -> str:
    return demo_token(api, ADMIN)


@pytest.fixture(scope="module")
def applicant(api) -> Applicant:
    return Applicant(api, registered_applicant(api)[1])


def created(api, admin: str, services: int = 3) -> dict[str, Any]:
    body = copy_of_seed_izin()
    body["layanan"] = body["layanan"][:services]
    response = api.post("/api/admin/catalogue/izin", token=admin, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def audit_entries(api, admin: str, target_id: str) -> list[dict[str, Any]]:
    # The newest page is enough: the change looked for was just made
    page = api.get("/api/admin/catalogue/audit", token=admin, params={"limit": 10})
    assert page.status_code == 200, page.text
    return [e for e in page.json()["items"] if e["targetId"] == target_id]


def test_an_admin_adds_a_permit_type_that_applicants_then_find(api, admin):
    # Given a new permit type, in the seed document's own shape
    body = copy_of_seed_izin()
    # When the admin adds it
    response = api.post("/api/admin/catalogue/izin", token=admin, json=body)
    # Then it is stored at version 1, marked as an admin's, and steps 1-3 show it
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["version"] == 1 and answer["origin"] == "admin" and answer["izin"]["id"] == body["id"]
    assert body["id"] in [i["id"] for i in api.get("/api/catalogue/izin").json()["items"]]
    assert api.get(f"/api/catalogue/izin/{body['id']}").json()["name"] == body["name"]
    jenis = baru_of(body)
    shown = api.get(f"/api/catalogue/permohonan/{jenis['id']}/persyaratan").json()
    assert shown["slaWorkingDays"] == jenis["slaWorkingDays"] and shown["izin"]["id"] == body["id"]
    # and the admin reads it back as stored
    assert api.get(f"/api/admin/catalogue/izin/{body['id']}", token=admin).json() == answer
    # and the audit trail says who added what
    [entry] = audit_entries(api, admin, body["id"])
    assert entry["action"] == "tambah" and entry["target"] == "izin" and entry["before"] is None
    assert entry["actor"]["role"] == ADMIN and entry["actor"]["username"] == answer["updatedBy"]
    assert entry["after"]["id"] == body["id"] and entry["version"] == 1
    # and adding it twice is refused
    again = api.post("/api/admin/catalogue/izin", token=admin, json=body)
    assert again.status_code == 409 and again.json()["code"] == "IZIN_SUDAH_ADA", again.text


def test_a_change_never_alters_applications_already_started_or_submitted(api, admin, applicant):
    # Given a permit type with a draft started and an application submitted under its old rules
    izin = created(api, admin)
    jenis = JenisPermohonan.model_validate(baru_of(izin["izin"]))
    draft = applicant.call("POST", "/api/applications", 201, json={"jenisPermohonanId": jenis.id})
    submitted = applicant.submitted(jenis)
    before_draft = applicant.application(draft["applicationId"])
    before_submitted = applicant.application(submitted["applicationId"])
    # When the admin changes its SLA, perbaikan deadline, requirements and detail fields
    changed = dump(jenis)
    changed["slaWorkingDays"] = jenis.sla_working_days + 5
    changed["perbaikanDays"] = jenis.perbaikan_days + 7
    changed["persyaratan"].append(
        {
            "id": "surat-izin-atasan",
            "name": "Surat Izin Atasan",
            "description": "Surat izin dari atasan langsung.",
            "mandatory": True,
            "fileTypes": ["pdf"],
        }
    )
    changed["detailFields"].append(
        {"id": "jumlahResponden", "label": "Jumlah Responden", "type": "integer", "required": True, "min": 1}
    )
    response = api.put(
        f"/api/admin/catalogue/permohonan/{jenis.id}", token=admin, json={"version": 1, "jenisPermohonan": changed}
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    # Then new applicants see the new rules
    shown = api.get(f"/api/catalogue/permohonan/{jenis.id}/persyaratan").json()
    assert shown["slaWorkingDays"] == changed["slaWorkingDays"] and shown["perbaikanDays"] == changed["perbaikanDays"]
    assert "surat-izin-atasan" in [p["id"] for p in shown["persyaratan"]]
    fresh = applicant.call("POST", "/api/applications", 201, json={"jenisPermohonanId": jenis.id})
    assert "surat-izin-atasan" in [p["id"] for p in fresh["persyaratan"]]
    assert "jumlahResponden" in [f["id"] for f in fresh["detailFields"]]
    # but the draft and the submitted application keep exactly what they were started with
    assert applicant.application(draft["applicationId"]) == before_draft
    after_submitted = applicant.application(submitted["applicationId"])
    assert after_submitted == before_submitted
    assert after_submitted["estimatedFinish"] == submitted["estimatedFinish"]
    assert "surat-izin-atasan" not in [p["id"] for p in after_submitted["persyaratan"]]
    # and the audit has the application type before and after
    [entry] = audit_entries(api, admin, jenis.id)
    assert entry["target"] == "jenis_permohonan" and entry["izinId"] == izin["izin"]["id"]
    assert entry["before"]["slaWorkingDays"] == jenis.sla_working_days
    assert entry["after"]["slaWorkingDays"] == changed["slaWorkingDays"] and entry["version"] == 2


def test_two_admins_do_not_overwrite_each_other(api, admin):
    # Given two admins who read the same version
    izin = created(api, admin)
    izin_id = izin["izin"]["id"]
    other = demo_token(api, ADMIN)
    first, second = dict(izin["izin"]), dict(izin["izin"])
    first["description"] = "Perubahan admin pertama."
    second["description"] = "Perubahan admin kedua."
    # When both save
    one = api.put(f"/api/admin/catalogue/izin/{izin_id}", token=admin, json={"version": 1, "izin": first})
    two = api.put(f"/api/admin/catalogue/izin/{izin_id}", token=other, json={"version": 1, "izin": second})
    # Then the first wins and the second is told its version is stale, overwriting nothing
    assert one.status_code == 200 and one.json()["version"] == 2, one.text
    assert two.status_code == 409 and two.json()["code"] == "VERSI_USANG", two.text
    stored = api.get(f"/api/admin/catalogue/izin/{izin_id}", token=admin).json()
    assert stored["version"] == 2 and stored["izin"]["description"] == "Perubahan admin pertama."
    assert api.get(f"/api/catalogue/izin/{izin_id}").json()["description"] == "Perubahan admin pertama."
    assert [e["action"] for e in audit_entries(api, admin, izin_id)] == ["ubah", "tambah"]


def test_an_admin_adds_and_replaces_a_service(api, admin):
    izin = created(api, admin, services=1)
    izin_id = izin["izin"]["id"]
    service = dict(izin["izin"]["layanan"][0])
    suffix = uuid.uuid4().hex[:6]
    service["id"] = f"layanan-tambahan-{suffix}"
    service["name"] = "Layanan Tambahan"
    service["jenisPermohonan"] = [
        {**j, "id": f"{j['id']}-tambahan-{suffix}"} for j in izin["izin"]["layanan"][0]["jenisPermohonan"]
    ]
    path = f"/api/admin/catalogue/izin/{izin_id}/layanan/{service['id']}"
    # When a new service is put, then it is added (201) and listed with its application types
    added = api.put(path, token=admin, json={"version": 1, "layanan": service})
    assert added.status_code == 201, added.text
    detail = api.get(f"/api/catalogue/izin/{izin_id}").json()
    assert [s["id"] for s in detail["layanan"]][-1] == service["id"]
    # When it is put again changed, then it is replaced (200)
    service["name"] = "Layanan Tambahan (diubah)"
    replaced = api.put(path, token=admin, json={"version": 2, "layanan": service})
    assert replaced.status_code == 200, replaced.text
    assert api.get(f"/api/catalogue/izin/{izin_id}").json()["layanan"][-1]["name"] == "Layanan Tambahan (diubah)"
    entries = audit_entries(api, admin, service["id"])
    assert [e["action"] for e in entries] == ["ubah", "tambah"] and entries[0]["before"]["name"] == "Layanan Tambahan"
    # And a service with only one application type breaks a catalogue rule: 422, nothing saved
    service["jenisPermohonan"] = service["jenisPermohonan"][:1]
    broken = api.put(path, token=admin, json={"version": 3, "layanan": service})
    assert broken.status_code == 422 and broken.json()["code"] == "VALIDASI_GAGAL", broken.text
    assert api.get(f"/api/admin/catalogue/izin/{izin_id}", token=admin).json()["version"] == 3


def test_changes_that_break_a_catalogue_rule_are_422_and_save_nothing(api, admin):
    izin = created(api, admin)
    izin_id = izin["izin"]["id"]
    jenis = baru_of(izin["izin"])
    path = f"/api/admin/catalogue/permohonan/{jenis['id']}"

    def refused(body: dict[str, Any], status: int = 422) -> dict[str, Any]:
        response = api.put(path, token=admin, json={"version": 1, "jenisPermohonan": body})
        assert response.status_code == status, response.text
        error = response.json()
        assert set(error) <= {"code", "message", "field"} and error["message"]
        return error

    # A field survey without a technical review (a rule of the loader's models)
    error = refused({**jenis, "fieldSurvey": True, "technicalReview": False})
    assert "technicalReview" in error["message"]
    # An SLA out of range, an unknown key (a typo), a wrong type
    assert refused({**jenis, "slaWorkingDays": 0})["field"].endswith("slaWorkingDays")
    assert refused({**jenis, "slaHari": 3})["code"] == "VALIDASI_GAGAL"
    assert refused({**jenis, "perbaikanDays": "empat belas"})["field"].endswith("perbaikanDays")
    # No mandatory requirement
    error = refused({**jenis, "persyaratan": [{**p, "mandatory": False} for p in jenis["persyaratan"]]})
    assert "wajib" in error["message"]
    # Another id in the path than in the body
    assert refused({**jenis, "id": "lain-sama-sekali"})["field"] == "jenisPermohonan.id"
    # An unknown application type
    unknown = api.put(
        "/api/admin/catalogue/permohonan/tidak-ada-sama-sekali",
        token=admin,
        json={"version": 1, "jenisPermohonan": {**jenis, "id": "tidak-ada-sama-sekali"}},
    )
    assert unknown.status_code == 404, unknown.text
    # Nothing was saved
    assert api.get(f"/api/admin/catalogue/izin/{izin_id}", token=admin).json()["version"] == 1
    # A new permit that reuses an id another permit holds is 409, naming the id
    clash = copy_of_seed_izin()
    clash["layanan"][0]["jenisPermohonan"][0]["id"] = jenis["id"]
    taken = api.post("/api/admin/catalogue/izin", token=admin, json=clash)
    assert taken.status_code == 409 and taken.json()["code"] == "ID_SUDAH_DIPAKAI", taken.text
    assert taken.json()["field"] == jenis["id"]
    assert api.get(f"/api/catalogue/izin/{clash['id']}").status_code == 404
    # And the permit's id cannot be changed through its own address
    renamed = {**izin["izin"], "id": "izin-lain"}
    moved = api.put(f"/api/admin/catalogue/izin/{izin_id}", token=admin, json={"version": 1, "izin": renamed})
    assert moved.status_code == 422 and moved.json()["field"] == "izin.id", moved.text


def test_the_audit_trail_pages_with_cursors_newest_first(api, admin):
    created(api, admin)
    created(api, admin)
    first = api.get("/api/admin/catalogue/audit", token=admin, params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["cursor"]
    second = api.get("/api/admin/catalogue/audit", token=admin, params={"limit": 1, "cursor": first["cursor"]}).json()
    assert len(second["items"]) == 1 and second["items"][0]["at"] <= first["items"][0]["at"]
    assert second["items"][0]["auditId"] != first["items"][0]["auditId"]
    forged = api.get("/api/admin/catalogue/audit", token=admin, params={"cursor": "eyJwayI6IklOQk9YI3gifQ"})
    assert forged.status_code == 422 and forged.json()["field"] == "cursor", forged.text


def test_the_admin_view_is_the_seed_models_own_shape(api, admin):
    # The seed's permits are readable for editing, as the loader stored them
    stored = api.get(f"/api/admin/catalogue/izin/{SEED_IZIN.id}", token=admin).json()
    assert stored["origin"] == "seed" and stored["updatedBy"] == "seed/catalogue.yaml"
    assert Izin.model_validate(stored["izin"]) == SEED_IZIN
    assert api.get("/api/admin/catalogue/izin/tidak-ada", token=admin).status_code == 404


# ---------------------------------------------------------------------- the seed loader


@pytest.fixture()
def fresh_table(stack):
    """A catalogue table of its own on the session's emulator, as a new office's would be."""
    from eptsp.aws import client
    from tests.integration.table_helpers import scratch_table
    from tools.load_catalogue import catalogue_table

    name = scratch_table(client("dynamodb"), "catalogue-loader")
    try:
        yield catalogue_table(name)
    finally:
        client("dynamodb").delete_table(TableName=name)


def trail(table) -> list[tuple[str, str]]:
    """What the audit trail holds, read directly (only what identifies each change)."""
    answer = table.query(
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": "AUDIT"},
        ProjectionExpression="targetId, #action",
        ExpressionAttributeNames={"#action": "action"},
    )
    return [(item["targetId"], item["action"]) for item in answer["Items"]]


def test_the_loader_starts_an_office_and_never_overwrites_admin_changes_silently(fresh_table):
    from eptsp.catalogue.admin import AdminChangesFound, CatalogueAdminService, load_seed
    from eptsp.catalogue.audit import AuditRepository
    from eptsp.catalogue.calendar import CalendarRepository, CalendarService
    from eptsp.catalogue.models import CatalogueDocument, CatalogueInvalid
    from eptsp.catalogue.repository import CatalogueRepository

    repository = CatalogueRepository(fresh_table)
    admin = CatalogueAdminService(repository, AuditRepository(fresh_table))
    actor = ("199104172019031004", "admin")
    # Given a new office: the seed is loaded, each permit at version 1 and audited once
    first = load_seed(repository, CATALOGUE)
    assert first.loaded == len(CATALOGUE.izin) and not (first.kept or first.replaced or first.removed)
    assert [s.id for s in repository.list_izin()] == [i.id for i in CATALOGUE.izin]
    assert admin.get(SEED_IZIN.id).version == 1
    # Loading the same file again changes nothing and audits nothing
    entries = trail(fresh_table)
    load_seed(repository, CATALOGUE)
    assert admin.get(SEED_IZIN.id).version == 1 and trail(fresh_table) == entries
    # When an admin changes one permit, adds one, and declares an office day off
    jenis = SEED_IZIN.layanan[0].jenis_permohonan[0]
    changed = dump(jenis) | {"slaWorkingDays": jenis.sla_working_days + 1}
    admin.put_jenis_permohonan(actor, jenis.id, 1, JenisPermohonan.model_validate(changed))
    added = Izin.model_validate(copy_of_seed_izin())
    admin.create(actor, added)
    day = national_calendar().add(date(datetime.now(UTC).year, 6, 1), 1)
    CalendarService(CalendarRepository(fresh_table)).put(actor, day, "libur_daerah", "Libur daerah", None)
    # Then the loader, by default, refuses and writes nothing, naming both permits
    with pytest.raises(AdminChangesFound) as found:
        load_seed(repository, CATALOGUE)
    assert sorted(s.izin.id for s in found.value.sources) == sorted([SEED_IZIN.id, added.id])
    assert repository.get_persyaratan(jenis.id).sla_working_days == jenis.sla_working_days + 1
    # With "keep" it loads the rest and leaves the admin's permits as they are
    kept = load_seed(repository, CATALOGUE, "keep")
    assert kept.kept == sorted([SEED_IZIN.id, added.id]) and not kept.removed
    assert repository.get_persyaratan(jenis.id).sla_working_days == jenis.sla_working_days + 1
    assert repository.get_izin(added.id) is not None
    # A newer file that takes an id an admin's permit holds is refused before anything is written
    clash = copy_of_seed_izin()
    clash["layanan"][0]["id"] = added.layanan[0].id
    newer = CatalogueDocument(version=1, izin=[*CATALOGUE.izin, Izin.model_validate(clash)])
    with pytest.raises(CatalogueInvalid, match=added.layanan[0].id):
        load_seed(repository, newer, "keep")
    assert repository.get_izin(clash["id"]) is None
    # With "replace" the file wins: the changed permit is the seed's again, the added one is gone
    replaced = load_seed(repository, CATALOGUE, "replace")
    assert replaced.replaced == [SEED_IZIN.id] and replaced.removed == [added.id]
    assert repository.get_persyaratan(jenis.id).sla_working_days == jenis.sla_working_days
    assert repository.get_izin(added.id) is None and repository.claimant(added.layanan[0].id) is None
    assert admin.get(SEED_IZIN.id).origin == "seed" and admin.get(SEED_IZIN.id).version == 3
    # And the office calendar and the audit trail survive every load
    assert CalendarRepository(fresh_table).all_days() == frozenset({day})
    actions = trail(fresh_table)
    assert (added.id, "hapus") in actions and (SEED_IZIN.id, "muat_seed") in actions
    assert (day.isoformat(), "tambah") in actions
