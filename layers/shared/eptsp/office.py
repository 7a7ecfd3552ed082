"""The office's identity, as printed on the documents it issues (receipts now, permits next).

One place for it: the next change makes it deployment configuration, and every document
reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfficeIdentity:
    government: str  # the level of government the office belongs to, first line of the letterhead
    name: str
    address: str
    system: str  # the online service's own name, as the applicant knows it


OFFICE = OfficeIdentity(
    government="Pemerintah Provinsi Kalimantan Utara",
    name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Kalimantan Utara",
    address="Jl. Kolonel H. Soetadji, Tanjung Selor, Kabupaten Bulungan, Kalimantan Utara 77212",
    system="e-PTSP Kalimantan Utara",
)
