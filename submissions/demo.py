"""Demo data for `make run`: one sponsor, one person per role, trials in several states.

Everything is done through the domain functions, so the demo's audit trail, signatures and payloads are
what real use would leave. The trials are built from the real ClinicalTrials.gov records among the
registry samples (read through ``registries.specs``, never copied here); without that folder one draft
trial is made from a tiny built-in record instead.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from registries import specs
from registries.enums import LAY_SUMMARY_SECTIONS
from registries.findings import has_errors
from registries.importers import import_record
from submissions import checks, domain
from submissions.enums import REGISTRY_IDENTIFIERS, FilingState, Role, Stage
from submissions.models import Filing, Membership, Organization, Trial

# For the demo only (README, "Demo data"); never a production password.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
ORGANIZATION = ("Demo Sponsor", "demo-sponsor")
# sample file -> how far the demo takes its trial
DEMO_TRIALS: tuple[tuple[str, str, str], ...] = (
    ("ctgov-v2-NCT00763412.json", "", "draft"),
    ("ctgov-v2-NCT03418623.json", "", "registered"),
    ("ctgov-v2-NCT06171568.json", "", "in_review"),
    ("ctgov-v2-NCT05594173.json", "", "disclosed"),
    ("ctgov-v2-NCT05594173.json", "-FU", "results_reported"),
)
TINY_RECORD: dict[str, Any] = {
    "schemaVersion": "1.0",
    "protocolSection": {
        "identificationModule": {"orgStudyIdInfo": {"id": "DEMO-001"}, "briefTitle": "Demo trial (built-in)"}
    },
}


def _user(username: str, role: str) -> tuple[Any, bool]:
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = model.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        first_name="Demo",
        last_name=Role(role).label,
        is_staff=True,
    )
    return user, True


def _complete(record: dict[str, Any]) -> dict[str, Any]:
    """What the demo adds so a record can pass every stage: an IPD statement and an English lay summary."""
    record = copy.deepcopy(record)
    record.setdefault("protocolSection", {}).setdefault("ipdSharingStatementModule", {"ipdSharing": "NO"})
    title = record["protocolSection"].get("identificationModule", {}).get("briefTitle", "This trial")
    record.setdefault(
        "laySummaries",
        [
            {
                "language": "en",
                "audience": "ADULT",
                "title": f"Results of: {title}",
                "sections": {section: f"Demo text for {section}." for section in LAY_SUMMARY_SECTIONS},
            }
        ],
    )
    return record


def _targets(record: dict[str, Any], stage: str) -> list[str]:
    """The registries the record calls for at this stage (registries.targets), less any whose checks the
    demo record does not pass, so every demo filing can go all the way through."""
    derived, _notes = checks.derived_targets(record, stage)
    return [code for code in derived if not has_errors(checks.stage_findings(record, stage, [code]))]


def _identifiers(record: dict[str, Any], code: str) -> dict[str, str]:
    if code not in REGISTRY_IDENTIFIERS:
        return {}
    name, _pattern = REGISTRY_IDENTIFIERS[code]
    nct = record.get("protocolSection", {}).get("identificationModule", {}).get("nctId", "")
    values = {
        "ctgov": nct,
        "ctis": "2026-500001-12-00",
        "isrctn": "ISRCTN12345678",
        "eudract": "2026-000001-12",
    }
    return {name: values.get(code, "")}


def _drive(filing: Filing, people: dict[str, Any], record: dict[str, Any], until: str) -> None:
    steps: list[tuple[str, Callable[[], Any]]] = [
        (FilingState.IN_REVIEW, lambda: domain.submit_for_review(filing, actor=people[Role.AUTHOR])),
        (
            FilingState.APPROVED,
            lambda: domain.approve_filing(
                filing,
                actor=people[Role.APPROVER],
                password=DEMO_PASSWORD,
                printed_name=people[Role.APPROVER].get_full_name(),
                meaning=domain.signature_meaning(filing),
            ),
        ),
        (FilingState.SUBMITTED, lambda: domain.mark_submitted(filing, actor=people[Role.AUTHOR])),
    ]
    for state, step in steps:
        step()
        if state == until:
            return
    for code in filing.target_registries:
        domain.record_registry_response(
            filing,
            code,
            actor=people[Role.AUTHOR],
            outcome="accepted",
            identifiers=_identifiers(record, code),
            response="Demo: accepted by the registry.",
        )


def _build_trial(
    org: Organization, people: dict[str, Any], record: dict[str, Any], reference: str, goal: str
) -> Trial:
    author = people[Role.AUTHOR]
    title = record.get("protocolSection", {}).get("identificationModule", {}).get("briefTitle") or reference
    trial = domain.create_trial(org, reference=reference, title=title[:500], actor=author, record=record)
    if goal == "draft":
        return trial
    plan = {
        "registered": [Stage.REGISTRATION],
        "in_review": [],
        "results_reported": [Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS],
        "disclosed": [Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS, Stage.LAY_SUMMARY],
    }[goal]
    for stage in plan:
        filing = domain.open_filing(trial, stage, target_registries=_targets(record, stage), actor=author)
        _drive(filing, people, record, FilingState.ACCEPTED)
        if goal == "disclosed" and stage == Stage.REGISTRATION:
            # An amendment after registration: the accepted stage's data changed, so an update filing opens
            # and goes through review and signature like any other.
            trial.refresh_from_db()
            amended = copy.deepcopy(trial.head.content if trial.head else record)
            amended["protocolSection"]["identificationModule"]["briefTitle"] = f"{title} (amended)"
            saved = domain.save_record(
                trial, amended, base_sha256=trial.head.sha256 if trial.head else None, actor=author
            )
            record = amended
            for update in saved.update_filings:
                _drive(update, people, record, FilingState.ACCEPTED)
    if goal == "in_review":
        filing = domain.open_filing(
            trial, Stage.REGISTRATION, target_registries=_targets(record, Stage.REGISTRATION), actor=author
        )
        _drive(filing, people, record, FilingState.IN_REVIEW)
    if goal == "results_reported":
        domain.open_filing(trial, Stage.LAY_SUMMARY, target_registries=["record"], actor=author)
    trial.refresh_from_db()
    return trial


@transaction.atomic
def load_demo(say: Callable[[str], None]) -> None:
    """Create the demo sponsor, its people and trials; what already exists is left alone."""
    name, slug = ORGANIZATION
    org, created = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    say(f"{'Created' if created else 'Exists'}: organization {org.name}")
    people: dict[str, Any] = {}
    admin, made = _user("demo-admin", Role.ADMIN)
    # The first admin of a new sponsor cannot be added by an admin: it is set up directly.
    Membership.objects.get_or_create(organization=org, user=admin, role=Role.ADMIN)
    people[Role.ADMIN] = admin
    say(f"{'Created' if made else 'Exists'}: user demo-admin ({Role.ADMIN.label})")
    for role in (Role.VIEWER, Role.AUTHOR, Role.REVIEWER, Role.APPROVER):
        user, made = _user(f"demo-{role}", role)
        domain.add_member(org, user, role, actor=admin)
        people[role] = user
        say(f"{'Created' if made else 'Exists'}: user demo-{role} ({Role(role).label})")
    approver = people[Role.APPROVER]
    if domain.verified_name_of(approver) is None:
        # The approver signs; an admin verifies the name they sign under (21 CFR 11.100(b)).
        domain.verify_signer_name(org, approver, full_name=approver.get_full_name(), actor=admin)

    samples = specs.schema_dir() / "samples"
    if not samples.is_dir():
        say(f"Registry samples folder {samples} is absent: one draft trial from a built-in record instead.")
        if not Trial.objects.filter(organization=org, reference="DEMO-001").exists():
            domain.create_trial(
                org, reference="DEMO-001", title="Demo trial", actor=people[Role.AUTHOR], record=TINY_RECORD
            )
        return
    for file_name, suffix, goal in DEMO_TRIALS:
        path = samples / file_name
        if not path.is_file():
            say(f"Skipped: sample {file_name} is absent.")
            continue
        record = _complete(import_record("ctgov-v2", path.read_bytes()).record)
        identification = record["protocolSection"].get("identificationModule", {})
        reference = (
            identification.get("orgStudyIdInfo", {}).get("id") or identification.get("nctId")
        ) + suffix
        existing = Trial.objects.filter(organization=org, reference=reference).first()
        if existing is not None:
            say(f"Exists: trial {reference} ({existing.get_state_display()})")
            continue
        trial = _build_trial(org, people, record, reference, goal)
        note = ", a filing in review" if goal == "in_review" else ""
        say(f"Created: trial {reference} ({trial.get_state_display()}{note})")
