"""Penerbitan on moto: an application approved through the officer API gets its permit
(number, KMS signature, PDF, ``terbit``); Unduh Izin for its owner only; verification of a
genuine, altered, revoked and expired permit; numbers under 50 concurrent issuances and
retries. The PDF is read as a user would (pdfium's text, the QR code scanned with zxing-cpp).
"""

from __future__ import annotations

import base64
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime

import boto3
import pypdfium2
import pytest
import zxingcpp
from botocore.config import Config

from eptsp.office import OFFICE
from eptsp.permits.numbering import CROCKFORD
from eptsp.permits.pdf import render_permit
from eptsp.permits.repository import PermitRepository
from eptsp.permits.service import IssuanceService, KmsSigner, PermitService, S3DocumentStore
from eptsp.receipts.document import site_origin
from tests.integration.accounts_helpers import registered_applicant
from tests.integration.test_accounts import assert_error
from tests.integration.test_applications import PERUSAHAAN
from tests.integration.workflow_helpers import (
    FISHING,
    Applicant,
    Officers,
    applications_table,
    decide,
    status_becomes,
)

NUMBER = re.compile(r"^503/(\d+)/DPMPTSP-KU/(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)/(\d{4})$")
INVALID = {"valid": False, "status": "tidak valid"}
REASON = "Kegiatan usaha tidak lagi sesuai dengan izin yang diberikan."


@pytest.fixture(scope="module")
def officers(api) -> Officers:
    return Officers(api)


@pytest.fixture(scope="module")
def owner(api) -> tuple[dict, Applicant]:
    body, token = registered_applicant(api)
    return body, Applicant(api, token)


@pytest.fixture(scope="module")
def issued(api, owner, officers) -> dict:
    """An application approved at every stage through the officer API, its permit issued."""
    _, applicant = owner
    draft = applicant.draft(FISHING)
    app_id = draft["applicationId"]
    # with Data Perusahaan (optional for this permit), so the holder's company is printed
    draft = applicant.call(
        "PUT",
        f"/api/applications/{app_id}/sections/perusahaan",
        json={"version": draft["version"], "data": PERUSAHAAN},
    )
    draft = applicant.call(
        "PUT", f"/api/applications/{app_id}/declaration", json={"version": draft["version"], "agreed": True}
    )
    assert applicant.submit(draft).status_code == 200
    for stage in ("verifikasi", "teknis", "persetujuan"):
        decide(api, officers, app_id, stage)
    return status_becomes(applicant, app_id, "terbit")


def page_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    return " ".join(document[0].get_textpage().get_text_range().split())


def scanned(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(page)]


def verify(api, permit_id: str) -> dict:
    response = api.get(f"/api/verify/{permit_id}")
    assert response.status_code == 200, response.text
    return response.json()


# ------------------------------------------------------------------ services on the stack's resources
# One emulator process answers the 50 concurrent issuances (and moto copies every table for
# each transaction's rollback), so the test's own clients wait longer than the functions' do.
PATIENT = Config(read_timeout=120, retries={"mode": "standard"}, s3={"addressing_style": "path"})


def repository(stack) -> PermitRepository:
    resource = boto3.resource("dynamodb", config=PATIENT)
    return PermitRepository(resource.Table(stack.provisioned.physical_ids["ApplicationsTable"]))


def signer(stack) -> KmsSigner:
    return KmsSigner(boto3.client("kms", config=PATIENT), stack.provisioned.physical_ids["PermitSigningKey"])


def issuance(stack, clock, render=render_permit) -> IssuanceService:
    return IssuanceService(
        repository(stack),
        signer(stack),
        S3DocumentStore(boto3.client("s3", config=PATIENT), stack.provisioned.physical_ids["DocumentsBucket"]),
        OFFICE,
        site_origin(stack.url.split("://", 1)[1]),
        render,
        clock=clock,
    )


