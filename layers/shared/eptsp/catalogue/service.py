"""Catalogue rules: how the seed document becomes the views the API serves."""

from __future__ import annotations

from collections.abc import Iterator

from eptsp.catalogue.models import (
    CatalogueDocument,
    IzinDetail,
    IzinList,
    JenisPermohonan,
    JenisPermohonanSummary,
    LayananDetail,
    NamedRef,
    PersyaratanOutput,
    Section,
)
from eptsp.catalogue.repository import CatalogueRepository
from eptsp.errors import NotFound


def sections_for(jenis: JenisPermohonan) -> list[Section]:
    return [
        Section(id="pemohon", name="Data Pemohon", required=True),
        *(
            [Section(id="perusahaan", name="Data Perusahaan", required=jenis.company == "required")]
            if jenis.company != "none"
            else []
        ),
        Section(id="lokasi", name="Lokasi Izin", required=True),
        Section(id="detail", name="Data Detail", required=True),
    ]


def build_views(
    document: CatalogueDocument,
) -> Iterator[tuple[IzinDetail, list[PersyaratanOutput]]]:
    """For each permit, in the document's order: its detail view and its requirement views."""
    for izin in document.izin:
        persyaratan_views: list[PersyaratanOutput] = []
        layanan_views: list[LayananDetail] = []
        for layanan in izin.layanan:
            summaries = []
            for jenis in layanan.jenis_permohonan:
                summary = JenisPermohonanSummary(
                    id=jenis.id,
                    jenis=jenis.jenis,
                    name=jenis.name,
                    sla_working_days=jenis.sla_working_days,
                    fee=jenis.fee,
                )
                summaries.append(summary)
                persyaratan_views.append(
                    PersyaratanOutput(
                        izin=NamedRef(id=izin.id, name=izin.name),
                        layanan=NamedRef(id=layanan.id, name=layanan.name),
                        jenis_permohonan=summary,
                        sla_working_days=jenis.sla_working_days,
                        fee=jenis.fee,
                        company=jenis.company,
                        field_survey=jenis.field_survey,
                        technical_review=jenis.technical_review,
                        perbaikan_days=jenis.perbaikan_days,
                        validity_years=jenis.validity_years,
                        sections=sections_for(jenis),
                        persyaratan=jenis.persyaratan,
                        detail_fields=jenis.detail_fields,
                    )
                )
            layanan_views.append(
                LayananDetail(
                    id=layanan.id, name=layanan.name, description=layanan.description, jenis_permohonan=summaries
                )
            )
        detail = IzinDetail(
            id=izin.id,
            name=izin.name,
            description=izin.description,
            sector=izin.sector,
            synonyms=izin.synonyms,
            legal_basis=izin.legal_basis,
            layanan=layanan_views,
        )
        yield detail, persyaratan_views


class CatalogueService:
    def __init__(self, repository: CatalogueRepository):
        self._repository = repository

    def list_izin(self) -> IzinList:
        return IzinList(items=self._repository.list_izin())

    def get_izin(self, izin_id: str) -> IzinDetail:
        izin = self._repository.get_izin(izin_id)
        if izin is None:
            raise NotFound(f"Jenis izin '{izin_id}' tidak ditemukan.")
        return izin

    def get_persyaratan(self, jenis_permohonan_id: str) -> PersyaratanOutput:
        persyaratan = self._repository.get_persyaratan(jenis_permohonan_id)
        if persyaratan is None:
            raise NotFound(f"Jenis permohonan '{jenis_permohonan_id}' tidak ditemukan.")
        return persyaratan
