"""The province is configuration: Kalimantan Timur deploys the same template with its own
regencies, map extent and names (template parameters -> environment -> eptsp.wilayah)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from local_stack import template

KALTIM = {
    "OFFICE_PROVINCE": "Kalimantan Timur",
    "OFFICE_SYSTEM": "e-PTSP Kalimantan Timur",
    "PROVINCE_REGENCIES": "6402=Kabupaten Kutai Kartanegara|6472=Kota Samarinda|6471=Kota Balikpapan",
    "PROVINCE_BOUNDS": "113.8,-2.6,119.1,2.6",
}
PROBE = """
import json
from pydantic import ValidationError
from eptsp.accounts.codes import Purpose
from eptsp.accounts.messages import send_code
from eptsp.applications.sections import LokasiSection
from eptsp.wilayah import KABUPATEN_KOTA, PROVINCE_CODE, RESIDENCE_CHOICES

def lokasi(code, lat, lon):
    data = {"kabupatenKota": code, "kecamatan": "Sungai Kunjang", "desaKelurahan": "Loa Bakung",
            "address": "Jl. Jakarta No. 1", "latitude": lat, "longitude": lon}
    try:
        LokasiSection.model_validate(data)
        return "ok"
    except ValidationError as error:
        return error.errors()[0]["msg"]

class Outbox:
    sent = []
    def email(self, to, subject, body): self.sent.append(body)
    def sms(self, phone, text): self.sent.append(text)

send_code(Outbox(), Purpose.ACTIVATION, "123456", "Nur", None, "+6281234567890")
print(json.dumps({
    "regencies": KABUPATEN_KOTA, "province": PROVINCE_CODE, "outside": RESIDENCE_CHOICES["luar"],
    "samarinda": lokasi("6472", -0.5, 117.15), "tarakan": lokasi("6571", 3.3, 117.58),
    "text": Outbox.sent[0],
}))
"""


def probe(environment: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROVINCE_", "OFFICE_"))}
    env["PYTHONPATH"] = str(template.ROOT / "layers" / "shared")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env={**env, **environment}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_without_configuration_the_office_serves_kalimantan_utara():
    kaltara = probe({})
    assert kaltara["province"] == "65" and kaltara["regencies"]["6571"] == "Kota Tarakan"
    assert kaltara["tarakan"] == "ok"
    assert "Kalimantan Utara" in kaltara["samarinda"]  # a pin in Samarinda is refused
    assert "e-PTSP Kalimantan Utara" in kaltara["text"]


def test_kalimantan_timur_gets_its_own_regencies_extent_and_names():
    kaltim = probe(KALTIM)
    assert kaltim["province"] == "64" and set(kaltim["regencies"]) == {"6402", "6472", "6471"}
    assert kaltim["outside"] == "Di luar Kalimantan Timur"
    assert kaltim["samarinda"] == "ok"
    assert "Kalimantan Timur" in kaltim["tarakan"]
    assert "e-PTSP Kalimantan Timur" in kaltim["text"] and "Utara" not in kaltim["text"]


def test_the_template_hands_the_province_to_every_function():
    sam = template.load_sam_template()
    variables = sam["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["PROVINCE_REGENCIES"] == {"Ref": "ProvinceRegencies"}
    assert variables["PROVINCE_BOUNDS"] == {"Ref": "ProvinceBounds"}
    assert variables["OFFICE_PROVINCE"] == {"Ref": "OfficeProvince"}
    # The template's defaults are the code's defaults: one Kalimantan Utara.
    from eptsp import wilayah

    assert wilayah.parse_regencies(sam["Parameters"]["ProvinceRegencies"]["Default"]) == wilayah.parse_regencies(
        wilayah.DEFAULT_REGENCIES
    )
    assert sam["Parameters"]["ProvinceBounds"]["Default"] == wilayah.DEFAULT_BOUNDS
