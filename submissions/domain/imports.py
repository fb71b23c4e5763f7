"""Importing trials from registry records: a sponsor's first day is its portfolio as already published.

One entry point for every surface (``import_trials`` management command, the web import page, the REST
API): ``import_trials(data, fmt, organization=..., actor=...)`` takes the bytes of one input (a single
study, a download of many, an API page, one XML record) and answers one ``ImportReport`` per study in it.

Each study is imported on its own (a savepoint each): one that is refused leaves the others and all stored
data untouched. A study becomes a trial (or updates the trial that has its NCT number or sponsor
reference): its record as a new version, then its registry history as filings recorded as imported, with
the registry's own dates on their submissions (``SubmissionMethod.IMPORTED``, no payload), so the trial
stands in the lifecycle state it really is in and the deadline engine counts the days the registry
counted (42 CFR 11.44: results count on the day they were submitted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from registries.ctgov.importers.history import STAGES_OF_HISTORY
from registries.enums import HistoryOutcome
from registries.findings import RegistryError
from registries.importers import ImportResult, RegistryFiling, StudyDocument, import_record, split_studies
from submissions.audit import record_event
from submissions.domain._access import require_role, run_transition
from submissions.domain.deadlines import schedule_recompute
from submissions.domain.trials import create_trial, save_record
from submissions.enums import (
    REGISTRY_IDENTIFIERS,
    AuditEventType,
    FilingKind,
    FilingState,
    RecomputeReason,
    RegistryOutcome,
    Role,
    Stage,
    SubmissionMethod,
    TrialState,
)
from submissions.errors import DomainError
from submissions.models import Filing, Organization, RegistrySubmission, Trial
from submissions.workflow import TRIAL_ADVANCE, trial_reached

_OUTCOMES: dict[HistoryOutcome, str] = {
    HistoryOutcome.PENDING: RegistryOutcome.PENDING,
    HistoryOutcome.ACCEPTED: RegistryOutcome.ACCEPTED,
    HistoryOutcome.RETURNED: RegistryOutcome.RETURNED,
    HistoryOutcome.CANCELLED: RegistryOutcome.CANCELLED,
}
# Filing states in which imported history may still be added: not yet in review here, or with the registry.
_IMPORTABLE_STATES = (FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED)
# The filing state the latest submission's outcome leaves it in.
_STATE_AFTER: dict[str, str] = {
    RegistryOutcome.ACCEPTED: FilingState.ACCEPTED,
    RegistryOutcome.PENDING: FilingState.SUBMITTED,
    RegistryOutcome.RETURNED: FilingState.RETURNED,
}
# The filing transition that records the state the latest submission left it in.
_IMPORT_TRANSITION: dict[str, str] = {
    RegistryOutcome.ACCEPTED: "import_accepted",
    RegistryOutcome.PENDING: "import_submitted",
    RegistryOutcome.RETURNED: "import_returned",
}


class ImportStatus:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass
class ImportReport:
    """What happened to one study of the input.

    ``status`` is created / updated / unchanged / refused. A refused study has ``error`` (code, message,
    pointer; ``problems`` when several fields are at fault) and changed nothing. ``findings`` are the
    warnings of the import (limits and vocabularies the published record breaks today), ``dropped`` the
    sponsor-written input fields no record field holds, ``history`` the registry filings read from the
    record and ``filed`` how many of them were new here.
    """

    source: str
    fmt: str
    status: str
    trial: Trial | None = None
    reference: str = ""
    nct_id: str = ""
    state: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    derived_count: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    filed: int = 0
    error: dict[str, Any] | None = None

    @property
    def refused(self) -> bool:
        return self.status == ImportStatus.REFUSED

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.fmt,
            "status": self.status,
            "trial": self.trial.pk if self.trial else None,
            "reference": self.reference,
            "nct_id": self.nct_id,
            "state": self.state,
            "findings": self.findings,
            "dropped": self.dropped,
            "derived_count": self.derived_count,
            "history": self.history,
            "filed": self.filed,
            "error": self.error,
        }


def _identification(record: dict[str, Any]) -> dict[str, Any]:
    protocol = record.get("protocolSection")
    identification = protocol.get("identificationModule") if isinstance(protocol, dict) else None
    return identification if isinstance(identification, dict) else {}


def _reference(record: dict[str, Any]) -> tuple[str, str, str]:
    """(sponsor reference, NCT number, title) of an imported record."""
    identification = _identification(record)
    nct_id = identification.get("nctId") if isinstance(identification.get("nctId"), str) else ""
    org_study = identification.get("orgStudyIdInfo")
    org_id = org_study.get("id") if isinstance(org_study, dict) else None
    reference = (org_id if isinstance(org_id, str) and org_id.strip() else nct_id or "").strip()[:100]
    title = identification.get("briefTitle") or identification.get("officialTitle") or reference
    return reference, nct_id or "", str(title).strip()[:500]


def _existing_trial(organization: Organization, reference: str, nct_id: str) -> Trial | None:
    trials = Trial.objects.filter(organization=organization).select_related("head")
    if nct_id:
        found = trials.filter(identifiers__ctgov__nct_id=nct_id).first()
        if found is not None:
            return found
    return trials.filter(reference=reference).first()


def _moment(day: str) -> dt.datetime:
    # Noon UTC: the registry publishes days, and noon keeps the day the same in every zone the
    # deadline engine may read it in (submissions.deadline_inputs reads the local day).
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=dt.UTC)


def _filing(trial: Trial, stage: str, registry: str, actor: Any) -> Filing:
    filing = trial.filings.filter(stage=stage, kind=FilingKind.INITIAL).first()
    if filing is None:
        filing = Filing.objects.create(
            trial=trial,
            stage=stage,
            kind=FilingKind.INITIAL,
            target_registries=[registry],
            pinned_version=trial.head,
            created_by=actor,
        )
    return filing


def _only_imported(filing: Filing) -> bool:
    """Whether every submission of the filing came from a registry record (none was sent from here)."""
    return not filing.submissions.exclude(method=SubmissionMethod.IMPORTED).exists()


def _file_history(trial: Trial, history: list[RegistryFiling], actor: Any) -> int:
    """Record each registry filing not yet on the trial, and what the registry answered to one already
    recorded while it was pending; returns how many rows were new or changed.

    Only a stage's initial filing that holds nothing but imported history takes more of it (a filing this
    system sent keeps its own history) and only while it is a draft or with the registry.
    """
    filed = 0
    for item in history:
        for stage in STAGES_OF_HISTORY.get(item.stage.value, ()):
            filing = _filing(trial, stage, item.registry, actor)
            if filing.state not in _IMPORTABLE_STATES or not _only_imported(filing):
                continue
            submitted_at = _moment(item.submitted_on)
            outcome = _OUTCOMES[item.outcome]
            responded_at = _moment(item.responded_on) if item.responded_on else None
            identifiers = dict(trial.identifiers.get(item.registry, {})) if outcome == "accepted" else {}
            comments = (
                "Returned with review comments (the registry's record does not publish them)."
                if outcome == RegistryOutcome.RETURNED
                else ""
            )
            known = filing.submissions.filter(registry=item.registry, submitted_at=submitted_at).first()
            if known is not None:
                if known.outcome == RegistryOutcome.PENDING and outcome != RegistryOutcome.PENDING:
                    # The registry has answered since the last import.
                    known.outcome, known.responded_at = outcome, responded_at
                    known.identifiers, known.comments = identifiers, comments
                    known.save(update_fields=["outcome", "responded_at", "identifiers", "comments"])
                    filed += 1
                continue
            RegistrySubmission.objects.create(
                filing=filing,
                registry=item.registry,
                payload=None,
                method=SubmissionMethod.IMPORTED,
                submitted_at=submitted_at,
                submitted_by=None,
                outcome=outcome,
                responded_at=responded_at,
                identifiers=identifiers,
                response=f"Imported from the registry's record ({item.source}).",
                comments=comments,
            )
            filed += 1
    return filed


def _settle_filing(filing: Filing, actor: Any) -> None:
    """Move a filing holding only imported history to the state its latest submission shows, through the
    filing's own transitions (a return reopens it as a draft first, as corrections do)."""
    latest = filing.submissions.order_by("-submitted_at", "-pk").first()
    if latest is None:
        return
    target = _STATE_AFTER.get(latest.outcome, FilingState.DRAFT)
    if filing.state == target:
        return
    if filing.state == FilingState.SUBMITTED and target == FilingState.ACCEPTED:
        run_transition(filing, "accept", actor, accepted_at=latest.responded_at or latest.submitted_at)
        return
    if filing.state == FilingState.SUBMITTED and target == FilingState.RETURNED:
        run_transition(filing, "registry_returned", actor)
        return
    if filing.state in (FilingState.SUBMITTED, FilingState.RETURNED) and target == FilingState.DRAFT:
        return  # withdrawn from review: the filing stays where the sponsor left it
    if filing.state == FilingState.RETURNED:
        run_transition(filing, "start_corrections", actor)
    name = _IMPORT_TRANSITION.get(latest.outcome)
    if name is not None:
        changes = (
            {"accepted_at": latest.responded_at or latest.submitted_at}
            if target == FilingState.ACCEPTED
            else {}
        )
        run_transition(filing, name, actor, **changes)


