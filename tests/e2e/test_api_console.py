"""The officer API console (Swagger UI at /api/docs) renders and calls the API under its own
Content-Security-Policy, with nothing blocked and nothing loaded from another origin."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PageGuard


def test_the_api_console_renders_and_tries_a_route_under_its_csp(page: Page, page_guard: PageGuard, site_url: str):
    # Swagger UI's page names no icon, so the browser asks for the site's /favicon.ico.
    page_guard.allow_console(r"favicon\.ico")
    # Given the console, served with the policy of its CloudFront behaviour
    answer = page.goto(site_url.rstrip("/") + "/api/docs")
    assert answer is not None and answer.ok
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    # Then Swagger UI draws the operations (its inline script and style ran)
    operation = page.locator(".opblock-get", has=page.locator('[data-path="/api/catalogue/izin"]'))
    expect(operation).to_be_visible()
    # And "Try it out" reaches the API on the same origin (connect-src 'self')
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
