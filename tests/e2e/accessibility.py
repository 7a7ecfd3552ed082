"""axe-core (vendored, statics/vendor/axe-core) run in the page under test.

The script is evaluated through the DevTools protocol, so the site's CSP (script-src 'self')
stays as it ships; the site itself never loads axe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SOURCE = (Path(__file__).resolve().parents[2] / "statics" / "vendor" / "axe-core" / "axe.min.js").read_text(
    encoding="utf-8"
)
SERIOUS = ("serious", "critical")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every axe violation on the page as it is now: [{id, impact, help, targets}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        """async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
            }));
        }"""
    )
    return results


def serious_violations(page: Page) -> list[dict[str, Any]]:
    return [v for v in axe_violations(page) if v["impact"] in SERIOUS]
