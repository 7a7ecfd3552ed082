"""Permits without AWS: numbers, ids, validity, the signed record, and the PDF under two
office identities (text read with pdfium, the QR code scanned with zxing-cpp)."""

from __future__ import annotations

import json
import os
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st

from eptsp.office import OFFICE, OfficeIdentity
from eptsp.permits.models import Holder, Permit
from eptsp.permits.numbering import (
    CROCKFORD,
    check_pattern,
    is_permit_id,
    new_permit_id,
    permit_number,
)
from eptsp.permits.pdf import render_permit
from eptsp.permits.service import file_name, valid_until

KALTIM = OfficeIdentity(
    government="Pemerintah Provinsi Kalimantan Timur",
    name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Kalimantan Timur",
    address="Jl. Basuki Rahmat No. 55, Samarinda, Kalimantan Timur 75117",
    letterhead_lines_text="Telepon (0541) 000000 | dpmptsp.kaltimprov.go.id",
    system="e-PTSP Kalimantan Timur",
    province="Kalimantan Timur",
    city="Samarinda",
    head_name="Kepala Dinas Kaltim",
    head_nip="198001012005011002",
    head_title="Kepala DPMPTSP Provinsi Kalimantan Timur",
    number_pattern="570/{seq}/DPMPTSP-KT/{year}/{roman_month}",
)


def a_permit(office: OfficeIdentity = OFFICE, **changes) -> Permit:
    issued_on = date(2026, 11, 29)
    values = dict(
        permit_id="7K3M9Q2X4B8N1P5R",
        application_id="contohPermohonan1",
        owner_id="pemilik",
        number=permit_number(office.number_pattern, 7, issued_on),
        year=2026,
        seq=7,
        izin_name="Perizinan Penangkapan Ikan",
        layanan_name="Surat Izin Penangkapan Ikan (SIPI)",
        jenis_permohonan_name="Permohonan Baru",
        holder=Holder(name="Siti Rahmawati", nik_masked="**** **** **** 0001", company_name="PT Kayan Hidro Sejahtera"),
        location="Jl. Katamso RT 05, Tanjung Selor Hilir, Kec. Tanjung Selor, Kabupaten Bulungan",
        details=[("Nama Kapal", "KM Bahari Jaya")],
        issued_on=issued_on,
        valid_until=valid_until(issued_on, 1),
        issued_at="2026-11-29T02:00:00.000Z",
        receipt_number="2611-ABCD-EFGH",
        signature=None,
    )
    return Permit(**{**values, **changes})


def text_of(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    return " ".join(document[0].get_textpage().get_text_range().split())


def test_the_default_number_is_the_office_letter_number_style():
    assert permit_number(OFFICE.number_pattern, 12, date(2026, 11, 3)) == "503/12/DPMPTSP-KU/XI/2026"
    assert permit_number(OFFICE.number_pattern, 1, date(2027, 4, 1)) == "503/1/DPMPTSP-KU/IV/2027"


def test_a_pattern_that_would_repeat_numbers_is_refused():
    assert check_pattern(OFFICE.number_pattern)
    for pattern in ("503/DPMPTSP-KU/{year}", "503/{seq}/DPMPTSP-KU"):
        with pytest.raises(ValueError):
            check_pattern(pattern)


def test_permit_ids_are_16_crockford_characters_and_unguessable():
    ids = {new_permit_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == 16 and set(i) <= set(CROCKFORD) and is_permit_id(i) for i in ids)
    assert not is_permit_id("7K3M9Q2X4B8N1P5") and not is_permit_id("7k3m9q2x4b8n1p5r")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 10))
def test_validity_ends_the_day_before_the_anniversary(issued_on, years):
    following = date.fromordinal(valid_until(issued_on, years).toordinal() + 1)
    assert following.year == issued_on.year + years
    leap_day = (issued_on.month, issued_on.day) == (2, 29)
    assert (following.month, following.day) == (issued_on.month, issued_on.day) or (leap_day and following.day == 28)
    assert valid_until(issued_on, None) is None


def test_a_leap_day_permit_ends_on_the_27th_of_february():
    assert valid_until(date(2024, 2, 29), 1) == date(2025, 2, 27)


def test_the_signed_record_is_canonical_and_holds_only_public_data():
    permit = a_permit()
    payload = permit.signed_payload()
    assert (
        payload == json.dumps(json.loads(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert set(json.loads(payload)) == {
        "permitId",
        "permitNumber",
        "izinName",
        "jenisPermohonanName",
        "holderName",
        "companyName",
        "issuedAt",
        "validUntil",
    }
    assert b"0001" not in payload  # not even the masked NIK


def test_the_file_name_has_no_slashes():
    assert file_name("503/12/DPMPTSP-KU/XI/2026") == "izin-503-12-DPMPTSP-KU-XI-2026.pdf"


@pytest.mark.parametrize("office", [OFFICE, KALTIM], ids=["kalimantan-utara", "kalimantan-timur"])
def test_the_permit_carries_its_office_identity_and_number_pattern(office):
    url = f"https://d111.cloudfront.net/#/verifikasi/{a_permit(office).permit_id}"
    pdf = render_permit(a_permit(office), office, url)
    text = text_of(pdf)
    for expected in (
        office.government.upper(),
        office.address,
        *office.letterhead_lines,
        f"Nomor: {a_permit(office).number}",
        f"Ditetapkan di {office.city}",
        office.head_name,
        f"NIP. {office.head_nip}",
        "Siti Rahmawati",
        "**** **** **** 0001",
        "PT Kayan Hidro Sejahtera",
        "Nama Kapal",
        "29 November 2026 s.d. 28 November 2027",
    ):
        assert expected in text, expected
    other = KALTIM if office is OFFICE else OFFICE
    assert other.government.upper() not in text and f"Ditetapkan di {other.city}" not in text
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    assert [code.text for code in zxingcpp.read_barcodes(page)] == [url]


def test_the_two_identities_number_differently():
    assert a_permit(OFFICE).number == "503/7/DPMPTSP-KU/XI/2026"
    assert a_permit(KALTIM).number == "570/7/DPMPTSP-KT/2026/XI"


def test_the_office_identity_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("OFFICE_GOVERNMENT", KALTIM.government)
    monkeypatch.setenv("OFFICE_LETTERHEAD_LINES", "Satu | Dua")
    monkeypatch.setenv("PERMIT_NUMBER_PATTERN", KALTIM.number_pattern)
    office = OfficeIdentity.model_validate(dict(os.environ))
    assert office.government == KALTIM.government and office.letterhead_lines == ["Satu", "Dua"]
    assert office.number_pattern == KALTIM.number_pattern and office.name == OFFICE.name
