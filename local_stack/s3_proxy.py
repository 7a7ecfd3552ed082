"""Path-style S3 on the site's own origin: /<documents bucket>/<key> is forwarded to moto.

The browser posts uploads to the presigned URL and fetches downloads from it without
leaving the origin (in the cloud it talks to S3 directly, with the bucket's CORS rules).
Requests that create an object are reported to the S3 event source.

moto checks no signature and no POST policy, so the proxy does what S3 does before it
forwards anything: the path must stay inside the documents bucket, and the request must be
signed with the stack's credentials (SigV4 header or presigned query, recomputed with
botocore's own signer) or be a presigned POST whose policy holds in full. Objects are
never served for the browser to render: downloads are attachments, nosniff, sandboxed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import re
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from botocore.auth import UNSIGNED_PAYLOAD, S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.formparser import parse_form_data
from werkzeug.wrappers import Request, Response

from local_stack.s3_events import S3EventSource

HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive", "accept-encoding"}
SIGV4_TIME = "%Y%m%dT%H%M%SZ"
MAX_SKEW_SECONDS = 15 * 60  # S3's RequestTimeTooSkewed
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
# Form fields a POST policy need not name (S3's own rule).
UNCONDITIONED_FIELDS = {"policy", "x-amz-signature", "file"}
# Types a browser would run (script, markup) if it rendered them.
ACTIVE_TYPES = re.compile(
    r"^\s*(text/html|application/xhtml\+xml|image/svg\+xml|text/xml|application/xml|"
    r"text/xsl|text/javascript|application/(x-)?javascript|application/ecmascript|"
    r"multipart/x-mixed-replace)\b",
    re.IGNORECASE,
)
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"}


class S3Refusal(Exception):
    """What S3 would answer instead of doing the request."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self, resource: str) -> Response:
        root = ET.Element("Error")
        for name, value in (
            ("Code", self.code),
            ("Message", self.message),
            ("Resource", resource),
            ("RequestId", uuid.uuid4().hex[:16].upper()),
        ):
            ET.SubElement(root, name).text = value
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)
        return Response(body, status=self.status, content_type="application/xml")


def _denied(message: str) -> S3Refusal:
    return S3Refusal(403, "AccessDenied", message)


def _mismatch() -> S3Refusal:
    return S3Refusal(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
    )


def object_key(raw_path: str, bucket: str) -> str | None:
    """The key a raw request path names inside ``bucket`` ('' for the bucket itself), or None
    when the path, decoded as many times as it is encoded, could leave ``/<bucket>/``."""
    decoded = raw_path
    for _ in range(4):
        once = unquote(decoded)
        if once == decoded:
            break
        decoded = once
    else:
        return None  # encoded deeper than any client does: refuse rather than guess
    if "\\" in decoded or any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        return None
    parts = decoded.split("/")
    if len(parts) < 2 or parts[0] != "" or parts[1] != bucket:
        return None
    if any(part in (".", "..") for part in parts[2:]):
        return None
    return "/".join(parts[2:])


