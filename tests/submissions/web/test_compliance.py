"""Compliance: the portfolio by status with filters, and the organization's calendar feed."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from icalendar import Calendar

from submissions.models import Organization, Trial
from submissions.web.compliance import calendar_token


def test_portfolio_counts_each_status_and_lists_the_deadlines(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    applying = web_trial.deadlines.filter(current=True, applies=True)
    expected = {
        status: applying.filter(status=status).count()
        for status in set(applying.values_list("status", flat=True))
    }

    body = as_user(people["viewer"]).get("/compliance/").content.decode()

    shown = {status: int(count) for status, count in re.findall(r'id="heading-(\w+)">[^(<]+\((\d+)\)', body)}
    assert shown == expected


def test_portfolio_filters_by_jurisdiction(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    eu_titles = set(
        web_trial.deadlines.filter(current=True, applies=True, jurisdiction="EU").values_list(
            "title", flat=True
        )
    )
    us_titles = set(
        web_trial.deadlines.filter(current=True, applies=True, jurisdiction="US").values_list(
            "title", flat=True
        )
    )

    page = as_user(people["viewer"]).get("/compliance/?jurisdiction=EU").content.decode()

    body = page.split('id="counts-heading"', 1)[1]  # the lists, not the rule filter's choices
    assert eu_titles
    assert all(title in body for title in eu_titles)
    assert not any(title in body for title in us_titles - eu_titles)


def test_calendar_feed_with_the_token_lists_open_deadlines(
    client: Client, org: Organization, web_trial: Trial
) -> None:
    open_deadlines = web_trial.deadlines.filter(
        current=True, applies=True, status__in=["overdue", "due_soon", "upcoming"], due_date__isnull=False
    )

    response = client.get(f"/calendar/{org.slug}/{calendar_token(org)}.ics")

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert sorted(str(event["UID"]) for event in events) == sorted(
        f"deadline-{pk}@trial-disclosure" for pk in open_deadlines.values_list("pk", flat=True)
    )


def test_calendar_feed_with_a_wrong_token_answers_404(client: Client, org: Organization) -> None:
    assert client.get(f"/calendar/{org.slug}/{'0' * 64}.ics").status_code == 404