def approved_copies(stack, application_id: str, count: int) -> list[str]:
    """``count`` approved applications like ``application_id`` (its data, new ids), not yet issued."""
    table = applications_table(stack)
    item = table.get_item(Key={"pk": f"PERMOHONAN#{application_id}", "sk": "META"})["Item"]
    ids = []
    for _ in range(count):
        new_id = secrets.token_urlsafe(12)
        copy = {k: v for k, v in item.items() if k not in ("permitId", "permitNumber")}
        copy.update(pk=f"PERMOHONAN#{new_id}", applicationId=new_id, status="disetujui", stage="selesai")
        table.put_item(Item=copy)
        ids.append(new_id)
    return ids


def fixed_clock(moment: datetime):
    return lambda: moment


# ------------------------------------------------------------------ end to end
def test_an_approved_application_is_issued_and_its_owner_downloads_the_permit(api, stack, owner, issued):
    body, applicant = owner
    # Then it is terbit with its permit's id and number
    assert issued["status"] == "terbit" and issued["statusLabel"] == "Izin terbit"
    number, permit_id = issued["permitNumber"], issued["permitId"]
    today = datetime.now(UTC)
    match = NUMBER.match(number)
    assert match and int(match.group(1)) >= 1 and match.group(3) == str(today.year), number
    assert len(permit_id) == 16 and set(permit_id) <= set(CROCKFORD)
    listed = applicant.call("GET", "/api/applications")["items"]
    assert next(a for a in listed if a["applicationId"] == issued["applicationId"])["permitNumber"] == number
    # When the owner downloads it (Unduh Izin)
    response = api.get(f"/api/applications/{issued['applicationId']}/permit", token=applicant.token)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="izin-{number.replace("/", "-")}.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    # Then the page has the letterhead, the number, the holder with the NIK masked, the subject and the head
    text = page_text(response.content)
    pemohon, perusahaan = issued["data"]["pemohon"], issued["data"]["perusahaan"]
    for expected in (
        OFFICE.government.upper(),
        "SURAT IZIN",
        f"Nomor: {number}",
        pemohon["name"],
        f"**** **** **** {body['nik'][-4:]}",
        perusahaan["companyName"],
        issued["izin"]["name"],
        issued["layanan"]["name"],
        issued["jenisPermohonan"]["name"],
        f"Kec. {issued['data']['lokasi']['kecamatan']}, Kabupaten Bulungan",
        f"Ditetapkan di {OFFICE.city}",
        OFFICE.head_name,
        f"NIP. {OFFICE.head_nip}",
    ):
        assert expected in text, expected
    assert body["nik"] not in text.replace(" ", "")
    # and its QR code opens the verification page of this permit on the site
    assert scanned(response.content) == [f"{stack.url}/#/verifikasi/{permit_id}"]


def test_only_the_owner_downloads_the_permit_and_only_once_issued(api, owner, issued):
    _, applicant = owner
    _, other = registered_applicant(api)
    refused = api.get(f"/api/applications/{issued['applicationId']}/permit", token=other)
    assert_error(refused, 404, "TIDAK_DITEMUKAN")
    submitted = applicant.submitted(FISHING)
    not_yet = api.get(f"/api/applications/{submitted['applicationId']}/permit", token=applicant.token)
    assert_error(not_yet, 409, "IZIN_BELUM_TERBIT")


def test_the_permit_verifies_as_genuine_with_only_public_data(api, issued):
    answer = verify(api, issued["permitId"])
    assert answer == {
        "valid": True,
        "status": "berlaku",
        "permitNumber": issued["permitNumber"],
        "izinName": issued["izin"]["name"],
        "jenisPermohonanName": issued["jenisPermohonan"]["name"],
        "holderName": issued["data"]["pemohon"]["name"],
        "companyName": issued["data"]["perusahaan"]["companyName"],
        "issuedAt": answer["issuedAt"],
        "validUntil": None,  # a SIUP has no fixed term in the catalogue
        "revokedAt": None,
        "revocationReason": None,
    }
    assert date.fromisoformat(answer["issuedAt"]) <= datetime.now(UTC).date()