def _settle_states(trial: Trial, actor: Any) -> None:
    """Each filing of imported history in the state its registry shows, and the trial along the stages
    its registries accepted (the same transitions a filing sent from here runs)."""
    for filing in trial.filings.filter(kind=FilingKind.INITIAL, state__in=_IMPORTABLE_STATES).order_by("pk"):
        if _only_imported(filing):
            _settle_filing(filing, actor)
    for stage in (Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS):
        accepted = trial.filings.filter(stage=stage, kind=FilingKind.INITIAL, state=FilingState.ACCEPTED)
        if trial_reached(trial, stage) or not accepted.exists():
            continue
        if trial.state == TrialState.WITHDRAWN:
            return
        run_transition(trial, TRIAL_ADVANCE[stage], actor)


def _import_one(document: StudyDocument, organization: Organization, actor: Any) -> ImportReport:
    report = ImportReport(source=document.label, fmt=document.fmt, status=ImportStatus.REFUSED)
    try:
        result: ImportResult = import_record(document.fmt, document.data, max_bytes=settings.MAX_RECORD_BYTES)
    except RegistryError as exc:
        problems = getattr(exc, "problems", None) or []
        report.error = {**exc.as_dict(), "problems": [p.as_dict() for p in problems]}
        return report
    record = result.record
    reference, nct_id, title = _reference(record)
    report.reference, report.nct_id = reference, nct_id
    report.findings = [finding.as_dict() for finding in result.findings]
    report.dropped = list(result.dropped)
    report.derived_count = len(result.derived)
    report.history = [item.as_dict() for item in result.history]
    if not reference:
        report.error = {
            "code": "import.no_reference",
            "message": "The record has neither an NCT number nor the sponsor's protocol identifier, so it "
            "cannot be told apart from the sponsor's other trials.",
            "pointer": "/protocolSection/identificationModule/orgStudyIdInfo/id",
            "problems": [],
        }
        return report
    try:
        with transaction.atomic():
            report.trial, report.status, report.filed = _store(
                organization, record, result, reference, nct_id, title, actor
            )
    except DomainError as exc:
        report.error = {"code": exc.code, "message": exc.message, "pointer": "", "problems": []}
        report.status = ImportStatus.REFUSED
        return report
    report.state = report.trial.state
    return report


