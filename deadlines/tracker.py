"""What the FDAAA TrialsTracker shows for a trial's results: its due date, status, days late and the day
it would flag the trial, transcribed from the tracker's own code so that our "tracker view" is the one
the public sees.

Source: ebmdatalab/clinicaltrials-act-tracker at 8d79572 (2019), ``clinicaltrials/frontend/view.sql``
(``results_due``, the January 2017 snapshot join), ``trial_computer.py`` (``get_days_late``,
``get_status``, ``qa_start_dates``) and ``models.py`` (``calculated_due_date``). What the tracker calls a
QA event is a results submission still in ClinicalTrials.gov's quality-control review (submitted, maybe
returned, maybe cancelled by the sponsor, not yet posted).

The January 2017 snapshot (``fdaaa-tracker/fdaaa_regulatory_snapshot.csv.gz`` under the registry specs)
holds the ``is_fda_regulated`` value each trial had before ClinicalTrials.gov replaced it with the drug
and device flags; the tracker's probable-ACT rule for a trial that has neither flag excludes only a trial
the snapshot marks ``false`` (``is_fda_regulated IS NOT FALSE``: absent or true passes).
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from deadlines.dates import add_days, add_years, first_day
from deadlines.enums import FDAAA_TRACKER_CERTIFICATE_YEARS, FDAAA_TRACKER_YEAR_DAYS
from registries import specs

SNAPSHOT_PATH = ("fdaaa-tracker", "fdaaa_regulatory_snapshot.csv.gz")

# trial_computer.py / models.py status names.
ONGOING = "ongoing"
OVERDUE = "overdue"
OVERDUE_CANCELLED = "overdue-cancelled"
REPORTED = "reported"
REPORTED_LATE = "reported-late"


@cache
def _not_regulated(path: Path) -> frozenset[str] | None:
    """NCT ids the snapshot marks ``is_fda_regulated = false``; None when the snapshot is absent.

    The file holds three unquoted columns (an NCT id and two true/false/empty values), so a plain split
    reads it several times faster than the csv module, which matters for 233,609 rows."""
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError):
        return None
    header, _, body = text.partition("\n")
    columns = header.strip().split(",")
    if "nct_id" not in columns or "is_fda_regulated" not in columns:
        return None
    nct, regulated = columns.index("nct_id"), columns.index("is_fda_regulated")
    width = max(nct, regulated)
    excluded = set()
    for line in body.splitlines():
        parts = line.split(",")
        if len(parts) > width and parts[regulated] == "false":
            excluded.add(parts[nct])
    return frozenset(excluded)


def snapshot_available() -> bool:
    return _not_regulated(specs.spec_path(*SNAPSHOT_PATH)) is not None


def snapshot_excludes(nct_id: str | None) -> bool:
    """Whether the January 2017 snapshot marks the trial not FDA-regulated (the only value that keeps a
    trial without drug and device flags from being a probable ACT). False when the snapshot is absent."""
    excluded = _not_regulated(specs.spec_path(*SNAPSHOT_PATH))
    return bool(nct_id and excluded is not None and nct_id in excluded)


@dataclass(frozen=True, slots=True)
class QaEvent:
    """One results submission in ClinicalTrials.gov's review (TrialQA): when it was sent, and whether the
    sponsor cancelled it."""

    submitted_on: date
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class TrackerView:
    results_due: bool
    due_date: date
    status: str
    days_late: int | None
    flag_date: date


def results_due(completion: date, has_certificate: bool, grace: int, today: date) -> bool:
    """view.sql ``results_due``: completion + 1 year + 30 days has passed, and, with a certificate,
    completion + 3 years + 30 days too (whenever the certificate was filed)."""
    return add_days(add_years(completion, 1), grace) < today and (
        not has_certificate or add_days(add_years(completion, FDAAA_TRACKER_CERTIFICATE_YEARS), grace) < today
    )


def due_date(completion: date, has_certificate: bool) -> date:
    """models.py ``calculated_due_date``: completion + 3 years with a certificate, else + 365 days."""
    if has_certificate:
        return add_years(completion, FDAAA_TRACKER_CERTIFICATE_YEARS)
    return add_days(completion, FDAAA_TRACKER_YEAR_DAYS)


def _days_delta(effective: date, due: date, grace: int, with_grace: bool = False) -> int | None:
    days = max((effective - due).days, 0)
    if with_grace and days - grace <= 0:
        days = 0
    return days or None


def _qa_start_dates(events: Sequence[QaEvent]) -> tuple[date | None, bool, date | None]:
    """trial_computer.py ``qa_start_dates``: the first submission; whether the latest run of
    submissions ends in a cancellation; the first submission after the latest cancellation."""
    ordered = sorted(events, key=lambda e: e.submitted_on)
    original = ordered[0].submitted_on if ordered else None
    cancelled, restart = False, None
    for event in reversed(ordered):
        if event.cancelled:
            cancelled = True
            break
        restart = event.submitted_on
    return original, cancelled, restart


def view(
    completion: date,
    has_certificate: bool,
    reported_on: date | None,
    qa: Sequence[QaEvent],
    today: date,
    grace: int,
) -> TrackerView:
    """The tracker's results verdict today. ``reported_on`` is the results' first submission day when
    ClinicalTrials.gov has posted them (``has_results``); ``qa`` the submissions still in review."""
    due = due_date(completion, has_certificate)
    is_due = results_due(completion, has_certificate, grace, today)
    original, cancelled, restart = _qa_start_dates(qa)
    days_late: int | None = None
    if is_due:
        if reported_on is not None:
            days_late = _days_delta(reported_on, due, grace)
        else:
            if original is not None:
                days_late = _days_delta(original, due, grace)
            if restart is not None:
                days_late = _days_delta(restart, due, grace)
            elif cancelled:
                days_late = _days_delta(today, due, grace, with_grace=True)
            if original is None:
                days_late = _days_delta(today, due, grace, with_grace=True)
    if not is_due:
        status = REPORTED if reported_on is not None else ONGOING
    elif reported_on is not None:
        status = REPORTED_LATE if days_late else REPORTED
    elif original is not None:
        if days_late:
            status = OVERDUE_CANCELLED if cancelled and restart is None else REPORTED_LATE
        else:
            status = REPORTED
    else:
        status = OVERDUE if days_late else ONGOING
    return TrackerView(is_due, due, status, days_late, flag_date(completion, has_certificate, grace))


def flag_date(completion: date, has_certificate: bool, grace: int) -> date:
    """The first day the tracker shows the trial overdue when nothing was submitted."""
    due = due_date(completion, has_certificate)

    def flagged(today: date) -> bool:
        return results_due(completion, has_certificate, grace, today) and bool(
            _days_delta(today, due, grace, with_grace=True)
        )

    years = FDAAA_TRACKER_CERTIFICATE_YEARS if has_certificate else 1
    return first_day(flagged, add_days(add_years(completion, years), grace))


__all__ = [
    "QaEvent",
    "TrackerView",
    "due_date",
    "flag_date",
    "results_due",
    "snapshot_available",
    "snapshot_excludes",
    "view",
]