@pytest.mark.parametrize("made_up", ["0123456789ABCDEF", "abc", "ILOU0000ILOU0000", "x" * 64])
def test_a_made_up_or_malformed_id_is_not_valid(api, made_up):
    assert verify(api, made_up) == INVALID


def test_an_altered_id_is_not_valid(api, issued):
    permit_id = issued["permitId"]
    altered = permit_id[:-1] + ("0" if permit_id[-1] != "0" else "1")
    assert verify(api, altered) == INVALID
    assert verify(api, permit_id.lower()) == INVALID


def test_altered_stored_data_is_not_valid(api, stack, issued):
    table = applications_table(stack)
    key = {"pk": f"IZIN#{issued['permitId']}", "sk": "IZIN"}
    original = table.get_item(Key=key)["Item"]
    try:
        # When someone with access to the table changes the holder's name
        table.update_item(
            Key=key,
            UpdateExpression="SET holder.#n = :n",
            ExpressionAttributeNames={"#n": "name"},
            ExpressionAttributeValues={":n": "Orang Lain"},
        )
        # Then the signature no longer matches
        assert verify(api, issued["permitId"]) == INVALID
        # and a signature copied from another permit does not help either
        table.update_item(
            Key=key,
            UpdateExpression="SET holder.#n = :n, validUntil = :v",
            ExpressionAttributeNames={"#n": "name"},
            ExpressionAttributeValues={":n": original["holder"]["name"], ":v": "2099-12-31"},
        )
        assert verify(api, issued["permitId"]) == INVALID
    finally:
        table.put_item(Item=original)
    assert verify(api, issued["permitId"])["status"] == "berlaku"


def test_an_admin_revokes_a_permit_and_verification_says_so(api, stack, owner, officers):
    _, applicant = owner
    app_id = applicant.submitted(FISHING)["applicationId"]
    for stage in ("verifikasi", "teknis", "persetujuan"):
        decide(api, officers, app_id, stage)
    permit_id = status_becomes(applicant, app_id, "terbit")["permitId"]
    path = f"/api/officer/permits/{permit_id}/revoke"
    # A reason is required (10-500 characters); officers other than admin are refused
    assert_error(api.post(path, token=officers.token("admin"), json={"reason": "singkat"}), 422, None)
    assert api.post(path, token=officers.token("kepala"), json={"reason": REASON}).status_code == 403
    # When the admin revokes it
    response = api.post(path, token=officers.token("admin"), json={"reason": REASON})
    assert response.status_code == 200, response.text
    revoked = response.json()
    assert revoked["valid"] is False and revoked["status"] == "dicabut"
    assert revoked["revocationReason"] == REASON and revoked["revokedAt"].startswith(str(datetime.now(UTC).year))
    # Then verification says so, with the reason and the date
    assert verify(api, permit_id) == revoked
    # and the revocation is audited: who, when, why
    audit = applications_table(stack).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :audit)",
        ExpressionAttributeValues={":pk": f"IZIN#{permit_id}", ":audit": "AUDIT#"},
    )["Items"]
    assert len(audit) == 1 and audit[0]["reason"] == REASON and audit[0]["at"] == revoked["revokedAt"]
    assert audit[0]["byId"] and audit[0]["byName"]
    # A second revocation is 409; an unknown permit 404
    assert_error(api.post(path, token=officers.token("admin"), json={"reason": REASON}), 409, "IZIN_SUDAH_DICABUT")
    unknown = api.post(
        "/api/officer/permits/0123456789ABCDEF/revoke", token=officers.token("admin"), json={"reason": REASON}
    )
    assert_error(unknown, 404, "IZIN_TIDAK_DITEMUKAN")


