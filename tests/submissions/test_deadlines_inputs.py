"""What the deadline engine is given besides the record: submissions from our filings and record changes
from the trial's head history."""

from __future__ import annotations

import copy

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deadlines.enums import RecordChange, SubmissionKind, SubmissionStage
from deadlines.submissions import Change, Submission, SubmissionLog
from submissions import domain
from submissions.deadline_inputs import changed_elements, head_history, record_changes, submission_log
from submissions.enums import FilingState, Role, Stage
from tests.submissions import factories


def test_changed_elements_lists_the_update_rule_elements_that_differ(complete_record):
    # given a record whose status, primary completion date and a site's status change, and whose title
    # (not an element of 42 CFR 11.64) changes too
    after = copy.deepcopy(complete_record)
    status = after["protocolSection"]["statusModule"]
    status["overallStatus"] = "TERMINATED"
    status["primaryCompletionDateStruct"] = {"date": "2024-06-01", "type": "ACTUAL"}
    after["protocolSection"]["contactsLocationsModule"]["locations"][0]["status"] = "WITHDRAWN"
    after["protocolSection"]["identificationModule"]["briefTitle"] += " (amended)"
    # then exactly the listed elements are reported, in the engine's order
    assert changed_elements(complete_record, after) == [
        RecordChange.RECRUITMENT_STATUS,
        RecordChange.SITE_RECRUITMENT_STATUS,
        RecordChange.PRIMARY_COMPLETION_DATE,
    ]
    assert changed_elements(complete_record, copy.deepcopy(complete_record)) == []


def test_record_changes_follow_the_heads_including_a_return_to_an_earlier_version(
    org, people, complete_record
):
    # given a trial saved as A, then B (enrolment changed), then A again
    author = people[Role.AUTHOR]
    trial = factories.make_trial(org, author, complete_record, reference="CHG-1")
    version_b = copy.deepcopy(complete_record)
    version_b["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 500, "type": "ACTUAL"}
    assert trial.head is not None
    first = domain.save_record(trial, version_b, base_sha256=trial.head.sha256, actor=author)
    domain.save_record(trial, complete_record, base_sha256=first.version.sha256, actor=author)
    today = timezone.localdate()
    # then the head history is A, B, A, and the enrolment change is reported once for the day
    assert head_history(trial) == [(today, complete_record), (today, version_b), (today, complete_record)]
    assert submission_log(trial) == SubmissionLog(
        submissions=(), changes=(Change(RecordChange.ENROLLMENT, today),)
    )


def test_record_changes_read_each_versions_content_once(org, people, complete_record):
    # given a trial whose record changes were computed once (each save recomputes its deadlines)
    author = people[Role.AUTHOR]
    trial = factories.make_trial(org, author, complete_record, reference="CHG-2")
    changed = copy.deepcopy(complete_record)
    changed["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    assert trial.head is not None
    domain.save_record(trial, changed, base_sha256=trial.head.sha256, actor=author)
    first = record_changes(trial)
    # when they are computed again
    with CaptureQueriesContext(connection) as queries:
        again = record_changes(trial)
    # then the answer is the same and no version's content was read again (versions are immutable)
    assert again == first == (Change(RecordChange.RECRUITMENT_STATUS, timezone.localdate()),)
    assert [query["sql"] for query in queries.captured_queries if '"content"' in query["sql"]] == []


def test_a_returned_submission_and_its_resubmission_become_engine_submissions(trial, people):
    # given a registration sent to ClinicalTrials.gov and to our own record registry, returned by PRS
    # with comments, corrected and sent again
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["ctgov", "record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.SUBMITTED, people)
    domain.record_registry_response(
        filing, "ctgov", actor=people[Role.AUTHOR], outcome="returned", comments="Fix the outcome."
    )
    domain.start_corrections(filing, actor=people[Role.AUTHOR])
    filing.refresh_from_db()
    factories.drive(filing, FilingState.SUBMITTED, people)
    today = timezone.localdate()
    # then the engine sees the ClinicalTrials.gov submissions only: the first returned, the second a
    # correction
    assert submission_log(trial).submissions == (
        Submission(
            registry="ctgov",
            stage=SubmissionStage.REGISTRATION,
            kind=SubmissionKind.INITIAL,
            submitted_on=today,
            filing_id=str(filing.pk),
            returned_on=today,
        ),
        Submission(
            registry="ctgov",
            stage=SubmissionStage.REGISTRATION,
            kind=SubmissionKind.CORRECTION,
            submitted_on=today,
            filing_id=str(filing.pk),
        ),
    )
