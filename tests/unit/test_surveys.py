"""Survey IKM without the stack: the arithmetic of PermenPANRB 14/2017 (property-based), the
band edges, the questionnaire, the report's range of months, and the invitation the
notifier sends when an application ends."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eptsp.errors import ValidationFailed
from eptsp.inbox import messages
from eptsp.inbox.notifier import Notifier
from eptsp.surveys import figures_of, ikm
from eptsp.surveys.models import ELEMENTS, SurveyInput
from eptsp.surveys.service import add_months, month_of, month_range
from tests.unit.test_notifications import FakeInbox, FakeRecipients, FlakySender, event

U = ikm.ELEMENT_IDS
survey = st.fixed_dictionaries({e: st.integers(1, 4) for e in U})
surveys = st.lists(survey, min_size=1, max_size=60)
cents = st.integers(2500, 10000).map(lambda c: Decimal(c) / 100)


def exact_ikm(answer_sets: list[dict[str, int]]) -> Fraction:
    """The regulation's formula as written: sum over elements of NRR x 1/9, x 25."""
    n = len(answer_sets)
    return sum((Fraction(sum(a[e] for a in answer_sets), n) * Fraction(1, 9) for e in U), Fraction(0)) * 25


@given(surveys)
def test_ikm_is_the_weighted_nrr_sum_times_25_rounded_once(answer_sets):
    value = ikm.ikm(ikm.tally(answer_sets))
    assert Decimal(25) <= value <= Decimal(100)
    assert abs(Fraction(value) - exact_ikm(answer_sets)) <= Fraction(1, 200)
    assert value == value.quantize(Decimal("0.01"))


@given(surveys)
def test_nrr_is_each_elements_average_and_ikm_their_mean_times_25(answer_sets):
    total = ikm.tally(answer_sets)
    nrr = ikm.nrr(total)
    assert set(nrr) == set(U)
    for e in U:
        assert abs(Fraction(nrr[e]) - Fraction(sum(a[e] for a in answer_sets), len(answer_sets))) <= Fraction(1, 200)
        assert Decimal(1) <= nrr[e] <= Decimal(4)
    # Mean of the rounded NRRs x 25 is within the NRRs' rounding of the IKM
    assert abs(sum(nrr.values()) / 9 * 25 - ikm.ikm(total)) <= Decimal("0.13")


@given(surveys, surveys)
def test_monthly_counters_add_up_to_the_figures_of_all_surveys(first, second):
    assert ikm.tally(first) + ikm.tally(second) == ikm.tally(first + second)
    assert ikm.ikm(ikm.tally(first) + ikm.tally(second)) == ikm.ikm(ikm.tally(first + second))


@given(surveys, st.randoms())
def test_order_of_respondents_does_not_matter(answer_sets, random):
    shuffled = list(answer_sets)
    random.shuffle(shuffled)
    assert ikm.ikm(ikm.tally(shuffled)) == ikm.ikm(ikm.tally(answer_sets))


@given(st.integers(1, 50), st.integers(1, 4))
def test_everyone_alike_gives_that_score_times_25(n, score):
    total = ikm.tally([dict.fromkeys(U, score)] * n)
    assert ikm.ikm(total) == Decimal(score * 25)
    assert ikm.nrr(total) == dict.fromkeys(U, Decimal(score))


def test_a_perfect_score_is_100_a_and_the_lowest_25_d():
    assert figures_of(ikm.tally([dict.fromkeys(U, 4)])).ikm == Decimal("100.00")
    assert ikm.grade(Decimal(100)) == ("A", "Sangat Baik")
    assert ikm.grade(Decimal(25)) == ("D", "Tidak Baik")


def test_half_a_cent_rounds_up():
    # 8 respondents: u1 sums 13 (NRR 1.625), all scores 81 (IKM 81 x 25 / 72 = 28.125)
    half = ikm.Tally(8, {**dict.fromkeys(U, 8), "u1": 13})
    assert ikm.nrr(half)["u1"] == Decimal("1.63")
    assert ikm.ikm(ikm.Tally(8, {**dict.fromkeys(U, 8), "u1": 17})) == Decimal("28.13")


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_band_edges(value, grade):
    assert ikm.grade(Decimal(value))[0] == grade


