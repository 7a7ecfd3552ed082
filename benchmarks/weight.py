"""Weight on a slow phone connection: bytes and time to the first meaningful paint of the
login page, the dashboard and step 1 of Pengajuan Permohonan.

Debian's Chromium (as the browser tests start it) on a phone-sized page, each page in a new
context (cold cache), the network throttled through the DevTools protocol to 400 kbit/s down
and up with 400 ms round trips, the CPU 4x slower. The local stack's gateway serves the
static files as CloudFront does (Brotli, which the browser accepts, for text types from 1,000
bytes), but over HTTP/1.1 (six connections, every response's headers in full) where CloudFront
speaks HTTP/2: a deployed site is not slower. Bytes are what crossed the network
(``encodedDataLength``: compressed bodies and headers).

The meaningful paint of each page is the moment its content can be used, seen from inside
the page (``performance.now()`` from navigation start): the login form drawn by the app with
every input to fill (user name, password, the security code's answer), its enabled Masuk
button and the security code's image loaded; the dashboard's heading in place of the loading
panel; step 1's list of permits.
"""

from __future__ import annotations

import os
from typing import Any

import requests

KBIT = 1000 / 8  # bytes a second per kbit/s
THROTTLE = {"offline": False, "latency": 400, "downloadThroughput": 400 * KBIT, "uploadThroughput": 400 * KBIT}
CPU_SLOWDOWN = 4
TARGET_BYTES = 100 * 1024
TARGET_LOGIN_MS = 3000
TIMEOUT_MS = 120_000
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

PAGES = {
    "login": (
        "#/masuk",
        """() => {
            const form = document.querySelector('#page form');
            const img = form && form.querySelector('[data-testid=captcha-image]');
            const inputs = form ? ['[name=username]', 'input[type=password]', '[data-testid=captcha-answer]']
              .map((s) => form.querySelector(s)) : [null];
            const submit = form && form.querySelector('button[type=submit]');
            return img && img.complete && img.naturalWidth > 0 && inputs.every((i) => i && !i.disabled)
              && submit && !submit.disabled && !document.querySelector('[data-testid=boot]')
              ? performance.now() : false;
        }""",
    ),
    "dashboard": (
        "#/",
        """() => !document.querySelector('[data-testid=boot]') && document.querySelector('#page h1')
              ? performance.now() : false""",
    ),
    "step 1": (
        "#/pengajuan",
        """() => document.querySelector('#page [data-testid^="izin-"]') ? performance.now() : false""",
    ),
}


def _path(url: str) -> str:
    return url.split("#")[0].split("/", 3)[-1] or "index.html"


def measure_page(browser: Any, url: str, ready: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", timezone_id="Asia/Makassar")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    transferred: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: transferred.__setitem__(e["requestId"], e["encodedDataLength"]))
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        usable_ms = page.wait_for_function(ready, polling="raf", timeout=TIMEOUT_MS).json_value()
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        paints = page.evaluate(
            "() => Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime]))"
        )
    finally:
        context.close()
    largest = sorted(transferred.items(), key=lambda kv: kv[1], reverse=True)[:3]
    return {
        "bytes": int(sum(transferred.values())),
        "requests": len(transferred),
        "largest": [f"{_path(urls.get(rid, '?'))} {size / 1024:.1f} KB" for rid, size in largest],
        "first_contentful_paint_ms": round(paints.get("first-contentful-paint", 0)),
        "meaningful_paint_ms": round(usable_ms),
    }


def run(site_url: str) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    base = site_url.rstrip("/") + "/"
    # The local stack builds the site on its first request; an edge serves a release built before.
    requests.get(base, timeout=60).raise_for_status()
    results: dict[str, Any] = {
        "conditions": "400 kbit/s down and up, 400 ms RTT, CPU 4x slower, cold cache, Brotli as CloudFront, HTTP/1.1",
        "pages": {},
        "target_bytes": TARGET_BYTES,
        "target_login_ms": TARGET_LOGIN_MS,
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, (route, ready) in PAGES.items():
                figures = measure_page(browser, base + route, ready)
                figures["bytes_met"] = figures["bytes"] <= TARGET_BYTES
                if name == "login":
                    figures["usable_met"] = figures["meaningful_paint_ms"] <= TARGET_LOGIN_MS
                results["pages"][name] = figures
        finally:
            browser.close()
    return results