def _store(
    organization: Organization,
    record: dict[str, Any],
    result: ImportResult,
    reference: str,
    nct_id: str,
    title: str,
    actor: Any,
) -> tuple[Trial, str, int]:
    trial = _existing_trial(organization, reference, nct_id)
    known_nct = trial.identifiers.get("ctgov", {}).get("nct_id") if trial is not None else None
    if trial is not None and nct_id and known_nct and known_nct != nct_id:
        raise DomainError(
            "import.reference_conflict",
            f"The sponsor's reference {reference!r} belongs to trial {known_nct}, not {nct_id}; two "
            "ClinicalTrials.gov records cannot be one trial.",
        )
    if trial is None:
        trial = create_trial(organization, reference=reference, title=title or reference, actor=actor)
        status = ImportStatus.CREATED
    else:
        status = ImportStatus.UPDATED
    trial = Trial.objects.select_for_update(no_key=True, of=("self",)).select_related("head").get(pk=trial.pk)
    saved = save_record(trial, record, base_sha256=trial.head.sha256 if trial.head else None, actor=actor)
    trial.refresh_from_db()
    if nct_id and REGISTRY_IDENTIFIERS["ctgov"][0] not in trial.identifiers.get("ctgov", {}):
        # The NCT number is the one ClinicalTrials.gov issued: the registry's record is its evidence.
        trial.identifiers = {**trial.identifiers, "ctgov": {"nct_id": nct_id}}
        trial.save(update_fields=["identifiers", "updated_at"])
    filed = _file_history(trial, result.history, actor)
    _settle_states(trial, actor)
    if status == ImportStatus.UPDATED and not saved.created and not filed:
        return trial, ImportStatus.UNCHANGED, 0
    record_event(
        AuditEventType.TRIAL_IMPORTED,
        actor=actor,
        trial=trial,
        data={
            "status": status,
            "nct_id": nct_id,
            "sha256": saved.version.sha256,
            "filed": filed,
            "state": trial.state,
            "warnings": len(result.findings),
        },
    )
    schedule_recompute(trial.pk, RecomputeReason.RECORD_SAVED)
    return trial, status, filed


