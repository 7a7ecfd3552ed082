"""Helpers for upload tests: real file bytes, the browser's presigned POST, waiting for the check."""

from __future__ import annotations

import io
import time

import requests

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


def photo(
    width: int = 1200, height: int = 1600, fmt: str = "JPEG", color: tuple[int, int, int] = (200, 180, 140)
) -> bytes:
    """A real photo of a page, as a phone camera makes one (JPEG) or a screenshot (PNG)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((width // 10, height // 10, width // 2, height // 5), fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def presign(api, token: str, file_name: str, content_type: str, size: int) -> requests.Response:
    return api.post(
        "/api/files/presign", token=token, json={"fileName": file_name, "contentType": content_type, "size": size}
    )


def upload(api, token: str, file_name: str, content_type: str, data: bytes, declared_size: int | None = None) -> str:
    """Presign, post the bytes as a browser form does, wait for the check; returns the file id."""
    answer = presign(api, token, file_name, content_type, declared_size or len(data))
    assert answer.status_code == 201, answer.text
    grant = answer.json()
    posted = post_form(grant, file_name, content_type, data)
    assert posted.status_code in (200, 201, 204), posted.text
    return grant["fileId"]


def post_form(grant: dict, file_name: str, content_type: str, data: bytes, **changed: str) -> requests.Response:
    """The browser's form post of a presigned grant, with any fields changed."""
    fields = {**grant["fields"], **changed}
    return requests.post(
        grant["url"], data=fields, files={"file": (file_name, io.BytesIO(data), content_type)}, timeout=60
    )


def put_without_policy(stack, key: str, data: bytes) -> None:
    """Store an object with the handlers' own credentials, as an S3 that enforced no POST
    policy would have stored the upload."""
    import boto3

    s3 = boto3.client("s3", endpoint_url=stack.url, region_name="ap-southeast-3")
    s3.put_object(Bucket=stack.provisioned.physical_ids["DocumentsBucket"], Key=key, Body=data)


def wait_for_check(api, token: str, file_id: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        detail = api.get(f"/api/files/{file_id}", token=token).json()
        if detail["status"] != "menunggu":
            return detail
        time.sleep(0.1)
    raise AssertionError(f"file {file_id} was never checked")


def uploaded(api, token: str, file_name: str, content_type: str, data: bytes) -> dict:
    return wait_for_check(api, token, upload(api, token, file_name, content_type, data))
