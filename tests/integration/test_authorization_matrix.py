"""Every route of the API, called by every kind of caller, against who may call it.

``MATRIX`` below is the expected answer, written by hand from the README's table of who
may call what (it is not read from the code under test). Each row names a route, who may
call it, the status an allowed caller gets, and the request to send: real resources (a
draft and a verified file of the owning applicant), so an allowed call reaches the logic.
A route in the OpenAPI document or in template.yaml without a row fails
``test_every_route_has_a_row``: a new route is added here as one more row.

Denials: anonymous on a signed-in route 401; a token of the other user pool 401 (applicants
and officers sign in to different pools, and each route's authorizer takes one pool's
tokens); wrong officer role 403; another applicant on an owned resource 404 (it is not
theirs to know about).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from local_stack import template
from tests.integration.accounts_helpers import login, officer_login, registered_applicant
from tests.integration.documents_helpers import PDF, photo, presign, uploaded
from tools.load_catalogue import read_catalogue

ANONYMOUS, OWNER, OTHER_APPLICANT = "anonim", "pemohon-pemilik", "pemohon-lain"
OFFICERS = ("verifikator", "teknis", "kepala", "admin")
CALLERS = (ANONYMOUS, OWNER, OTHER_APPLICANT, *OFFICERS)
ALLOWED = "allowed"

# Who may call a route: the answer each caller gets, ALLOWED meaning the row's own status.
ANYONE = dict.fromkeys(CALLERS, ALLOWED)
APPLICANTS = {**ANYONE, ANONYMOUS: 401, **dict.fromkeys(OFFICERS, 401)}
OWNER_ONLY = {**APPLICANTS, OTHER_APPLICANT: 404}
OFFICERS_ONLY = {**dict.fromkeys(CALLERS, ALLOWED), ANONYMOUS: 401, OWNER: 401, OTHER_APPLICANT: 401}
ADMIN = {**OFFICERS_ONLY, **dict.fromkeys(OFFICERS, 403), "admin": ALLOWED}
ADMIN_AND_KEPALA = {**ADMIN, "kepala": ALLOWED}
STAGE_OFFICERS = {**OFFICERS_ONLY, "admin": 403}

CATALOGUE = read_catalogue()
IZIN = CATALOGUE.izin[0]
JENIS = next(
    jenis
    for izin in CATALOGUE.izin
    for layanan in izin.layanan
    for jenis in layanan.jenis_permohonan
    if any("pdf" in p.file_types for p in jenis.persyaratan)
)
PDF_REQUIREMENT = next(p for p in JENIS.persyaratan if "pdf" in p.file_types)
LOKASI = {
    "kabupatenKota": "6501",
    "kecamatan": "Tanjung Selor",
    "desaKelurahan": "Tanjung Selor Hilir",
    "address": "Jl. Katamso RT 05",
    "latitude": 2.8375,
    "longitude": 117.3652,
}


class World:
    """Signed-in callers and the owner's real resources, made once per module."""

    def __init__(self, api):
        self.api = api
        self.accounts: dict[str, tuple[str, str]] = {}
        self.tokens: dict[str, str] = {}
        for caller in (OWNER, OTHER_APPLICANT):
            body, self.tokens[caller] = registered_applicant(api)
            self.accounts[caller] = (body["nik"], body["password"])
        for account in api.get("/_local/accounts").json():
            if account["role"] in OFFICERS:
                self.accounts[account["role"]] = (account["username"], account["password"], account["totpSecret"])
                self.tokens[account["role"]] = self.sign_in(account["role"])["accessToken"]
        self.draft_id = self.new_draft()
        self.file_id = uploaded(api, self.tokens[OWNER], "akta.pdf", "application/pdf", PDF)["fileId"]

    def sign_in(self, caller: str) -> dict[str, Any]:
        sign_in = officer_login if caller in OFFICERS else login
        response = sign_in(self.api, *self.accounts[caller])
        assert response.status_code == 200, response.text
        return response.json()

    def as_owner(self, method: str, path: str, **kwargs) -> Any:
        response = self.api.request(method, path, token=self.tokens[OWNER], **kwargs)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def new_draft(self) -> str:
        return self.as_owner("POST", "/api/applications", json={"jenisPermohonanId": JENIS.id})["applicationId"]

    def version(self) -> int:
        return self.as_owner("GET", f"/api/applications/{self.draft_id}")["version"]

    def attach(self) -> None:
        self.as_owner(
            "PUT",
            f"/api/applications/{self.draft_id}/attachments/{PDF_REQUIREMENT.id}",
            json={"fileId": self.file_id, "version": self.version()},
        )

    def photo_id(self) -> str:
        """A checked photo of the owner's, uploaded on first use."""
        if not hasattr(self, "_photo_id"):
            self._photo_id = uploaded(self.api, self.tokens[OWNER], "hal-1.jpg", "image/jpeg", photo())["fileId"]
        return self._photo_id

    def pending_file(self) -> str:
        answer = presign(self.api, self.tokens[OWNER], "surat.pdf", "application/pdf", 1000)
        assert answer.status_code == 201, answer.text
        return answer.json()["fileId"]


