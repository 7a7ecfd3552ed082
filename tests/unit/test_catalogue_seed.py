"""seed/catalogue.yaml loads under every catalogue rule (the rules themselves are in
eptsp.catalogue.models and tested in test_catalogue_rules.py), and the loader's command
refuses a broken file before touching any table."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from tools.load_catalogue import CATALOGUE_FILE, read_catalogue

ROOT = CATALOGUE_FILE.parents[1]


def test_the_seed_loads_with_every_provincial_permit():
    catalogue = read_catalogue()
    jenis = [j for izin in catalogue.izin for layanan in izin.layanan for j in layanan.jenis_permohonan]
    assert len(catalogue.izin) >= 12
    assert {j.jenis for j in jenis} == {"baru", "perpanjangan", "perubahan", "pencabutan"}
    assert {f.type for j in jenis for f in j.detail_fields} == {
        "text",
        "textarea",
        "integer",
        "number",
        "date",
        "select",
        "boolean",
    }


def test_the_loader_command_refuses_a_broken_file_and_names_the_item(tmp_path):
    # Given the seed with one requirement of one application type accepting an .exe
    seed = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    izin = seed["izin"][2]
    jenis = izin["layanan"][0]["jenisPermohonan"][0]
    jenis["persyaratan"][0] = {**jenis["persyaratan"][0], "fileTypes": ["pdf", "exe"]}
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(yaml.safe_dump(seed, allow_unicode=True), encoding="utf-8")
    # When an operator loads it (into a table that does not exist: nothing may be reached)
    result = subprocess.run(
        [sys.executable, "-m", "tools.load_catalogue", "--table-name", "tidak-ada", "--file", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'layers' / 'shared'}{os.pathsep}{ROOT}", "AWS_MAX_ATTEMPTS": "1"},
    )
    # Then it stops with the place and the reason
    assert result.returncode == 1
    where = f"izin '{izin['id']}' > layanan '{izin['layanan'][0]['id']}' > jenisPermohonan '{jenis['id']}'"
    assert f"{where} > persyaratan '{jenis['persyaratan'][0]['id']}' > fileTypes[1]: Input should be" in result.stderr
    assert "tidak ada yang dimuat" in result.stderr
