"""Permit catalogue: steps 1-3 of Pengajuan Permohonan. Public and read-only."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import ANYONE, guarded
from eptsp.aws import dynamodb_table
from eptsp.catalogue.models import IzinDetail, IzinList, PersyaratanOutput, Slug
from eptsp.catalogue.repository import CatalogueRepository
from eptsp.catalogue.service import CatalogueService
from eptsp.http import cached, configure_resolver
from eptsp.meta import MetaOutput, meta
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.settings import FunctionSettings

CACHE_SECONDS = 300
NOT_FOUND = {404: {"description": "Tidak ditemukan", "content": {"application/json": {"model": ErrorOutput}}}}

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/catalogue/izin": ANYONE,
    "GET /api/catalogue/izin/{izinId}": ANYONE,
    "GET /api/catalogue/permohonan/{jenisPermohonanId}/persyaratan": ANYONE,
    "GET /api/meta": ANYONE,
}


class Settings(FunctionSettings):
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")


def catalogue() -> CatalogueService:
    return CatalogueService(CatalogueRepository(dynamodb_table(Settings.load().catalogue_table)))


@app.get("/api/catalogue/izin", summary="Daftar jenis izin", tags=["Katalog"])
def handle_list_izin() -> Response[IzinList]:
    return cached(catalogue().list_izin(), CACHE_SECONDS)


@app.get(
    "/api/catalogue/izin/<izinId>",
    summary="Satu jenis izin dengan layanan dan jenis permohonannya",
    tags=["Katalog"],
    responses=NOT_FOUND,
)
def handle_get_izin(izinId: Annotated[Slug, Path()]) -> Response[IzinDetail]:
    return cached(catalogue().get_izin(izinId), CACHE_SECONDS)


@app.get(
    "/api/catalogue/permohonan/<jenisPermohonanId>/persyaratan",
    summary="Persyaratan, SLA dan isian satu jenis permohonan",
    tags=["Katalog"],
    responses=NOT_FOUND,
)
def handle_get_persyaratan(
    jenisPermohonanId: Annotated[Slug, Path()],
) -> Response[PersyaratanOutput]:
    return cached(catalogue().get_persyaratan(jenisPermohonanId), CACHE_SECONDS)


@app.get(
    "/api/meta",
    summary="Aturan bersama: wilayah, bentuk usaha, batas koordinat dan unggahan, aturan nomor identitas",
    tags=["Referensi"],
)
def handle_get_meta() -> Response[MetaOutput]:
    # The browser reads these instead of keeping copies; they change only with a release.
    return cached(meta().model_dump(mode="json"), CACHE_SECONDS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
