"""Importing trials from registry records: each study a trial in the state its registry history shows,
each refusal a report that changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from deadlines import evaluate
from submissions.deadline_inputs import submission_log
from submissions.domain.imports import ImportStatus, import_trial, import_trials
from submissions.enums import FilingState, RegistryOutcome, Stage, SubmissionMethod, TrialState
from submissions.errors import DomainError
from submissions.models import AuditEvent, Filing, Organization, RegistrySubmission, Trial


def _study(nct_id: str = "NCT01234567", **status: Any) -> dict[str, Any]:
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": nct_id,
                "orgStudyIdInfo": {"id": f"P-{nct_id[-4:]}"},
                "briefTitle": "Drug X for Mild Asthma",
            },
            "statusModule": {"overallStatus": "COMPLETED", **status},
        },
        "hasResults": False,
    }


POSTED: dict[str, Any] = {
    "studyFirstSubmitDate": "2019-01-10",
    "studyFirstSubmitQcDate": "2019-01-10",
    "studyFirstPostDateStruct": {"date": "2019-01-14", "type": "ACTUAL"},
}


def _bytes(document: Any) -> bytes:
    return json.dumps(document).encode("utf-8")


def _filings(trial: Trial) -> list[tuple[str, str, list[tuple[str, str, str | None]]]]:
    return [
        (
            filing.stage,
            filing.state,
            [
                (
                    item.submitted_at.date().isoformat(),
                    item.outcome,
                    item.responded_at.date().isoformat() if item.responded_at else None,
                )
                for item in filing.submissions.order_by("submitted_at")
            ],
        )
        for filing in Filing.objects.filter(trial=trial).order_by("pk")
    ]


def test_a_registered_study_becomes_a_trial_with_protocol_summary_published(
    org: Organization, people: dict[str, User]
) -> None:
    report = import_trial(_bytes(_study(**POSTED)), organization=org, actor=people["author"])

    trial = Trial.objects.get(organization=org)
    assert (report.status, report.nct_id, report.reference, report.state) == (
        ImportStatus.CREATED,
        "NCT01234567",
        "P-4567",
        TrialState.PROTOCOL_SUMMARY_PUBLISHED,
    )
    assert trial.identifiers == {"ctgov": {"nct_id": "NCT01234567"}}
    assert _filings(trial) == [
        ("registration", FilingState.ACCEPTED, [("2019-01-10", "accepted", "2019-01-14")]),
        ("protocol_summary", FilingState.ACCEPTED, [("2019-01-10", "accepted", "2019-01-14")]),
    ]
    assert set(RegistrySubmission.objects.values_list("method", "payload", "submitted_by")) == {
        (SubmissionMethod.IMPORTED, None, None)
    }


def test_results_in_qc_review_leave_the_results_filing_submitted_on_its_release_date(
    org: Organization, people: dict[str, User]
) -> None:
    study = _study(**POSTED)
    study["derivedSection"] = {
        "miscInfoModule": {
            "submissionTracking": {
                "estimatedResultsFirstSubmitDate": "2024-02-01",
                "submissionInfos": [
                    {"releaseDate": "2024-02-01", "resetDate": "2024-03-05"},
                    {"releaseDate": "2024-04-02"},
                ],
            }
        }
    }

    report = import_trial(_bytes(study), organization=org, actor=people["author"])

    trial = Trial.objects.get(organization=org)
    assert report.state == TrialState.PROTOCOL_SUMMARY_PUBLISHED
    assert _filings(trial)[2] == (
        "results",
        FilingState.SUBMITTED,
        [
            ("2024-02-01", RegistryOutcome.RETURNED, "2024-03-05"),
            ("2024-04-02", RegistryOutcome.PENDING, None),
        ],
    )


def test_posted_results_report_the_trial_results(org: Organization, people: dict[str, User]) -> None:
    study = _study(
        **POSTED,
        resultsFirstSubmitDate="2021-05-03",
        resultsFirstSubmitQcDate="2021-07-01",
        resultsFirstPostDateStruct={"date": "2021-07-20", "type": "ACTUAL"},
    )

    report = import_trial(_bytes(study), organization=org, actor=people["author"])

    assert report.state == TrialState.RESULTS_REPORTED
    assert _filings(Trial.objects.get(organization=org))[2] == (
        "results",
        FilingState.ACCEPTED,
        [
            ("2021-05-03", RegistryOutcome.RETURNED, None),
            ("2021-07-01", RegistryOutcome.ACCEPTED, "2021-07-20"),
        ],
    )


def test_importing_the_same_study_again_changes_nothing(org: Organization, people: dict[str, User]) -> None:
    data = _bytes(_study(**POSTED))
    import_trial(data, organization=org, actor=people["author"])
    events = AuditEvent.objects.count()

    report = import_trial(data, organization=org, actor=people["author"])

    assert (report.status, report.filed) == (ImportStatus.UNCHANGED, 0)
    assert (AuditEvent.objects.count(), RegistrySubmission.objects.count()) == (events, 2)


def test_a_changed_record_updates_the_trial_that_has_its_nct_number(
    org: Organization, people: dict[str, User]
) -> None:
    import_trial(_bytes(_study(**POSTED)), organization=org, actor=people["author"])
    study = _study(**POSTED)
    study["protocolSection"]["identificationModule"]["briefTitle"] = "Drug X for Moderate Asthma"

    report = import_trial(_bytes(study), organization=org, actor=people["author"])

    trial = Trial.objects.get(organization=org)
    assert (report.status, trial.versions.count()) == (ImportStatus.UPDATED, 2)
    assert trial.head is not None
    assert trial.head.content["protocolSection"]["identificationModule"]["briefTitle"] == (
        "Drug X for Moderate Asthma"
    )


def test_a_batch_imports_each_study_and_refuses_only_what_is_not_one(
    org: Organization, people: dict[str, User]
) -> None:
    bad = _study("NCT07654321")
    bad["protocolSection"]["identificationModule"]["nctId"] = "NCT1"
    page = {"studies": [_study("NCT01111111", **POSTED), "not a study", bad, _study("NCT02222222")]}

    reports = import_trials(_bytes(page), organization=org, actor=people["author"], source="page.json")

    assert [(r.source, r.status, (r.error or {}).get("code")) for r in reports] == [
        ("page.json/studies/0", ImportStatus.CREATED, None),
        ("page.json/studies/1", ImportStatus.REFUSED, "import.not_a_study"),
        ("page.json/studies/2", ImportStatus.REFUSED, "import.bad_identifier"),
        ("page.json/studies/3", ImportStatus.CREATED, None),
    ]
    assert sorted(Trial.objects.values_list("reference", "state")) == [
        ("P-1111", TrialState.PROTOCOL_SUMMARY_PUBLISHED),
        ("P-2222", TrialState.DRAFT),
    ]


def test_an_over_limit_published_record_imports_with_a_warning(
    org: Organization, people: dict[str, User]
) -> None:
    study = _study(**POSTED)
    study["protocolSection"]["descriptionModule"] = {"briefSummary": "x" * 5001}

    report = import_trial(_bytes(study), organization=org, actor=people["author"])

    assert (report.status, [(f["severity"], f["code"], f["pointer"]) for f in report.findings]) == (
        ImportStatus.CREATED,
        [("warning", "import.max_length", "/protocolSection/descriptionModule/briefSummary")],
    )


def test_only_authors_import(org: Organization, people: dict[str, User]) -> None:
    with pytest.raises(DomainError) as caught:
        import_trial(_bytes(_study()), organization=org, actor=people["viewer"])

    assert (caught.value.code, Trial.objects.count()) == ("role.required", 0)


def test_unreadable_input_is_a_coded_error(org: Organization, people: dict[str, User]) -> None:
    with pytest.raises(DomainError) as caught:
        import_trials(b'{"protocolSection": ', organization=org, actor=people["author"])

    assert caught.value.code == "json.malformed"


def test_command_imports_a_folder_and_reports_each_study(
    tmp_path: Path, org: Organization, people: dict[str, User], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.json").write_bytes(_bytes(_study("NCT01111111", **POSTED)))
    (tmp_path / "b.json").write_bytes(_bytes([_study("NCT02222222"), _study("NCT03333333")]))

    call_command("import_trials", str(tmp_path), organization=org.slug, user=people["author"].username)

    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "created   NCT01111111 (protocol_summary_published), 0 warnings, 2 registry filings recorded",
        "created   NCT02222222 (draft), 0 warnings, 0 registry filings recorded",
        "created   NCT03333333 (draft), 0 warnings, 0 registry filings recorded",
    ]
    assert err.strip() == "Imported: 3 created, 0 updated, 0 unchanged, 0 refused."


def test_command_fails_when_a_study_is_refused(
    tmp_path: Path, org: Organization, people: dict[str, User]
) -> None:
    (tmp_path / "a.json").write_bytes(b"[1]")

    with pytest.raises(CommandError, match="1 studies were refused"):
        call_command("import_trials", str(tmp_path / "a.json"), organization=org.slug, user="author")


def test_real_sample_with_results_imports_as_results_reported(
    sample_dir: Path, org: Organization, people: dict[str, User]
) -> None:
    report = import_trial(
        (sample_dir / "ctgov-v2-NCT05594173.json").read_bytes(), organization=org, actor=people["author"]
    )

    assert (report.status, report.state, report.findings) == (
        ImportStatus.CREATED,
        TrialState.RESULTS_REPORTED,
        [],
    )
    assert [stage for stage, state, _ in _filings(Trial.objects.get())] == [
        Stage.REGISTRATION,
        Stage.PROTOCOL_SUMMARY,
        Stage.RESULTS,
    ]


def test_results_in_qc_review_count_on_their_submission_day_and_a_qc_return_starts_a_correction_window(
    org: Organization, people: dict[str, User]
) -> None:
    # given an applicable clinical trial whose results went to PRS review before the due day (2024-01-15),
    # came back with QC comments and were resubmitted, and are still in review
    study = _study(
        **POSTED,
        startDateStruct={"date": "2021-03-01", "type": "ACTUAL"},
        primaryCompletionDateStruct={"date": "2023-01-15", "type": "ACTUAL"},
    )
    protocol = study["protocolSection"]
    protocol["designModule"] = {"studyType": "INTERVENTIONAL", "phases": ["PHASE3"]}
    protocol["oversightModule"] = {"isFdaRegulatedDrug": True, "isFdaRegulatedDevice": False}
    protocol["armsInterventionsModule"] = {"interventions": [{"type": "DRUG", "name": "Drug X"}]}
    study["derivedSection"] = {
        "miscInfoModule": {
            "submissionTracking": {
                "estimatedResultsFirstSubmitDate": "2024-01-10",
                "submissionInfos": [
                    {"releaseDate": "2024-01-10", "resetDate": "2024-02-20"},
                    {"releaseDate": "2024-03-01"},
                ],
            }
        }
    }
    import_trial(_bytes(study), organization=org, actor=people["author"])
    trial = Trial.objects.get(organization=org)
    assert trial.head is not None

    # when the deadline engine judges it with the registry history
    verdicts = {
        (v.rule, v.subject): v
        for v in evaluate(trial.head.content, submission_log(trial), dt.date(2024, 6, 1))
        if v.rule in ("us.fdaaa.results", "us.prs.correction")
    }

    # then the results were reported on time, for the law and for the tracker, and the correction was
    # made within the window the return started
    results = verdicts[("us.fdaaa.results", "")]
    assert (results.status, results.days_late, results.satisfied_by) == (
        "met",
        0,
        {
            "source": "submission",
            "filing_id": str(Filing.objects.get(trial=trial, stage="results").pk),
            "registry": "ctgov",
            "stage": "results",
            "kind": "initial",
            "submitted_on": "2024-01-10",
        },
    )
    assert (results.details["tracker_status"], results.details["differs_from_tracker"]) == ("reported", False)
    [correction] = [v for (rule, _), v in verdicts.items() if rule == "us.prs.correction"]
    assert (correction.status, correction.due_date) == ("met", dt.date(2024, 3, 16))


def test_a_study_whose_reference_belongs_to_another_nct_number_is_refused(
    org: Organization, people: dict[str, User]
) -> None:
    import_trial(_bytes(_study("NCT01234567", **POSTED)), organization=org, actor=people["author"])
    other = _study("NCT07654321")
    other["protocolSection"]["identificationModule"]["orgStudyIdInfo"] = {"id": "P-4567"}

    report = import_trial(_bytes(other), organization=org, actor=people["author"])

    assert (report.status, (report.error or {}).get("code"), Trial.objects.count()) == (
        ImportStatus.REFUSED,
        "import.reference_conflict",
        1,
    )


def test_a_later_import_records_what_the_registry_answered_since(
    org: Organization, people: dict[str, User]
) -> None:
    # given a trial imported while its results were in QC review
    in_review = _study(**POSTED)
    in_review["derivedSection"] = {
        "miscInfoModule": {"submissionTracking": {"submissionInfos": [{"releaseDate": "2024-04-02"}]}}
    }
    import_trial(_bytes(in_review), organization=org, actor=people["author"])
    # when the record is imported again after ClinicalTrials.gov posted those results
    posted = _study(
        **POSTED,
        resultsFirstSubmitDate="2024-04-02",
        resultsFirstSubmitQcDate="2024-04-02",
        resultsFirstPostDateStruct={"date": "2024-05-20", "type": "ACTUAL"},
    )

    report = import_trial(_bytes(posted), organization=org, actor=people["author"])

    # then the pending submission is answered and the trial reports its results
    trial = Trial.objects.get(organization=org)
    assert (report.status, report.state, report.filed) == (
        ImportStatus.UPDATED,
        TrialState.RESULTS_REPORTED,
        1,
    )
    assert _filings(trial)[2] == (
        "results",
        FilingState.ACCEPTED,
        [("2024-04-02", RegistryOutcome.ACCEPTED, "2024-05-20")],
    )
