"""Kalimantan Utara's regencies and city (Kemendagri codes, as used in NIK)."""

PROVINCE_CODE = "65"
PROVINCE_NAME = "Kalimantan Utara"
TIME_ZONE = "Asia/Makassar"  # WITA

KABUPATEN_KOTA: dict[str, str] = {
    "6501": "Kabupaten Bulungan",
    "6502": "Kabupaten Malinau",
    "6503": "Kabupaten Nunukan",
    "6504": "Kabupaten Tana Tidung",
    "6571": "Kota Tarakan",
}
# An applicant may live elsewhere (an investor from Jakarta, say).
OUTSIDE_PROVINCE = "luar"
RESIDENCE_CHOICES: dict[str, str] = {**KABUPATEN_KOTA, OUTSIDE_PROVINCE: "Di luar Kalimantan Utara"}
