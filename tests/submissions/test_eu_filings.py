"""A trial with EU sites goes from draft to an accepted CTIS results filing, through the domain
functions only; CTIS takes several files for the results stage and the signature covers each."""

from __future__ import annotations

import hashlib

from submissions import domain
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
