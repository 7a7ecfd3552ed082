"""The officer API console's OpenAPI document, built once from every function's routes and
shipped with the console function (``functions/apidocs/openapi.json``), and the console's
page (``console.html``: Powertools' Swagger UI page with marks where the function puts the
document, Swagger UI's script and its style).

Merging the document imports every handler and builds every model's schema: seconds that
the console function would otherwise spend on its first request. The merge runs here, at
build time; the function serves the files. ``make build`` writes them again before
``sam build``, and ``tests/integration/test_api_console.py`` fails while the committed files
differ from what the code says.

    python -m tools.api_document           # writes both files
    python -m tools.api_document --check   # exit status 1 when either is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = ROOT / "functions"
DOCUMENT = FUNCTIONS_DIR / "apidocs" / "openapi.json"
CONSOLE = FUNCTIONS_DIR / "apidocs" / "console.html"

TITLE = "e-PTSP Kalimantan Utara API"
DESCRIPTION = (
    "API layanan perizinan online DPMPTSP Provinsi Kalimantan Utara. "
    "Rute bertanda gembok memerlukan token akses dari POST /api/auth/login "
    "(tombol Authorize; dikirim sebagai header Authorization: Bearer)."
)


def build() -> dict[str, Any]:
    """The merged document of every handler under ``functions/``, enriched for the console."""
    layer = str(ROOT / "layers" / "shared")
    if layer not in sys.path:
        sys.path.insert(0, layer)
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
    from aws_lambda_powertools.event_handler.openapi.models import Server

    from eptsp.apiconsole import enrich
    from eptsp.apiconsole.codes import error_codes
    from eptsp.http import SECURITY_SCHEMES

    merger = APIGatewayHttpResolver(enable_validation=True)
    merger.configure_openapi_merge(
        path=str(FUNCTIONS_DIR),
        pattern="*/app.py",
        exclude=["apidocs/*", "**/__pycache__/**"],
        title=TITLE,
        version="1.0.0",
        description=DESCRIPTION,
        servers=[Server(url="/")],
        security_schemes=SECURITY_SCHEMES,
        on_conflict="error",
    )
    merged = json.loads(merger.get_openapi_merge_json_schema())
    return enrich(merged, error_codes([FUNCTIONS_DIR]))


def console_page() -> str:
    """Powertools' Swagger UI page, with the marks functions/apidocs/app.py fills in."""
    from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html

    return generate_swagger_html("@@DOCUMENT@@", "@@SCRIPT@@", "@@STYLE@@", None, None, False) + "\n"


def render(document: dict[str, Any]) -> str:
    # One field a line: a route or model change reads as a small diff in review.
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def is_current() -> bool:
    return (
        DOCUMENT.is_file()
        and CONSOLE.is_file()
        and json.loads(DOCUMENT.read_text(encoding="utf-8")) == build()
        and CONSOLE.read_text(encoding="utf-8") == console_page()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.api_document")
    parser.add_argument("--check", action="store_true", help="only say whether the shipped file is current")
    args = parser.parse_args(argv)
    if args.check:
        current = is_current()
        print(f"{DOCUMENT.parent.relative_to(ROOT)}: {'current' if current else 'out of date'}")
        return 0 if current else 1
    DOCUMENT.write_text(render(build()), encoding="utf-8")
    CONSOLE.write_text(console_page(), encoding="utf-8")
    print(f"wrote {DOCUMENT.relative_to(ROOT)} and {CONSOLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