# A probe gives the path and JSON body of the request for one caller.
Probe = Callable[[World], tuple[str, Any]]


def fixed(path: str, body: Any = None) -> Probe:
    return lambda world: (path, body)


def on_draft(suffix: str = "", body: Callable[[World], Any] | None = None) -> Probe:
    return lambda world: (f"/api/applications/{world.draft_id}{suffix}", body(world) if body else None)


def on_draft_as_officer(suffix: str = "") -> Probe:
    return lambda world: (f"/api/officer/applications/{world.draft_id}{suffix}", None)


@dataclass(frozen=True)
class Row:
    route: str  # the route key: "METHOD /path/{param}"
    who: dict[str, Any]
    allowed: int
    probe: Probe
    own_session: bool = False  # the call ends the session: each caller signs in afresh for it

    @property
    def method(self) -> str:
        return self.route.split(" ", 1)[0]


A_DRAFT_ATTACHMENT = f"/attachments/{PDF_REQUIREMENT.id}"
COMPLAINT = {"category": "waktu", "text": "Permohonan saya belum ada kabar sejak dua minggu."}


def on_new_complaint(path: str, body: Any = None) -> Probe:
    """A fresh complaint of the owner's for each call (so a close is never a second one)."""

    def probe(world: World) -> tuple[str, Any]:
        complaint_id = world.as_owner("POST", "/api/complaints", json=COMPLAINT)["complaintId"]
        return path.format(id=complaint_id), body

    return probe


SURVEY_ELEMENTS = [f"u{n}" for n in range(1, 10)]

