"""AWS clients as the cloud sees them: regional S3 addresses, and calls bounded inside
their function, a slow or throttling dependency answered with a clean 503."""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import boto3
import pytest

from eptsp import aws
from local_stack import template
from local_stack.functions import LambdaContext

REGION = "ap-southeast-3"
BUCKET = "eptsp-prod-documents-123456789012-ap-southeast-3"
REGIONAL_HOST = f"{BUCKET}.s3.{REGION}.amazonaws.com"
EVENTS = template.ROOT / "events"


@pytest.fixture
def cloud_environment(monkeypatch) -> Iterator[None]:
    """The environment Lambda gives a function: a region, credentials, no endpoint override.

    The session's local stack may be running handlers in the background (queue pollers), each
    setting the process environment as Lambda would: hold its invocation lock meanwhile.
    """
    from local_stack.functions import _INVOCATION_LOCK

    _INVOCATION_LOCK.acquire()
    request_cleanup = _INVOCATION_LOCK.release
    for name in [
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_CONFIG_FILE",
    ]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "token")
    # boto3's default session keeps the credentials it first found: give this test its own.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    aws.forget_clients()
    try:
        yield
    finally:
        aws.forget_clients()
        request_cleanup()


def test_presigned_upload_and_download_use_the_regional_virtual_hosted_address(cloud_environment):
    s3 = aws.client("s3")
    post = s3.generate_presigned_post(BUCKET, "incoming/owner/file", ExpiresIn=300)
    get = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "files/owner/file"}, ExpiresIn=300)
    assert urlsplit(post["url"]).netloc == REGIONAL_HOST
    assert urlsplit(get).netloc == REGIONAL_HOST
    assert urlsplit(get).path == "/files/owner/file"
    assert "X-Amz-Credential" in get and f"/{REGION}/s3/aws4_request" in get.replace("%2F", "/")


def test_an_endpoint_override_keeps_path_style_on_that_origin(cloud_environment, monkeypatch):
    # The local stack serves the bucket on its own origin, the bucket first in the path.
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://localhost:8123")
    post = aws.client("s3").generate_presigned_post(BUCKET, "incoming/owner/file", ExpiresIn=300)
    assert post["url"] == f"http://localhost:8123/{BUCKET}"


def test_every_call_ends_before_its_function_and_the_api_give_up():
    timeouts = {spec.logical_id: spec.timeout for spec in template.functions(template.load_sam_template())}
    budget = aws.worst_case_seconds()
    assert budget < 30
    assert {name: t for name, t in timeouts.items() if budget >= t} == {}
    config = aws._config("dynamodb", aws.ATTEMPTS)
    assert (config.connect_timeout, config.read_timeout) == (aws.CONNECT_SECONDS, aws.READ_SECONDS)
    assert config.retries == {"mode": "standard", "total_max_attempts": aws.ATTEMPTS}


def load_catalogue_handler():
    spec = next(s for s in template.functions(template.load_sam_template()) if s.logical_id == "CatalogueFunction")
    sys.path.insert(0, str(spec.code_dir))
    try:
        module_spec = importlib.util.spec_from_file_location("unit_catalogue_app", spec.module_path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(spec.code_dir))
    return module.lambda_handler


def call_catalogue(monkeypatch, endpoint: str) -> tuple[dict, float]:
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("CATALOGUE_TABLE", "catalogue")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "EPTSP")
    handler = load_catalogue_handler()
    event = json.loads((EVENTS / "catalogue-get-catalogue-izin.json").read_text())
    context = LambdaContext("catalogue", 256, "arn:aws:lambda:ap-southeast-3:1:function:c", "r", time.monotonic() + 10)
    started = time.monotonic()
    answer = handler(event, context)
    return answer, time.monotonic() - started


def assert_service_busy(answer: dict) -> None:
    assert answer["statusCode"] == 503
    body = json.loads(answer["body"])
    assert body["code"] == "LAYANAN_SIBUK"
    assert "coba lagi" in body["message"]


@pytest.fixture
def blackhole() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_a_dependency_that_never_answers_is_a_503_within_the_budget(cloud_environment, monkeypatch, blackhole):
    # Shorter reads than in production keep the test quick; the path is the same.
    monkeypatch.setattr(aws, "READ_SECONDS", 0.5)
    answer, elapsed = call_catalogue(monkeypatch, blackhole)
    assert_service_busy(answer)
    assert elapsed <= aws.worst_case_seconds() + 0.5


def test_a_dependency_that_cannot_be_reached_is_a_503(cloud_environment, monkeypatch):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: the connection is refused
    answer, elapsed = call_catalogue(monkeypatch, f"http://127.0.0.1:{port}")
    assert_service_busy(answer)
    assert elapsed <= aws.worst_case_seconds()


class AwsError(BaseHTTPRequestHandler):
    """Answers every DynamoDB request with the error ``error_type`` (a 400, as AWS does)."""

    error_type = "ThrottlingException"
    requests = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).requests += 1
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{self.error_type}", "message": "x"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def call_catalogue_answered_by(monkeypatch, error_type: str) -> tuple[dict, int]:
    handler = type("Answer", (AwsError,), {"error_type": error_type, "requests": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        answer, _ = call_catalogue(monkeypatch, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    return answer, handler.requests


def test_throttling_that_outlasts_the_retries_is_a_503(cloud_environment, monkeypatch):
    answer, requests = call_catalogue_answered_by(monkeypatch, "ThrottlingException")
    assert_service_busy(answer)
    assert requests == aws.ATTEMPTS


def test_an_unexpected_aws_error_stays_a_500(cloud_environment, monkeypatch):
    answer, requests = call_catalogue_answered_by(monkeypatch, "AccessDeniedException")
    assert answer["statusCode"] == 500
    assert json.loads(answer["body"])["code"] != "LAYANAN_SIBUK"
    assert requests == 1
