"""Survey IKM (PermenPANRB No. 14 Tahun 2017): the applicant's survey after an application
ends, monthly counters kept with each survey, and the office's IKM figures.

``ikm_figures`` is what other parts of the system (the public Kinerja page) read: the
figures of the office or of one permit type over a range of WITA months, from the monthly
counter items (a Query on a key range; no Scan). It reads the table named by the
``SURVEYS_TABLE`` environment variable, so a function that calls it needs that variable
and ``dynamodb:Query`` on SurveysTable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eptsp.surveys.ikm import Tally

SURVEYS_TABLE_VARIABLE = "SURVEYS_TABLE"
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class IkmFigures:
    respondents: int
    nrr: dict[str, Decimal]  # "u1".."u9" -> average of 1-4, 2 decimals
    ikm: Decimal | None  # 25-100, 2 decimals; None with no respondent
    grade: str | None  # "A".."D"
    grade_label: str | None  # "Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"


def figures_of(total: Tally) -> IkmFigures:
    from eptsp.surveys import ikm

    value = ikm.ikm(total)
    graded = ikm.grade(value)
    return IkmFigures(
        respondents=total.respondents,
        nrr=ikm.nrr(total),
        ikm=value,
        grade=graded[0] if graded else None,
        grade_label=graded[1] if graded else None,
    )


def ikm_figures(izin_id: str | None, from_month: str, to_month: str) -> IkmFigures:
    """IKM of the office (``izin_id`` None) or of one permit type, months ``YYYY-MM`` inclusive."""
    if not (_MONTH.match(from_month) and _MONTH.match(to_month)) or from_month > to_month:
        raise ValueError(f"months must be YYYY-MM, from <= to: {from_month!r}..{to_month!r}")
    from eptsp.surveys.service import surveys_service

    return figures_of(surveys_service(os.environ[SURVEYS_TABLE_VARIABLE]).tally(izin_id, from_month, to_month))
