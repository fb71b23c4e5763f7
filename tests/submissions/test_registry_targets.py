"""A UK-and-US trial's registration filing: targets derived from the record, payloads that agree and pass
their schemas, and consistency findings that stop an inconsistent record at review."""

from __future__ import annotations

from typing import Any

import pytest

from registries.findings import has_errors
from submissions import checks, domain
from submissions.enums import AuditEventType, FilingState, Role, Stage
from submissions.errors import DomainError
from submissions.models import AuditEvent
from tests.submissions import factories


def uk_and_us_record() -> dict[str, Any]:
    """The complete record with sites in the US and the UK only, not yet registered anywhere."""
    record = factories.fixture_record()
    record["protocolSection"]["contactsLocationsModule"]["locations"] = [
        loc
        for loc in record["protocolSection"]["contactsLocationsModule"]["locations"]
        if loc["country"] in ("United States", "United Kingdom")
    ]
    del record["protocolSection"]["identificationModule"]["nctId"]
    return record


@pytest.mark.django_db
def test_open_filing_derives_targets_from_the_record_and_keeps_the_reasons(org, people, registry_specs):
    # given a UK-and-US trial
    trial = factories.make_trial(org, people[Role.AUTHOR], uk_and_us_record())

    # when a registration filing is opened without naming registries
    filing = domain.open_filing(trial, Stage.REGISTRATION, actor=people[Role.AUTHOR])

    # then it goes to ClinicalTrials.gov, ISRCTN and WHO (and the record), and the audit event says why
    assert filing.target_registries == ["ctgov", "isrctn", "record", "who"]
    event = AuditEvent.objects.filter(event_type=AuditEventType.FILING_OPENED).latest("pk")
    assert [note["code"] for note in event.data["derived_from_record"]] == [
        "target.record",
        "target.ctgov_us_site",
        "target.isrctn_uk_site",
        "target.who_always",
    ]


@pytest.mark.django_db
def test_named_targets_override_the_derivation(org, people):
    trial = factories.make_trial(org, people[Role.AUTHOR], uk_and_us_record())

    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["who"], actor=people[Role.AUTHOR]
    )

    assert filing.target_registries == ["who"]


@pytest.mark.django_db
def test_uk_and_us_registration_payloads_agree_and_pass_their_schemas(org, people, registry_specs):
    # given a UK-and-US trial's registration filing with the derived targets
    trial = factories.make_trial(org, people[Role.AUTHOR], uk_and_us_record())
    filing = domain.open_filing(trial, Stage.REGISTRATION, actor=people[Role.AUTHOR])

    # when it goes through review and is signed
    filing = factories.drive(filing, FilingState.APPROVED, people)

    # then each registry's payload was built and verified against its schema without a finding (WHO's
    # two: the ICTRP XML and the TRDS JSON)
    stored = list(filing.payloads.all())
    assert sorted((p.registry, p.media_type) for p in stored) == [
        ("ctgov", "application/xml"),
        ("isrctn", "application/xml"),
        ("record", "application/json"),
        ("who", "application/json"),
        ("who", "application/xml"),
    ]
    assert [p.findings for p in stored] == [[]] * 5
    payloads = {p.registry: p for p in stored if p.media_type == "application/xml"}
    assert b"<utrn>U1111-1285-4410</utrn>" in bytes(payloads["who"].content)
    assert b"<secondaryNumber>WHO UTN: U1111-1285-4410</secondaryNumber>" in bytes(payloads["isrctn"].content)
    assert b"<id>U1111-1285-4410</id>" in bytes(payloads["ctgov"].content)
    assert [
        f
        for f in checks.stage_findings(uk_and_us_record(), Stage.REGISTRATION, filing.target_registries)
        if f.code.startswith("consistency.")
    ] == []


@pytest.mark.django_db
def test_inconsistent_record_is_stopped_at_review_with_consistency_findings(org, people, registry_specs):
    # given a record that gives the ISRCTN number two different values
    record = uk_and_us_record()
    record["protocolSection"]["identificationModule"]["secondaryIdInfos"][1]["id"] = "ISRCTN00000001"
    trial = factories.make_trial(org, people[Role.AUTHOR], record)
    filing = domain.open_filing(trial, Stage.REGISTRATION, actor=people[Role.AUTHOR])

    # when the author submits it for review
    findings = checks.stage_findings(record, Stage.REGISTRATION, filing.target_registries)
    with pytest.raises(DomainError) as refused:
        domain.submit_for_review(filing, actor=people[Role.AUTHOR])

    # then the consistency finding is an error that blocks review
    assert [(f.code, f.pointer) for f in findings if f.code.startswith("consistency.")] == [
        ("consistency.isrctn_conflict", "/protocolSection/identificationModule/secondaryIdInfos")
    ]
    assert has_errors(findings)
    assert refused.value.code == "filing.no_error_findings"
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT
