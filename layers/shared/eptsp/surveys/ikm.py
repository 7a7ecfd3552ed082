"""The IKM arithmetic of PermenPANRB No. 14 Tahun 2017, as pure functions.

- NRR of an element = the sum of its scores / the number of respondents (1-4).
- IKM = the sum over the nine elements of NRR x 1/9 (the regulation prints 0.111; the exact
  ninth makes a perfect score 100), x 25 for the 25-100 scale. That is the mean of the nine
  NRRs x 25, which is (all scores) x 25 / (9 x respondents), computed here exactly and
  rounded once, half up, to 2 decimals.
- The grade reads the rounded IKM: A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99.

Counters add up: the figures of a period come from the sums of its months.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENT_IDS: tuple[str, ...] = tuple(f"u{n}" for n in range(1, 10))
LOWEST, HIGHEST = 1, 4
SCALE = 25
CENT = Decimal("0.01")

# (lowest converted IKM of the band, grade, label), best first.
BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


@dataclass(frozen=True)
class Tally:
    """Respondents and the sum of each element's scores (a month's counter, or several added)."""

    respondents: int
    sums: Mapping[str, int]

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.respondents + other.respondents,
            {e: self.sums.get(e, 0) + other.sums.get(e, 0) for e in ELEMENT_IDS},
        )


EMPTY = Tally(0, {e: 0 for e in ELEMENT_IDS})


def tally(answer_sets: Iterable[Mapping[str, int]]) -> Tally:
    """The tally of whole surveys (each answers u1..u9)."""
    total = EMPTY
    for answers in answer_sets:
        total = total + Tally(1, {e: int(answers[e]) for e in ELEMENT_IDS})
    return total


def _cents(value: Fraction) -> Decimal:
    """``value`` rounded half up to 2 decimals. Half up needs the exact value: a quotient
    cut at the context's precision could fall just below a half that it is."""
    whole, rest = divmod(value * 100, 1)
    cents = whole + (1 if rest >= Fraction(1, 2) else 0)
    return (Decimal(cents) / 100).quantize(CENT)


def nrr(total: Tally) -> dict[str, Decimal]:
    """Each element's average score (1-4), 2 decimals; empty with no respondent."""
    if total.respondents == 0:
        return {}
    return {e: _cents(Fraction(total.sums[e], total.respondents)) for e in ELEMENT_IDS}


def ikm(total: Tally) -> Decimal | None:
    """The converted IKM (25-100), 2 decimals; None with no respondent."""
    if total.respondents == 0:
        return None
    exact = Fraction(sum(total.sums[e] for e in ELEMENT_IDS) * SCALE, len(ELEMENT_IDS) * total.respondents)
    return _cents(exact)


def grade(value: Decimal | None) -> tuple[str, str] | None:
    """The grade and its label of a converted IKM (rounded to 2 decimals first)."""
    if value is None:
        return None
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if not Decimal(25) <= rounded <= Decimal(100):
        raise ValueError(f"IKM {value} outside 25-100")
    for lowest, letter, label in BANDS:
        if rounded >= lowest:
            return letter, label
    raise AssertionError("unreachable: the last band starts at 25")