def import_trials(
    data: bytes, fmt: str | None = None, *, organization: Organization, actor: Any, source: str = "input"
) -> list[ImportReport]:
    """Create or update one trial per study in ``data`` and answer one report per study.

    ``data`` is a single study (API v2 JSON, PRS XML or the retired public XML), the website's download of
    many (a JSON array), or an API v2 page (``{"studies": [...]}``); ``fmt`` names its format
    (``registries.importers.import_formats()``) or is None to tell it from the bytes; ``source`` labels
    the reports (a file name). Authors only (``role.required``); an input that cannot be read at all
    raises ``DomainError`` with the reader's code (``import.malformed_json``, ``import.unknown_format``).

    Each study is imported in its own savepoint: a study that is not one, or whose values no record can
    hold, is reported ``refused`` with the reason and changes nothing; the others are imported. Side
    effects: per imported trial, a ``record.saved`` and a ``trial.imported`` audit event (plus
    ``trial.created`` for a new one) and a deadline recomputation once committed.
    """
    require_role(actor, organization, (Role.AUTHOR,), "import trials")
    try:
        documents = split_studies(data, fmt, source, max_bytes=settings.MAX_RECORD_BYTES)
    except RegistryError as exc:
        raise DomainError(exc.code, exc.message) from None
    with transaction.atomic():
        return [_import_one(document, organization, actor) for document in documents]


def import_trial(
    data: bytes, fmt: str | None = None, *, organization: Organization, actor: Any, source: str = "input"
) -> ImportReport:
    """``import_trials`` for an input that holds exactly one study (``import.not_one_study`` otherwise)."""
    require_role(actor, organization, (Role.AUTHOR,), "import trials")
    try:
        documents = split_studies(data, fmt, source, max_bytes=settings.MAX_RECORD_BYTES)
    except RegistryError as exc:
        raise DomainError(exc.code, exc.message) from None
    if len(documents) != 1:
        raise DomainError(
            "import.not_one_study", f"The input holds {len(documents)} studies; import them as a batch."
        )
    with transaction.atomic():
        return _import_one(documents[0], organization, actor)


__all__ = ["ImportReport", "ImportStatus", "import_trial", "import_trials"]
