"""The local stack tried as an attacker on the same machine would: it must refuse what AWS
refuses (S3 through the site's origin, forged tokens, malformed requests) and keep serving
the real flows."""

from __future__ import annotations

import http.client
import json
import socket
import time
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests

from tests.integration.accounts_helpers import demo_token, registered_applicant
from tests.integration.documents_helpers import PDF, post_form, presign, uploaded
from tests.integration.test_accounts import assert_error

HTML_PAGE = b"<!doctype html><script>fetch('/api/me').then(r => r.text()).then(alert)</script>"


@pytest.fixture(scope="module")
def bucket(stack) -> str:
    return stack.provisioned.physical_ids["DocumentsBucket"]


@pytest.fixture(scope="module")
def applicant(api) -> str:
    return registered_applicant(api)[1]


@pytest.fixture(scope="module")
def moto_s3(stack):
    """moto itself, behind the proxy: to see what was (not) stored."""
    return boto3.client("s3", endpoint_url=stack.moto_url, region_name="ap-southeast-3")


@pytest.fixture(scope="module")
def signed_s3(stack):
    """An S3 client with the handlers' own credentials, through the site's origin."""
    return boto3.client("s3", endpoint_url=stack.url, region_name="ap-southeast-3")


def raw(stack, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None):
    """A request sent exactly as written: no client normalizes the path before it leaves."""
    connection = http.client.HTTPConnection(stack.host, stack.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def assert_s3_refusal(status: int, body: bytes, code: str = "AccessDenied", expected_status: int = 403) -> None:
    assert status == expected_status, body
    assert f"<Code>{code}</Code>".encode() in body, body


def object_key_of(stack, file_id: str) -> str:
    table = boto3.resource("dynamodb", region_name="ap-southeast-3").Table(stack.provisioned.physical_ids["FilesTable"])
    return table.get_item(Key={"pk": f"FILE#{file_id}"})["Item"]["objectKey"]


def stored(moto_s3, bucket: str, key: str) -> bool:
    return "Contents" in moto_s3.list_objects_v2(Bucket=bucket, Prefix=key)


# ---------------------------------------------------------------- paths out of the bucket

TRAVERSALS = [
    "/{bucket}/..",
    "/{bucket}/../",
    "/{bucket}/%2e%2e/",
    "/{bucket}/%2E%2E",
    "/{bucket}/..%2f",
    "/{bucket}/%2e%2e%2f",
    "/{bucket}/%252e%252e/",
    "/{bucket}/..\\",
    "/{bucket}/incoming/../../",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_out_of_the_bucket_lists_every_bucket(stack, bucket, path):
    status, _, body = raw(stack, "GET", path.format(bucket=bucket))
    assert_s3_refusal(status, body)
    assert b"ListAllMyBucketsResult" not in body


@pytest.mark.parametrize("path", ["/{bucket}/..", "/{bucket}/%2e%2e/", "/{bucket}/..%2f"])
def test_no_path_out_of_the_bucket_reaches_dynamodb(stack, bucket, path):
    accounts = stack.provisioned.physical_ids["AccountsTable"]
    status, _, body = raw(
        stack,
        "POST",
        path.format(bucket=bucket),
        json.dumps({"TableName": accounts}).encode(),
        {"X-Amz-Target": "DynamoDB_20120810.Scan", "Content-Type": "application/x-amz-json-1.0"},
    )
    assert_s3_refusal(status, body)
    assert b"Items" not in body


@pytest.mark.parametrize(
    "path", ["/{bucket}/../moto-api/", "/{bucket}/%2e%2e/moto-api/data.json", "/{bucket}/..%2fmoto-api/"]
)
def test_no_path_out_of_the_bucket_reaches_motos_own_api(stack, bucket, path):
    status, _, body = raw(stack, "GET", path.format(bucket=bucket))
    assert_s3_refusal(status, body)


def test_a_signed_request_cannot_leave_the_bucket_either(stack, bucket, signed_s3):
    # The handlers' own client, asked for a key that climbs out of the bucket.
    with pytest.raises(signed_s3.exceptions.ClientError) as refused:
        signed_s3.get_object(Bucket=bucket, Key="../x")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_other_buckets_of_the_template_are_not_on_the_site(stack, moto_s3, bucket):
    others = [b["Name"] for b in moto_s3.list_buckets()["Buckets"] if b["Name"] != bucket]
    assert others, "the template declares a statics bucket too"
    for other in others:
        assert requests.get(f"{stack.url}/{other}/", timeout=30).status_code == 404


# ---------------------------------------------------------------- unsigned and forged requests


@pytest.mark.parametrize("path", ["/{bucket}", "/{bucket}/", "/{bucket}?versions", "/{bucket}/?list-type=2"])
def test_an_unsigned_listing_of_the_bucket_is_refused(stack, bucket, applicant, api, path):
    uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    answer = requests.get(stack.url + path.format(bucket=bucket), timeout=30)
    assert_s3_refusal(answer.status_code, answer.content)
    assert b"<Key>" not in answer.content


def test_the_handlers_signed_listing_still_works(bucket, signed_s3):
    assert signed_s3.list_objects_v2(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_an_unsigned_put_stores_nothing(stack, bucket, moto_s3):
    answer = requests.put(f"{stack.url}/{bucket}/files/evil.html", data=HTML_PAGE, timeout=30)
    assert_s3_refusal(answer.status_code, answer.content)
    assert not stored(moto_s3, bucket, "files/evil.html")


def test_a_put_signed_with_another_secret_stores_nothing(stack, bucket, moto_s3):
    # "local" is what anyone reading the code would try: the stack's secret is made at start.
    forger = boto3.client(
        "s3",
        endpoint_url=stack.url,
        region_name="ap-southeast-3",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        aws_session_token="local",
    )
    with pytest.raises(forger.exceptions.ClientError) as refused:
        forger.put_object(Bucket=bucket, Key="files/forged.html", Body=HTML_PAGE, ContentType="text/html")
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert not stored(moto_s3, bucket, "files/forged.html")


def test_a_get_with_a_fake_signature_is_refused(api, applicant):
    detail = uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    signature = parse_qs(urlsplit(detail["downloadUrl"]).query)["X-Amz-Signature"][0]
    forged = detail["downloadUrl"].replace(signature, "0" * 64)
    answer = requests.get(forged, timeout=30)
    assert_s3_refusal(answer.status_code, answer.content, "SignatureDoesNotMatch")
    assert PDF not in answer.content


def test_a_download_url_with_a_changed_parameter_is_refused(api, applicant):
    detail = uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    tampered = detail["downloadUrl"].replace(
        "response-content-type=application%2Fpdf", "response-content-type=text%2Fhtml"
    )
    assert tampered != detail["downloadUrl"]
    answer = requests.get(tampered, timeout=30)
    assert_s3_refusal(answer.status_code, answer.content, "SignatureDoesNotMatch")


def test_an_expired_download_url_is_refused(stack, bucket, signed_s3, api, applicant):
    detail = uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    url = signed_s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": object_key_of(stack, detail["fileId"])}, ExpiresIn=1
    )
    assert requests.get(url, timeout=30).status_code == 200
    time.sleep(2.1)
    answer = requests.get(url, timeout=30)
    assert_s3_refusal(answer.status_code, answer.content)
    assert b"Request has expired" in answer.content


# ---------------------------------------------------------------- presigned POST policies


def test_applicant_b_cannot_overwrite_applicant_as_verified_file(stack, bucket, api, applicant, moto_s3):
    # Given A's verified document
    mine = uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    my_key = object_key_of(stack, mine["fileId"])
    # When B posts with his own grant, the key changed to A's file
    _, stranger = registered_applicant(api)
    grant = presign(api, stranger, "ktp.pdf", "application/pdf", len(HTML_PAGE)).json()
    posted = post_form(grant, "ktp.pdf", "application/pdf", HTML_PAGE, key=my_key)
    # Then the policy refuses it and A's document is unchanged
    assert_s3_refusal(posted.status_code, posted.content)
    assert b"Policy Condition failed" in posted.content
    assert moto_s3.get_object(Bucket=bucket, Key=my_key)["Body"].read() == PDF
    assert requests.get(mine["downloadUrl"], timeout=30).content == PDF


def test_a_changed_content_type_cannot_store_an_html_page(bucket, api, applicant, moto_s3):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", len(HTML_PAGE)).json()
    posted = post_form(grant, "halaman.html", "text/html", HTML_PAGE, **{"Content-Type": "text/html"})
    assert_s3_refusal(posted.status_code, posted.content)
    assert not stored(moto_s3, bucket, grant["fields"]["key"])


@pytest.mark.parametrize("key", ["halaman.html", "files/halaman.html", "incoming/../halaman.html"])
def test_a_key_outside_the_grant_cannot_store_an_html_page(stack, bucket, api, applicant, moto_s3, key):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", len(HTML_PAGE)).json()
    posted = post_form(grant, "ktp.pdf", "application/pdf", HTML_PAGE, key=key)
    assert_s3_refusal(posted.status_code, posted.content)
    assert not stored(moto_s3, bucket, key)
    assert requests.get(f"{stack.url}/{bucket}/{key}", timeout=30).status_code == 403


def test_more_bytes_than_the_content_length_range_are_refused(bucket, api, applicant, moto_s3):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", len(PDF) - 1).json()
    posted = post_form(grant, "ktp.pdf", "application/pdf", PDF)
    assert_s3_refusal(posted.status_code, posted.content, "EntityTooLarge", 400)
    assert not stored(moto_s3, bucket, grant["fields"]["key"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("policy", "eyJleHBpcmF0aW9uIjogIjIwOTktMDEtMDFUMDA6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbXX0="),
        ("x-amz-signature", "0" * 64),
        ("success_action_status", "200"),
        ("x-amz-meta-owner", "someone-else"),
    ],
)
def test_a_form_with_a_field_the_policy_does_not_sign_is_refused(bucket, api, applicant, moto_s3, field, value):
    grant = presign(api, applicant, "ktp.pdf", "application/pdf", len(PDF)).json()
    posted = post_form(grant, "ktp.pdf", "application/pdf", PDF, **{field: value})
    assert posted.status_code == 403, posted.text
    assert not stored(moto_s3, bucket, grant["fields"]["key"])


def test_the_browsers_form_post_within_its_grant_still_uploads(api, applicant):
    detail = uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    assert detail["status"] == "siap"


# ---------------------------------------------------------------- documents are never rendered


def test_the_download_url_signs_attachment_and_the_stored_type(api, applicant):
    # In the cloud S3 answers with these signed overrides: no browser renders the document.
    detail = uploaded(api, applicant, "surat kuasa.pdf", "application/pdf", PDF)
    query = parse_qs(urlsplit(detail["downloadUrl"]).query)
    assert query["response-content-disposition"] == ["attachment; filename*=UTF-8''surat%20kuasa.pdf"]
    assert query["response-content-type"] == ["application/pdf"]
    answer = requests.get(detail["downloadUrl"], timeout=30)
    assert answer.headers["Content-Disposition"] == "attachment; filename*=UTF-8''surat%20kuasa.pdf"
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.parametrize("disposition", [None, "inline"])
def test_an_html_object_is_never_served_inline_as_html(bucket, signed_s3, disposition):
    # Even a URL signed for text/html (say, by a future bug) is saved, not run on our origin.
    signed_s3.put_object(Bucket=bucket, Key="files/test/halaman", Body=HTML_PAGE, ContentType="text/html")
    params = {"Bucket": bucket, "Key": "files/test/halaman", "ResponseContentType": "text/html"}
    if disposition:
        params["ResponseContentDisposition"] = disposition
    answer = requests.get(signed_s3.generate_presigned_url("get_object", Params=params, ExpiresIn=60), timeout=30)
    assert answer.status_code == 200
    assert not answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["Content-Disposition"].startswith("attachment")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_an_unsigned_download_with_an_html_override_is_refused(stack, bucket, api, applicant):
    detail = uploaded(api, applicant, "ktp.pdf", "application/pdf", PDF)
    key = object_key_of(stack, detail["fileId"])
    answer = requests.get(f"{stack.url}/{bucket}/{key}?response-content-type=text%2Fhtml", timeout=30)
    assert_s3_refusal(answer.status_code, answer.content)


# ---------------------------------------------------------------- tokens


def forged_admin_token(api) -> str:
    """A real verifikator's access token made admin, signed with the private key that ships in moto."""
    import jwt as pyjwt
    from joserfc import jwk, jwt
    from moto.utilities.utils import load_resource

    claims = pyjwt.decode(demo_token(api, "verifikator"), options={"verify_signature": False})
    claims["cognito:groups"] = ["admin"]
    bundled = jwk.RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    return jwt.encode({"kid": "dummy", "alg": "RS256"}, claims, bundled)


def test_a_token_signed_with_motos_bundled_key_is_refused(api):
    token = forged_admin_token(api)
    officer = {
        "nip": "199208172020122077",
        "name": "Penyusup",
        "email": "penyusup@example.com",
        "phone": "081277770077",
        "role": "verifikator",
        "password": "PetugasPalsu2026",
    }
    assert_error(api.post("/api/admin/officers", token=token, json=officer), 401, "BELUM_MASUK")


def test_real_logins_keep_working_with_the_fresh_key(api):
    assert api.get("/api/officer/me", token=demo_token(api, "admin")).status_code == 200
    assert api.get("/api/me", token=registered_applicant(api)[1]).status_code == 200


# ---------------------------------------------------------------- malformed requests at the gateway


def assert_error_shape(status: int, headers: dict[str, str], body: bytes, expected_status: int) -> dict:
    assert status == expected_status, body[:300]
    assert headers["Content-Type"].startswith("application/json"), headers
    answer = json.loads(body)
    assert set(answer) <= {"code", "message", "field"} and answer["code"] and answer["message"]
    return answer


@pytest.mark.parametrize("path", ["/api/catalogue/izin/" + "a" * 100_000, "/" + "a" * 100_000, "/a" * 5000])
def test_a_path_too_long_gets_414_in_the_error_shape(stack, path):
    assert_error_shape(*raw(stack, "GET", path), 414)


@pytest.mark.parametrize("path", ["/api/catalogue/izin/a%00b", "/index%00.html", "/api/files/%00"])
def test_a_nul_in_the_path_gets_400_in_the_error_shape(stack, path):
    assert_error_shape(*raw(stack, "GET", path), 400)


def test_a_header_too_large_gets_431_in_the_error_shape(stack):
    assert_error_shape(*raw(stack, "GET", "/api/catalogue/izin", headers={"X-Panjang": "a" * 70_000}), 431)


def test_a_malformed_request_line_gets_400_in_the_error_shape(stack):
    with socket.create_connection((stack.host, stack.port), timeout=30) as connection:
        connection.sendall(b"GET /api/catalogue izin HTTP/1.1\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):  # the server closes the connection after its refusal
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.") and b" 400 " in head.split(b"\r\n")[0]
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["code"] == "PERMINTAAN_TIDAK_SAH"


def test_a_payload_over_10_mb_gets_413_in_the_error_shape(stack):
    body = b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    answer = assert_error_shape(*raw(stack, "POST", "/api/auth/login", body, {"Content-Type": "application/json"}), 413)
    assert "10 MB" in answer["message"]


@pytest.mark.parametrize(("content_type", "expected"), [("application/json", 400), ("text/plain", 415), (None, 400)])
def test_a_body_that_is_not_utf8_reaches_the_function_not_an_html_page(stack, content_type, expected):
    # The gateway hands it over base64-encoded, as API Gateway does; the function refuses it.
    headers = {"Content-Type": content_type} if content_type else {}
    assert_error_shape(*raw(stack, "POST", "/api/auth/login", b"\xff\xfe{}", headers), expected)


# ---------------------------------------------------------------- security headers of each path


def template_policy(name: str) -> dict:
    from local_stack import template

    return template.load_sam_template()["Resources"][name]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]


def assert_common_headers(headers) -> None:
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert headers["Referrer-Policy"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/catalogue/izin", 200),
        ("GET", "/api/openapi.json", 200),
        ("GET", "/api/tidak-ada", 404),
        ("GET", "/api/me", 401),
        ("POST", "/api/auth/login", 422),
    ],
)
def test_api_answers_carry_the_apis_security_headers(api, method, path, status):
    answer = api.request(method, path, json={} if method == "POST" else None)
    assert answer.status_code == status, answer.text
    csp = answer.headers["Content-Security-Policy"]
    assert csp == template_policy("ApiSecurityHeaders")["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert_common_headers(answer.headers)
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_gateway_refusals_carry_the_apis_security_headers_too(stack):
    _, headers, _ = raw(stack, "GET", "/api/catalogue/izin/a%00b")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_the_api_console_has_its_own_policy_that_lets_swagger_ui_run(api):
    answer = api.get("/api/docs")
    assert answer.status_code == 200 and "SwaggerUIBundle" in answer.text
    csp = answer.headers["Content-Security-Policy"]
    assert csp == template_policy("ApiConsoleSecurityHeaders")["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "script-src 'self' 'unsafe-inline'" in csp and "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert_common_headers(answer.headers)


def test_the_front_end_keeps_its_own_policy(api):
    answer = api.get("/")
    assert "script-src 'self';" in answer.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in answer.headers["Content-Security-Policy"]
    assert_common_headers(answer.headers)
