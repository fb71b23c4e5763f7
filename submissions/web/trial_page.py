"""What the trial page shows: the stage timeline, the filings with their numbers and actions, the
findings of every target registry grouped by stage and registry, the deadlines that apply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from registries import registry_codes
from registries.enums import Severity
from registries.findings import Finding
from submissions import checks
from submissions.enums import STAGES, TRIAL_PROGRESS, FilingState, Stage, TrialState
from submissions.models import AuditEvent, Deadline, Filing, Trial
from submissions.web.filings import Action, available_actions
from submissions.workflow import trial_reached

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass
class TimelineStep:
    state: str
    label: str
    status: str  # "done", "current" or "todo"


@dataclass
class FilingView:
    filing: Filing
    number: int
    actions: list[Action]

    @property
    def is_open(self) -> bool:
        return self.filing.state != FilingState.ACCEPTED


@dataclass
class FindingGroup:
    stage: str
    stage_label: str
    registry: str
    registry_label: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for item in self.findings if item.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for item in self.findings if item.severity is Severity.WARNING)


def timeline(trial: Trial) -> list[TimelineStep]:
    """The trial's states in order, each done, current or still to come (withdrawn stands alone)."""
    labels = dict(TrialState.choices)
    if trial.state == TrialState.WITHDRAWN:
        return [TimelineStep(TrialState.WITHDRAWN, labels[TrialState.WITHDRAWN], "withdrawn")]
    reached = TRIAL_PROGRESS.index(trial.state)
    return [
        TimelineStep(
            state, labels[state], "done" if index < reached else "current" if index == reached else "todo"
        )
        for index, state in enumerate(TRIAL_PROGRESS)
    ]


def filing_views(trial: Trial, actor: Any, roles: set[str]) -> list[FilingView]:
    filings = list(
        trial.filings.select_related("submitted_for_review_by", "approved_by", "signature", "pinned_version")
        .prefetch_related("submissions")
        .order_by("created_at", "pk")
    )
    for filing in filings:
        filing.trial = trial
    return [
        FilingView(
            filing,
            number,
            available_actions(filing, actor, roles) if filing.state != FilingState.ACCEPTED else [],
        )
        for number, filing in enumerate(filings, start=1)
    ]


def checked_stages(trial: Trial, filings: list[Filing]) -> list[tuple[str, list[str]]]:
    """The stages to check and their target registries: every open filing's, else the next stage's for
    the registries the trial already files to (every registry that takes the stage when none yet)."""
    stages: dict[str, set[str]] = {}
    for filing in filings:
        if filing.state != FilingState.ACCEPTED:
            stages.setdefault(filing.stage, set()).update(filing.target_registries)
    if not stages and trial.state != TrialState.WITHDRAWN:
        upcoming = next((stage for stage in STAGES if not trial_reached(trial, stage)), None)
        if upcoming is not None:
            used = {code for filing in filings for code in filing.target_registries}
            candidates = used or set(registry_codes())
            stages[upcoming] = {code for code in candidates if upcoming in checks.registry_stages(code)}
    return [(stage, sorted(stages[stage])) for stage in STAGES if stage in stages]


def finding_groups(trial: Trial, stages: list[tuple[str, list[str]]]) -> list[FindingGroup]:
    """The head version's findings for each stage, grouped by stage then registry (the record's own
    checks first, as the group every registry shares)."""
    if trial.head is None:
        return []
    groups: list[FindingGroup] = []
    for stage, targets in stages:
        by_registry: dict[str, list[Finding]] = {}
        for finding in checks.stage_findings(trial.head.content, stage, targets):
            by_registry.setdefault(finding.registry or "record", []).append(finding)
        order = ["record", *[code for code in targets if code != "record"]]
        for code in order:
            findings = sorted(
                by_registry.get(code, []), key=lambda item: (_SEVERITY_ORDER[item.severity], item.pointer)
            )
            label = "Every registry (record checks)" if code == "record" else checks.registry_name(code)
            groups.append(FindingGroup(stage, Stage(stage).label, code, label, findings))
    return groups


def deadlines(trial: Trial) -> tuple[list[Deadline], list[Deadline]]:
    """The trial's current deadlines: those that apply (by due date), and those that do not."""
    current = list(trial.deadlines.filter(current=True).select_related("satisfied_by_filing"))
    return [item for item in current if item.applies], [item for item in current if not item.applies]


def trial_events(trial: Trial) -> QuerySet[AuditEvent]:
    """The trial's audit trail, newest first: its own events and its filings'."""
    return (
        AuditEvent.objects.filter(Q(trial=trial) | Q(filing__trial=trial))
        .select_related("actor", "filing")
        .order_by("-pk")
    )
