"""Shared fixtures: one local stack per test session, on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from local_stack import LocalStack


class Api:
    """A small HTTP client for the local stack's origin."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.base_url + path, headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    local = LocalStack(port=0, log_level="WARNING")
    local.start()
    try:
        yield local
        # Every event the session caused (S3, SQS, schedules) reached its handler and succeeded.
        assert not local.failures, f"local event sources failed: {local.failures}"
    finally:
        local.stop()


@pytest.fixture(scope="session")
def api(stack: LocalStack) -> Api:
    return Api(stack.url)
