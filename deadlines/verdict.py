"""Verdicts and rules: the shape every deadline rule returns, and the helpers that build it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from deadlines.config import DeadlineConfig
from deadlines.enums import DeadlineStatus, Jurisdiction, Tracker
from deadlines.facts import DateFact, TrialFacts
from deadlines.submissions import Submission, SubmissionLog
from registries.enums import Severity, Stage
from registries.findings import Finding


@dataclass(frozen=True, slots=True)
class Verdict:
    """One rule's judgement of one trial (or of one part of it, named by ``subject``) on one day.

    ``(rule, subject)`` identifies a verdict across recomputations, so the Django side can keep its
    history. ``satisfied_by`` names the filing that met the duty (or the record field that shows it).
    """

    rule: str
    title: str
    jurisdiction: Jurisdiction
    source: str
    rule_version: str
    subject: str
    applies: bool
    why: str
    status: DeadlineStatus
    due_date: date | None = None
    tracker: Tracker | None = None
    tracker_flag_date: date | None = None
    days_late: int | None = None
    satisfied_by: dict[str, Any] | None = None
    defaulted_dates: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO dates, enum values), the same for CLI, API, calendar and e-mail."""
        return {
            "rule": self.rule,
            "title": self.title,
            "jurisdiction": self.jurisdiction.value,
            "source": self.source,
            "rule_version": self.rule_version,
            "subject": self.subject,
            "applies": self.applies,
            "why": self.why,
            "status": self.status.value,
            "due_date": _iso(self.due_date),
            "tracker": self.tracker.value if self.tracker else None,
            "tracker_flag_date": _iso(self.tracker_flag_date),
            "days_late": self.days_late,
            "satisfied_by": self.satisfied_by,
            "defaulted_dates": list(self.defaulted_dates),
            "findings": [f.as_dict() for f in self.findings],
            "details": self.details,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True, slots=True)
class Context:
    """What every rule sees: the facts, the filings made up to ``today``, ``today`` and the windows."""

    facts: TrialFacts
    log: SubmissionLog
    today: date
    config: DeadlineConfig


@dataclass(frozen=True, slots=True)
class Met:
    """The day a duty was done and what did it."""

    on: date
    by: dict[str, Any]

    @classmethod
    def from_submission(cls, submission: Submission) -> Met:
        return cls(submission.submitted_on, submission.reference())

    @classmethod
    def from_record(cls, fact: DateFact) -> Met:
        assert fact.value is not None
        return cls(fact.value, {"source": "record", "pointer": fact.pointer, "date": fact.value.isoformat()})


def earliest(context: Context, submissions: Iterable[Submission], *record_dates: DateFact) -> Met | None:
    """The earliest evidence that a duty was done by ``today``: a filing, or a record date that shows it
    (e.g. ClinicalTrials.gov's resultsFirstSubmitDate)."""
    candidates = [Met.from_submission(s) for s in submissions if s.submitted_on <= context.today]
    candidates += [
        Met.from_record(f) for f in record_dates if f.value is not None and f.value <= context.today
    ]
    return min(candidates, key=lambda m: m.on) if candidates else None


def judge(due: date, met: Met | None, today: date, due_soon_days: int) -> tuple[DeadlineStatus, int | None]:
    """Status and days late of a duty due on ``due`` (doing it on the due day is on time)."""
    if met is not None:
        late = (met.on - due).days
        return (DeadlineStatus.MET_LATE, late) if late > 0 else (DeadlineStatus.MET, 0)
    if today > due:
        return DeadlineStatus.OVERDUE, (today - due).days
    if (due - today).days <= due_soon_days:
        return DeadlineStatus.DUE_SOON, None
    return DeadlineStatus.UPCOMING, None


