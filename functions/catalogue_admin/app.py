"""Catalogue administration (admins only): permit types, services, application types and
their requirements, detail fields, SLA and perbaikan deadline; the office calendar's own
days off; the audit trail of every change."""

from datetime import date, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import guarded, officers, signed_in
from eptsp.catalogue.admin import CatalogueAdminService
from eptsp.catalogue.admin_models import (
    AuditActorOutput,
    AuditEntryOutput,
    AuditPage,
    CalendarOutput,
    DayOffOutput,
    DayOffRequest,
    IzinAdminOutput,
    IzinChangeRequest,
    JenisPermohonanChangeRequest,
    LayananChangeRequest,
    NationalHolidayOutput,
)
from eptsp.catalogue.calendar import CalendarRepository, CalendarService, DayOff
from eptsp.catalogue.models import Izin, Slug
from eptsp.catalogue.repository import IzinSource
from eptsp.errors import ValidationFailed
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings
from eptsp.workdays import WITA

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ADMIN = officers("admin")
ACCESS = {
    "GET /api/admin/catalogue/izin/{izinId}": ADMIN,
    "POST /api/admin/catalogue/izin": ADMIN,
    "PUT /api/admin/catalogue/izin/{izinId}": ADMIN,
    "PUT /api/admin/catalogue/izin/{izinId}/layanan/{layananId}": ADMIN,
    "PUT /api/admin/catalogue/permohonan/{jenisPermohonanId}": ADMIN,
    "GET /api/admin/catalogue/audit": ADMIN,
    "GET /api/admin/calendar": ADMIN,
    "PUT /api/admin/calendar/{date}": ADMIN,
    "DELETE /api/admin/calendar/{date}": ADMIN,
}
TAGS = ["Admin: Katalog"]
CALENDAR_TAGS = ["Admin: Kalender Kantor"]


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"model": ErrorOutput}}}


CHANGE_ERRORS = {
    404: _error("Jenis izin, layanan atau jenis permohonan tidak ditemukan"),
    409: _error("Versi usang (VERSI_USANG: diubah orang lain), atau id sudah dipakai (ID_SUDAH_DIPAKAI)"),
    422: _error("Tidak sesuai aturan katalog (VALIDASI_GAGAL), dengan letak kesalahannya"),
}
IzinId = Annotated[Slug, Path(description="Id jenis izin.", examples=["izin-usaha-perikanan"])]
DayText = Annotated[
    str, Path(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Tanggal (YYYY-MM-DD, WITA).", examples=["2026-10-26"])
]


class Settings(SignedInSettings):
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")


def catalogue() -> CatalogueAdminService:
    from eptsp.aws import dynamodb_table
    from eptsp.catalogue.audit import AuditRepository
    from eptsp.catalogue.repository import CatalogueRepository

    table = dynamodb_table(Settings.load().catalogue_table)
    return CatalogueAdminService(CatalogueRepository(table), AuditRepository(table))


def calendar() -> CalendarService:
    from eptsp.aws import dynamodb_table

    return CalendarService(CalendarRepository(dynamodb_table(Settings.load().catalogue_table)))


def actor() -> tuple[str, str]:
    return signed_in(app).username, "admin"


def izin_output(source: IzinSource, status: int = 200) -> Response[IzinAdminOutput]:
    body = IzinAdminOutput(
        izin=source.izin,
        version=source.version,
        origin=source.origin,
        updated_at=source.updated_at,
        updated_by=source.updated_by,
    )
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


def day_output(day_off: DayOff) -> DayOffOutput:
    return DayOffOutput(
        date=day_off.day,
        kind=day_off.kind,
        reason=day_off.reason,
        version=day_off.version,
        updated_at=day_off.updated_at,
        updated_by=day_off.updated_by,
    )


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"Tanggal '{text}' tidak ada di kalender.", field="date") from None


# ------------------------------------------------------------------ catalogue


@app.get(
    "/api/admin/catalogue/izin/<izinId>",
    security=SIGNED_IN,
    summary="Satu jenis izin seperti yang disimpan, dengan versinya (untuk diubah)",
    tags=TAGS,
    responses={404: _error("Jenis izin tidak ditemukan")},
)
def handle_get_izin(izinId: IzinId) -> Response[IzinAdminOutput]:
    return izin_output(catalogue().get(izinId))


@app.post(
    "/api/admin/catalogue/izin",
    security=SIGNED_IN,
    summary="Tambah jenis izin baru, lengkap dengan layanan dan jenis permohonannya",
    tags=TAGS,
    responses={201: {"description": "Jenis izin ditambahkan (versi 1)"}, **CHANGE_ERRORS},
)
def handle_create_izin(izin: Annotated[Izin, Body(description="Jenis izin baru.")]) -> Response[IzinAdminOutput]:
    source = catalogue().create(actor(), izin)
    logger.info("Catalogue permit added", extra={"izin_id": izin.id})
    return izin_output(source, 201)


@app.put(
    "/api/admin/catalogue/izin/<izinId>",
    security=SIGNED_IN,
    summary="Ganti satu jenis izin seutuhnya (permohonan yang sudah dimulai tetap memakai salinannya)",
    tags=TAGS,
    responses=CHANGE_ERRORS,
)
def handle_replace_izin(izinId: IzinId, request: Annotated[IzinChangeRequest, Body()]) -> Response[IzinAdminOutput]:
    source = catalogue().replace(actor(), izinId, request.version, request.izin)
    logger.info("Catalogue permit changed", extra={"izin_id": izinId, "version": source.version})
    return izin_output(source)


