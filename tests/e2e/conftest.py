"""Browser test fixtures: the local stack in a subprocess, Debian's Chromium, and a guarded page.

Every test here is marked ``e2e``. The ``page`` fixture fails its test when a request
leaves the site's origin, when the page throws an uncaught error, or when the console
logs an error; a test that expects a console error (e.g. a deliberate 404) declares it
with ``page_guard.allow_console(r"...")``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
STARTUP_TIMEOUT_S = 90
STOP_TIMEOUT_S = 15
BANNER_URL = re.compile(r"^\s*Aplikasi\s+(?P<url>https?://\S+)")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
LOCALE = "id-ID"
TIMEZONE = "Asia/Makassar"
EXPECT_TIMEOUT_MS = 10_000
# Schemes that never reach the network (chrome: and chrome-extension: are the browser's own PDF viewer).
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# ------------------------------------------------------------------ the local stack


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class _StackProcess:
    """`python -m local_stack --port 0` in a subprocess, its stdout drained in a thread."""

    def __init__(self) -> None:
        env = dict(os.environ)
        extra = [str(PROJECT_ROOT / "layers" / "shared"), str(PROJECT_ROOT)]
        env["PYTHONPATH"] = os.pathsep.join([*extra, *filter(None, [env.get("PYTHONPATH")])])
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local_stack", "--port", "0", "--log-level", "WARNING"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, name="local-stack-output", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def captured(self) -> str:
        return "".join(self.output) or "(no output)"

    def wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError from None
            if line is None:
                raise ChildProcessError(self.process.wait())
            match = BANNER_URL.match(line)
            if match:
                url = match["url"]
                return url if url.endswith("/") else url + "/"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_S)
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """Root URL (ending in '/') of a local stack started for this session on a free port."""
    stack = _StackProcess()
    try:
        url, problem = "", ""
        try:
            url = stack.wait_for_url(STARTUP_TIMEOUT_S)
        except TimeoutError:
            problem = f"gave no 'Aplikasi' URL within {STARTUP_TIMEOUT_S} s"
        except ChildProcessError as exited:
            problem = f"exited with code {exited.args[0]} before it was ready"
        if problem:
            stack.stop()
            pytest.fail(f"Local stack {problem}. Output:\n{stack.captured()}", pytrace=False)
        yield url
    finally:
        stack.stop()


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (run `make chromium`).", pytrace=False)
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@dataclass
class PageGuard:
    """What one page did: every request URL, uncaught errors and console errors."""

    origin: tuple[str, str, int | None]
    requests: list[Request] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern[str]] = field(default_factory=list)

    @property
    def request_urls(self) -> list[str]:
        return [r.url for r in self.requests]

    def allow_console(self, pattern: str) -> None:
        """Accept console errors matching ``pattern`` (a regular expression) in this test."""
        self.allowed_console.append(re.compile(pattern))

    def on_request(self, request: Request) -> None:
        self.requests.append(request)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            where = f" ({location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
            self.console_errors.append(f"{message.text}{where}")

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.request_urls
            if urlsplit(url).scheme not in LOCAL_SCHEMES and _origin(url) != self.origin
        ]

    def problems(self) -> list[str]:
        found = [f"request left the site's origin: {url}" for url in self.foreign_requests()]
        found += [f"uncaught page error: {error}" for error in self.page_errors]
        found += [
            f"console error: {text}"
            for text in self.console_errors
            if not any(pattern.search(text) for pattern in self.allowed_console)
        ]
        return found


GUARD_KEY = pytest.StashKey[PageGuard]()


def new_context(browser: Browser, **options) -> BrowserContext:
    """A fresh browser context with the project's defaults (phone viewport, id-ID, WITA)."""
    settings = {"viewport": PHONE_VIEWPORT, "locale": LOCALE, "timezone_id": TIMEZONE, **options}
    return browser.new_context(**settings)


@pytest.fixture
def page_guard(request: pytest.FixtureRequest, site_url: str) -> PageGuard:
    guard = PageGuard(origin=_origin(site_url))
    request.node.stash[GUARD_KEY] = guard
    return guard


@pytest.fixture
def context(browser: Browser, page_guard: PageGuard) -> Iterator[BrowserContext]:
    context = new_context(browser)
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    context.on("request", page_guard.on_request)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context: BrowserContext, page_guard: PageGuard) -> Page:
    page = context.new_page()
    page.on("console", page_guard.on_console)
    page.on("pageerror", page_guard.on_page_error)
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After each test that used ``page``: fail on foreign requests, page errors and console errors."""
    try:
        result = yield
    except BaseException as error:
        guard = item.stash.get(GUARD_KEY, None)
        problems = _settled_problems(item, guard)
        if problems and hasattr(error, "add_note"):
            error.add_note("Also seen in the browser:\n  " + "\n  ".join(problems))
        raise
    guard = item.stash.get(GUARD_KEY, None)
    problems = _settled_problems(item, guard)
    if problems:
        pytest.fail("The browser reported:\n  " + "\n  ".join(problems), pytrace=False)
    return result


def _settled_problems(item: pytest.Item, guard: PageGuard | None) -> list[str]:
    if guard is None:
        return []
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if isinstance(page, Page) and not page.is_closed():
        # A round trip lets events the page has already emitted reach the listeners;
        # a page that is navigating or gone has nothing left to deliver.
        with contextlib.suppress(Exception):
            page.evaluate("0")
    return guard.problems()


# ------------------------------------------------------------------ helpers for tests


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], (
        f"page scrolls sideways at {widths['inner']} px: content is {widths['scroll']} px wide"
    )


def transferred_bytes(page: Page) -> int:
    """Bytes the page fetched so far (navigation and resources, headers included)."""
    return page.evaluate(
        """() => performance.getEntriesByType('navigation')
                 .concat(performance.getEntriesByType('resource'))
                 .reduce((total, entry) => total + (entry.transferSize || 0), 0)"""
    )
