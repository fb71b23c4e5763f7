"""What EudraCT demands of the record for its results files, and the DATA-VAL business rules
(EMA/492808/2013 Appendix 2) that can be read off the record (DATA-VAL-7, -9 and -11), at the record's
pointers; the subject disposition and end point checks are in ``registries.eudract.end_point_checks``, the
baseline characteristics checks in ``registries.eudract.baseline_checks``. On
the XML itself all fourteen rules run in ``registries.eudract.data_val`` (``verify``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from registries.enums import Severity, Stage
from registries.eudract.adverse_events import meddra_version
from registries.eudract.baseline_checks import check_baseline
from registries.eudract.end_point_checks import check_disposition, check_end_points
from registries.eudract.results_xml import PMID_MAX, RESULT_REFERENCE_TYPES
from registries.eudract.vocab import CODE, data_val_rule, soc_ids
from registries.findings import Finding

Record = dict[str, Any]
_AE = "/resultsSection/adverseEventsModule"
_GUIDANCE = "EudraCT Results XML guidance EMA/492808/2013"
_XSD = "EudraCT adverseEvents.xsd v1.1"
# adverseEvents.xsd limits.
TITLE_LENGTH = (2, 62)
DESCRIPTION_MAX = 350
TIME_FRAME_MAX = 255
THRESHOLD_MAX = 5
# results.xsd v1.1 TrialChanges.limitationsAndCaveats; the record allows 500 (ClinicalTrials.gov).
LIMITATIONS_MAX = 250


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _full_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _finding(severity: Severity, code: str, pointer: str, message: str, source: str, stage: Stage) -> Finding:
    return Finding(severity, code, pointer, message, CODE, stage, source)


def check_record(record: Record, stage: Stage, today: dt.date | None = None) -> list[Finding]:
    today = today or dt.date.today()
    findings: list[Finding] = []

    def add(code: str, pointer: str, message: str, source: str, severity: Severity = Severity.ERROR) -> None:
        findings.append(_finding(severity, code, pointer, message, source, stage))

    eu = _dict(record.get("euSection"))
    if not eu.get("eudractNumber"):
        add(
            "eudract.eudract_number_missing",
            "/euSection/eudractNumber",
            "Enter the trial's EudraCT number (YYYY-NNNNNN-NN); EudraCT files results under it.",
            "Directive 2001/20/EC Art. 11; Commission guideline 2012/C 302/03",
        )
    if not isinstance(eu.get("longTermFollowUpPlanned"), bool):
        add(
            "eudract.long_term_follow_up_missing",
            "/euSection/longTermFollowUpPlanned",
            "Say whether long-term follow-up is planned; every EudraCT results file states it.",
            "EudraCT results.xsd v1.1 (TrialInformation.longTermFollowUpPlanned)",
        )
    limitations = _dict(
        _dict(_dict(record.get("resultsSection")).get("moreInfoModule")).get("limitationsAndCaveats")
    )
    text = limitations.get("description")
    if isinstance(text, str) and len(text) > LIMITATIONS_MAX:
        add(
            "eudract.limitations_too_long",
            "/resultsSection/moreInfoModule/limitationsAndCaveats/description",
            f"EudraCT takes at most {LIMITATIONS_MAX} characters of limitations and caveats "
            f"({len(text)} given).",
            "EudraCT results.xsd v1.1 (TrialChanges.limitationsAndCaveats)",
        )
    references = _dict(_dict(record.get("protocolSection")).get("referencesModule")).get("references")
    for index, reference in enumerate(references if isinstance(references, list) else []):
        pmid = _dict(reference).get("pmid")
        if (
            _dict(reference).get("type") in RESULT_REFERENCE_TYPES
            and str(pmid).isdigit()
            and int(str(pmid)) > PMID_MAX
        ):
            add(
                "eudract.pmid_out_of_range",
                f"/protocolSection/referencesModule/references/{index}/pmid",
                f"EudraCT takes PubMed ids up to {PMID_MAX}, not {pmid}; check the id.",
                "EudraCT results.xsd v1.1 (TrialChanges.pubMedReferenceNumbers)",
            )
    check_disposition(add, record)
    check_baseline(add, record)
    check_end_points(add, record)
    module = _dict(_dict(record.get("resultsSection")).get("adverseEventsModule"))
    if not module:
        add(
            "eudract.adverse_events_missing",
            _AE,
            "Add the adverse events; EudraCT results always include them.",
            _GUIDANCE,
        )
        return findings
    threshold = module.get("frequencyThreshold")
    try:
        above = threshold is not None and float(threshold) > THRESHOLD_MAX
    except ValueError:
        above = False
    if above:
        add(
            "eudract.frequency_threshold_above_5",
            f"{_AE}/frequencyThreshold",
            f"EudraCT accepts a non-serious event frequency threshold of 0 to 5 %, not {threshold} %.",
            _XSD,
        )
    for key, limit, code in (
        ("description", DESCRIPTION_MAX, "eudract.adverse_events_description_too_long"),
        ("timeFrame", TIME_FRAME_MAX, "eudract.adverse_events_time_frame_too_long"),
    ):
        value = module.get(key)
        if isinstance(value, str) and len(value) > limit:
            add(
                code,
                f"{_AE}/{key}",
                f"EudraCT takes at most {limit} characters here ({len(value)} given).",
                _XSD,
            )
    for index, group in enumerate(_list(module.get("eventGroups"))):
        title = _dict(group).get("title")
        if isinstance(title, str) and not TITLE_LENGTH[0] <= len(title) <= TITLE_LENGTH[1]:
            add(
                "eudract.group_title_length",
                f"{_AE}/eventGroups/{index}/title",
                f"EudraCT reporting group titles have 2 to 62 characters; this one has {len(title)}.",
                _XSD,
            )
    socs = soc_ids()
    for key in ("seriousEvents", "otherEvents"):
        for index, event in enumerate(_list(module.get(key))):
            event = _dict(event)
            organ = event.get("organSystem")
            if isinstance(organ, str) and organ.strip().casefold() not in socs:
                add(
                    "eudract.organ_system_unknown",
                    f"{_AE}/{key}/{index}/organSystem",
                    f"{organ!r} is not a MedDRA system organ class; EudraCT codes the organ system as one "
                    "of the 27 SOCs.",
                    f"{_GUIDANCE} section on EUTCT terms",
                )
            if event.get("sourceVocabulary") and meddra_version(event.get("sourceVocabulary")) is None:
                add(
                    "eudract.vocabulary_not_meddra",
                    f"{_AE}/{key}/{index}/sourceVocabulary",
                    "Only MedDRA-coded adverse events can be uploaded from here; give the term's MedDRA "
                    "version (e.g. 'MedDRA 26.1').",
                    _GUIDANCE,
                )
    _data_val_7(add, record, eu, today)
    _data_val_11(add, eu)
    return findings


def _data_val_7(add: Any, record: Record, eu: dict[str, Any], today: dt.date) -> None:
    status = _dict(_dict(record.get("protocolSection")).get("statusModule"))
    for pointer, struct in (
        ("/euSection/globalEndOfTrialDateStruct", _dict(eu.get("globalEndOfTrialDateStruct"))),
        (
            "/protocolSection/statusModule/primaryCompletionDateStruct",
            _dict(status.get("primaryCompletionDateStruct")),
        ),
    ):
        date = _full_date(struct.get("date"))
        if date is not None and date > today and struct.get("type") == "ACTUAL":
            add(
                "eudract.data_val_7",
                f"{pointer}/date",
                f"{date} is in the future; {data_val_rule('DATA-VAL-7')}",
                f"{_GUIDANCE} Appendix 2, DATA-VAL-7",
            )


def _data_val_11(add: Any, eu: dict[str, Any]) -> None:
    for index, interruption in enumerate(_list(eu.get("globalInterruptions"))):
        halted = _full_date(_dict(interruption).get("date"))
        restarted = _full_date(_dict(interruption).get("restartDate"))
        if halted and restarted and restarted < halted:
            add(
                "eudract.data_val_11",
                f"/euSection/globalInterruptions/{index}/restartDate",
                f"The restart ({restarted}) comes before the interruption ({halted}). "
                f"{data_val_rule('DATA-VAL-11')}",
                f"{_GUIDANCE} Appendix 2, DATA-VAL-11",
            )