MATRIX = [
    # Katalog: steps 1-3 of Pengajuan Permohonan
    Row("GET /api/catalogue/izin", ANYONE, 200, fixed("/api/catalogue/izin")),
    Row("GET /api/catalogue/izin/{izinId}", ANYONE, 200, fixed(f"/api/catalogue/izin/{IZIN.id}")),
    Row(
        "GET /api/catalogue/permohonan/{jenisPermohonanId}/persyaratan",
        ANYONE,
        200,
        fixed(f"/api/catalogue/permohonan/{JENIS.id}/persyaratan"),
    ),
    # Referensi: the rules the browser shares with the API
    Row("GET /api/meta", ANYONE, 200, fixed("/api/meta")),
    # Akun: public routes get as far as checking the (empty) body
    Row("GET /api/auth/captcha", ANYONE, 200, fixed("/api/auth/captcha")),
    Row("POST /api/auth/register", ANYONE, 422, fixed("/api/auth/register", {})),
    Row("POST /api/auth/activate", ANYONE, 422, fixed("/api/auth/activate", {})),
    Row("POST /api/auth/activate/resend", ANYONE, 422, fixed("/api/auth/activate/resend", {})),
    Row("POST /api/auth/login", ANYONE, 422, fixed("/api/auth/login", {})),
    Row("POST /api/auth/refresh", ANYONE, 422, fixed("/api/auth/refresh", {"refreshToken": 7})),
    Row("POST /api/auth/forgot-password", ANYONE, 422, fixed("/api/auth/forgot-password", {})),
    Row("POST /api/auth/reset-password", ANYONE, 422, fixed("/api/auth/reset-password", {})),
    Row("POST /api/auth/logout", APPLICANTS, 204, fixed("/api/auth/logout"), own_session=True),
    # Akun petugas: their own pool, their own sign-in (password, then the authenticator's code)
    Row("POST /api/officer/auth/login", ANYONE, 422, fixed("/api/officer/auth/login", {})),
    Row("POST /api/officer/auth/mfa", ANYONE, 422, fixed("/api/officer/auth/mfa", {})),
    Row("POST /api/officer/auth/logout", OFFICERS_ONLY, 204, fixed("/api/officer/auth/logout"), own_session=True),
    Row("GET /api/officer/me", OFFICERS_ONLY, 200, fixed("/api/officer/me")),
    Row("POST /api/officer/me/password", OFFICERS_ONLY, 422, fixed("/api/officer/me/password", {})),
    # Profil
    Row("GET /api/me", APPLICANTS, 200, fixed("/api/me")),
    Row("PUT /api/me", APPLICANTS, 422, fixed("/api/me", {})),
    Row("POST /api/me/password", APPLICANTS, 422, fixed("/api/me/password", {})),
    Row("POST /api/me/contact/confirm", APPLICANTS, 422, fixed("/api/me/contact/confirm", {})),
    # Admin
    Row("POST /api/admin/officers", ADMIN, 422, fixed("/api/admin/officers", {})),
    # Catalogue administration: admins reach the logic; nothing is changed ({} is 422, an undeclared day off 404)
    Row("GET /api/admin/catalogue/izin/{izinId}", ADMIN, 200, fixed(f"/api/admin/catalogue/izin/{IZIN.id}")),
    Row("POST /api/admin/catalogue/izin", ADMIN, 422, fixed("/api/admin/catalogue/izin", {})),
    Row("PUT /api/admin/catalogue/izin/{izinId}", ADMIN, 422, fixed(f"/api/admin/catalogue/izin/{IZIN.id}", {})),
    Row(
        "PUT /api/admin/catalogue/izin/{izinId}/layanan/{layananId}",
        ADMIN,
        422,
        fixed(f"/api/admin/catalogue/izin/{IZIN.id}/layanan/{IZIN.layanan[0].id}", {}),
    ),
    Row(
        "PUT /api/admin/catalogue/permohonan/{jenisPermohonanId}",
        ADMIN,
        422,
        fixed(f"/api/admin/catalogue/permohonan/{JENIS.id}", {}),
    ),
    Row("GET /api/admin/catalogue/audit", ADMIN, 200, fixed("/api/admin/catalogue/audit")),
    Row("GET /api/admin/calendar", ADMIN, 200, fixed("/api/admin/calendar")),
    Row("PUT /api/admin/calendar/{date}", ADMIN, 422, fixed("/api/admin/calendar/2026-12-01", {})),
    Row("DELETE /api/admin/calendar/{date}", ADMIN, 404, fixed("/api/admin/calendar/2026-12-01?version=1")),
    # Permohonan: an applicant's own drafts
    Row("POST /api/applications", APPLICANTS, 201, fixed("/api/applications", {"jenisPermohonanId": JENIS.id})),
    Row("GET /api/applications", APPLICANTS, 200, fixed("/api/applications")),
    Row("GET /api/applications/{applicationId}", OWNER_ONLY, 200, on_draft()),
    Row(
        "DELETE /api/applications/{applicationId}",
        OWNER_ONLY,
        204,
        lambda world: (f"/api/applications/{world.new_draft()}", None),
    ),
    Row(
        "PUT /api/applications/{applicationId}/sections/{section}",
        OWNER_ONLY,
        200,
        on_draft("/sections/lokasi", lambda world: {"version": world.version(), "data": LOKASI}),
    ),
    Row(
        "PUT /api/applications/{applicationId}/attachments/{requirementId}",
        OWNER_ONLY,
        200,
        on_draft(A_DRAFT_ATTACHMENT, lambda world: {"fileId": world.file_id, "version": world.version()}),
    ),
    Row(
        "DELETE /api/applications/{applicationId}/attachments/{requirementId}",
        OWNER_ONLY,
        200,
        on_draft(A_DRAFT_ATTACHMENT, lambda world: world.attach()),  # attached first, so there is one to remove
    ),
    Row(
        "PUT /api/applications/{applicationId}/declaration",
        OWNER_ONLY,
        200,
        on_draft("/declaration", lambda world: {"version": world.version(), "agreed": False}),
    ),
    Row("GET /api/applications/{applicationId}/completeness", OWNER_ONLY, 200, on_draft("/completeness")),
    # Cetak Resi: the owner reaches the logic, which has no receipt for a draft (409 BELUM_DIAJUKAN)
    Row("GET /api/applications/{applicationId}/receipt", OWNER_ONLY, 409, on_draft("/receipt")),
    # Unduh Izin: the owner reaches the logic, which has no permit for a draft (409 IZIN_BELUM_TERBIT)
    Row("GET /api/applications/{applicationId}/permit", OWNER_ONLY, 409, on_draft("/permit")),
    # Verification: anyone; a made-up permit id is answered (200, "tidak valid"), not refused
    Row("GET /api/verify/{permitId}", ANYONE, 200, fixed("/api/verify/0123456789ABCDEF")),
    # Revocation: admins only; a made-up permit is 404
    Row(
        "POST /api/officer/permits/{permitId}/revoke",
        ADMIN,
        404,
        fixed("/api/officer/permits/0123456789ABCDEF/revoke", {"reason": "Izin dicabut karena pelanggaran."}),
    ),
    # Kirim: the owner reaches the logic, which refuses a stale version (409) or a draft not in perbaikan (409)
    Row(
        "POST /api/applications/{applicationId}/submit",
        OWNER_ONLY,
        409,
        on_draft("/submit", lambda w: {"version": 999}),
    ),
    Row(
        "POST /api/applications/{applicationId}/resubmit",
        OWNER_ONLY,
        409,
        on_draft("/resubmit", lambda world: {"version": world.version()}),
    ),
    # Petugas: worklists and decisions; a draft or an unknown task is not theirs to find (404)
    Row("GET /api/officer/tasks", OFFICERS_ONLY, 200, fixed("/api/officer/tasks")),
    Row("GET /api/officer/applications/{applicationId}", OFFICERS_ONLY, 404, on_draft_as_officer()),
    Row(
        "POST /api/officer/tasks/{taskId}/claim", OFFICERS_ONLY, 404, fixed("/api/officer/tasks/tugasTidakAda01/claim")
    ),
    Row(
        "POST /api/officer/tasks/{taskId}/decision",
        STAGE_OFFICERS,
        404,
        fixed("/api/officer/tasks/tugasTidakAda01/decision", {"decision": "setuju"}),
    ),
    Row("POST /api/officer/applications/{applicationId}/retry", ADMIN, 409, on_draft_as_officer("/retry")),
    # Monitoring Izin: anyone by receipt number; the History Proses signed in (an unknown number is 404)
    Row("GET /api/monitoring/{receiptNumber}", ANYONE, 404, fixed("/api/monitoring/2611-0000-0000")),
    Row(
        "GET /api/monitoring/{receiptNumber}/riwayat", APPLICANTS, 404, fixed("/api/monitoring/2611-0000-0000/riwayat")
    ),
    Row(
        "GET /api/officer/monitoring/{receiptNumber}/riwayat",
        OFFICERS_ONLY,
        404,
        fixed("/api/officer/monitoring/2611-0000-0000/riwayat"),
    ),
    # Kotak Masuk: each applicant's own (a made-up message id is 404)
    Row("GET /api/inbox", APPLICANTS, 200, fixed("/api/inbox")),
    Row("GET /api/inbox/unread-count", APPLICANTS, 200, fixed("/api/inbox/unread-count")),
    Row("POST /api/inbox/{messageId}/read", APPLICANTS, 404, fixed("/api/inbox/20260101T000000000Z-00000000/read")),
    Row("POST /api/inbox/read-all", APPLICANTS, 204, fixed("/api/inbox/read-all")),
    # Survei IKM: an applicant's own ended applications (the owner's draft has not ended: 422);
    # the IKM report is for admin and kepala
    Row("GET /api/surveys/pending", APPLICANTS, 200, fixed("/api/surveys/pending")),
    Row(
        "POST /api/surveys",
        OWNER_ONLY,
        422,
        lambda world: (
            "/api/surveys",
            {"applicationId": world.draft_id, "answers": {f"u{n}": 3 for n in range(1, 10)}},
        ),
    ),
    Row(
        "GET /api/officer/reports/ikm",
        ADMIN_AND_KEPALA,
        200,
        fixed("/api/officer/reports/ikm"),
    ),
    Row(
        "GET /api/officer/reports/summary",
        ADMIN_AND_KEPALA,
        200,
        fixed("/api/officer/reports/summary?from=2025-01-01&to=2025-01-31"),
    ),
    Row("GET /api/public/kinerja", ANYONE, 200, fixed("/api/public/kinerja")),
    # Pengaduan: an applicant's own complaints; officers of COMPLAINT_ROLES (admin by default) answer
    Row("POST /api/complaints", APPLICANTS, 201, fixed("/api/complaints", COMPLAINT)),
    Row("GET /api/complaints", APPLICANTS, 200, fixed("/api/complaints")),
    Row("GET /api/complaints/{complaintId}", OWNER_ONLY, 200, on_new_complaint("/api/complaints/{id}")),
    Row("GET /api/officer/complaints", ADMIN, 200, fixed("/api/officer/complaints?status=diterima")),
    Row(
        "POST /api/officer/complaints/{complaintId}/replies",
        ADMIN,
        201,
        on_new_complaint("/api/officer/complaints/{id}/replies", {"text": "Sedang kami periksa."}),
    ),
    Row(
        "POST /api/officer/complaints/{complaintId}/close",
        ADMIN,
        200,
        on_new_complaint("/api/officer/complaints/{id}/close"),
    ),
    # File Saya
    Row(
        "POST /api/files/presign",
        APPLICANTS,
        201,
        fixed("/api/files/presign", {"fileName": "ktp.pdf", "contentType": "application/pdf", "size": 1000}),
    ),
    Row("GET /api/files", APPLICANTS, 200, fixed("/api/files")),
    Row("GET /api/files/{fileId}", OWNER_ONLY, 200, lambda world: (f"/api/files/{world.file_id}", None)),
    Row("DELETE /api/files/{fileId}", OWNER_ONLY, 204, lambda world: (f"/api/files/{world.pending_file()}", None)),
    # Photos of pages merged into one PDF: only the owner's own photos (another applicant's: 404)
    Row(
        "POST /api/files/merge",
        OWNER_ONLY,
        201,
        lambda world: ("/api/files/merge", {"fileIds": [world.photo_id()], "fileName": "sertifikat"}),
    ),
    # The API console
    Row("GET /api/openapi.json", ANYONE, 200, fixed("/api/openapi.json")),
    Row("GET /api/docs", ANYONE, 200, fixed("/api/docs")),
]

