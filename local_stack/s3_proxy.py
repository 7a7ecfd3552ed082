"""Path-style S3 on the site's own origin: /<bucket>/<key> is forwarded to moto.

The browser posts uploads to the presigned URL and fetches downloads from it without
leaving the origin (in the cloud it talks to S3 directly, with the bucket's CORS rules).
Requests that create an object are reported to the S3 event source.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import requests
from werkzeug.formparser import parse_form_data
from werkzeug.wrappers import Request, Response

from local_stack.s3_events import S3EventSource

HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive", "accept-encoding"}


class S3Proxy:
    def __init__(self, moto_url: str, buckets: set[str], events: S3EventSource, s3_client: Any):
        self._moto_url = moto_url
        self.buckets = buckets
        self._events = events
        self._s3 = s3_client
        self._http = requests.Session()

    def handles(self, path: str) -> bool:
        return path.lstrip("/").split("/", 1)[0] in self.buckets

    def __call__(self, request: Request) -> Response:
        body = request.get_data()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        query = request.query_string.decode()
        url = self._moto_url + request.path + (f"?{query}" if query else "")
        answer = self._http.request(request.method, url, headers=headers, data=body, allow_redirects=False, timeout=60)
        if answer.ok:
            self._report_creation(request, body, answer)
        response = Response(answer.content, status=answer.status_code)
        response.headers.clear()
        for name, value in answer.headers.items():
            # A HEAD answer has no body, so its Content-Length is the object's: keep it.
            keep_length = request.method == "HEAD" and name.lower() == "content-length"
            if keep_length or name.lower() not in HOP_BY_HOP | {"content-encoding"}:
                response.headers[name] = value
        return response

    def _report_creation(self, request: Request, body: bytes, answer: requests.Response) -> None:
        bucket, _, key = request.path.lstrip("/").partition("/")
        if request.method == "PUT" and key and "uploadId" not in request.args:
            name = "ObjectCreated:Copy" if "x-amz-copy-source" in request.headers else "ObjectCreated:Put"
        elif request.method == "POST" and not key and request.mimetype == "multipart/form-data":
            name, key = "ObjectCreated:Post", self._posted_key(request, body, answer)
        else:
            return
        if not key:
            return
        head = self._s3.head_object(Bucket=bucket, Key=key)
        self._events.object_created(bucket, key, head["ContentLength"], head["ETag"].strip('"'), name)

    @staticmethod
    def _posted_key(request: Request, body: bytes, answer: requests.Response) -> str | None:
        if answer.status_code == 201 and answer.content:
            found = ET.fromstring(answer.content).find(".//{*}Key")  # noqa: S314 (our own moto's answer)
            if found is not None:
                return found.text
        environ = {**request.environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        _, form, _ = parse_form_data(environ)
        return form.get("key")
