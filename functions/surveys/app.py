"""Survey IKM: the applicant's pending surveys and filling one (one per application), and
the office's IKM report for admin and kepala (PermenPANRB No. 14 Tahun 2017)."""

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, officers, signed_in
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings
from eptsp.surveys.models import IkmReportOutput, PendingSurveysOutput, SurveyInput, SurveyOutput
from eptsp.surveys.service import SurveysService, surveys_service

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {
    "GET /api/surveys/pending": APPLICANT_ONLY,
    "POST /api/surveys": APPLICANT_ONLY,
    "GET /api/officer/reports/ikm": officers("admin", "kepala"),
}


class Settings(SignedInSettings):
    surveys_table: str = Field(alias="SURVEYS_TABLE")
    applications_table: str = Field(alias="APPLICATIONS_TABLE")


def surveys() -> SurveysService:
    s = Settings.load()
    return surveys_service(s.surveys_table, s.applications_table)


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"model": ErrorOutput}}}


@app.get(
    "/api/surveys/pending",
    security=SIGNED_IN,
    summary="Survei IKM yang menunggu: permohonan saya yang selesai (terbit atau ditolak) dan belum dinilai",
    tags=["Survei IKM"],
)
def handle_list_pending_surveys(
    cursor: Annotated[
        str | None, Query(max_length=2048, description="Cursor dari halaman sebelumnya; kosong untuk halaman pertama.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50, description="Jumlah permohonan per halaman (1-50).", examples=[20])] = 20,
) -> PendingSurveysOutput:
    return surveys().pending(signed_in(app).user_id, limit, cursor)


@app.post(
    "/api/surveys",
    security=SIGNED_IN,
    summary="Isi survei IKM satu permohonan yang sudah selesai (sekali saja)",
    tags=["Survei IKM"],
    responses={
        201: {"description": "Survei tersimpan", "content": {"application/json": {"model": SurveyOutput}}},
        404: _error("Permohonan tidak ditemukan (atau milik pengguna lain)"),
        409: _error("Survei permohonan ini sudah diisi (SURVEI_SUDAH_DIISI)"),
        422: _error("Nilai di luar 1-4, unsur kurang, atau permohonan belum selesai"),
    },
)
def handle_submit_survey(request: Annotated[SurveyInput, Body()]) -> Response[SurveyOutput]:
    output = surveys().submit(signed_in(app).user_id, request)
    metrics.add_metric(name="SurveySubmitted", unit="Count", value=1)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=output)


@app.get(
    "/api/officer/reports/ikm",
    security=SIGNED_IN,
    summary="Laporan IKM (PermenPANRB 14/2017): responden, NRR tiap unsur, IKM 25-100 dan mutunya, "
    "untuk kantor dan tiap jenis izin",
    tags=["Laporan"],
    responses={422: _error("Tanggal tidak valid, 'from' setelah 'to', atau rentang lebih dari 24 bulan")},
)
def handle_get_ikm_report(
    from_date: Annotated[
        date | None,
        Query(
            alias="from",
            description="Tanggal awal (YYYY-MM-DD); dihitung per bulan WITA. Bawaan: 11 bulan sebelum 'to'.",
            examples=["2026-01-01"],
        ),
    ] = None,
    to_date: Annotated[
        date | None,
        Query(
            alias="to",
            description="Tanggal akhir (YYYY-MM-DD, termasuk); dihitung per bulan WITA. Bawaan: hari ini.",
            examples=["2026-11-30"],
        ),
    ] = None,
    izin_id: Annotated[
        str | None,
        Query(
            alias="izinId",
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
            max_length=80,
            description="Hanya jenis izin ini pada rincian per jenis izin (angka kantor tetap seluruh kantor).",
            examples=["izin-usaha-perikanan"],
        ),
    ] = None,
) -> IkmReportOutput:
    return surveys().report(from_date, to_date, izin_id)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
