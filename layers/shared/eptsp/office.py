"""The office's identity, as printed on the documents it issues (receipts, permits).

Deployment configuration, not code: the template's ``Office*`` parameters become these
environment variables, with Kalimantan Utara's identity as their defaults, so another
province deploys the same template with its own (``OfficeIdentity.load()``). Documents
receive an ``OfficeIdentity``; nothing else reads these variables.
"""

from __future__ import annotations

from pydantic import Field

from eptsp.settings import FunctionSettings

DEFAULT_NUMBER_PATTERN = "503/{seq}/DPMPTSP-KU/{roman_month}/{year}"


class OfficeIdentity(FunctionSettings):
    # The level of government the office belongs to: the letterhead's first line.
    government: str = Field("Pemerintah Provinsi Kalimantan Utara", alias="OFFICE_GOVERNMENT")
    name: str = Field(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Kalimantan Utara", alias="OFFICE_NAME"
    )
    address: str = Field(
        "Jl. Kolonel H. Soetadji, Tanjung Selor, Kabupaten Bulungan, Kalimantan Utara 77212", alias="OFFICE_ADDRESS"
    )
    # Further letterhead lines (telephone, e-mail, website), "|" between them.
    letterhead_lines_text: str = Field("", alias="OFFICE_LETTERHEAD_LINES")
    # The online service's own name, as the applicant knows it.
    system: str = Field("e-PTSP Kalimantan Utara", alias="OFFICE_SYSTEM")
    province: str = Field("Kalimantan Utara", alias="OFFICE_PROVINCE")
    # Where permits are signed ("Ditetapkan di ...").
    city: str = Field("Tanjung Selor", alias="OFFICE_CITY")
    # Placeholders until the deployment names them (template parameters OfficeHeadName, OfficeHeadNip).
    head_name: str = Field("Nama Kepala Dinas", alias="OFFICE_HEAD_NAME")
    head_nip: str = Field("197001012000031001", alias="OFFICE_HEAD_NIP")
    head_title: str = Field(
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Kalimantan Utara",
        alias="OFFICE_HEAD_TITLE",
    )
    # Permit numbers: {seq} (per year, from 1), {roman_month}, {year}.
    number_pattern: str = Field(DEFAULT_NUMBER_PATTERN, alias="PERMIT_NUMBER_PATTERN")

    @property
    def letterhead_lines(self) -> list[str]:
        return [line.strip() for line in self.letterhead_lines_text.split("|") if line.strip()]


# The defaults: what the template deploys unless told otherwise.
OFFICE = OfficeIdentity()
