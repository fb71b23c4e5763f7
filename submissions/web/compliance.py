"""The compliance portfolio and the organization's deadline calendar (iCalendar, RFC 5545)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event

from submissions.enums import DeadlineStatus, Jurisdiction
from submissions.models import Deadline, Organization

# The portfolio's sections, most urgent first; not applicable rules are not part of a portfolio.
PORTFOLIO_STATUSES: tuple[str, ...] = (
    DeadlineStatus.OVERDUE,
    DeadlineStatus.DUE_SOON,
    DeadlineStatus.UPCOMING,
    DeadlineStatus.CANNOT_COMPUTE,
    DeadlineStatus.MET_LATE,
    DeadlineStatus.MET,
)
LIST_LIMIT = 200
_CALENDAR_SALT = "submissions.web.calendar"


@dataclass
class Section:
    status: str
    label: str
    count: int
    deadlines: list[Deadline]


def portfolio(
    organization: Organization, *, rule: str = "", jurisdiction: str = ""
) -> tuple[list[Section], list[tuple[str, str]]]:
    """The organization's applicable deadlines by status (each list capped at ``LIST_LIMIT``, counts
    whole), and the rules present for the rule filter."""
    base = Deadline.objects.filter(trial__organization=organization, current=True, applies=True)
    rules = sorted(set(base.values_list("rule_code", "title")))
    if rule:
        base = base.filter(rule_code=rule)
    if jurisdiction:
        base = base.filter(jurisdiction=jurisdiction)
    counts = Counter(base.values_list("status", flat=True))
    labels = dict(DeadlineStatus.choices)
    sections = []
    for status in PORTFOLIO_STATUSES:
        items = list(
            base.filter(status=status)
            .select_related("trial")
            .order_by("due_date", "trial__reference", "rule_code")[:LIST_LIMIT]
        )
        sections.append(Section(status, labels[status], counts[status], items))
    return sections, [(code, title) for code, title in dict(rules).items()]


def jurisdictions() -> list[tuple[str, str]]:
    return list(Jurisdiction.choices)


def calendar_token(organization: Organization) -> str:
    """The secret in the organization's calendar address: an HMAC under the installation's secret key,
    so it is unguessable without a table of tokens, and changes when the key is rotated."""
    return salted_hmac(
        _CALENDAR_SALT, f"{organization.pk}:{organization.slug}", algorithm="sha256"
    ).hexdigest()


def calendar_token_valid(organization: Organization, token: str) -> bool:
    return constant_time_compare(calendar_token(organization), token)


def calendar(organization: Organization, *, base_url: str) -> bytes:
    """Every open deadline of the organization as an all-day event on its legal due date."""
    cal = Calendar()
    cal.add("prodid", "-//Trial disclosure//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{organization} disclosure deadlines")
    now = timezone.now()
    open_statuses = (DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.UPCOMING)
    for deadline in (
        Deadline.objects.filter(
            trial__organization=organization,
            current=True,
            applies=True,
            status__in=open_statuses,
            due_date__isnull=False,
        )
        .select_related("trial")
        .order_by("due_date", "pk")
    ):
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@trial-disclosure")
        event.add("dtstamp", now)
        event.add("dtstart", deadline.due_date)
        event.add("summary", f"{deadline.trial.reference}: {deadline.title}")
        event.add(
            "description",
            f"{deadline.get_status_display()}. Legal source: {deadline.source}.\n{deadline.why}".strip(),
        )
        event.add("url", f"{base_url.rstrip('/')}/trials/{deadline.trial_id}/deadlines/")
        cal.add_component(event)
    return bytes(cal.to_ical())
