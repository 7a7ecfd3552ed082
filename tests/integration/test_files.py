"""File Saya end to end: presigned POST into the owner's prefix, the check after upload,
listing, short-lived downloads, deletion; nobody touches another user's file."""

from __future__ import annotations

import pytest
import requests

from tests.integration.accounts_helpers import registered_applicant
from tests.integration.documents_helpers import (
    JPEG,
    PDF,
    PNG,
    post_form,
    presign,
    put_without_policy,
    upload,
    uploaded,
    wait_for_check,
)
from tests.integration.test_accounts import assert_error

MB = 1024 * 1024


@pytest.fixture
def applicant(api):
    _, token = registered_applicant(api)
    return token


@pytest.mark.parametrize(
    ("name", "content_type", "data"),
    [("ktp.pdf", "application/pdf", PDF), ("foto.jpg", "image/jpeg", JPEG), ("peta.png", "image/png", PNG)],
)
def test_a_real_upload_becomes_ready_and_downloads_as_uploaded(api, applicant, name, content_type, data):
    # When
    detail = uploaded(api, applicant, name, content_type, data)
    # Then
    assert detail["status"] == "siap", detail
    assert detail["size"] == len(data) and detail["fileName"] == name
    download = requests.get(detail["downloadUrl"], timeout=30)
    assert download.status_code == 200
    assert download.content == data
    assert detail["downloadExpiresIn"] == 300


def test_the_presigned_policy_carries_type_size_and_the_owners_prefix(api, applicant):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", 1234).json()
    assert grant["fields"]["Content-Type"] == "application/pdf"
    assert grant["fields"]["key"].startswith("incoming/") and grant["fields"]["key"].endswith(grant["fileId"])
    assert grant["maxSize"] == 1234
    import base64
    import json

    policy = json.loads(base64.b64decode(grant["fields"]["policy"]))
    assert ["content-length-range", 1, 1234] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]


def test_bytes_that_are_not_what_they_claim_end_refused(api, applicant):
    detail = wait_for_check(api, applicant, upload(api, applicant, "ktp.pdf", "application/pdf", JPEG))
    assert detail["status"] == "ditolak"
    assert "bukan PDF" in detail["reason"]
    assert detail.get("downloadUrl") is None


def test_the_policy_refuses_more_bytes_than_declared(api, applicant):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", 10).json()
    posted = post_form(grant, "ktp.pdf", "application/pdf", PDF)
    assert posted.status_code == 400 and "<Code>EntityTooLarge</Code>" in posted.text
    assert api.get(f"/api/files/{grant['fileId']}", token=applicant).json()["status"] == "menunggu"


def test_an_upload_over_10_mb_ends_refused(stack, api, applicant):
    # Wherever a policy is not enforced, the check after upload still refuses it.
    data = PDF + b"0" * (10 * MB + 1 - len(PDF))
    grant = presign(api, applicant, "besar.pdf", "application/pdf", 10 * MB).json()
    put_without_policy(stack, grant["fields"]["key"], data)
    detail = wait_for_check(api, applicant, grant["fileId"])
    assert detail["status"] == "ditolak"
    assert "10 MB" in detail["reason"]


