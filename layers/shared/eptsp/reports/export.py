"""The summary as a CSV file for the office's monthly report, opened in a spreadsheet in an
Indonesian locale: semicolons between fields, decimal commas, UTF-8 with a byte-order mark
(so Excel reads the letters right), CRLF line ends, Indonesian headings. Blocks of rows,
a blank row between them: the totals, per status, per stage, per permit type, per month."""

from __future__ import annotations

import csv
import io

from eptsp.reports.models import SummaryOutput

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet: a permit name never should be.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}".replace(".", ",")


SLA_HEADINGS = [
    "Diajukan",
    "Selesai",
    "Selesai Tepat Waktu",
    "Selesai Terlambat",
    "Tepat Waktu (%)",
    "Median Hari Kerja",
]


def summary_csv(summary: SummaryOutput) -> str:
    out = io.StringIO()
    rows = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    rows.writerow(["Laporan Ringkas Pelayanan Perizinan"])
    rows.writerow(["Periode", f"{summary.from_date} s.d. {summary.to_date}"])
    rows.writerow(["Dibuat (UTC)", summary.generated_at])
    rows.writerow([])
    rows.writerow(["Uraian", "Jumlah"])
    rows.writerow(["Permohonan diajukan", _number(summary.submitted)])
    rows.writerow(["Permohonan selesai (terbit atau ditolak)", _number(summary.finished)])
    rows.writerow(["Selesai tepat waktu (sesuai SLA)", _number(summary.finished_on_time)])
    rows.writerow(["Selesai terlambat", _number(summary.finished_late)])
    rows.writerow(["Masih terbuka dan terlambat", _number(summary.open_late)])
    rows.writerow(["Tepat waktu (%)", _number(summary.on_time_share)])
    rows.writerow(["Median waktu proses (hari kerja)", _number(summary.median_working_days)])
    rows.writerow([])
    rows.writerow(["Status", "Jumlah"])
    for status in summary.by_status:
        rows.writerow([status.label, _number(status.count)])
    rows.writerow([])
    rows.writerow(["Tahap", "Jumlah"])
    for stage in summary.by_stage:
        rows.writerow([stage.label, _number(stage.count)])
    rows.writerow([])
    rows.writerow(["Jenis Izin", *SLA_HEADINGS, "Terbuka dan Terlambat"])
    for izin in summary.by_izin:
        rows.writerow(
            [
                _text(izin.izin_name),
                *(_number(v) for v in _sla_values(izin)),
                _number(izin.open_late),
            ]
        )
    rows.writerow([])
    statuses = [status.label for status in summary.by_month[0].by_status] if summary.by_month else []
    rows.writerow(["Bulan", *SLA_HEADINGS, *(f"Status Kini: {label}" for label in statuses)])
    for month in summary.by_month:
        rows.writerow(
            [
                month.month,
                *(_number(v) for v in _sla_values(month)),
                *(_number(status.count) for status in month.by_status),
            ]
        )
    return BOM + out.getvalue()


def _sla_values(figures) -> list[float | int | None]:
    return [
        figures.submitted,
        figures.finished,
        figures.finished_on_time,
        figures.finished_late,
        figures.on_time_share,
        figures.median_working_days,
    ]


def file_name(summary: SummaryOutput) -> str:
    return f"laporan-{summary.from_date}_{summary.to_date}.csv"