def test_a_permit_past_its_validity_is_kedaluwarsa(api, stack, issued):
    # Given a permit type valid for one year, issued two years ago
    [app_id] = approved_copies(stack, issued["applicationId"], 1)
    table = applications_table(stack)
    table.update_item(
        Key={"pk": f"PERMOHONAN#{app_id}", "sk": "META"},
        UpdateExpression="SET validityYears = :y",
        ExpressionAttributeValues={":y": 1},
    )
    result = issuance(stack, fixed_clock(datetime(2024, 2, 29, 3, 0, tzinfo=UTC))).issue(app_id)
    # Then it verifies as genuine but expired, valid until the day before its anniversary
    answer = verify(api, result.permit_id)
    assert answer["valid"] is False and answer["status"] == "kedaluwarsa"
    assert answer["issuedAt"] == "2024-02-29" and answer["validUntil"] == "2025-02-27"
    # and the same permit, read on a day within its term, is berlaku
    within = PermitService(repository(stack), signer(stack), clock=fixed_clock(datetime(2025, 2, 27, 12, tzinfo=UTC)))
    assert within.verify(result.permit_id).status == "berlaku"


# ------------------------------------------------------------------ numbers
def test_50_concurrent_issuances_take_numbers_1_to_50_without_gap_or_duplicate(stack, issued):
    # Given 50 approved applications, issued at once in a year no other test issues in
    ids = approved_copies(stack, issued["applicationId"], 50)
    service = issuance(stack, fixed_clock(datetime(2031, 3, 15, 2, 0, tzinfo=UTC)))
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(service.issue, ids))
    # Then the numbers are 1..50, each once, in the office's pattern
    numbers = [result.permit_number for result in results]
    assert sorted(int(NUMBER.match(n).group(1)) for n in numbers) == list(range(1, 51))
    assert all(n.endswith("/DPMPTSP-KU/III/2031") for n in numbers)
    assert len({result.permit_id for result in results}) == 50
    # and each application carries its own
    repo = repository(stack)
    for app_id, result in zip(ids, results, strict=True):
        source = repo.source(app_id)
        assert source.status == "terbit" and source.permit_id == result.permit_id
    assert repo.last_sequence(2031) == 50


def test_a_retried_issuance_keeps_its_number(stack, issued):
    clock = fixed_clock(datetime(2032, 6, 1, 2, 0, tzinfo=UTC))
    [first, second] = approved_copies(stack, issued["applicationId"], 2)

    # Given an issuance that fails after taking its number (the PDF could not be stored)
    def failing(*_args):
        raise ConnectionError("S3 tidak dapat dihubungi")

    with pytest.raises(ConnectionError):
        issuance(stack, clock, render=failing).issue(first)
    repo = repository(stack)
    assert repo.source(first).status == "disetujui" and repo.last_sequence(2032) == 1
    # When the task is retried (and retried again after it succeeded)
    retried = issuance(stack, clock).issue(first)
    again = issuance(stack, clock).issue(first)
    # Then it keeps its number, and the next application takes the next one
    assert retried.permit_number == again.permit_number == "503/1/DPMPTSP-KU/VI/2032"
    assert retried.permit_id == again.permit_id
    assert issuance(stack, clock).issue(second).permit_number == "503/2/DPMPTSP-KU/VI/2032"
    assert repo.last_sequence(2032) == 2


def test_a_permit_whose_number_changed_is_not_valid(api, stack, issued):
    # Numbers are signed: renumbering a stored permit breaks its signature
    [app_id] = approved_copies(stack, issued["applicationId"], 1)
    result = issuance(stack, fixed_clock(datetime(2033, 1, 5, tzinfo=UTC))).issue(app_id)
    permit = repository(stack).get(result.permit_id)
    assert PermitService(repository(stack), signer(stack)).verify(result.permit_id).status == "berlaku"
    renumbered = replace(permit, number="503/999/DPMPTSP-KU/I/2033")
    assert not signer(stack).verify(renumbered.signed_payload(), base64.b64decode(permit.signature))