RuleFunction = Callable[["Rule", Context], list[Verdict]]
# Who a law covers: None when ``facts`` are in scope, else the one verdict saying why not (or what is
# missing to tell). Shared by every rule of a jurisdiction, so it is declared with the rule, not in it.
Scope = Callable[["Rule", TrialFacts], "Verdict | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A legal duty: its code, title, source and version; calling it judges one trial.

    ``scope`` (when given) is asked first; a trial outside it gets that verdict alone.
    """

    code: str
    title: str
    jurisdiction: Jurisdiction
    source: str
    version: str
    registry: str
    stage: Stage | None
    function: RuleFunction
    scope: Scope | None = None

    def __call__(self, context: Context) -> list[Verdict]:
        outside = self.scope(self, context.facts) if self.scope else None
        if outside is not None:
            return [outside]
        return self.function(self, context)

    def _verdict(self, **kwargs: Any) -> Verdict:
        return Verdict(
            rule=self.code,
            title=self.title,
            jurisdiction=self.jurisdiction,
            source=self.source,
            rule_version=self.version,
            **kwargs,
        )

    def finding(self, severity: Severity, code: str, pointer: str, message: str, **details: Any) -> Finding:
        return Finding(
            severity=severity,
            code=code,
            pointer=pointer,
            message=message,
            registry=self.registry,
            stage=self.stage,
            source=self.source,
            details={"rule": self.code, **details},
        )

    def not_applicable(
        self, why: str, *, subject: str = "", findings: Sequence[Finding] = (), **details: Any
    ) -> Verdict:
        return self._verdict(
            subject=subject,
            applies=False,
            why=why,
            status=DeadlineStatus.NOT_APPLICABLE,
            findings=tuple(findings),
            details=details,
        )

    def cannot_compute(
        self,
        why: str,
        missing: Iterable[tuple[str, str]] = (),
        *,
        subject: str = "",
        applies: bool = True,
        findings: Sequence[Finding] = (),
        **details: Any,
    ) -> Verdict:
        """A verdict without a date; each ``(pointer, what)`` in ``missing`` becomes a
        ``deadline.missing_date`` finding naming this rule."""
        produced = [
            self.finding(
                Severity.WARNING,
                "deadline.missing_date",
                where,
                f"{self.title} ({self.code}) cannot be computed: {what} is missing.",
            )
            for where, what in missing
        ]
        return self._verdict(
            subject=subject,
            applies=applies,
            why=why,
            status=DeadlineStatus.CANNOT_COMPUTE,
            findings=tuple(produced) + tuple(findings),
            details=details,
        )

    def decide(
        self,
        context: Context,
        *,
        why: str,
        due: date,
        met: Met | None,
        inputs: Sequence[DateFact] = (),
        subject: str = "",
        tracker: Tracker | None = None,
        tracker_flag_date: date | None = None,
        findings: Sequence[Finding] = (),
        **details: Any,
    ) -> Verdict:
        """The verdict for a duty that applies and has a due date."""
        status, days_late = judge(due, met, context.today, context.config.due_soon_days)
        anticipated = [f.pointer for f in inputs if f.anticipated]
        if anticipated:
            details = {"anticipated_dates": anticipated, **details}
        return self._verdict(
            subject=subject,
            applies=True,
            why=why,
            status=status,
            due_date=due,
            tracker=tracker,
            tracker_flag_date=tracker_flag_date,
            days_late=days_late,
            satisfied_by=met.by if met else None,
            defaulted_dates=tuple(dict.fromkeys(f.pointer for f in inputs if f.defaulted)),
            findings=tuple(findings),
            details=details,
        )


def rule(
    *,
    code: str,
    title: str,
    jurisdiction: Jurisdiction,
    source: str,
    version: str,
    registry: str = "",
    stage: Stage | None = None,
    scope: Scope | None = None,
) -> Callable[[RuleFunction], Rule]:
    """Declare a rule function with its legal source and version, and the law's ``scope``."""

    def wrap(function: RuleFunction) -> Rule:
        return Rule(code, title, jurisdiction, source, version, registry, stage, function, scope)

    return wrap
