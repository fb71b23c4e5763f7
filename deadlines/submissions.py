"""What was filed where and when: the engine's second input.

File format (JSON; the Django side builds the same structure from its Filing / RegistrySubmission
rows). Either a list of submissions, or an object::

    {
      "submissions": [
        {"registry": "ctgov", "stage": "results", "kind": "initial",
         "submitted_on": "2026-03-02", "accepted_on": "2026-04-10", "filing_id": "F-12",
         "cancelled": false, "returned_on": "2026-03-20", "member_state": null}
      ],
      "changes": [
        {"element": "recruitment_status", "changed_on": "2026-01-05"}
      ]
    }

- ``registry``: ctgov, ctis, eudract, isrctn, who, or the non-registry recipients ``journal``
  (publication) and ``participants`` (UK lay-summary offer).
- ``stage``: registration, protocol_summary, results, lay_summary, end_of_trial, publication.
- ``kind``: initial, update, correction, certification, extension_request, interim, verification,
  member_state / all_member_states / global (EU end-of-trial notices), participant_offer, temporary_halt /
  restart (EU halt notices), clinical_study_report (EU), published. For the ``journal`` recipient,
  ``initial`` is the manuscript's submission to the journal and ``published`` its publication (WHO).
- ``submitted_on`` (required, YYYY-MM-DD): the day it left us; this is the day that counts (the FDAAA
  TrialsTracker counts the first submission to PRS review as reporting).
- ``accepted_on``, ``filing_id``, ``cancelled`` (a cancelled submission satisfies nothing),
  ``returned_on`` (the registry returned review comments that day: starts a correction window),
  ``member_state`` (ISO 3166-1 alpha-2, for an EU member-state end-of-trial notice) are optional.
- ``changes``: record elements that changed and when (``RecordChange`` values); each starts a
  ClinicalTrials.gov update window. The Django side derives them from record versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from deadlines.dates import DateError, parse_day
from deadlines.enums import KNOWN_RECIPIENTS, RecordChange, SubmissionKind, SubmissionStage
from registries.findings import RegistryError

SUBMISSION_FIELDS = frozenset(
    {
        "registry",
        "stage",
        "kind",
        "submitted_on",
        "accepted_on",
        "filing_id",
        "cancelled",
        "returned_on",
        "member_state",
    }
)


@dataclass(frozen=True, slots=True)
class Submission:
    """One package sent to one registry (or recipient) on one day."""

    registry: str
    stage: SubmissionStage
    kind: SubmissionKind
    submitted_on: date
    accepted_on: date | None = None
    filing_id: str | None = None
    cancelled: bool = False
    returned_on: date | None = None
    member_state: str | None = None

    def reference(self) -> dict[str, Any]:
        """How a verdict names the submission that satisfied it."""
        return {
            "source": "submission",
            "filing_id": self.filing_id,
            "registry": self.registry,
            "stage": self.stage.value,
            "kind": self.kind.value,
            "submitted_on": self.submitted_on.isoformat(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "registry": self.registry,
            "stage": self.stage.value,
            "kind": self.kind.value,
            "submitted_on": self.submitted_on.isoformat(),
            "accepted_on": self.accepted_on.isoformat() if self.accepted_on else None,
            "filing_id": self.filing_id,
            "cancelled": self.cancelled,
            "returned_on": self.returned_on.isoformat() if self.returned_on else None,
            "member_state": self.member_state,
        }


@dataclass(frozen=True, slots=True)
class Change:
    """A change to a record element that the registry must be told about."""

    element: RecordChange
    changed_on: date


@dataclass(frozen=True, slots=True)
class SubmissionLog:
    submissions: tuple[Submission, ...] = ()
    changes: tuple[Change, ...] = ()

    def select(
        self,
        *,
        registries: Iterable[str] | None = None,
        stages: Iterable[SubmissionStage] | None = None,
        kinds: Iterable[SubmissionKind] | None = None,
        include_cancelled: bool = False,
        where: Callable[[Submission], bool] | None = None,
    ) -> list[Submission]:
        """Matching submissions, earliest first (ties keep file order)."""
        registry_set = set(registries) if registries is not None else None
        stage_set = set(stages) if stages is not None else None
        kind_set = set(kinds) if kinds is not None else None
        chosen = [
            s
            for s in self.submissions
            if (registry_set is None or s.registry in registry_set)
            and (stage_set is None or s.stage in stage_set)
            and (kind_set is None or s.kind in kind_set)
            and (include_cancelled or not s.cancelled)
            and (where is None or where(s))
        ]
        return sorted(chosen, key=lambda s: s.submitted_on)

    def first(self, **criteria: Any) -> Submission | None:
        found = self.select(**criteria)
        return found[0] if found else None


EMPTY_LOG = SubmissionLog()


def _error(where: str, message: str) -> RegistryError:
    return RegistryError("deadline.bad_submissions", f"{where}: {message}", pointer=where)


def _day(item: dict[str, Any], name: str, where: str, required: bool) -> date | None:
    value = item.get(name)
    if value is None:
        if required:
            raise _error(f"{where}/{name}", "is required (YYYY-MM-DD)")
        return None
    if not isinstance(value, str):
        raise _error(f"{where}/{name}", "must be a date string YYYY-MM-DD")
    try:
        return parse_day(value)
    except DateError as exc:
        raise _error(f"{where}/{name}", str(exc)) from None


def _choice(item: dict[str, Any], name: str, where: str, allowed: Iterable[str], default: str | None) -> str:
    value = item.get(name, default)
    allowed = sorted(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise _error(f"{where}/{name}", f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _optional_str(item: dict[str, Any], name: str, where: str) -> str | None:
    value = item.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _error(f"{where}/{name}", "must be a string")
    return str(value)


def parse_submission(item: Any, where: str) -> Submission:
    if not isinstance(item, dict):
        raise _error(where, "each submission must be an object")
    unknown = sorted(set(item) - SUBMISSION_FIELDS)
    if unknown:
        raise _error(where, f"unknown field(s) {', '.join(unknown)}")
    cancelled = item.get("cancelled", False)
    if not isinstance(cancelled, bool):
        raise _error(f"{where}/cancelled", "must be true or false")
    submitted_on = _day(item, "submitted_on", where, required=True)
    assert submitted_on is not None
    member_state = _optional_str(item, "member_state", where)
    return Submission(
        registry=_choice(item, "registry", where, KNOWN_RECIPIENTS, None),
        stage=SubmissionStage(_choice(item, "stage", where, [s.value for s in SubmissionStage], None)),
        kind=SubmissionKind(_choice(item, "kind", where, [k.value for k in SubmissionKind], "initial")),
        submitted_on=submitted_on,
        accepted_on=_day(item, "accepted_on", where, required=False),
        filing_id=_optional_str(item, "filing_id", where),
        cancelled=cancelled,
        returned_on=_day(item, "returned_on", where, required=False),
        member_state=member_state.upper() if member_state else None,
    )


def parse_change(item: Any, where: str) -> Change:
    if not isinstance(item, dict):
        raise _error(where, "each change must be an object")
    element = _choice(item, "element", where, [c.value for c in RecordChange], None)
    changed_on = _day(item, "changed_on", where, required=True)
    assert changed_on is not None
    return Change(RecordChange(element), changed_on)


def parse_log(data: Any) -> SubmissionLog:
    """Build a SubmissionLog from decoded JSON; raise RegistryError ``deadline.bad_submissions`` naming
    the offending entry and field."""
    if isinstance(data, list):
        data = {"submissions": data}
    if not isinstance(data, dict):
        raise _error("", "the submissions file must be a list or an object with 'submissions'")
    unknown = sorted(set(data) - {"submissions", "changes"})
    if unknown:
        raise _error("", f"unknown top-level field(s) {', '.join(unknown)}")
    raw_submissions = data.get("submissions", [])
    raw_changes = data.get("changes", [])
    if not isinstance(raw_submissions, list):
        raise _error("/submissions", "must be a list")
    if not isinstance(raw_changes, list):
        raise _error("/changes", "must be a list")
    return SubmissionLog(
        submissions=tuple(parse_submission(s, f"/submissions/{i}") for i, s in enumerate(raw_submissions)),
        changes=tuple(parse_change(c, f"/changes/{i}") for i, c in enumerate(raw_changes)),
    )
