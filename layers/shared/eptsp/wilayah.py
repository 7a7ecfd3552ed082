"""The province the office serves: its regencies and cities (Kemendagri codes, as used in
NIK) and the map's extent.

Deployment configuration, like the office's identity (eptsp.office): the template's
``OfficeProvince``, ``ProvinceRegencies`` and ``ProvinceBounds`` parameters become the
variables read here, with Kalimantan Utara's as defaults, so Kalimantan Timur deploys the
same template with its own. Read once at import: a function's environment never changes.
"""

from __future__ import annotations

import os
from typing import NamedTuple

# "code=name|code=name"; the codes are the NIK's first four digits.
DEFAULT_REGENCIES = (
    "6501=Kabupaten Bulungan|6502=Kabupaten Malinau|6503=Kabupaten Nunukan|"
    "6504=Kabupaten Tana Tidung|6571=Kota Tarakan"
)
# "west,south,east,north" in degrees: the province with a margin (a map pin outside it is
# a mistake, and the map's tiles are served only inside it).
DEFAULT_BOUNDS = "114.3,0.8,118.3,4.8"


class Bounds(NamedTuple):
    west: float
    south: float
    east: float
    north: float


def parse_regencies(text: str) -> dict[str, str]:
    regencies = {}
    for entry in text.split("|"):
        code, _, name = entry.partition("=")
        code, name = code.strip(), name.strip()
        if not (len(code) == 4 and code.isdigit() and name):
            raise ValueError(f"PROVINCE_REGENCIES: {entry!r} is not code=name (4-digit code)")
        regencies[code] = name
    if len({code[:2] for code in regencies}) != 1:
        raise ValueError("PROVINCE_REGENCIES: every code starts with the province's two digits")
    return regencies


def parse_bounds(text: str) -> Bounds:
    bounds = Bounds(*(float(part) for part in text.split(",")))
    if not (-180 <= bounds.west < bounds.east <= 180 and -85 <= bounds.south < bounds.north <= 85):
        raise ValueError(f"PROVINCE_BOUNDS: {text!r} is not west,south,east,north")
    return bounds


PROVINCE_NAME = os.environ.get("OFFICE_PROVINCE") or "Kalimantan Utara"
KABUPATEN_KOTA: dict[str, str] = parse_regencies(os.environ.get("PROVINCE_REGENCIES") or DEFAULT_REGENCIES)
PROVINCE_CODE = next(iter(KABUPATEN_KOTA))[:2]
BOUNDS = parse_bounds(os.environ.get("PROVINCE_BOUNDS") or DEFAULT_BOUNDS)
TIME_ZONE = "Asia/Makassar"  # WITA
# An applicant may live elsewhere (an investor from Jakarta, say).
OUTSIDE_PROVINCE = "luar"
RESIDENCE_CHOICES: dict[str, str] = {**KABUPATEN_KOTA, OUTSIDE_PROVINCE: f"Di luar {PROVINCE_NAME}"}
