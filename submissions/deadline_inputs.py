"""What the deadline engine reads besides the record, built from our rows: the trial's submissions to the
registries and the changes of its record (``deadlines.submissions.SubmissionLog``).

- A ``RegistrySubmission`` becomes one engine submission (more when its registry says the filing
  counts for another stage too, ``filed_as``: a CTIS final results filing carries the lay summary): its
  registry, the filing's stage and kind, the day it was sent (the day that counts: the FDAAA
  TrialsTracker counts the first submission to PRS review as reporting), and the day of the registry's
  acceptance or return. A resubmission after a registry returned the same filing is a ``correction``.
  Our own ``record`` registry is not a public registry and meets no legal duty, so it is left out.
  Nothing we store cancels a submission once sent.
- Record changes come from the trial's head history (the ``record.saved`` audit events, which also
  show a return to an earlier version): each element that 42 CFR 11.64(a)(1)(ii) lists and that
  differs between two consecutive heads is a change on the day of the later save.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from django.utils import timezone

from deadlines.enums import KNOWN_RECIPIENTS, RecordChange, SubmissionKind, SubmissionStage
from deadlines.submissions import Change, Submission, SubmissionLog
from submissions import checks
from submissions.enums import AuditEventType, RegistryOutcome
from submissions.models import AuditEvent, RecordVersion, RegistrySubmission, Trial


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _dig(record: Any, *path: str) -> Any:
    node = record
    for token in path:
        if not isinstance(node, dict):
            return None
        node = node.get(token)
    return node


def _each(items: Any, *keys: str) -> list[Any]:
    """The named fields of each object of a list, in order (a list of tuples, comparable as a whole)."""
    if not isinstance(items, list):
        return []
    return [tuple(item.get(key) for key in keys) if isinstance(item, dict) else None for item in items]


def _protocol(*path: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: _dig(record, "protocolSection", *path)


# The record elements whose change starts a ClinicalTrials.gov update window (42 CFR 11.64(a)(1)(ii)),
# read from the canonical record (schemas/README.md). Protocol amendments are not visible in the
# record, so they are not derived here.
UPDATE_ELEMENTS: dict[RecordChange, Callable[[dict[str, Any]], Any]] = {
    RecordChange.START_DATE: _protocol("statusModule", "startDateStruct"),
    RecordChange.RECRUITMENT_STATUS: _protocol("statusModule", "overallStatus"),
    RecordChange.SITE_RECRUITMENT_STATUS: lambda record: _each(
        _dig(record, "protocolSection", "contactsLocationsModule", "locations"), "facility", "status"
    ),
    RecordChange.IRB_STATUS: lambda record: _each(
        _dig(record, "protocolSection", "oversightModule", "ethicsApprovals"), "committeeName", "status"
    ),
    RecordChange.PRIMARY_COMPLETION_DATE: _protocol("statusModule", "primaryCompletionDateStruct"),
    RecordChange.ENROLLMENT: _protocol("designModule", "enrollmentInfo"),
    RecordChange.COMPLETION_DATE: _protocol("statusModule", "completionDateStruct"),
    RecordChange.RESPONSIBLE_PARTY: _protocol("sponsorCollaboratorsModule", "responsibleParty"),
    RecordChange.CONTACT: lambda record: (
        _dig(record, "protocolSection", "contactsLocationsModule", "centralContacts"),
        _dig(record, "protocolSection", "contactsLocationsModule", "overallOfficials"),
    ),
    RecordChange.EXPANDED_ACCESS: _protocol("statusModule", "expandedAccessInfo"),
    RecordChange.INTERVENTION_NAME: lambda record: _each(
        _dig(record, "protocolSection", "armsInterventionsModule", "interventions"), "name"
    ),
    RecordChange.DEVICE_APPROVAL_STATUS: _protocol("oversightModule", "isUnapprovedDevice"),
}


def changed_elements(before: dict[str, Any], after: dict[str, Any]) -> list[RecordChange]:
    """The update-rule elements that differ between two versions of a record, in the engine's order."""
    return [element for element, read in UPDATE_ELEMENTS.items() if read(before) != read(after)]


def head_history(trial: Trial) -> list[tuple[date, dict[str, Any]]]:
    """Every record the trial had as its head, with the day it became the head, oldest first.

    Read from the ``record.saved`` audit events (which name the version by its hash); a trial whose
    versions predate them falls back to the versions in creation order.
    """
    versions = {version.sha256: version for version in RecordVersion.objects.filter(trial=trial)}
    saves = AuditEvent.objects.filter(trial=trial, event_type=AuditEventType.RECORD_SAVED).order_by("pk")
    history = [
        (_day(event.created_at), versions[sha].content)
        for event in saves
        if (sha := event.data.get("sha256")) in versions
    ]
    if history:
        return history
    ordered = sorted(versions.values(), key=lambda version: (version.created_at, version.pk))
    return [(_day(version.created_at), version.content) for version in ordered]


