"""The UK transparency duties for clinical trials of investigational medicinal products (CTIMPs), checked
on a filing's record.

Source: the Medicines for Human Use (Clinical Trials) Regulations 2004 as amended by the Medicines for Human
Use (Clinical Trials) (Amendment) Regulations 2025 (SI 2025/538), in force 28 April 2026, and the HRA's
research transparency guidance ("Registering a clinical trial", "Publishing trial results", "Offering to
share a summary of results with participants"). They apply to applications made from 28 April 2026 and to
earlier ones whose trial ends on or after it. The deadline tracker (deadlines/rules/uk.py) follows the
same duties over time; these checks say, on the filing, whether the record shows them met.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from registries.ctgov._xmlbuild import get
from registries.dates import add_months
from registries.enums import Severity, Stage
from registries.findings import Finding

REGISTRY = "isrctn"
EFFECTIVE = dt.date(2026, 4, 28)
REGISTRATION_DAYS_AFTER_APPROVAL = 90
RESULTS_MONTHS = 12
LAY_SUMMARY_MONTHS = 12
SOURCE_REGISTRATION = "SI 2025/538; HRA, Research transparency: Registering a clinical trial"
SOURCE_RESULTS = "SI 2025/538; HRA, Research transparency: Publishing trial results"
SOURCE_LAY = "SI 2025/538; HRA, Offering to share a summary of results with participants"


def _day(value: Any) -> dt.date | None:
    """A full ISO date, or None (a partial date cannot decide a day-exact duty)."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def trial_end(record: dict[str, Any]) -> tuple[dt.date | None, str]:
    """The end the results summary and the lay-summary offer count from, with its pointer: the end in
    every country for an international trial (MHRA, ending a clinical trial), else the UK end."""
    for pointer, value in (
        (
            "/ukSection/globalEndOfTrialDateStruct",
            get(record, "ukSection", "globalEndOfTrialDateStruct", "date"),
        ),
        ("/ukSection/endOfTrialDateStruct", get(record, "ukSection", "endOfTrialDateStruct", "date")),
    ):
        if value:
            return _day(value), pointer
    return None, "/ukSection/endOfTrialDateStruct"


def in_scope(record: dict[str, Any]) -> bool:
    """Whether the regulations of 28 April 2026 govern this trial's transparency duties."""
    uk = record.get("ukSection")
    if not isinstance(uk, dict) or uk.get("isCtimp") is not True:
        return False
    application = _day(uk.get("applicationDate"))
    if application is not None and application >= EFFECTIVE:
        return True
    end, _pointer = trial_end(record)
    # An earlier application is covered when its trial ends on or after the day (or has not ended yet).
    return application is not None and (end is None or end >= EFFECTIVE)


def _finding(severity: Severity, code: str, pointer: str, message: str, stage: Stage, source: str) -> Finding:
    return Finding(severity, code, pointer, message, REGISTRY, stage, source)


def _registration(record: dict[str, Any]) -> tuple[str, dt.date | None]:
    """(pointer, day) of the record's first registration on a public registry, or ("", None)."""
    for where, value in (
        ("/whoSection/dateOfRegistration", get(record, "whoSection", "dateOfRegistration")),
        (
            "/protocolSection/statusModule/studyFirstSubmitDate",
            get(record, "protocolSection", "statusModule", "studyFirstSubmitDate"),
        ),
    ):
        if _day(value):
            return where, _day(value)
    return "", None


