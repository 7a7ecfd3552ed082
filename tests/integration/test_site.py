"""The site's own origin: the front end with the security headers CloudFront sends."""

from __future__ import annotations


def test_front_end_is_served_with_the_templates_security_headers(api):
    response = api.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "${" not in csp  # every reference resolved
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_paths_outside_statics_are_not_served(api):
    assert api.get("/../template.yaml").status_code == 404
    assert api.get("/js/../../template.yaml").status_code == 404
    assert api.get("/tidak-ada.html").status_code == 404
