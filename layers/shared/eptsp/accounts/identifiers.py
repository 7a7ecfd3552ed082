"""Indonesian identifiers and contact details: validation and normal forms.

Each ``normalize_*`` returns the stored form or raises ValueError with an Indonesian
sentence (pydantic turns it into a 422 naming the field).
"""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from eptsp.wilayah import KABUPATEN_KOTA

_DIGITS = re.compile(r"\d+")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
# Shared with the browser through GET /api/meta (the same syntax in JavaScript).
EMAIL_PATTERN = _EMAIL.pattern


def _digits_only(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value or "")


def normalize_nik(value: str) -> str:
    """16 digits: province, regency, district, birth date (women: day + 40), serial."""
    number = _digits_only(value)
    if not _DIGITS.fullmatch(number) or len(number) != 16:
        raise ValueError("NIK harus 16 digit angka.")
    try:
        stdnum_nik.get_birth_date(number)
    except StdnumError:
        raise ValueError("NIK tidak valid: tanggal lahir di dalamnya tidak ada.") from None
    # python-stdnum's region list predates Kalimantan Utara (65); its codes are checked here.
    if number[:4] not in KABUPATEN_KOTA and not stdnum_nik.is_valid(number):
        raise ValueError("NIK tidak valid: kode wilayahnya tidak dikenal.")
    if number[12:] == "0000":
        raise ValueError("NIK tidak valid: nomor urut tidak boleh 0000.")
    return number


def normalize_npwp(value: str) -> str:
    """Old 15-digit or new 16-digit NPWP; stored as digits only."""
    number = _digits_only(value)
    if not _DIGITS.fullmatch(number) or len(number) not in (15, 16):
        raise ValueError("NPWP harus 15 atau 16 digit angka.")
    if not stdnum_npwp.is_valid(number):
        raise ValueError("NPWP tidak valid: periksa kembali angkanya.")
    return number


def normalize_nib(value: str) -> str:
    number = _digits_only(value)
    if not _DIGITS.fullmatch(number) or len(number) != 13:
        raise ValueError("NIB harus 13 digit angka.")
    return number


def normalize_phone(value: str) -> str:
    """An Indonesian mobile number (08..., 628... or +628...), stored as E.164 (+628...)."""
    raw = re.sub(r"[\s\-().]", "", value or "")
    if raw.startswith("+62"):
        national = raw[3:]
    elif raw.startswith("62"):
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        raise ValueError("Nomor HP harus diawali 08 atau +628.")
    if not national.startswith("8") or not national.isdigit() or not 9 <= len(national) <= 12:
        raise ValueError("Nomor HP tidak valid: gunakan nomor seluler Indonesia, 10-13 digit (08...).")
    return "+62" + national


def normalize_email(value: str) -> str:
    email = (value or "").strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise ValueError("Alamat email tidak valid.")
    return email


def check_password(value: str) -> str:
    """The user pool's policy: at least 8 characters with letters and digits."""
    if len(value) < 8:
        raise ValueError("Password minimal 8 karakter.")
    if len(value) > 128:
        raise ValueError("Password maksimal 128 karakter.")
    if not re.search(r"[A-Za-z]", value) or not re.search(r"\d", value):
        raise ValueError("Password harus berisi huruf dan angka.")
    return value


def check_officer_password(value: str) -> str:
    """The officers' pool policy: at least 12 characters with capitals, small letters and digits."""
    check_password(value)
    if len(value) < 12:
        raise ValueError("Password petugas minimal 12 karakter.")
    if not re.search(r"[A-Z]", value) or not re.search(r"[a-z]", value):
        raise ValueError("Password petugas harus berisi huruf besar dan huruf kecil.")
    return value


def normalize_nip(value: str) -> str:
    """An officer's NIP (civil-servant number): 18 digits."""
    number = _digits_only(value)
    if not _DIGITS.fullmatch(number) or len(number) != 18:
        raise ValueError("NIP harus 18 digit angka.")
    return number


def identifier_kind(value: str) -> str:
    """Which identifier the Lupa Password form got: nik, npwp or nib (by its length)."""
    number = _digits_only(value)
    if not number.isdigit():
        raise ValueError("Isi NIK, NPWP, atau NIB dengan angka saja.")
    kinds = {16: "nik_or_npwp", 15: "npwp", 13: "nib"}
    if len(number) not in kinds:
        raise ValueError("Isi NIK (16 digit), NPWP (15/16 digit), atau NIB (13 digit).")
    return kinds[len(number)]
