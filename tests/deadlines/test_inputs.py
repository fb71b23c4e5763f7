"""Partial dates, calendar arithmetic, the submissions file format and the settings."""

from __future__ import annotations

from datetime import date

import pytest

from deadlines.config import DeadlineConfig
from deadlines.dates import DateError, ResolvedDate, add_months, add_years, parse_day, resolve
from deadlines.enums import RecordChange, SubmissionKind, SubmissionStage
from deadlines.submissions import Change, Submission, SubmissionLog, parse_log
from registries.findings import RegistryError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03", ResolvedDate(date(2026, 3, 31), "2026-03", defaulted=True)),
        ("2024-02", ResolvedDate(date(2024, 2, 29), "2024-02", defaulted=True)),
        ("2026", ResolvedDate(date(2026, 12, 31), "2026", defaulted=True)),
        ("2026-03-05", ResolvedDate(date(2026, 3, 5), "2026-03-05", defaulted=False)),
    ],
)
def test_partial_dates_resolve_to_the_last_day_they_can_mean(raw, expected):
    assert resolve(raw) == expected


@pytest.mark.parametrize("raw", ["2026-13", "2026-02-30", "26-01-01", "March 2026", ""])
def test_invalid_dates_are_refused(raw):
    with pytest.raises(DateError):
        resolve(raw)


def test_parse_day_needs_a_full_date():
    with pytest.raises(DateError, match="must be a full date"):
        parse_day("2026-03")


def test_calendar_arithmetic_clamps_to_the_end_of_the_month():
    assert (
        add_years(date(2024, 2, 29), 1),
        add_years(date(2024, 2, 29), 4),
        add_months(date(2026, 1, 31), 1),
        add_months(date(2026, 8, 31), 6),
        add_years(date(2027, 3, 1), -1),
    ) == (
        date(2025, 2, 28),
        date(2028, 2, 29),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2026, 3, 1),
    )


def test_submissions_file_parses_into_a_log():
    data = {
        "submissions": [
            {
                "registry": "ctis",
                "stage": "end_of_trial",
                "kind": "member_state",
                "submitted_on": "2026-01-10",
                "member_state": "de",
                "filing_id": 12,
                "returned_on": None,
            },
        ],
        "changes": [{"element": "recruitment_status", "changed_on": "2026-01-05"}],
    }

    assert parse_log(data) == SubmissionLog(
        submissions=(
            Submission(
                registry="ctis",
                stage=SubmissionStage.END_OF_TRIAL,
                kind=SubmissionKind.MEMBER_STATE,
                submitted_on=date(2026, 1, 10),
                filing_id="12",
                member_state="DE",
            ),
        ),
        changes=(Change(RecordChange.RECRUITMENT_STATUS, date(2026, 1, 5)),),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("nope", ": the submissions file must be a list or an object with 'submissions'"),
        ({"filings": []}, ": unknown top-level field(s) filings"),
        (
            [{"registry": "ctgov", "stage": "results"}],
            "/submissions/0/submitted_on: is required (YYYY-MM-DD)",
        ),
        (
            [{"registry": "fax", "stage": "results", "submitted_on": "2026-01-01"}],
            "/submissions/0/registry: 'fax' is not one of "
            "ctgov, ctis, eudract, isrctn, journal, participants, who",
        ),
        (
            [{"registry": "ctgov", "stage": "results", "submitted_on": "2026-01-01", "cancelled": "yes"}],
            "/submissions/0/cancelled: must be true or false",
        ),
        (
            [{"registry": "ctgov", "stage": "results", "submitted_on": "2026-01-01", "colour": "red"}],
            "/submissions/0: unknown field(s) colour",
        ),
        (
            {"changes": [{"element": "mood", "changed_on": "2026-01-01"}]},
            "/changes/0/element: 'mood' is not one of",
        ),
    ],
)
def test_bad_submissions_file_names_entry_and_field(data, message):
    with pytest.raises(RegistryError) as caught:
        parse_log(data)

    assert caught.value.code == "deadline.bad_submissions"
    assert caught.value.message.startswith(message)


def test_settings_overrides_are_checked():
    assert (
        DeadlineConfig.from_overrides({"prs_correction_days_results": 30}).prs_correction_days_results == 30
    )
    with pytest.raises(ValueError, match="unknown deadline setting 'grace'"):
        DeadlineConfig.from_overrides({"grace": 1})
    with pytest.raises(ValueError, match="must be a non-negative integer"):
        DeadlineConfig.from_overrides({"due_soon_days": "30"})


@pytest.mark.parametrize("raw", ["0000-01", "0000", "0999-12-31", "3000-01-01", "9999-12"])
def test_years_beyond_what_the_arithmetic_carries_are_unreadable_dates(raw):
    with pytest.raises(DateError, match="outside the years 1000 to 2999"):
        resolve(raw)


def test_a_record_no_rule_can_walk_gets_cannot_compute_from_every_rule_with_the_readers_code():
    from deadlines import evaluate
    from deadlines.rules import ALL_RULES
    from tests.deadlines.factories import make_record

    record = make_record(pcd="2025-03-10")
    record["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": float("nan")}

    verdicts = evaluate(record, today=date(2026, 6, 1))

    assert [(v.rule, v.status.value, [f.code for f in v.findings]) for v in verdicts] == [
        (rule.code, "cannot_compute", ["json.not_a_number"]) for rule in ALL_RULES
    ]
