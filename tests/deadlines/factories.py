"""Small canonical records and filings for deadline tests: every default is stated here, nothing hidden."""

from __future__ import annotations

from datetime import date
from typing import Any

from deadlines import evaluate
from deadlines.enums import SubmissionKind, SubmissionStage
from deadlines.submissions import Change, Submission, SubmissionLog
from deadlines.verdict import Verdict

_UNSET: Any = object()
# Sites only in the UK: the trial's UK end is then its end in all countries.
UK_ONLY = ("United Kingdom",)


def _struct(value: str | None, kind: str = "ACTUAL") -> dict[str, str] | None:
    return None if value is None else {"date": value, "type": kind}


def make_record(
    *,
    study_type: str = "INTERVENTIONAL",
    status: str = "COMPLETED",
    phases: tuple[str, ...] = ("PHASE3",),
    purpose: str = "TREATMENT",
    fda_drug: bool | None = True,
    fda_device: bool | None = False,
    interventions: tuple[str, ...] = ("DRUG",),
    countries: tuple[str, ...] = ("United States",),
    start: str | None = "2024-01-15",
    first_enrolment: str | None = None,
    first_us_enrolment: str | None = None,
    pcd: str | None = "2025-03-10",
    pcd_type: str = "ACTUAL",
    completion: str | None = None,
    verified: str | None = None,
    status_extra: dict[str, Any] | None = None,
    outcomes: dict[str, list[dict[str, Any]]] | None = None,
    delayed: dict[str, Any] | None = None,
    eu: dict[str, Any] | None = None,
    uk: dict[str, Any] | None = None,
    references: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A record with only what the deadline rules read; a None argument leaves the field out."""
    status_module: dict[str, Any] = {
        "overallStatus": status,
        "startDateStruct": _struct(start),
        "firstParticipantEnrolledDateStruct": _struct(first_enrolment),
        "firstUsParticipantEnrolledDateStruct": _struct(first_us_enrolment),
        "primaryCompletionDateStruct": _struct(pcd, pcd_type),
        "completionDateStruct": _struct(completion, pcd_type),
        "statusVerifiedDate": verified,
        **(status_extra or {}),
    }
    record: dict[str, Any] = {
        "schemaVersion": "1.0",
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999"},
            "statusModule": {k: v for k, v in status_module.items() if v is not None},
            "designModule": {
                "studyType": study_type,
                "phases": list(phases),
                "designInfo": {"primaryPurpose": purpose},
            },
            "oversightModule": {
                k: v
                for k, v in (("isFdaRegulatedDrug", fda_drug), ("isFdaRegulatedDevice", fda_device))
                if v is not None
            },
            "armsInterventionsModule": {
                "interventions": [{"type": t, "name": f"{t.lower()} 1"} for t in interventions]
            },
            "contactsLocationsModule": {"locations": [{"country": c} for c in countries]},
            "outcomesModule": outcomes or {"primaryOutcomes": [{"measure": "Survival"}]},
            "referencesModule": {"references": references or []},
        },
    }
    if delayed is not None:
        record["resultsSection"] = {"delayedResultsModule": delayed}
    if eu is not None:
        record["euSection"] = eu
    if uk is not None:
        record["ukSection"] = uk
    return record


def eu_section(
    *,
    end: str | None = "2025-06-30",
    states: tuple[str, ...] = ("DE", "FR"),
    status: str = "ENDED",
    global_end: str | None = _UNSET,
    **extra: Any,
) -> dict[str, Any]:
    """An EU section whose member states all ended on ``end`` (global end defaults to the same day);
    ``temporaryHaltsOf`` maps a member state to its halts."""
    halts: dict[str, list[dict[str, Any]]] = extra.pop("temporaryHaltsOf", {})
    section: dict[str, Any] = {
        "memberStates": [
            {
                "country": c,
                "status": status,
                **({"endOfTrialDateStruct": _struct(end)} if end else {}),
                **({"temporaryHalts": halts[c]} if c in halts else {}),
            }
            for c in states
        ],
        **extra,
    }
    if end:
        section["endOfTrialInAllMemberStatesDateStruct"] = _struct(end)
    glob = end if global_end is _UNSET else global_end
    if glob:
        section["globalEndOfTrialDateStruct"] = _struct(glob)
    return section


def uk_section(
    *,
    application: str | None = "2026-05-04",
    approval: str | None = "2026-06-01",
    end: str | None = "2027-03-31",
    is_ctimp: bool | None = True,
    **extra: Any,
) -> dict[str, Any]:
    section: dict[str, Any] = {
        "applicationDate": application,
        "approvalDate": approval,
        "endOfTrialDateStruct": _struct(end),
        "isCtimp": is_ctimp,
        **extra,
    }
    return {k: v for k, v in section.items() if v is not None}


def filed(
    registry: str,
    stage: str,
    on: str,
    kind: str = "initial",
    **extra: Any,
) -> Submission:
    return Submission(
        registry=registry,
        stage=SubmissionStage(stage),
        kind=SubmissionKind(kind),
        submitted_on=date.fromisoformat(on),
        **extra,
    )


def log(*submissions: Submission, changes: tuple[Change, ...] = ()) -> SubmissionLog:
    return SubmissionLog(submissions=submissions, changes=changes)


def verdicts_of(
    code: str, record: dict[str, Any], today: str, submissions: SubmissionLog | None = None
) -> list[Verdict]:
    """Every verdict the rule ``code`` gives the record on ``today``."""
    found = [v for v in evaluate(record, submissions or log(), date.fromisoformat(today)) if v.rule == code]
    assert found, f"rule {code} gave no verdict"
    return found


def verdict_of(
    code: str, record: dict[str, Any], today: str, submissions: SubmissionLog | None = None, subject: str = ""
) -> Verdict:
    """The single verdict of rule ``code`` (for ``subject``)."""
    matching = [v for v in verdicts_of(code, record, today, submissions) if v.subject == subject]
    assert len(matching) == 1, [v.subject for v in verdicts_of(code, record, today, submissions)]
    return matching[0]
