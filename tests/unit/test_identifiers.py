"""Indonesian identifiers (domain-facts.md), with properties over many generated values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eptsp.accounts.identifiers import (
    check_password,
    identifier_kind,
    normalize_email,
    normalize_nib,
    normalize_nik,
    normalize_npwp,
    normalize_phone,
)
from eptsp.wilayah import KABUPATEN_KOTA

regions = st.sampled_from([*KABUPATEN_KOTA, "6407", "3171", "6472"])  # Kaltara, old Kaltim codes, Jakarta
birth_dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31))


def nik(region: str, district: int, born: dt.date, woman: bool, serial: int) -> str:
    day = born.day + (40 if woman else 0)
    return f"{region}{district:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@given(regions, st.integers(1, 99), birth_dates, st.booleans(), st.integers(1, 9999))
def test_every_well_formed_nik_is_accepted_women_included(region, district, born, woman, serial):
    number = nik(region, district, born, woman, serial)
    assert normalize_nik(f"{number[:6]} {number[6:12]}.{number[12:]}") == number


@given(regions, st.integers(1, 99), st.integers(1, 9999))
def test_a_nik_with_an_impossible_birth_date_is_refused(region, district, serial):
    for day, month in ((32, 1), (0, 5), (30, 2), (72, 3), (15, 13)):
        with pytest.raises(ValueError, match="tanggal lahir"):
            normalize_nik(f"{region}{district:02d}{day:02d}{month:02d}90{serial:04d}")


@pytest.mark.parametrize(
    ("value", "words"),
    [("65010145089000", "16 digit"), ("9901014508900001", "wilayah"), ("6501014508900000", "0000")],
)
def test_bad_niks_say_why(value, words):
    with pytest.raises(ValueError, match=words):
        normalize_nik(value)


@given(st.from_regex(r"8[1-9][0-9]{7,10}", fullmatch=True), st.sampled_from(["0", "62", "+62", "+62 "]))
def test_mobile_numbers_become_e164_from_any_national_form(national, prefix):
    assert normalize_phone(prefix + national) == "+62" + national


@pytest.mark.parametrize("value", ["0212345678", "12345", "+6581234567", "08123", "0812345678901234"])
def test_non_mobile_numbers_are_refused(value):
    with pytest.raises(ValueError):
        normalize_phone(value)


def test_npwp_old_and_new_forms():
    assert normalize_npwp("01.855.081.4-005.000") == "018550814005000"
    assert normalize_npwp("0018550814005000") == "0018550814005000"  # new form: 0 + old
    with pytest.raises(ValueError):
        normalize_npwp("01.855.081.5-005.000")  # check digit
    assert normalize_nib("9120 0012 34567") == "9120001234567"


def test_email_password_and_identifier_kind():
    assert normalize_email(" Siti@Example.COM ") == "siti@example.com"
    with pytest.raises(ValueError):
        normalize_email("siti@localhost")
    assert check_password("Rahasia123") == "Rahasia123"
    for weak in ("pendek1", "tanpaangka", "12345678"):
        with pytest.raises(ValueError):
            check_password(weak)
    assert identifier_kind("6501014508900001") == "nik_or_npwp"
    assert identifier_kind("01.855.081.4-005.000") == "npwp"
    assert identifier_kind("9120001234567") == "nib"