@given(cents)
def test_every_value_of_the_scale_has_exactly_its_band(value):
    letter, label = ikm.grade(value)
    bands = {"A": ("88.31", "100.00"), "B": ("76.61", "88.30"), "C": ("65.00", "76.60"), "D": ("25.00", "64.99")}
    low, high = bands[letter]
    assert Decimal(low) <= value <= Decimal(high)
    assert label == {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}[letter]


@given(cents, cents)
def test_a_higher_ikm_never_has_a_lower_grade(a, b):
    low, high = sorted([a, b])
    assert ikm.grade(low)[0] >= ikm.grade(high)[0]  # "A" < "B": a higher value, an earlier letter


@pytest.mark.parametrize("value", ["24.99", "100.01", "0"])
def test_a_value_off_the_scale_is_an_error(value):
    with pytest.raises(ValueError):
        ikm.grade(Decimal(value))


def test_no_respondent_no_figures():
    figures = figures_of(ikm.EMPTY)
    assert (figures.respondents, figures.nrr, figures.ikm, figures.grade, figures.grade_label) == (
        0,
        {},
        None,
        None,
        None,
    )


def test_the_questionnaire_has_the_nine_elements_with_four_labels_each():
    assert [e.id for e in ELEMENTS] == list(U)
    assert all(len(e.choices) == 4 and len(set(e.choices)) == 4 for e in ELEMENTS)
    assert ELEMENTS[8].choices == ("Buruk", "Cukup", "Baik", "Sangat baik")


def test_answers_must_be_whole_numbers_1_to_4_for_all_nine():
    good = {"applicationId": "abcdEFGH1234", "answers": dict.fromkeys(U, 4), "saran": "  "}
    assert SurveyInput.model_validate(good).saran is None
    for bad in (0, 5, "4", 4.0, True, None):
        with pytest.raises(ValueError):
            SurveyInput.model_validate({**good, "answers": {**good["answers"], "u5": bad}})


def test_months_are_wita_months():
    # 23:30 UTC on 31 January is 07:30 on 1 February in WITA
    assert month_of(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == "2026-02"
    assert add_months("2026-01", -1) == "2025-12" and add_months("2025-12", 13) == "2027-01"


def test_the_report_range():
    today = date(2026, 11, 29)
    assert month_range(None, None, today) == ("2025-12", "2026-11")
    assert month_range(date(2025, 12, 31), date(2027, 11, 1), today) == ("2025-12", "2027-11")
    with pytest.raises(ValidationFailed):
        month_range(date(2025, 11, 30), date(2027, 11, 1), today)  # 25 months
    with pytest.raises(ValidationFailed):
        month_range(date(2026, 3, 1), date(2026, 2, 28), today)


@pytest.mark.parametrize("kind", ["terbit", "ditolak"])
def test_an_ended_application_invites_to_the_survey_by_inbox_and_email_once(kind):
    inbox, sender = FakeInbox(), FlakySender()
    sender.email_works = True
    notifier = Notifier(inbox, FakeRecipients(), sender, "d111.cloudfront.net")
    ended = event(kind, notes="Catatan.", permit_number="503/1/DPMPTSP-KU/XI/2026")
    assert notifier.deliver(ended) == ["inbox", "email", "sms", "survei:inbox", "survei:email"]
    assert inbox.messages[-1] == "Bagaimana pelayanan kami?"
    assert notifier.deliver(ended) == []
    invitation = ended.model_copy(update={"kind": "survei_diundang"})
    assert messages.link(invitation) == "#/survei/app1"
    _, body = messages.email(invitation, "Nur Aisyah", "d111.cloudfront.net")
    assert "https://d111.cloudfront.net/#/survei/app1" in body.splitlines() and "Isi survei:" in body


def test_other_events_invite_to_nothing():
    inbox, sender = FakeInbox(), FlakySender()
    sender.email_works = True
    notifier = Notifier(inbox, FakeRecipients(), sender, "d111.cloudfront.net")
    assert notifier.deliver(event("disetujui")) == ["inbox", "email", "sms"]
