"""The workflow's pure rules: receipt numbers (format, randomness, reading what people
type), the stages a file goes through, what a decision leads to and must carry, and the
perbaikan deadline; and the ASL's shape (every path ends, every task is caught)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eptsp.errors import ValidationFailed
from eptsp.workdays import national_calendar
from eptsp.workflow import receipts, rules
from local_stack.template import ROOT

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC))


@given(moments)
def test_a_receipt_number_has_the_month_in_wita_and_40_random_bits(moment):
    number = receipts.new_receipt_number(moment)
    assert receipts.PATTERN.match(number)
    assert number[:4] == moment.astimezone(receipts.WITA).strftime("%y%m")
    assert receipts.normalize(number) == number


def test_receipt_numbers_do_not_repeat_and_use_the_whole_alphabet():
    numbers = [receipts.new_receipt_number(datetime(2026, 11, 29, tzinfo=UTC)) for _ in range(5000)]
    assert len(set(numbers)) == len(numbers)
    assert set("".join(n[5:].replace("-", "") for n in numbers)) == set(receipts.ALPHABET)
    assert not set("ILOU") & set("".join(numbers))


@given(moments, st.sampled_from(["lower", "spaces", "no-dashes", "misread"]))
def test_a_receipt_typed_loosely_reads_as_itself(moment, how):
    number = receipts.new_receipt_number(moment)
    typed = {
        "lower": number.lower(),
        "spaces": " " + number.replace("-", " ") + " ",
        "no-dashes": number.replace("-", ""),
        "misread": number.replace("0", "O").replace("1", "I"),
    }[how]
    assert receipts.normalize(typed) == number


@pytest.mark.parametrize(
    "typed", ["", "2611-7H3K", "2611-7H3K-9QXM-1", "26A1-7H3K-9QXM", "2611-UUUU-9QXM", "2611_7H3K_9QXM"]
)
def test_what_cannot_be_a_receipt_is_none(typed):
    assert receipts.normalize(typed) is None


def test_stages_skip_teknis_only_without_a_technical_review():
    assert rules.stages_for(True) == ["verifikasi", "teknis", "persetujuan"]
    assert rules.stages_for(False) == ["verifikasi", "persetujuan"]


@pytest.mark.parametrize(
    ("technical", "decision", "at", "status", "stage"),
    [
        (True, "setuju", "verifikasi", "diproses", "teknis"),
        (False, "setuju", "verifikasi", "diproses", "persetujuan"),
        (True, "setuju", "teknis", "diproses", "persetujuan"),
        (True, "setuju", "persetujuan", "diproses", "penerbitan"),
        (True, "perbaikan", "teknis", "perbaikan", "teknis"),
        (True, "tolak", "verifikasi", "ditolak", "selesai"),
        (False, "tolak", "persetujuan", "ditolak", "selesai"),
    ],
)
def test_each_decision_leads_to_its_status_and_stage(technical, decision, at, status, stage):
    assert rules.outcome(decision, rules.stages_for(technical), at) == rules.Outcome(status, stage)


def check(decision, notes=None, sections=(), requirements=(), bap=False, stage="verifikasi", survey=False):
    rules.check_decision(
        decision,
        notes,
        list(sections),
        list(requirements),
        bap,
        stage=stage,
        field_survey=survey,
        section_ids=["pemohon", "lokasi", "detail"],
        requirement_ids=["ktp", "proposal"],
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("tolak",), "notes"),
        (("perbaikan",), "notes"),
        (("perbaikan", "Perbaiki"), "fix"),
        (("perbaikan", "Perbaiki", ["perusahaan"]), "fix.sections"),
        (("perbaikan", "Perbaiki", [], ["npwp"]), "fix.requirements"),
        (("setuju", None, ["lokasi"]), "fix"),
        (("setuju", None, [], [], True, "verifikasi", True), "bap"),
        (("setuju", None, [], [], False, "teknis", True), "bap"),
    ],
)
def test_a_decision_without_what_it_needs_names_the_field(args, field):
    with pytest.raises(ValidationFailed) as refused:
        check(*args)
    assert refused.value.field == field


def test_complete_decisions_pass():
    check("setuju")
    check("setuju", bap=True, stage="teknis", survey=True)
    check("perbaikan", "Lokasi keliru", ["lokasi"], ["ktp"])
    check("perbaikan", "KTP buram", [], ["ktp"], stage="teknis", survey=True)
    check("tolak", "Tidak memenuhi syarat")


def test_the_perbaikan_deadline_is_calendar_days_in_wita():
    # 23:30 UTC on 30 November is 1 December in WITA
    requested = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert rules.perbaikan_deadline(requested, 14) == date(2026, 12, 15)
    assert not rules.perbaikan_expired(date(2026, 12, 15), datetime(2026, 12, 15, 15, 59, tzinfo=UTC))
    assert rules.perbaikan_expired(date(2026, 12, 15), datetime(2026, 12, 15, 16, 0, tzinfo=UTC))


def test_a_perbaikan_never_ends_on_a_day_the_office_is_closed():
    requested = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 1 December, WITA
    # An ordinary last day stays; an office day off on it moves it to the next working day
    assert rules.perbaikan_deadline(requested, 14, national_calendar()) == date(2026, 12, 15)
    closed = national_calendar(frozenset({date(2026, 12, 15)}))
    assert rules.perbaikan_deadline(requested, 14, closed) == date(2026, 12, 16)
    # A last day on a Saturday moves to Monday; over cuti bersama and Natal to the next working day
    assert rules.perbaikan_deadline(requested, 4, national_calendar()) == date(2026, 12, 7)
    assert rules.perbaikan_deadline(requested, 23, national_calendar()) == date(2026, 12, 28)


ASL = json.loads((ROOT / "statemachine" / "approval.asl.json").read_text())


def test_every_lambda_task_retries_and_ends_in_gangguan_not_a_silent_failure():
    states = ASL["States"]
    tasks = {name: s for name, s in states.items() if s["Type"] == "Task"}
    assert set(tasks) == {"OpenStage", "AwaitResubmission", "Penerbitan", "Gangguan"}
    for name, state in tasks.items():
        assert state["Retry"][-1]["ErrorEquals"] == ["States.ALL"] and state["Retry"][-1]["MaxAttempts"] >= 2
        if name != "Gangguan":
            assert state["Catch"][-1]["Next"] == f"GangguanDi{name}"
            assert states[f"GangguanDi{name}"]["Next"] == "Gangguan"
    resume = {choice["Next"] for choice in states["ResumeAt"]["Choices"]}
    assert resume == {"OpenStage", "AwaitResubmission", "Penerbitan"}


def test_every_state_is_reachable_and_every_path_can_end():
    states = ASL["States"]

    def successors(state):
        found = [state.get("Next"), state.get("Default")]
        found += [c["Next"] for c in state.get("Choices", [])] + [c["Next"] for c in state.get("Catch", [])]
        return {name for name in found if name}

    reached, frontier = set(), [ASL["StartAt"]]
    while frontier:
        name = frontier.pop()
        if name not in reached:
            reached.add(name)
            frontier += successors(states[name])
    assert reached == set(states)
    ends = {name for name, s in states.items() if s["Type"] in ("Succeed", "Fail")}
    assert {"Selesai", "Ditolak", "DitolakBatasPerbaikan"} <= ends
