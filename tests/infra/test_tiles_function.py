"""The map tile path's CloudFront Function, run under Node as CloudFront would run it: only
the tiles that cover the province, zoom 18 at most, reach the tile server."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess

import pytest

from local_stack import template

SAM = template.load_sam_template()
NODE = shutil.which("node")


def path(xy: tuple[int, int]) -> str:
    return f"{xy[0]}/{xy[1]}"


def tile(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    # The slippy-map numbering (OpenStreetMap wiki, "Slippy map tilenames").
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def run(uris: list[str], bounds: str | None = None) -> list[dict]:
    """The function's answer to each viewer request (a request goes on, a response is refused)."""
    assert NODE, "node runs the CloudFront Function's code"
    code, variables = SAM["Resources"]["TilesPathRewrite"]["Properties"]["FunctionCode"]["Fn::Sub"]
    values = dict(zip(("West", "South", "East", "North"), (bounds or default_bounds()).split(","), strict=True))
    assert set(variables) == set(values)
    source = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], code)
    harness = (
        "\nconsole.log(JSON.stringify(%s.map(function (uri) {"
        " return handler({request: {uri: uri, querystring: {a: {value: '1'}}}}); })));\n"
    )
    result = subprocess.run(
        [NODE, "-e", source + harness % json.dumps(uris)], capture_output=True, text=True, timeout=30, check=True
    )
    return json.loads(result.stdout)


def default_bounds() -> str:
    return SAM["Parameters"]["ProvinceBounds"]["Default"]


def test_tiles_over_the_province_go_to_the_tile_server_without_our_prefix():
    x, y = tile(117.58, 3.30, 15)  # Tarakan
    (answer,) = run([f"/tiles/15/{x}/{y}.png"])
    assert answer == {"uri": f"/15/{x}/{y}.png", "querystring": {}}
    # the whole province at the map's widest zoom, and at its closest
    west, south, east, north = (float(v) for v in default_bounds().split(","))
    corners = [tile(west, north, 18), tile(east, south, 18), tile(116.4, 2.8, 8)]
    answers = run([f"/tiles/{z}/{x}/{y}.png" for z, (x, y) in zip((18, 18, 8), corners, strict=True)])
    assert all("uri" in a for a in answers), answers


@pytest.mark.parametrize(
    "uri",
    [
        "/tiles/15/{jakarta}.png",  # another province
        "/tiles/19/{tarakan19}.png",  # closer than the map goes
        "/tiles/15/{west_of_it}.png",  # just outside the bounds
        "/tiles/../../etc/passwd",
        "/tiles/15/abc/1.png",
        "/tiles/15/1/2.jpg",
    ],
)
def test_anything_else_is_refused_at_the_edge(uri):
    west = float(default_bounds().split(",")[0])
    values = {
        "jakarta": path(tile(106.82, -6.2, 15)),
        "tarakan19": path(tile(117.58, 3.30, 19)),
        "west_of_it": path(tile(west - 0.1, 3.0, 15)),
    }
    (answer,) = run([uri.format(**values)])
    assert answer["statusCode"] == 403 and "uri" not in answer


def test_another_province_gets_its_own_tiles():
    samarinda = tile(117.15, -0.50, 14)  # Kalimantan Timur
    kaltim = "113.8,-2.6,119.1,2.6"
    uri = f"/tiles/14/{path(samarinda)}.png"
    assert "statusCode" in run([uri])[0]
    assert run([uri], kaltim)[0]["uri"] == f"/14/{path(samarinda)}.png"


def test_tile_requests_carry_the_viewers_user_agent_and_referer():
    behaviours = SAM["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"]
    (tiles,) = [b for b in behaviours if b["PathPattern"] == "/tiles/*"]
    assert tiles["OriginRequestPolicyId"] == "acba4595-bd28-49b8-b9fe-13317c0390fa"  # Managed-UserAgentRefererHeaders
    assert tiles["AllowedMethods"] == ["GET", "HEAD"]
