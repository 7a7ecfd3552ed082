"""Survey IKM: the applicant's pending surveys, filling one, and the office's IKM figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from eptsp.errors import ValidationFailed
from eptsp.surveys import ikm
from eptsp.surveys.models import (
    ELEMENTS,
    ENDED,
    ChoiceOutput,
    ElementOutput,
    IkmOutput,
    IkmReportOutput,
    IzinIkmOutput,
    MonthTally,
    PendingSurveyOutput,
    PendingSurveysOutput,
    Survey,
    SurveyInput,
    SurveyOutput,
)
from eptsp.surveys.repository import SurveyAlreadyFilled, SurveysRepository
from eptsp.workdays import wita_date

MAX_MONTHS = 24
THANKS = "Terima kasih atas penilaian Anda. Masukan Anda membantu kami memperbaiki pelayanan."


class NotEnded(ValidationFailed):
    code = "PERMOHONAN_BELUM_SELESAI"
    default_message = "Survei hanya dapat diisi untuk permohonan yang sudah selesai (izin terbit atau ditolak)."


def survey_link(application_id: str) -> str:
    return f"#/survei/{application_id}"


def elements_output() -> list[ElementOutput]:
    return [
        ElementOutput(
            id=e.id,
            name=e.name,
            question=e.question,
            choices=[ChoiceOutput(value=n, label=label) for n, label in enumerate(e.choices, start=1)],
        )
        for e in ELEMENTS
    ]


def month_of(moment: datetime) -> str:
    return wita_date(moment).strftime("%Y-%m")


def add_months(month: str, count: int) -> str:
    year, number = divmod(int(month[:4]) * 12 + int(month[5:7]) - 1 + count, 12)
    return f"{year:04d}-{number + 1:02d}"


def month_range(start: date | None, end: date | None, today: date) -> tuple[str, str]:
    """The WITA months from ``start``'s to ``end``'s (inclusive); by default the last 12
    months to today. IKM is counted by month, so a date stands for its whole month."""
    end = end or today
    to_month = end.strftime("%Y-%m")
    from_month = start.strftime("%Y-%m") if start else add_months(to_month, -11)
    if from_month > to_month:
        raise ValidationFailed("Tanggal 'from' harus sebelum atau sama dengan 'to'.", field="from")
    if add_months(from_month, MAX_MONTHS - 1) < to_month:
        raise ValidationFailed(f"Rentang laporan paling lama {MAX_MONTHS} bulan.", field="to")
    return from_month, to_month


def figures(total: ikm.Tally) -> IkmOutput:
    value = ikm.ikm(total)
    graded = ikm.grade(value)
    return IkmOutput(
        respondents=total.respondents,
        nrr={e: float(v) for e, v in ikm.nrr(total).items()},
        ikm=float(value) if value is not None else None,
        grade=graded[0] if graded else None,
        grade_label=graded[1] if graded else None,
    )


def summed(tallies: Iterable[MonthTally]) -> ikm.Tally:
    total = ikm.EMPTY
    for month in tallies:
        total = total + ikm.Tally(month.respondents, month.sums)
    return total


class SurveysService:
    def __init__(self, surveys: SurveysRepository, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self._surveys = surveys
        self._clock = clock

    def pending(self, owner_id: str, limit: int, cursor: str | None) -> PendingSurveysOutput:
        ended, next_cursor = self._surveys.ended_page(owner_id, limit, cursor)
        done = self._surveys.surveyed(a.application_id for a in ended)
        return PendingSurveysOutput(
            items=[
                PendingSurveyOutput(
                    application_id=a.application_id,
                    receipt_number=a.receipt_number,
                    izin_name=a.izin_name,
                    status=a.status,
                    link=survey_link(a.application_id),
                )
                for a in ended
                if a.application_id not in done
            ],
            next_cursor=next_cursor,
            elements=elements_output(),
        )

    def submit(self, owner_id: str, request: SurveyInput) -> SurveyOutput:
        application = self._surveys.ended_application(request.application_id, owner_id)
        if application.status not in ENDED:
            raise NotEnded(field="applicationId")
        now = self._clock()
        survey = Survey(
            application_id=application.application_id,
            owner_id=owner_id,
            izin_id=application.izin_id,
            izin_name=application.izin_name,
            outcome=application.status,
            answers=request.answers.model_dump(),
            saran=request.saran,
            submitted_at=now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            month=month_of(now),
        )
        try:
            self._surveys.add(survey)
        except SurveyAlreadyFilled:
            # The same answers sent again (a retry after an answer lost on a weak connection)
            # get the first one's answer; anything else stays a second survey, refused.
            earlier = self._surveys.filled(survey.application_id)
            if earlier is None or (earlier.owner_id, earlier.answers, earlier.saran) != (
                owner_id,
                survey.answers,
                survey.saran,
            ):
                raise
            survey = earlier
        return SurveyOutput(
            application_id=survey.application_id, submitted_at=survey.submitted_at, month=survey.month, message=THANKS
        )

    def tally(self, izin_id: str | None, from_month: str, to_month: str) -> ikm.Tally:
        if izin_id is None:
            return summed(self._surveys.office_months(from_month, to_month))
        return summed(self._surveys.izin_months(izin_id, from_month, to_month))

    def report(self, start: date | None, end: date | None, izin_id: str | None) -> IkmReportOutput:
        from_month, to_month = month_range(start, end, wita_date(self._clock()))
        per_izin: dict[str, list[MonthTally]] = {}
        for month in self._surveys.per_izin_months(from_month, to_month):
            if izin_id is None or month.izin_id == izin_id:
                per_izin.setdefault(month.izin_id, []).append(month)
        rows = []
        for months in per_izin.values():
            # The name of the latest month: a renamed permit type reads as it is called now.
            latest = max(months, key=lambda m: m.month)
            name = latest.izin_name or latest.izin_id
            rows.append(IzinIkmOutput(izin_id=latest.izin_id, izin_name=name, **figures(summed(months)).model_dump()))
        rows.sort(key=lambda row: row.izin_name.lower())
        return IkmReportOutput(
            from_month=from_month,
            to_month=to_month,
            office=figures(self.tally(None, from_month, to_month)),
            per_izin=rows,
            elements=elements_output(),
        )


def surveys_service(surveys_table: str, applications_table: str | None = None) -> SurveysService:
    from eptsp.aws import dynamodb_table

    applications = dynamodb_table(applications_table) if applications_table else None
    return SurveysService(SurveysRepository(dynamodb_table(surveys_table), applications))
