"""WHO statement on public disclosure (2015): a journal submission within 12 months and a publication
within 24 (issue 15)."""

from __future__ import annotations

from datetime import date

from deadlines.enums import DeadlineStatus
from tests.deadlines.around import around, unmet
from tests.deadlines.factories import filed, log, make_record, verdict_of


def test_results_are_submitted_to_a_journal_within_12_months():
    assert around("who.journal_submission", make_record(pcd="2025-03-10"), date(2026, 3, 10)) == unmet(
        date(2026, 3, 10)
    )


def test_journal_submission_is_met_by_the_manuscript_filing():
    submissions = log(filed("journal", "publication", "2026-03-11"))

    verdict = verdict_of("who.journal_submission", make_record(pcd="2025-03-10"), "2026-04-01", submissions)

    assert (verdict.status, verdict.days_late) == (DeadlineStatus.MET_LATE, 1)


def test_a_submitted_manuscript_is_not_a_publication():
    submissions = log(filed("journal", "publication", "2026-01-10"))

    assert around("who.publication", make_record(pcd="2025-03-10"), date(2027, 3, 10), submissions) == unmet(
        date(2027, 3, 10)
    )