ROWS = {row.route: row for row in MATRIX}
TEMPLATE_ROUTES = {
    route.route_key for spec in template.functions(template.load_sam_template()) for route in spec.routes
}
SIGNED_IN_ROWS = [row for row in MATRIX if row.who[ANONYMOUS] == 401]


@pytest.fixture(scope="module")
def world(api) -> World:
    return World(api)


def assert_error(response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"code", "message", "field"} and body["code"] and body["message"], body


def test_every_route_has_a_row(api):
    document = api.get("/api/openapi.json").json()
    documented = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}
    assert documented - ROWS.keys() == set(), "routes of the OpenAPI document without a row in MATRIX"
    assert TEMPLATE_ROUTES - ROWS.keys() == set(), "routes of template.yaml without a row in MATRIX"
    assert ROWS.keys() - TEMPLATE_ROUTES == set(), "rows for routes the template does not have"
    assert len(ROWS) == len(MATRIX), "one row per route"


@pytest.mark.parametrize(
    ("row", "caller"),
    [(row, caller) for row in MATRIX for caller in CALLERS],
    ids=[f"{row.route}-{caller}" for row in MATRIX for caller in CALLERS],
)
def test_who_may_call_what(api, world, row, caller):
    # Given the caller's token (a fresh session when the call ends it) and the row's request
    token = None
    if caller != ANONYMOUS:
        token = world.sign_in(caller)["accessToken"] if row.own_session else world.tokens[caller]
    path, body = row.probe(world)
    # When the caller sends it
    response = api.request(row.method, path, token=token, json=body)
    # Then an allowed caller reaches the logic and gets the row's status; anyone else is refused
    expected = row.allowed if row.who[caller] == ALLOWED else row.who[caller]
    if expected >= 400:
        assert_error(response, expected)
    else:
        assert response.status_code == expected, response.text


@pytest.mark.parametrize("row", SIGNED_IN_ROWS, ids=[row.route for row in SIGNED_IN_ROWS])
def test_an_id_token_is_not_a_credential(api, world, row):
    # Given the owner's ID token from a real sign-in (valid signature, issuer and audience)
    id_token = world.sign_in(OWNER)["idToken"]
    path, body = row.probe(world)
    # Then every signed-in route refuses it, before reading anything
    assert_error(api.request(row.method, path, token=id_token, json=body), 401)


def test_a_signed_out_session_is_401_before_the_body_is_read(api, world):
    # Given sessions that were signed out
    applicant = world.sign_in(OWNER)["accessToken"]
    admin = world.sign_in("admin")["accessToken"]
    assert api.post("/api/auth/logout", token=applicant).status_code == 204
    assert api.post("/api/officer/auth/logout", token=admin).status_code == 204
    # Then an empty body gets 401, not the schema's 422
    assert_error(api.put("/api/me", token=applicant, json={}), 401)
    assert_error(api.post("/api/admin/officers", token=admin, json={}), 401)
    assert_error(api.post("/api/applications", token=applicant, json={}), 401)