@dataclass(frozen=True)
class Scope:
    """The ``Credential`` of a SigV4 request: access key / date / region / service / aws4_request."""

    access_key: str
    date: str
    region: str
    service: str

    @classmethod
    def parse(cls, credential: str) -> Scope:
        parts = credential.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request":
            raise S3Refusal(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter.")
        return cls(*parts[:4])


class SignatureChecker:
    """Verifies requests against the one set of credentials the local handlers sign with."""

    def __init__(self, credentials: Credentials, region: str):
        self._credentials = credentials
        self._region = region

    def _check_scope(self, scope: Scope, timestamp: str) -> None:
        if scope.access_key != self._credentials.access_key:
            raise S3Refusal(
                403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
            )
        if scope.region != self._region or scope.service != "s3" or scope.date != timestamp[:8]:
            raise S3Refusal(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.")

    def _check_token(self, token: str | None) -> None:
        expected = self._credentials.token
        if expected is not None and not hmac.compare_digest(token or "", expected):
            raise S3Refusal(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")

    @staticmethod
    def _signed_time(timestamp: str) -> float:
        try:
            return datetime.strptime(timestamp, SIGV4_TIME).replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise S3Refusal(403, "AccessDenied", "X-Amz-Date must be in the ISO8601 Long Format.") from None

    @staticmethod
    def _signed_headers(request: Request, names: str) -> dict[str, str]:
        headers = {}
        for name in names.split(";"):
            values = request.headers.getlist(name)
            if not name or not values:
                raise _mismatch()
            headers[name] = ",".join(values)
        return headers

    def _matches(self, signer: SigV4Auth, aws_request: AWSRequest, timestamp: str, signature: str) -> bool:
        aws_request.context["timestamp"] = timestamp
        string_to_sign = signer.string_to_sign(aws_request, signer.canonical_request(aws_request))
        return hmac.compare_digest(signer.signature(string_to_sign, aws_request), signature)

    def check_header(self, request: Request, url: str, body: bytes) -> None:
        """``Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...``."""
        found = re.fullmatch(
            r"AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})",
            request.headers.get("Authorization", "").strip(),
        )
        if not found:
            raise S3Refusal(400, "InvalidArgument", "Unsupported Authorization Type")
        credential, signed_headers, signature = found.groups()
        timestamp = request.headers.get("X-Amz-Date", "")
        if abs(time.time() - self._signed_time(timestamp)) > MAX_SKEW_SECONDS:
            raise S3Refusal(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            )
        self._check_scope(Scope.parse(credential), timestamp)
        self._check_token(request.headers.get("X-Amz-Security-Token"))
        content_sha = request.headers.get("X-Amz-Content-SHA256")
        if content_sha is None:
            raise S3Refusal(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        if content_sha != UNSIGNED_PAYLOAD and content_sha != hashlib.sha256(body).hexdigest():
            raise S3Refusal(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
        headers = self._signed_headers(request, signed_headers)
        signer = S3SigV4Auth(self._credentials, "s3", self._region)
        if not self._matches(signer, AWSRequest(request.method, url, headers, body), timestamp, signature):
            raise _mismatch()

    def check_query(self, request: Request, url: str) -> None:
        """A presigned URL: ``X-Amz-Algorithm``, ``-Credential``, ``-Date``, ``-Expires``, ``-Signature``."""
        args = request.args
        if args.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" or len(args.getlist("X-Amz-Signature")) != 1:
            raise S3Refusal(
                400, "AuthorizationQueryParametersError", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'
            )
        timestamp = args.get("X-Amz-Date", "")
        expires = args.get("X-Amz-Expires", "")
        if not expires.isdigit() or not 0 < int(expires) <= MAX_PRESIGN_SECONDS:
            raise S3Refusal(
                400, "AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds."
            )
        signed_at = self._signed_time(timestamp)
        if time.time() > signed_at + int(expires):
            raise _denied("Request has expired")
        if signed_at > time.time() + MAX_SKEW_SECONDS:
            raise _denied("Request is not yet valid")
        self._check_scope(Scope.parse(args.get("X-Amz-Credential", "")), timestamp)
        self._check_token(args.get("X-Amz-Security-Token"))
        # The signature covers every query parameter but itself, as sent.
        parts = urlsplit(url)
        query = "&".join(p for p in parts.query.split("&") if not p.startswith("X-Amz-Signature="))
        unsigned_url = parts._replace(query=query).geturl()
        headers = self._signed_headers(request, args.get("X-Amz-SignedHeaders", ""))
        signer = S3SigV4QueryAuth(self._credentials, "s3", self._region, expires=int(expires))
        aws_request = AWSRequest(request.method, unsigned_url, headers)
        if not self._matches(signer, aws_request, timestamp, args["X-Amz-Signature"]):
            raise _mismatch()

    def check_post(self, bucket: str, form: MultiDict, file: FileStorage, size: int) -> None:
        """A presigned POST (SigV4): the policy's signature, expiry and every condition."""
        names = [name.lower() for name in form for _ in form.getlist(name)]
        if len(names) != len(set(names)):
            raise S3Refusal(400, "InvalidArgument", "A form field is given more than once.")
        fields = {name.lower(): value for name, value in form.items()}
        if fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256" or "policy" not in fields:
            raise S3Refusal(400, "InvalidArgument", "POST requires a policy signed with AWS4-HMAC-SHA256.")
        timestamp = fields.get("x-amz-date", "")
        self._signed_time(timestamp)
        self._check_scope(Scope.parse(fields.get("x-amz-credential", "")), timestamp)
        self._check_token(fields.get("x-amz-security-token"))
        signer = SigV4Auth(self._credentials, "s3", self._region)
        signing = AWSRequest("POST", "http://local/")
        signing.context["timestamp"] = timestamp
        if not hmac.compare_digest(signer.signature(fields["policy"], signing), fields.get("x-amz-signature", "")):
            raise _mismatch()
        try:
            policy = json.loads(base64.b64decode(fields["policy"], validate=True))
            expiration = datetime.fromisoformat(policy["expiration"]).timestamp()
            conditions = list(policy["conditions"])
        except (binascii.Error, ValueError, KeyError, TypeError):
            raise S3Refusal(400, "MalformedPOSTRequest", "Invalid Policy: Invalid JSON.") from None
        if time.time() > expiration:
            raise _denied("Invalid according to Policy: Policy expired.")
        PostPolicy(conditions).check({**fields, "bucket": bucket}, size)
        if file is None:
            raise S3Refusal(400, "InvalidArgument", "POST requires exactly one file upload per request.")


class PostPolicy:
    """The conditions of a POST policy, checked as S3 checks them."""

    def __init__(self, conditions: list[Any]):
        self._conditions = conditions

    @staticmethod
    def _failed(condition: Any) -> S3Refusal:
        return _denied(f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")

    def check(self, fields: dict[str, str], size: int) -> None:
        named: set[str] = set()
        for condition in self._conditions:
            if isinstance(condition, dict) and len(condition) == 1:
                ((name, expected),) = condition.items()
                op, name = "eq", name.lower()
            elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
                low, high = condition[1:]
                if not isinstance(low, int) or not isinstance(high, int):
                    raise S3Refusal(
                        400, "InvalidPolicyDocument", "Invalid Policy: content-length-range must be integers."
                    )
                if size < low:
                    raise S3Refusal(
                        400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"
                    )
                if size > high:
                    raise S3Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
                continue
            elif isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with"):
                op, name, expected = condition
                if not isinstance(name, str) or not name.startswith("$"):
                    raise S3Refusal(400, "InvalidPolicyDocument", f"Invalid Policy: {json.dumps(condition)}")
                name = name[1:].lower()
            else:
                raise S3Refusal(400, "InvalidPolicyDocument", f"Invalid Policy: {json.dumps(condition)}")
            named.add(name)
            value = fields.get(name)
            if value is None or not isinstance(expected, str):
                raise self._failed(condition)
            holds = value == expected if op == "eq" else value.startswith(expected)
            if not holds:
                raise self._failed(condition)
        if "bucket" not in named:
            raise _denied("Invalid according to Policy: the policy names no bucket.")
        for name in fields:
            if name not in named and name not in UNCONDITIONED_FIELDS and not name.startswith("x-ignore-"):
                raise _denied(f"Invalid according to Policy: Extra input fields: {name}")


class S3Proxy:
    def __init__(
        self,
        moto_url: str,
        bucket: str,
        events: S3EventSource,
        s3_client: Any,
        credentials: Credentials,
        region: str,
    ):
        self._moto_url = moto_url
        self.bucket = bucket
        self._events = events
        self._s3 = s3_client
        self._signatures = SignatureChecker(credentials, region)
        self._http = requests.Session()

    def handles(self, path: str) -> bool:
        # Anything that names the bucket first, however it continues, is answered here.
        return path.lstrip("/").split("/", 1)[0] == self.bucket

    def __call__(self, request: Request) -> Response:
        raw_path, _, raw_query = request.environ.get("RAW_URI", request.full_path).partition("?")
        try:
            key = object_key(raw_path, self.bucket)
            if key is None:
                raise _denied("The path leaves the bucket.")
            body = request.get_data()
            posted = self._authorize(request, key, raw_path, raw_query, body)
            return self._forward(request, key, raw_path, raw_query, body, posted)
        except S3Refusal as refusal:
            return refusal.response(raw_path)

    def _authorize(self, request: Request, key: str, raw_path: str, raw_query: str, body: bytes) -> str | None:
        """Raises the refusal unless the request is one S3 would do; returns a posted key."""
        url = f"http://{request.host}{raw_path}" + (f"?{raw_query}" if raw_query else "")
        if request.method == "POST" and not key and request.mimetype == "multipart/form-data" and not raw_query:
            form, files = self._form(request, body)
            uploads = files.getlist("file")
            file = uploads[0] if len(uploads) == 1 and len(files) == 1 else None
            size = len(file.read()) if file is not None else 0
            self._signatures.check_post(self.bucket, form, file, size)
            return form.get("key")
        if "X-Amz-Signature" in request.args:
            self._signatures.check_query(request, url)
        elif request.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256"):
            self._signatures.check_header(request, url, body)
        else:
            raise _denied("Access Denied")
        return None

    @staticmethod
    def _form(request: Request, body: bytes) -> tuple[MultiDict, MultiDict]:
        environ = {**request.environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        _, form, files = parse_form_data(environ)
        return form, files

    def _forward(
        self, request: Request, key: str, raw_path: str, raw_query: str, body: bytes, posted_key: str | None
    ) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        url = self._moto_url + raw_path + (f"?{raw_query}" if raw_query else "")
        answer = self._http.request(request.method, url, headers=headers, data=body, allow_redirects=False, timeout=60)
        if answer.ok:
            self._report_creation(request, key, posted_key, answer)
        response = Response(answer.content, status=answer.status_code)
        response.headers.clear()
        for name, value in answer.headers.items():
            # A HEAD answer has no body, so its Content-Length is the object's: keep it.
            keep_length = request.method == "HEAD" and name.lower() == "content-length"
            if keep_length or name.lower() not in HOP_BY_HOP | {"content-encoding"}:
                response.headers[name] = value
        if key and request.method in ("GET", "HEAD") and answer.ok:
            never_rendered(response)
        return response

    def _report_creation(self, request: Request, key: str, posted_key: str | None, answer: requests.Response) -> None:
        if request.method == "PUT" and key and "uploadId" not in request.args:
            name = "ObjectCreated:Copy" if "x-amz-copy-source" in request.headers else "ObjectCreated:Put"
        elif posted_key is not None:
            name, key = "ObjectCreated:Post", self._created_key(answer) or posted_key
        else:
            return
        # The version this request created (moto names it, as S3 does), not whichever is
        # current by the time this runs.
        version = {"VersionId": answer.headers["x-amz-version-id"]} if "x-amz-version-id" in answer.headers else {}
        head = self._s3.head_object(Bucket=self.bucket, Key=key, **version)
        self._events.object_created(
            self.bucket, key, head["ContentLength"], head["ETag"].strip('"'), name, head.get("VersionId")
        )

    @staticmethod
    def _created_key(answer: requests.Response) -> str | None:
        if answer.status_code == 201 and answer.content:
            found = ET.fromstring(answer.content).find(".//{*}Key")  # noqa: S314 (our own moto's answer)
            if found is not None:
                return found.text
        return None


def never_rendered(response: Response) -> None:
    """A downloaded object is saved, never run on the site's origin: an attachment unless a
    signed disposition says otherwise, never a type the browser would execute, no sniffing,
    and a sandbox in case a browser renders it anyway."""
    active = ACTIVE_TYPES.match(response.headers.get("Content-Type", ""))
    if active:
        response.headers["Content-Type"] = "application/octet-stream"
    disposition = response.headers.get("Content-Disposition", "").strip().lower()
    if not disposition.startswith("attachment") and (active or not disposition.startswith("inline")):
        response.headers["Content-Disposition"] = "attachment"
    response.headers.update(DOWNLOAD_HEADERS)
