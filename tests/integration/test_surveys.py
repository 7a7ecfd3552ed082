"""Survey IKM on the local stack: the invitation when an application ends (Inbox and e-mail,
once), the pending list, one survey per application (a different second one, and concurrent
ones, are 409; the same one sent again gets the first one's answer), who may fill which
survey, and the IKM report matching a hand calculation on a seeded set of surveys, for the
office and per permit type, through the API and through
``ikm_figures``."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import boto3
import pytest

from eptsp.surveys import IkmFigures, ikm_figures
from eptsp.surveys.models import ELEMENTS, Survey
from eptsp.surveys.repository import SurveysRepository
from local_stack.stack import REGION
from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.test_accounts import assert_error
from tests.integration.test_notifications import Person, inbox, outbox
from tests.integration.workflow_helpers import RESEARCH, Applicant, Officers, decide, status_becomes, wait_for

# The nine elements of PermenPANRB 14/2017, in its order and wording.
REGULATION_ELEMENTS = [
    "Persyaratan",
    "Sistem, mekanisme, dan prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
]

U = [f"u{n}" for n in range(1, 10)]
ANSWERS = dict(zip(U, [4, 3, 3, 4, 3, 4, 4, 3, 3], strict=True))


def answers(*scores: int) -> dict[str, int]:
    return dict(zip(U, scores, strict=True))


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def person(api) -> Person:
    return Person(api)


@pytest.fixture(scope="module")
def ended(api, person, officers) -> dict[str, dict]:
    """One application of the person issued (terbit), one rejected (ditolak), one still a draft."""
    applicant = person.applicant
    issued = applicant.submitted(RESEARCH)
    rejected = applicant.submitted(RESEARCH)
    for stage in ("verifikasi", "persetujuan"):
        decide(api, officers, issued["applicationId"], stage)
    decide(api, officers, rejected["applicationId"], "verifikasi", "tolak", notes="Proposal tidak lengkap.")
    return {
        "terbit": status_becomes(applicant, issued["applicationId"], "terbit"),
        "ditolak": status_becomes(applicant, rejected["applicationId"], "ditolak"),
        "draft": applicant.draft(RESEARCH),
    }


def pending(applicant: Applicant) -> dict:
    return applicant.call("GET", "/api/surveys/pending")


def report(api, token: str, expect: int = 200, **params) -> dict:
    response = api.get("/api/officer/reports/ikm", token=token, params=params)
    assert response.status_code == expect, response.text
    return response.json()


def test_an_ended_application_invites_its_applicant_once_by_inbox_and_email(api, stack, person, ended):
    for outcome in ("terbit", "ditolak"):
        app = ended[outcome]
        app_id, receipt = app["applicationId"], app["receiptNumber"]
        # Then the Inbox holds one invitation linking to the survey's form
        invitation = wait_for(
            lambda app_id=app_id: [
                m
                for m in inbox(api, person.applicant.token)
                if m["applicationId"] == app_id and m["kind"] == "survei_diundang"
            ],
            what="the survey invitation",
        )
        assert len(invitation) == 1 and invitation[0]["link"] == f"#/survei/{app_id}"
        assert invitation[0]["title"] == "Bagaimana pelayanan kami?" and receipt in invitation[0]["body"]
        # and one e-mail with the survey's address; no SMS for an invitation
        email = wait_for(
            lambda receipt=receipt: outbox(api, person.email, "email", "Bagaimana pelayanan kami? - " + receipt)
        )
        assert len(email) == 1 and f"/#/survei/{app_id}" in email[0]["body"] and "Isi survei:" in email[0]["body"]
        assert not outbox(api, person.phone, "sms", "survei")
    # When the terbit event reaches the notifier again (a redelivery)
    app_id = ended["terbit"]["applicationId"]
    owner_id = (
        boto3.resource("dynamodb", region_name=REGION)
        .Table(stack.provisioned.physical_ids["ApplicationsTable"])
        .get_item(Key={"pk": f"PERMOHONAN#{app_id}", "sk": "META"})["Item"]["ownerId"]
    )
    sqs = boto3.client("sqs", region_name=REGION)
    event = {"eventId": f"{app_id}#terbit#1", "kind": "terbit", "applicationId": app_id, "ownerId": owner_id}
    sqs.send_message(QueueUrl=stack.provisioned.physical_ids["NotificationQueue"], MessageBody=json.dumps(event))
    stack.event_sources.sqs.wait_until_drained()
    # Then nothing is sent again
    kinds = [m["kind"] for m in inbox(api, person.applicant.token) if m["applicationId"] == app_id]
    assert kinds.count("survei_diundang") == 1 and kinds.count("terbit") == 1
    receipt = ended["terbit"]["receiptNumber"]
    assert len(outbox(api, person.email, "email", "Bagaimana pelayanan kami? - " + receipt)) == 1


def test_pending_lists_ended_applications_with_the_regulations_questionnaire(person, ended):
    body = pending(person.applicant)
    listed = {item["applicationId"]: item for item in body["items"]}
    assert set(listed) == {ended["terbit"]["applicationId"], ended["ditolak"]["applicationId"]}
    issued = listed[ended["terbit"]["applicationId"]]
    assert issued["status"] == "terbit" and issued["receiptNumber"] == ended["terbit"]["receiptNumber"]
    assert issued["izinName"] == ended["terbit"]["izin"]["name"]
    assert issued["link"] == f"#/survei/{issued['applicationId']}"
    # The nine elements of PermenPANRB 14/2017 in its order, each with four labelled answers
    elements = body["elements"]
    assert [e["id"] for e in elements] == U
    assert [e["name"] for e in elements] == REGULATION_ELEMENTS
    assert [c["value"] for c in elements[0]["choices"]] == [1, 2, 3, 4]
    assert [c["label"] for c in elements[0]["choices"]] == ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
    assert [c["label"] for c in elements[3]["choices"]] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]


DROP = object()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"applicationId": DROP}, "applicationId"),
        ({"applicationId": "x"}, "applicationId"),
        ({"answers": DROP}, "answers"),
        ({"answers": {**ANSWERS, "u1": 0}}, "answers.u1"),
        ({"answers": {**ANSWERS, "u9": 5}}, "answers.u9"),
        ({"answers": {**ANSWERS, "u3": "3"}}, "answers.u3"),
        ({"answers": {**ANSWERS, "u3": 3.5}}, "answers.u3"),
        ({"answers": {**ANSWERS, "u4": True}}, "answers.u4"),
        ({"answers": {k: v for k, v in ANSWERS.items() if k != "u9"}}, "answers.u9"),
        ({"answers": {**ANSWERS, "u10": 4}}, "answers.u10"),
        ({"saran": "x" * 1001}, "saran"),
        ({"nilai": 100}, "nilai"),
    ],
    ids=[
        "tanpa-id",
        "id-pendek",
        "tanpa-jawaban",
        "nol",
        "lima",
        "teks",
        "pecahan",
        "boolean",
        "kurang-u9",
        "u10",
        "saran-panjang",
        "lain",
    ],
)
def test_answers_out_of_the_scale_or_incomplete_are_422(api, person, ended, body, field):
    # On the draft: a body the schema accepts would still be refused (not ended), so nothing is stored
    request = {"applicationId": ended["draft"]["applicationId"], "answers": ANSWERS, **body}
    request = {key: value for key, value in request.items() if value is not DROP}
    response = api.post("/api/surveys", token=person.applicant.token, json=request)
    assert_error(response, 422)
    assert response.json()["code"] == "VALIDASI_GAGAL", response.text
    assert field in response.json()["message"] + response.json().get("field", ""), response.text


def test_only_the_owner_fills_and_only_once_the_application_ended(api, person, ended):
    # Another applicant's application is not found, as a made-up one is
    _, other = registered_applicant(api)
    for app_id in (ended["terbit"]["applicationId"], "tidakAdaSamaSekali"):
        response = api.post("/api/surveys", token=other, json={"applicationId": app_id, "answers": ANSWERS})
        assert_error(response, 404)
        assert response.json()["code"] == "PERMOHONAN_TIDAK_DITEMUKAN"
    # A draft has not ended
    response = api.post(
        "/api/surveys",
        token=person.applicant.token,
        json={"applicationId": ended["draft"]["applicationId"], "answers": ANSWERS},
    )
    assert_error(response, 422)
    assert response.json()["code"] == "PERMOHONAN_BELUM_SELESAI" and response.json()["field"] == "applicationId"


def test_a_survey_is_filled_once_and_counted_once(api, person, ended):
    admin = demo_token(api, "admin")
    before = report(api, admin)
    app_id = ended["terbit"]["applicationId"]
    # When the owner fills the survey
    response = api.post(
        "/api/surveys",
        token=person.applicant.token,
        json={"applicationId": app_id, "answers": ANSWERS, "saran": "  Pelayanan cepat.  "},
    )
    assert response.status_code == 201, response.text
    assert response.json()["applicationId"] == app_id and response.json()["message"].startswith("Terima kasih")
    # Then it leaves the pending list; the same survey sent again (its answer lost on the way)
    # gets the same answer, and a different second one is refused in the error shape
    assert app_id not in {i["applicationId"] for i in pending(person.applicant)["items"]}
    retried = api.post(
        "/api/surveys",
        token=person.applicant.token,
        json={"applicationId": app_id, "answers": ANSWERS, "saran": "  Pelayanan cepat.  "},
    )
    assert retried.status_code == 201 and retried.json() == response.json(), retried.text
    again = api.post("/api/surveys", token=person.applicant.token, json={"applicationId": app_id, "answers": ANSWERS})
    assert_error(again, 409)
    assert again.json()["code"] == "SURVEI_SUDAH_DIISI" and "sudah diisi" in again.json()["message"]
    # and the counters of this month, the office's and the permit type's, took it once
    after = report(api, admin)
    assert after["office"]["respondents"] == before["office"]["respondents"] + 1
    izin_id = ended["terbit"]["izin"]["id"]

    def respondents(body: dict) -> int:
        return sum(row["respondents"] for row in body["perIzin"] if row["izinId"] == izin_id)

    assert respondents(after) == respondents(before) + 1


def test_concurrent_surveys_of_one_application_store_one(api, person, ended):
    admin = demo_token(api, "admin")
    before = report(api, admin)["office"]["respondents"]
    app_id = ended["ditolak"]["applicationId"]

    def send(n: int):
        return api.post(
            "/api/surveys",
            token=person.applicant.token,
            json={"applicationId": app_id, "answers": answers(*[1 + n % 4] * 9), "saran": f"Saran ke-{n}."},
        )

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = sorted(r.status_code for r in pool.map(send, range(5)))
    assert statuses == [201, 409, 409, 409, 409]
    assert report(api, admin)["office"]["respondents"] == before + 1
    assert pending(person.applicant)["items"] == []


# A seeded set, by hand (scores u1..u9):
#   ikm-uji-a, 2025-03: (4 x9), (3 x9), (2 3 4 1 2 3 4 3 2)
#       sums 9 10 11 8 9 10 11 10 9 = 87; NRR 3.00 3.33 3.67 2.67 3.00 3.33 3.67 3.33 3.00
#       IKM 87 x 25 / (9 x 3) = 80.555... -> 80.56, B Baik
#   ikm-uji-b, 2025-03: (2 2 2 2 2 2 2 2 3): sum 19; IKM 19 x 25 / 9 = 52.777... -> 52.78, D Tidak Baik
#   office 2025-03: 4 respondents, sums 11 12 13 10 11 12 13 12 12 = 106
#       NRR 2.75 3.00 3.25 2.50 2.75 3.00 3.25 3.00 3.00; IKM 106 x 25 / 36 = 73.611... -> 73.61, C Kurang Baik
#   ikm-uji-a, 2025-04: (4 x9): with March, 4 respondents, sums 13 14 15 12 13 14 15 14 13 = 123,
#       IKM 123 x 25 / 36 = 85.4166... -> 85.42, B
SEED = [
    ("2025-03", "ikm-uji-a", answers(4, 4, 4, 4, 4, 4, 4, 4, 4)),
    ("2025-03", "ikm-uji-a", answers(3, 3, 3, 3, 3, 3, 3, 3, 3)),
    ("2025-03", "ikm-uji-a", answers(2, 3, 4, 1, 2, 3, 4, 3, 2)),
    ("2025-03", "ikm-uji-b", answers(2, 2, 2, 2, 2, 2, 2, 2, 3)),
    ("2025-04", "ikm-uji-a", answers(4, 4, 4, 4, 4, 4, 4, 4, 4)),
]
NAMES = {"ikm-uji-a": "Izin Uji A", "ikm-uji-b": "Izin Uji B"}


@pytest.fixture(scope="module")
def seeded(stack):
    from eptsp.aws import dynamodb_table

    table = stack.provisioned.physical_ids["SurveysTable"]
    repository = SurveysRepository(dynamodb_table(table))
    for n, (month, izin_id, scores) in enumerate(SEED):
        repository.add(
            Survey(
                application_id=f"seedIkm{n:04d}",
                owner_id="pemohon-uji",
                izin_id=izin_id,
                izin_name=NAMES[izin_id],
                outcome="terbit",
                answers=scores,
                saran=None,
                submitted_at=f"{month}-15T02:00:00Z",
                month=month,
            )
        )
    return table


def test_the_ikm_report_matches_the_hand_calculation(api, seeded):
    kepala = demo_token(api, "kepala")
    march = report(api, kepala, **{"from": "2025-03-01", "to": "2025-03-31"})
    assert (march["fromMonth"], march["toMonth"]) == ("2025-03", "2025-03")
    assert march["office"] == {
        "respondents": 4,
        "nrr": dict(zip(U, [2.75, 3.0, 3.25, 2.5, 2.75, 3.0, 3.25, 3.0, 3.0], strict=True)),
        "ikm": 73.61,
        "grade": "C",
        "gradeLabel": "Kurang Baik",
    }
    assert march["perIzin"] == [
        {
            "izinId": "ikm-uji-a",
            "izinName": "Izin Uji A",
            "respondents": 3,
            "nrr": dict(zip(U, [3.0, 3.33, 3.67, 2.67, 3.0, 3.33, 3.67, 3.33, 3.0], strict=True)),
            "ikm": 80.56,
            "grade": "B",
            "gradeLabel": "Baik",
        },
        {
            "izinId": "ikm-uji-b",
            "izinName": "Izin Uji B",
            "respondents": 1,
            "nrr": dict(zip(U, [2.0] * 8 + [3.0], strict=True)),
            "ikm": 52.78,
            "grade": "D",
            "gradeLabel": "Tidak Baik",
        },
    ]
    assert [e["name"] for e in march["elements"]] == [e.name for e in ELEMENTS]
    # Two months, one permit type: the months add up; the office stays the whole office
    spring = report(api, kepala, **{"from": "2025-03-10", "to": "2025-04-02", "izinId": "ikm-uji-a"})
    assert [(r["izinId"], r["respondents"], r["ikm"], r["grade"]) for r in spring["perIzin"]] == [
        ("ikm-uji-a", 4, 85.42, "B")
    ]
    assert spring["office"]["respondents"] == 5
    # A month without surveys has no IKM, no grade
    empty = report(api, kepala, **{"from": "2025-01-01", "to": "2025-02-28"})
    assert empty["office"] == {"respondents": 0, "nrr": {}, "ikm": None, "grade": None, "gradeLabel": None}
    assert empty["perIzin"] == []


def test_ikm_figures_reads_the_same_counters(seeded, monkeypatch):
    monkeypatch.setenv("SURVEYS_TABLE", seeded)
    office = ikm_figures(None, "2025-03", "2025-03")
    assert office == IkmFigures(
        respondents=4,
        nrr=dict(
            zip(U, map(Decimal, ["2.75", "3.00", "3.25", "2.50", "2.75", "3.00", "3.25", "3.00", "3.00"]), strict=True)
        ),
        ikm=Decimal("73.61"),
        grade="C",
        grade_label="Kurang Baik",
    )
    assert ikm_figures("ikm-uji-a", "2025-03", "2025-04").ikm == Decimal("85.42")
    assert ikm_figures("ikm-uji-b", "2025-04", "2025-04") == IkmFigures(0, {}, None, None, None)
    with pytest.raises(ValueError):
        ikm_figures(None, "2025-04", "2025-03")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13-01"}, "from"),
        ({"to": "kemarin"}, "to"),
        ({"from": "2025-04-01", "to": "2025-03-31"}, "from"),
        ({"from": "2023-01-01", "to": "2025-01-31"}, "to"),
        ({"izinId": "Bukan Id!"}, "izinId"),
    ],
    ids=["bulan-13", "bukan-tanggal", "terbalik", "lebih-24-bulan", "izin-tidak-valid"],
)
def test_report_dates_are_validated(api, params, field):
    response = api.get("/api/officer/reports/ikm", token=demo_token(api, "admin"), params=params)
    assert_error(response, 422)
    assert field in response.json().get("field", "") + response.json()["message"], response.text


def test_24_months_is_the_longest_range(api):
    body = report(api, demo_token(api, "admin"), **{"from": "2024-01-01", "to": "2025-12-31"})
    assert (body["fromMonth"], body["toMonth"]) == ("2024-01", "2025-12")