@app.put(
    "/api/admin/catalogue/izin/<izinId>/layanan/<layananId>",
    security=SIGNED_IN,
    summary="Tambah atau ganti satu layanan jenis izin",
    tags=TAGS,
    responses={201: {"description": "Layanan baru ditambahkan"}, **CHANGE_ERRORS},
)
def handle_put_layanan(
    izinId: IzinId,
    layananId: Annotated[Slug, Path(description="Id layanan.", examples=["izin-usaha-perikanan-tangkap"])],
    request: Annotated[LayananChangeRequest, Body()],
) -> Response[IzinAdminOutput]:
    source, created = catalogue().put_layanan(actor(), izinId, layananId, request.version, request.layanan)
    logger.info("Catalogue service saved", extra={"izin_id": izinId, "layanan_id": layananId, "new": created})
    return izin_output(source, 201 if created else 200)


@app.put(
    "/api/admin/catalogue/permohonan/<jenisPermohonanId>",
    security=SIGNED_IN,
    summary="Ubah satu jenis permohonan: SLA, batas perbaikan, biaya, persyaratan, isian Data Detail",
    tags=TAGS,
    responses=CHANGE_ERRORS,
)
def handle_put_jenis_permohonan(
    jenisPermohonanId: Annotated[
        Slug, Path(description="Id jenis permohonan.", examples=["izin-usaha-perikanan-baru"])
    ],
    request: Annotated[JenisPermohonanChangeRequest, Body()],
) -> Response[IzinAdminOutput]:
    source = catalogue().put_jenis_permohonan(actor(), jenisPermohonanId, request.version, request.jenis_permohonan)
    logger.info("Catalogue application type changed", extra={"jenis_permohonan_id": jenisPermohonanId})
    return izin_output(source)


@app.get(
    "/api/admin/catalogue/audit",
    security=SIGNED_IN,
    summary="Jejak audit perubahan katalog dan kalender kantor, terbaru dulu",
    tags=TAGS,
    responses={422: _error("Parameter tidak valid (mis. cursor)")},
)
def handle_list_audit(
    cursor: Annotated[
        str | None,
        Query(max_length=2048, description="Cursor dari halaman sebelumnya; kosong untuk halaman pertama."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Jumlah per halaman (1-100).", examples=[20])] = 20,
) -> AuditPage:
    entries, next_cursor = catalogue().audit_page(limit, cursor)
    items = [
        AuditEntryOutput(
            audit_id=e.audit_id,
            at=e.at,
            actor=AuditActorOutput(username=e.actor_username, role=e.actor_role),
            target=e.target,
            target_id=e.target_id,
            izin_id=e.izin_id,
            action=e.action,
            version=e.version,
            before=e.before,
            after=e.after,
        )
        for e in entries
    ]
    return AuditPage(items=items, cursor=next_cursor)


# ------------------------------------------------------------------ office calendar


@app.get(
    "/api/admin/calendar",
    security=SIGNED_IN,
    summary="Kalender kantor satu tahun: hari libur kantor dan hari libur nasional/cuti bersama",
    tags=CALENDAR_TAGS,
)
def handle_get_calendar(
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Tahun (kosong: tahun ini, WITA).", examples=[2026])
    ] = None,
) -> CalendarOutput:
    year = year or datetime.now(WITA).year
    days_off, national = calendar().year(year)
    return CalendarOutput(
        year=year,
        office_days_off=[day_output(d) for d in days_off],
        national_holidays=[NationalHolidayOutput(date=day, name=name) for day, name in national],
    )


@app.put(
    "/api/admin/calendar/<date>",
    security=SIGNED_IN,
    summary="Tetapkan atau ubah hari libur kantor (libur daerah, kantor tutup); SLA tidak menghitungnya",
    tags=CALENDAR_TAGS,
    responses={
        201: {"description": "Hari libur kantor ditambahkan"},
        404: _error("Hari libur yang hendak diubah tidak ada"),
        409: _error("Sudah ada (HARI_LIBUR_SUDAH_ADA) atau versi usang (VERSI_USANG)"),
        422: _error("Tanggal tidak valid, akhir pekan, atau sudah libur nasional"),
    },
)
def handle_put_day_off(date: DayText, request: Annotated[DayOffRequest, Body()]) -> Response[DayOffOutput]:
    day_off, created = calendar().put(actor(), parse_day(date), request.kind, request.reason, request.version)
    logger.info("Office day off saved", extra={"day": date, "new": created})
    return Response(
        status_code=201 if created else 200, content_type=content_types.APPLICATION_JSON, body=day_output(day_off)
    )


@app.delete(
    "/api/admin/calendar/<date>",
    security=SIGNED_IN,
    summary="Hapus hari libur kantor (tanggal itu kembali menjadi hari kerja)",
    tags=CALENDAR_TAGS,
    status_code=204,
    responses={
        204: {"description": "Hari libur kantor dihapus (tanpa isi)", "content": {}},
        404: _error("Tanggal ini bukan hari libur kantor"),
        409: _error("Versi usang (VERSI_USANG)"),
    },
)
def handle_delete_day_off(
    date: DayText,
    version: Annotated[int, Query(ge=1, description="Versi hari libur yang terakhir dibaca.", examples=[1])],
):
    calendar().delete(actor(), parse_day(date), version)
    logger.info("Office day off removed", extra={"day": date})
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