def test_more_bytes_than_declared_end_refused(stack, api, applicant):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", 10).json()
    put_without_policy(stack, grant["fields"]["key"], PDF)
    detail = wait_for_check(api, applicant, grant["fileId"])
    assert detail["status"] == "ditolak"


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def documents(stack):
    import boto3

    s3 = boto3.client("s3", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    return s3, stack.provisioned.physical_ids["DocumentsBucket"]


def versions_of(stack, key: str) -> list[dict]:
    s3, bucket = documents(stack)
    listing = s3.list_object_versions(Bucket=bucket, Prefix=key)
    return [v for v in [*listing.get("Versions", []), *listing.get("DeleteMarkers", [])] if v["Key"] == key]


def verified_bytes(stack, owner_key: str) -> bytes:
    s3, bucket = documents(stack)
    return s3.get_object(Bucket=bucket, Key=owner_key.replace("incoming/", "files/", 1))["Body"].read()


def test_the_upload_grant_lasts_five_minutes(api, applicant):
    import base64
    import json
    from datetime import UTC, datetime, timedelta

    grant = presign(api, applicant, "ktp.pdf", "application/pdf", 1234).json()
    policy = json.loads(base64.b64decode(grant["fields"]["policy"]))
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert grant["expiresIn"] == 300
    assert expires - datetime.now(UTC) <= timedelta(minutes=5)


def test_a_second_upload_under_one_grant_is_never_copied_unchecked(stack, api, applicant):
    # Both uploads land before the first one's event is handled (as S3 may deliver it late):
    # the check of the first, a PDF, must copy that version, not the HTML that is current.
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", len(HTML)).json()
    key = grant["fields"]["key"]
    _, bucket = documents(stack)
    direct = {**grant, "url": f"{stack.moto_url}/{bucket}"}  # stored without an event, as yet
    for data in (PDF, HTML):
        assert post_form(direct, "ktp.pdf", "application/pdf", data).status_code == 201
    second, first = sorted(versions_of(stack, key), key=lambda v: not v["IsLatest"])
    assert (first["Size"], second["Size"]) == (len(PDF), len(HTML))
    failures_before = len(stack.failures)
    for version in (first, second):
        stack.s3_events.object_created(
            bucket, key, version["Size"], version["ETag"].strip('"'), "ObjectCreated:Post", version["VersionId"]
        )
    stack.s3_events.wait_until_delivered()
    detail = api.get(f"/api/files/{grant['fileId']}", token=applicant).json()
    assert detail["status"] == "siap", detail
    assert detail["size"] == len(PDF)
    assert verified_bytes(stack, key) == PDF
    assert requests.get(detail["downloadUrl"], timeout=30).content == PDF
    assert versions_of(stack, key) == []  # the second upload was removed, not kept
    assert stack.failures[failures_before:] == []


def test_posting_again_with_a_used_grant_changes_nothing(stack, api, applicant):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", len(HTML)).json()
    assert post_form(grant, "ktp.pdf", "application/pdf", PDF).status_code == 201
    assert wait_for_check(api, applicant, grant["fileId"])["status"] == "siap"
    again = post_form(grant, "ktp.pdf", "application/pdf", HTML)
    assert again.status_code == 201  # S3 takes it while the grant lasts; the check drops it
    stack.s3_events.wait_until_delivered()
    detail = api.get(f"/api/files/{grant['fileId']}", token=applicant).json()
    assert (detail["status"], detail["size"]) == ("siap", len(PDF))
    assert verified_bytes(stack, grant["fields"]["key"]) == PDF
    assert versions_of(stack, grant["fields"]["key"]) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fileName": "x.exe", "contentType": "application/x-msdownload", "size": 10}, "contentType"),
        ({"fileName": "x.pdf", "contentType": "application/pdf", "size": 10 * MB + 1}, "size"),
        ({"fileName": "x.pdf", "contentType": "application/pdf", "size": 0}, "size"),
        ({"fileName": "../x.pdf", "contentType": "application/pdf", "size": 10}, "fileName"),
        ({"contentType": "application/pdf", "size": 10}, "fileName"),
    ],
)
def test_bad_presign_requests_name_the_field(api, applicant, body, field):
    assert_error(api.post("/api/files/presign", token=applicant, json=body), 422, "VALIDASI_GAGAL", field)


def test_file_saya_lists_newest_first_with_pages(api, applicant):
    ids = [uploaded(api, applicant, f"berkas-{i}.pdf", "application/pdf", PDF)["fileId"] for i in range(3)]
    first = api.get("/api/files?limit=2", token=applicant).json()
    second = api.get(f"/api/files?limit=2&cursor={first['nextCursor']}", token=applicant).json()
    listed = [f["fileId"] for f in first["items"] + second["items"]]
    assert listed == list(reversed(ids))
    assert second["nextCursor"] is None
    assert all(f["usedIn"] == [] for f in first["items"])
    assert_error(api.get("/api/files?cursor=bukan-kursor", token=applicant), 422, field="cursor")


def test_delete_removes_the_file(api, applicant):
    detail = uploaded(api, applicant, "hapus.pdf", "application/pdf", PDF)
    assert api.delete(f"/api/files/{detail['fileId']}", token=applicant).status_code == 204
    assert_error(api.get(f"/api/files/{detail['fileId']}", token=applicant), 404)
    assert requests.get(detail["downloadUrl"], timeout=30).status_code in (403, 404)  # gone from S3 too


def test_nobody_reads_downloads_or_deletes_another_users_file(api, applicant):
    detail = uploaded(api, applicant, "rahasia.pdf", "application/pdf", PDF)
    _, stranger = registered_applicant(api)
    assert_error(api.get(f"/api/files/{detail['fileId']}", token=stranger), 404, "TIDAK_DITEMUKAN")
    assert_error(api.delete(f"/api/files/{detail['fileId']}", token=stranger), 404, "TIDAK_DITEMUKAN")
    assert detail["fileId"] not in [f["fileId"] for f in api.get("/api/files", token=stranger).json()["items"]]
    assert api.get(f"/api/files/{detail['fileId']}", token=applicant).status_code == 200


def test_files_need_an_applicant_session(api):
    from tests.integration.accounts_helpers import demo_token

    assert_error(api.get("/api/files"), 401)
    assert_error(api.get("/api/files", token=demo_token(api, "verifikator")), 401)  # another user pool
