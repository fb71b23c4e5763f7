"""A trial with EU sites goes from draft to an accepted CTIS results filing, through the domain
functions only; CTIS takes several files for the results stage and the signature covers each."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from deadlines.engine import evaluate
from deadlines.enums import SubmissionKind, SubmissionStage
from submissions import domain
from submissions.deadline_inputs import submission_log
from submissions.enums import FilingState, Role, Stage, TrialState
from submissions.models import Payload, RegistrySubmission
from tests.submissions import factories

EU_CT_NUMBER = "2022-501234-18-00"


def test_eu_trial_reaches_accepted_results_with_ctis_json_and_both_pdfs(org, people):
    # given a draft trial with two EU member states and full results
    trial = factories.make_trial(org, people[Role.AUTHOR], factories.fixture_record())
    factories.complete_stage(trial, Stage.REGISTRATION, people, ["ctis", "record"])
    factories.complete_stage(trial, Stage.PROTOCOL_SUMMARY, people, ["record"])

    # when the CTIS results filing is reviewed, signed, sent and accepted
    filing = domain.open_filing(trial, Stage.RESULTS, target_registries=["ctis"], actor=people[Role.AUTHOR])
    factories.drive(filing, FilingState.SUBMITTED, people)
    domain.record_registry_response(
        filing,
        "ctis",
        actor=people[Role.AUTHOR],
        outcome="accepted",
        identifiers={"eu_ct_number": EU_CT_NUMBER},
    )
    filing.refresh_from_db()
    trial.refresh_from_db()

    # then the filing is accepted with the CTIS JSON, the Annex IV PDF and the lay-summary PDF, the
    # signature covers every file's hash, and the submission sent the JSON as the main payload
    payloads = list(filing.payloads_current)
    assert (filing.state, trial.state) == (FilingState.ACCEPTED, TrialState.RESULTS_REPORTED)
    assert [(p.registry, p.file_name, p.media_type) for p in payloads] == [
        ("ctis", f"{EU_CT_NUMBER}-ctis-results.json", "application/json"),
        ("ctis", f"{EU_CT_NUMBER}-summary-of-results.pdf", "application/pdf"),
        ("ctis", f"{EU_CT_NUMBER}-lay-summary-en.pdf", "application/pdf"),
    ]
    assert [p.findings for p in payloads] == [[], [], []]
    assert all(p.sha256 == hashlib.sha256(bytes(p.content)).hexdigest() for p in payloads)
    assert filing.signature is not None
    assert filing.signature.payload_sha256s == {
        "ctis": payloads[0].sha256,
        f"ctis/{EU_CT_NUMBER}-summary-of-results.pdf": payloads[1].sha256,
        f"ctis/{EU_CT_NUMBER}-lay-summary-en.pdf": payloads[2].sha256,
    }
    submission = RegistrySubmission.objects.get(filing=filing)
    assert (submission.payload_id, trial.identifiers["ctis"]) == (
        payloads[0].pk,
        {"eu_ct_number": EU_CT_NUMBER},
    )
    assert bytes(payloads[1].content).startswith(b"%PDF-")
    assert Payload.objects.filter(filing=filing).count() == 3


def _accepted_ctis_results(org, people, record):
    trial = factories.make_trial(org, people[Role.AUTHOR], record)
    factories.complete_stage(trial, Stage.REGISTRATION, people, ["ctis", "record"])
    factories.complete_stage(trial, Stage.PROTOCOL_SUMMARY, people, ["record"])
    factories.complete_stage(trial, Stage.RESULTS, people, ["ctis"])
    return trial


def test_final_ctis_results_filing_meets_the_results_and_lay_summary_duties(org, people):
    # given a trial whose final CTIS results filing (with its lay summary) was sent and accepted
    trial = _accepted_ctis_results(org, people, factories.fixture_record())

    # when the deadline engine reads the trial's filings
    log = submission_log(trial)
    verdicts = {v.rule: v for v in evaluate(trial.head.content, log, today=timezone.localdate())}

    # then the results filing counts for the results and for the lay summary, and both EU duties are met
    ctis = [(s.stage, s.kind) for s in log.submissions if s.registry == "ctis"]
    assert ctis == [
        (SubmissionStage.REGISTRATION, SubmissionKind.INITIAL),
        (SubmissionStage.RESULTS, SubmissionKind.INITIAL),
        (SubmissionStage.LAY_SUMMARY, SubmissionKind.INITIAL),
    ]
    results, lay = verdicts["eu.ctr.results"].satisfied_by, verdicts["eu.ctr.lay_summary"].satisfied_by
    assert results is not None
    assert lay is not None
    assert (results["filing_id"], results["stage"], lay["filing_id"], lay["stage"]) == (
        lay["filing_id"],
        "results",
        results["filing_id"],
        "lay_summary",
    )


def test_interim_ctis_results_filing_counts_as_an_intermediate_analysis_not_final_results(org, people):
    # given a CTIS results filing of an intermediate analysis
    record = factories.fixture_record()
    record["euSection"]["resultsAnalysisStage"] = "INTERIM"
    record["euSection"]["intermediateAnalyses"] = [{"analysisDate": "2024-01-15", "description": "Week 8"}]
    trial = _accepted_ctis_results(org, people, record)

    # when the deadline engine reads the trial's filings
    log = submission_log(trial)
    verdicts = {v.rule: v for v in evaluate(trial.head.content, log, today=timezone.localdate())}

    # then it is an interim filing: it meets the intermediate analysis duty and not the final results
    ctis = [(s.stage, s.kind) for s in log.submissions if s.registry == "ctis"]
    assert ctis == [
        (SubmissionStage.REGISTRATION, SubmissionKind.INITIAL),
        (SubmissionStage.RESULTS, SubmissionKind.INTERIM),
    ]
    assert verdicts["eu.ctr.intermediate_analysis"].satisfied_by is not None
    assert verdicts["eu.ctr.results"].satisfied_by is None


def test_directive_trial_results_filing_carries_valid_eudract_xml(org, people, registry_specs):
    # given a trial that runs under Directive 2001/20/EC (EudraCT number, no EU CT number)
    record = factories.fixture_record()
    record["euSection"] = {
        "eudractNumber": "2021-004512-33",
        "regulatoryFramework": "DIRECTIVE",
        "longTermFollowUpPlanned": False,
        "resultsAnalysisStage": "FINAL",
    }
    # EudraCT splits "Adverse Event" by seriousness (eudract.not_completed_reason_ambiguous otherwise).
    record["resultsSection"]["participantFlowModule"]["periods"][0]["dropWithdraws"][0]["type"] = (
        "Adverse event, not serious"
    )
    # EudraCT's baseline takes age in its own categories (eudract.baseline_age_categories_missing otherwise).
    record["resultsSection"]["baselineCharacteristicsModule"]["measures"].append(
        {
            "title": "Age, Customized",
            "paramType": "COUNT_OF_PARTICIPANTS",
            "unitOfMeasure": "Participants",
            "classes": [
                {
                    "categories": [
                        {
                            "title": title,
                            "measurements": [
                                {"groupId": "BG000", "value": str(a)},
                                {"groupId": "BG001", "value": str(b)},
                                {"groupId": "BG002", "value": str(a + b)},
                            ],
                        }
                        for title, a, b in (("Adults (18-64 years)", 185, 186), ("From 65-84 years", 21, 20))
                    ]
                }
            ],
        }
    )
    trial = factories.make_trial(org, people[Role.AUTHOR], record)
    factories.complete_stage(trial, Stage.REGISTRATION, people, ["record"])
    factories.complete_stage(trial, Stage.PROTOCOL_SUMMARY, people, ["record"])

    # when its EudraCT results filing is taken to acceptance
    filing = factories.complete_stage(trial, Stage.RESULTS, people, ["eudract"])

    # then the results file and the adverse-events upload were stored, each verified without a finding
    payloads = list(filing.payloads_current)
    assert filing.state == FilingState.ACCEPTED
    assert [(p.file_name, p.findings) for p in payloads] == [
        ("2021-004512-33-eudract-results.xml", []),
        ("2021-004512-33-eudract-adverse-events.xml", []),
    ]
