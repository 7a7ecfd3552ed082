"""Reports: the officers' summary for a period (JSON, or CSV for the monthly report) and the
public Kinerja figures of the last 12 months (cached; no personal data)."""

from datetime import date
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import ANYONE, guarded, officers
from eptsp.http import SIGNED_IN, cached, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.reports.export import file_name, summary_csv
from eptsp.reports.figures import report_period
from eptsp.reports.models import KinerjaOutput, SummaryOutput
from eptsp.reports.service import ReportsService, reports_service
from eptsp.settings import SignedInSettings

# Kinerja changes only as files finish and surveys arrive: five minutes in any cache is fine.
KINERJA_CACHE_SECONDS = 300
CSV = "text/csv"

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/officer/reports/summary": officers("admin", "kepala"),
    "GET /api/public/kinerja": ANYONE,
}


class Settings(SignedInSettings):
    reports_table: str = Field(alias="REPORTS_TABLE")
    catalogue_table: str = Field(alias="CATALOGUE_TABLE")


def reports() -> ReportsService:
    s = Settings.load()
    return reports_service(s.reports_table, s.catalogue_table)


def wants_csv(format_: str | None) -> bool:
    if format_:
        return format_ == "csv"
    accept = app.current_event.headers.get("accept") or ""
    return any(part.split(";")[0].strip().lower() == CSV for part in accept.split(","))


@app.get(
    "/api/officer/reports/summary",
    security=SIGNED_IN,
    summary="Laporan ringkas: status, tahap, jenis izin, kepatuhan SLA, median hari kerja (JSON atau CSV)",
    description=(
        "Permohonan yang diajukan dari 'from' sampai 'to' (tanggal WITA, termasuk; paling panjang 24 bulan) "
        "menurut status dan tahapnya sekarang; yang selesai dalam periode itu tepat waktu atau terlambat, "
        "dengan median hari kerjanya; yang masih terbuka dan sudah lewat SLA. Dengan 'format=csv' atau "
        "header 'Accept: text/csv' jawabannya berkas CSV (titik koma, koma desimal) untuk laporan bulanan."
    ),
    tags=["Laporan"],
    responses={
        200: {
            "description": "Ringkasan laporan (JSON), atau berkas CSV dengan format=csv / Accept: text/csv",
            "content": {
                "application/json": {"model": SummaryOutput},
                "text/csv": {"schema": {"type": "string", "description": "Berkas CSV laporan ringkas"}},
            },
        }
    },
)
def handle_get_summary(
    from_: Annotated[
        date, Query(alias="from", description="Tanggal awal periode (WITA), termasuk", examples=["2026-01-01"])
    ],
    to: Annotated[date, Query(description="Tanggal akhir periode (WITA), termasuk", examples=["2026-12-31"])],
    format_: Annotated[
        Literal["json", "csv"] | None,
        Query(alias="format", description="csv: berkas CSV untuk spreadsheet; tanpa ini JSON", examples=["csv"]),
    ] = None,
):
    # Typed by its responses above: one route answers two media types, so no single return model.
    summary = reports().summary(report_period(from_, to))
    if not wants_csv(format_):
        return Response(
            status_code=200,
            content_type="application/json",
            body=summary.model_dump_json(),
            headers={"Cache-Control": "private, no-store"},
        )
    return Response(
        status_code=200,
        content_type=f"{CSV}; charset=utf-8",
        body=summary_csv(summary),
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(summary)}"',
            "Cache-Control": "private, no-store",
        },
    )


@app.get(
    "/api/public/kinerja",
    summary="Kinerja pelayanan publik: IKM, permohonan selesai, tepat waktu, median hari kerja (12 bulan)",
    description="Untuk umum, tanpa data pribadi; per jenis izin dan untuk seluruh kantor.",
    tags=["Laporan"],
)
def handle_get_kinerja() -> Response[KinerjaOutput]:
    return cached(reports().kinerja(), KINERJA_CACHE_SECONDS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
