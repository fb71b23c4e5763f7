"""Deadlines per trial and for the portfolio, and the registry filter of the trial list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from submissions import domain
from submissions.enums import Role
from submissions.models import Deadline, Organization
from tests.submissions import factories
from tests.submissions.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_portfolio_deadlines_filter_by_status(
    rw: Api, api_org: Organization, api_people: dict[str, User]
) -> None:
    # given a trial whose deadlines were computed far in the future (so some are overdue)
    trial = factories.make_trial(
        api_org, api_people[Role.AUTHOR], factories.fixture_record(), reference="D-1"
    )
    domain.recompute_deadlines(trial, reason="manual", today=dt.date(2040, 1, 1))
    overdue = set(
        Deadline.objects.filter(trial=trial, current=True, status="overdue").values_list("pk", flat=True)
    )
    # when the portfolio's overdue deadlines and the trial's are listed
    portfolio = rw.get("/api/v1/deadlines?status=overdue&page_size=500").json()
    per_trial = rw.get(f"/api/v1/trials/{trial.pk}/deadlines?page_size=500").json()
    # then exactly the overdue ones are listed, and the trial lists all its current ones
    assert (bool(overdue), {d["id"] for d in portfolio["results"]}) == (True, overdue)
    assert per_trial["count"] == Deadline.objects.filter(trial=trial, current=True).count()


def test_an_unknown_deadline_status_is_400(rw: Api) -> None:
    response = rw.get("/api/v1/deadlines?status=late")
    assert (response.status_code, response.json()["code"]) == (400, "request.unknown_status")


def test_trials_filter_by_registry_of_their_filings(
    rw: Api, api_org: Organization, api_people: dict[str, User]
) -> None:
    author = api_people[Role.AUTHOR]
    with_ctgov = factories.make_trial(api_org, author, factories.fixture_record(), reference="R-CTGOV")
    factories.make_trial(api_org, author, factories.fixture_record(), reference="R-NONE")
    domain.open_filing(with_ctgov, "registration", target_registries=["ctgov"], actor=author)
    listed = rw.get("/api/v1/trials?registry=ctgov").json()["results"]
    assert [t["reference"] for t in listed] == ["R-CTGOV"]
