"""The officer API console: the merged OpenAPI document and Swagger UI, offline."""

from __future__ import annotations

import re

from local_stack import template


def test_openapi_document_has_every_routed_path_of_the_template(api):
    # Given the routes the template declares (the console's own two are not in the document)
    declared = {
        (route.method.lower(), route.path)
        for spec in template.functions(template.load_sam_template())
        for route in spec.routes
        if spec.logical_id != "ApiDocsFunction"
    }
    # When
    response = api.get("/api/openapi.json")
    # Then
    assert response.status_code == 200
    document = response.json()
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert declared == documented
    assert "IzinDetail" in document["components"]["schemas"]
    assert document["info"]["title"].startswith("e-PTSP")


def test_routes_behind_login_ask_for_the_bearer_token_in_the_document(api):
    authorized = {
        (route.method.lower(), route.path): route.authorized
        for spec in template.functions(template.load_sam_template())
        for route in spec.routes
        if spec.logical_id != "ApiDocsFunction"
    }
    document = api.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["cognito"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            asks_for_token = operation.get("security") == [{"cognito": []}]
            assert asks_for_token == authorized[(method, path)], (method, path)


def test_swagger_ui_is_served_with_its_assets_inline(api):
    response = api.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.text
    assert "SwaggerUIBundle" in html
    # Nothing is loaded from another origin: the page works offline.
    assert not re.search(r"""(src|href)=["']https?://""", html)
