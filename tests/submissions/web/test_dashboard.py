"""The dashboard: every trial of the organization, sorted by attention, filtered, in a fixed number of
queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions import domain
from submissions.enums import DeadlineStatus, FilingState, Jurisdiction, Stage
from submissions.models import Deadline, Organization, Trial
from tests.submissions import factories


def _deadline(trial: Trial, status: str, days: int, code: str = "rule") -> Deadline:
    # Read-path fixture: a stored verdict as the deadline engine writes it.
    return Deadline.objects.create(
        trial=trial,
        rule_code=code,
        jurisdiction=Jurisdiction.US,
        title=f"Duty {code}",
        source="42 CFR 11.44",
        rule_version="1",
        applies=True,
        why="",
        status=status,
        due_date=timezone.localdate() + timedelta(days=days),
        computed_on=timezone.localdate(),
    )


def _trials(org: Organization, author: User, count: int, start: int = 0) -> list[Trial]:
    return [
        domain.create_trial(org, reference=f"T-{index:04d}", title=f"Trial {index}", actor=author)
        for index in range(start, start + count)
    ]


def _references(body: str) -> list[str]:
    return re.findall(r'<a href="/trials/\d+/">([^<]+)</a>', body)


def test_rows_are_sorted_overdue_then_returned_then_waiting_then_due_soon(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User], complete_record: dict
) -> None:
    calm, soon, overdue = _trials(org, people["author"], 3)
    _deadline(soon, DeadlineStatus.DUE_SOON, 10)
    _deadline(overdue, DeadlineStatus.OVERDUE, -3)
    _deadline(calm, DeadlineStatus.UPCOMING, 200)
    waiting = factories.make_trial(org, people["author"], complete_record, reference="W-1")
    filing = domain.open_filing(
        waiting, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"]
    )
    factories.drive(filing, FilingState.IN_REVIEW, people)
    returned = factories.make_trial(org, people["author"], complete_record, reference="R-1")
    filing = domain.open_filing(
        returned, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"]
    )
    factories.drive(filing, FilingState.RETURNED, people)

    body = as_user(people["reviewer"]).get("/").content.decode()

    assert _references(body) == ["T-0002", "R-1", "W-1", "T-0001", "T-0000"]


def test_waiting_for_me_filter_shows_reviews_for_a_reviewer_only(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User], complete_record: dict
) -> None:
    _trials(org, people["author"], 2)
    waiting = factories.make_trial(org, people["author"], complete_record, reference="W-1")
    filing = domain.open_filing(
        waiting, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"]
    )
    factories.drive(filing, FilingState.IN_REVIEW, people)

    reviewer = as_user(people["reviewer"]).get("/?mine=1").content.decode()
    viewer = as_user(people["viewer"]).get("/?mine=1").content.decode()

    assert (_references(reviewer), _references(viewer)) == (["W-1"], [])
    assert "Waiting for me (1)" in reviewer


def test_filters_combine_and_show_counts(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User]
) -> None:
    first, second, _third = _trials(org, people["author"], 3)
    _deadline(first, DeadlineStatus.OVERDUE, -1)
    _deadline(second, DeadlineStatus.OVERDUE, -2)
    domain.open_filing(second, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"])

    body = as_user(people["author"]).get("/?deadline=overdue&registry=ctgov").content.decode()

    assert _references(body) == ["T-0001"]
    assert "Overdue (1)" in body  # overdue among the ctgov trials
    assert "ClinicalTrials.gov (1)" in body  # ctgov among the overdue trials
    assert "1 of 3 trials shown" in body


def test_text_filter_matches_reference_title_and_identifiers(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User]
) -> None:
    _trials(org, people["author"], 3)

    body = as_user(people["author"]).get("/?q=trial 2").content.decode()

    assert _references(body) == ["T-0002"]


def test_htmx_filter_request_gets_only_the_table(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User]
) -> None:
    _trials(org, people["author"], 1)

    response = as_user(people["author"]).get("/?q=T-", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert ("<table>" in body, "<html" in body) == (True, False)


def test_another_organizations_trials_are_not_listed(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User], other_trial: Trial
) -> None:
    _trials(org, people["author"], 1)

    body = as_user(people["author"]).get("/").content.decode()

    assert _references(body) == ["T-0000"]


def test_query_count_does_not_grow_with_the_number_of_trials(
    as_user: Callable[[User], Client], org: Organization, people: dict[str, User]
) -> None:
    client = as_user(people["approver"])

    def queries_for_dashboard() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    for trial in _trials(org, people["author"], 10):
        _deadline(trial, DeadlineStatus.DUE_SOON, 5)
        domain.open_filing(trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"])
    with_ten = queries_for_dashboard()
    for trial in _trials(org, people["author"], 40, start=10):
        _deadline(trial, DeadlineStatus.OVERDUE, -5)
        domain.open_filing(trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"])
    with_fifty = queries_for_dashboard()

    assert with_fifty == with_ten
    assert 0 < with_ten <= 20