# The update-rule elements of a version, by (pk, sha256, created_at): the row's identity even where a
# database reuses the key of a rolled-back row. A version is immutable and named by the hash of
# its content (submissions.models.RecordVersion), so its elements never change: a recomputation reads only
# the contents it has not seen, instead of every version of the trial on every save (a sync loop's trial
# has hundreds, each up to MAX_RECORD_BYTES; bench/api_put_profile.py).
_ELEMENTS_CACHE_SIZE = 4096
_elements_cache: OrderedDict[tuple[int, str, datetime], dict[RecordChange, Any]] = OrderedDict()
_elements_lock = threading.Lock()  # a threaded server or worker shares the cache between requests


def _elements(record: dict[str, Any]) -> dict[RecordChange, Any]:
    return {element: read(record) for element, read in UPDATE_ELEMENTS.items()}


def _version_elements(trial: Trial) -> dict[str, dict[RecordChange, Any]]:
    """The update-rule elements of each version of the trial, by SHA-256."""
    keys = {
        sha: (pk, sha, created_at)
        for pk, sha, created_at in RecordVersion.objects.filter(trial=trial).values_list(
            "pk", "sha256", "created_at"
        )
    }
    with _elements_lock:
        missing = [key[0] for key in keys.values() if key not in _elements_cache]
    read = {
        (pk, sha, created_at): _elements(content)
        for pk, sha, created_at, content in RecordVersion.objects.filter(pk__in=missing).values_list(
            "pk", "sha256", "created_at", "content"
        )
    }
    found: dict[str, dict[RecordChange, Any]] = {}
    with _elements_lock:
        _elements_cache.update(read)
        for sha, key in keys.items():
            known = read.get(key) or _elements_cache.get(key)
            if known is not None:
                found[sha] = _elements_cache[key] = known
                _elements_cache.move_to_end(key)
        while len(_elements_cache) > _ELEMENTS_CACHE_SIZE:
            _elements_cache.popitem(last=False)
    for sha, content in RecordVersion.objects.filter(
        pk__in=[key[0] for sha, key in keys.items() if sha not in found]
    ).values_list("sha256", "content"):
        found[sha] = _elements(content)  # evicted by another thread in between
    return found


def record_changes(trial: Trial) -> tuple[Change, ...]:
    """The changes of update-rule elements between consecutive heads of the trial's record, one per
    element and day (the engine names each verdict ``element@day``); the heads as ``head_history``
    reads them."""
    elements = _version_elements(trial)
    saves = AuditEvent.objects.filter(trial=trial, event_type=AuditEventType.RECORD_SAVED).order_by("pk")
    history = [
        (_day(event.created_at), elements[sha])
        for event in saves
        if (sha := event.data.get("sha256")) in elements
    ]
    if not history:
        ordered = RecordVersion.objects.filter(trial=trial).order_by("created_at", "pk")
        history = [
            (_day(created_at), elements[sha])
            for sha, created_at in ordered.values_list("sha256", "created_at")
        ]
    seen: set[tuple[RecordChange, date]] = set()
    changes: list[Change] = []
    for (_, before), (changed_on, after) in pairwise(history):
        for element in UPDATE_ELEMENTS:
            if before[element] != after[element] and (element, changed_on) not in seen:
                seen.add((element, changed_on))
                changes.append(Change(element, changed_on))
    return tuple(changes)


def _submissions(item: RegistrySubmission, resubmission: bool) -> list[Submission]:
    """The engine submissions one sent filing stands for: its own stage, or what the registry says the
    filing also counts as (``registries`` decides: a CTIS final results filing carries the lay summary,
    an interim one is an intermediate analysis's summary)."""
    filing = item.filing
    responded = _day(item.responded_at) if item.responded_at else None
    own_kind = SubmissionKind.CORRECTION if resubmission else SubmissionKind(filing.kind)
    # A submission recorded from a registry's history has no payload of ours: it stands for its stage.
    counts_as = (
        checks.filed_as(item.registry, item.payload.record_version.content, filing.stage)
        if item.payload is not None
        else [(filing.stage, None)]
    )
    return [
        Submission(
            registry=item.registry,
            stage=SubmissionStage(stage),
            kind=SubmissionKind(kind) if kind is not None else own_kind,
            submitted_on=_day(item.submitted_at),
            accepted_on=responded if item.outcome == RegistryOutcome.ACCEPTED else None,
            filing_id=str(filing.pk),
            returned_on=responded if item.outcome == RegistryOutcome.RETURNED else None,
            cancelled=item.outcome == RegistryOutcome.CANCELLED,
        )
        for stage, kind in counts_as
    ]


def registry_submissions(trial: Trial) -> tuple[Submission, ...]:
    """Every submission of the trial's filings to a public registry, in the order they were sent."""
    rows: Iterable[RegistrySubmission] = (
        RegistrySubmission.objects.filter(filing__trial=trial, registry__in=KNOWN_RECIPIENTS)
        .select_related("filing", "payload__record_version")
        .order_by("submitted_at", "pk")
    )
    returned: set[tuple[int, str]] = set()
    submissions = []
    for item in rows:
        key = (item.filing_id, item.registry)
        submissions.extend(_submissions(item, resubmission=key in returned))
        if item.outcome == RegistryOutcome.RETURNED:
            returned.add(key)
    return tuple(submissions)


def submission_log(trial: Trial) -> SubmissionLog:
    """The engine's second input for ``trial``: what was filed where and when, and what changed."""
    return SubmissionLog(submissions=registry_submissions(trial), changes=record_changes(trial))