def registration_findings(record: dict[str, Any], stage: Stage, today: dt.date) -> list[Finding]:
    """Register before the first UK participant is recruited or within 90 days of approval, whichever is
    sooner (SI 2025/538; HRA)."""
    uk = record.get("ukSection") or {}
    if get(uk, "deferral", "granted") is True:
        return []
    registered_pointer, registered = _registration(record)
    application = _day(uk.get("applicationDate"))
    if application is None or application < EFFECTIVE:
        # An earlier application: registration was an approval condition then, not this duty; one still
        # unregistered that ends on or after 28 April 2026 must register now (HRA, Registering a clinical
        # trial). Its window is a deadline-tracker setting (deadlines/rules/uk.py), not decided here.
        if registered is not None:
            return []
        return [
            _finding(
                Severity.WARNING,
                "isrctn.uk_registration_transitional",
                "/ukSection/applicationDate",
                f"The UK application predates {EFFECTIVE.isoformat()} and the trial is not registered yet; a "
                "trial ending on or after that day must now be registered (see the trial's UK registration "
                "deadline).",
                stage,
                SOURCE_REGISTRATION,
            )
        ]
    approval = _day(uk.get("approvalDate"))
    first = _day(uk.get("firstParticipantRecruitedDate"))
    candidates = [
        d for d in (first, approval and approval + dt.timedelta(REGISTRATION_DAYS_AFTER_APPROVAL)) if d
    ]
    if not candidates:
        return [
            _finding(
                Severity.WARNING,
                "isrctn.uk_registration_due_unknown",
                "/ukSection/approvalDate",
                "The UK registration deadline cannot be worked out: give the UK approval date (registration "
                "is due within 90 days of it, or before the first participant, whichever is sooner).",
                stage,
                SOURCE_REGISTRATION,
            )
        ]
    due = min(candidates)
    if registered is not None:
        if registered <= due:
            return []
        return [
            _finding(
                Severity.WARNING,
                "isrctn.uk_registered_late",
                registered_pointer,
                f"The trial was registered on {registered.isoformat()}, after the UK deadline of "
                f"{due.isoformat()} (before the first participant, or within 90 days of approval, whichever "
                "is sooner). Late registration is an offence; record why in the trial's file.",
                stage,
                SOURCE_REGISTRATION,
            )
        ]
    if today > due:
        return [
            _finding(
                Severity.WARNING,
                "isrctn.uk_registration_overdue",
                "/ukSection/firstParticipantRecruitedDate" if due == first else "/ukSection/approvalDate",
                f"UK registration was due by {due.isoformat()} and the record shows no registration yet; "
                "file this registration now.",
                stage,
                SOURCE_REGISTRATION,
            )
        ]
    return [
        _finding(
            Severity.NOTE,
            "isrctn.uk_registration_due",
            "/ukSection/firstParticipantRecruitedDate" if due == first else "/ukSection/approvalDate",
            f"UK registration is due by {due.isoformat()}, before the first participant is recruited.",
            stage,
            SOURCE_REGISTRATION,
        )
    ]


def results_findings(record: dict[str, Any], stage: Stage, today: dt.date) -> list[Finding]:
    """The results summary within 12 months of the end of the trial, and participants offered a lay
    summary of the results (SI 2025/538; HRA)."""
    end, end_pointer = trial_end(record)
    if end is None:
        return [
            _finding(
                Severity.WARNING,
                "isrctn.uk_end_of_trial_missing",
                end_pointer,
                "The UK results summary is due 12 months after the end of the trial; give the end-of-trial "
                "date (in every country for an international trial) so the deadline can be checked.",
                stage,
                SOURCE_RESULTS,
            )
        ]
    findings: list[Finding] = []
    uk = record.get("ukSection") or {}
    deferred = get(uk, "deferral", "granted") is True
    due = add_months(end, RESULTS_MONTHS)
    if deferred and _day(get(uk, "deferral", "until")):
        due = max(due, _day(get(uk, "deferral", "until")) or due)
    submitted = _day(get(record, "protocolSection", "statusModule", "resultsFirstSubmitDate")) or today
    if submitted > due:
        findings.append(
            _finding(
                Severity.WARNING,
                "isrctn.uk_results_late",
                end_pointer,
                f"The UK results summary was due by {due.isoformat()}, 12 months after the end of the trial "
                f"({end.isoformat()}); it is {(submitted - due).days} days late. Late reporting is an "
                "offence.",
                stage,
                SOURCE_RESULTS,
            )
        )
    offered = _day(uk.get("laySummaryOfferedDate"))
    lay_due = add_months(end, LAY_SUMMARY_MONTHS)
    if offered is None:
        findings.append(
            _finding(
                Severity.WARNING,
                "isrctn.uk_lay_summary_not_offered",
                "/ukSection/laySummaryOfferedDate",
                "The record does not show that participants were offered a lay summary of the results; the "
                f"UK regulations require the offer by {lay_due.isoformat()}, 12 months after the end of the "
                "trial.",
                stage,
                SOURCE_LAY,
            )
        )
    elif offered > lay_due:
        findings.append(
            _finding(
                Severity.WARNING,
                "isrctn.uk_lay_summary_offered_late",
                "/ukSection/laySummaryOfferedDate",
                f"Participants were offered the lay summary on {offered.isoformat()}, after the UK deadline "
                f"of {lay_due.isoformat()} (12 months after the end of the trial).",
                stage,
                SOURCE_LAY,
            )
        )
    return findings


def uk_findings(record: dict[str, Any], stage: Stage, today: dt.date) -> list[Finding]:
    if not in_scope(record):
        return []
    if stage is Stage.REGISTRATION:
        return registration_findings(record, stage, today)
    if stage is Stage.RESULTS:
        return results_findings(record, stage, today)
    return []
