"""Plain factory functions for the lifecycle tests: each makes exactly what its name says."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.importers import import_record
from submissions import domain
from submissions.enums import FilingState, Role, Stage
from submissions.models import Filing, Membership, Organization, Trial

PASSWORD = "correct horse battery staple"
# A real ClinicalTrials.gov record with results; the tests add what the later stages need.
COMPLETE_SAMPLE = "ctgov-v2-NCT05594173.json"
# Our own complete canonical record: applicable US, EU, ICMJE and WHO deadlines.
FIXTURE_RECORD = Path(__file__).resolve().parent.parent / "fixtures" / "records" / "complete.json"


def make_org(name: str = "Sponsor A") -> Organization:
    return Organization.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_user(username: str, *, org: Organization | None = None, roles: tuple[str, ...] = ()) -> User:
    user: User = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), last_name="Tester"
    )
    for role in roles:
        assert org is not None
        Membership.objects.create(organization=org, user=user, role=role)
    return user


def make_people(org: Organization, prefix: str = "") -> dict[str, User]:
    """One user per role, plus a second author and a second approver."""
    people = {role: make_user(f"{prefix}{role}", org=org, roles=(role,)) for role in Role.values}
    people["author2"] = make_user(f"{prefix}author2", org=org, roles=(Role.AUTHOR,))
    people["approver2"] = make_user(f"{prefix}approver2", org=org, roles=(Role.APPROVER,))
    for signer in ("approver", "approver2"):
        verify_name(org, people[signer], people[Role.ADMIN])
    return people


def verify_name(org: Organization, user: User, admin: User) -> None:
    """The organization's admin verifies the person's account name as their signing name."""
    domain.verify_signer_name(org, user, full_name=user.get_full_name(), actor=admin)


def complete_record(sample_dir: Path) -> dict[str, Any]:
    """The sample record with what the protocol summary and lay summary stages ask for added."""
    record = import_record("ctgov-v2", (sample_dir / COMPLETE_SAMPLE).read_bytes()).record
    record["protocolSection"]["ipdSharingStatementModule"] = {"ipdSharing": "NO"}
    record["laySummaries"] = [
        {
            "language": "en",
            "audience": "ADULT",
            "title": "What this trial found",
            "sections": {section: f"{section} in plain words." for section in LAY_SUMMARY_SECTIONS},
        }
    ]
    return record


def fixture_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(FIXTURE_RECORD.read_text(encoding="utf-8"))
    return record


def unreported(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` that ClinicalTrials.gov shows without results: its record must then still be
    verified every 12 months (42 CFR 11.64(a)(1)(i)), which gives a deadline that changes status."""
    copied = copy.deepcopy(record)
    status = copied["protocolSection"]["statusModule"]
    for name in ("resultsFirstSubmitDate", "resultsFirstSubmitQcDate", "resultsFirstPostDateStruct"):
        status.pop(name, None)
    return copied


def changed(record: dict[str, Any], section: str = "protocolSection") -> dict[str, Any]:
    """A copy of ``record`` with one field of ``section`` changed."""
    copied = copy.deepcopy(record)
    if section == "protocolSection":
        copied["protocolSection"]["identificationModule"]["briefTitle"] += " (amended)"
    elif section == "resultsSection":
        copied["resultsSection"]["moreInfoModule"]["limitationsAndCaveats"] = {"description": "Small sample."}
    elif section == "laySummaries":
        copied["laySummaries"][0]["title"] += " (revised)"
    else:
        raise ValueError(section)
    return copied


def make_trial(org: Organization, author: User, record: dict[str, Any], reference: str = "PROT-1") -> Trial:
    return domain.create_trial(org, reference=reference, title="A trial", actor=author, record=record)


def sign(filing: Filing, approver: User) -> None:
    domain.approve_filing(
        filing,
        actor=approver,
        password=PASSWORD,
        printed_name=approver.get_full_name(),
        meaning=domain.signature_meaning(filing),
    )


def accept_everywhere(filing: Filing, actor: User) -> None:
    for code in filing.target_registries:
        domain.record_registry_response(
            filing, code, actor=actor, outcome="accepted", identifiers=IDS.get(code, {})
        )


IDS: dict[str, dict[str, str]] = {
    "ctgov": {"nct_id": "NCT05594173"},
    "ctis": {"eu_ct_number": "2022-501234-18-00"},
    "eudract": {"eudract_number": "2021-004512-33"},
}


def drive(filing: Filing, state: str, people: dict[str, User]) -> Filing:
    """Take a draft filing to ``state`` through the domain functions, as the people would."""
    path = {
        FilingState.DRAFT: [],
        FilingState.IN_REVIEW: ["review"],
        FilingState.APPROVED: ["review", "approve"],
        FilingState.SUBMITTED: ["review", "approve", "submit"],
        FilingState.ACCEPTED: ["review", "approve", "submit", "accept"],
        FilingState.RETURNED: ["review", "approve", "submit", "return"],
    }[FilingState(state)]
    for step in path:
        if step == "review":
            domain.submit_for_review(filing, actor=people[Role.AUTHOR])
        elif step == "approve":
            sign(filing, people[Role.APPROVER])
        elif step == "submit":
            domain.mark_submitted(filing, actor=people[Role.AUTHOR])
        elif step == "accept":
            accept_everywhere(filing, people[Role.AUTHOR])
        elif step == "return":
            domain.record_registry_response(
                filing,
                filing.target_registries[0],
                actor=people[Role.AUTHOR],
                outcome="returned",
                comments="Fix X.",
            )
    filing.refresh_from_db()
    return filing


def complete_stage(trial: Trial, stage: str, people: dict[str, User], targets: list[str]) -> Filing:
    filing = domain.open_filing(trial, stage, target_registries=targets, actor=people[Role.AUTHOR])
    return drive(filing, FilingState.ACCEPTED, people)


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


STAGES = [stage.value for stage in Stage]
