"""The EudraCT business rules DATA-VAL-1 to DATA-VAL-14 (EMA/492808/2013 Appendix 2) on a results file or
an adverse-events upload, ours or one a sponsor brings: one finding code per rule, ``eudract.data_val_N``.

Elements are matched by local name, so a file whose root lacks the namespace (as EudraCT's own downloads
do) is read the same. Where a rule speaks of a form ("if ... = No"), the XML element that carries that
answer is named in the comment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from lxml import etree

from registries.enums import Severity, Stage
from registries.eudract.vocab import CODE, data_val_rule, soc_ids
from registries.eudract.xmltree import child as _child
from registries.eudract.xmltree import children as _children
from registries.eudract.xmltree import local_name as _name
from registries.eudract.xmltree import text as _text
from registries.findings import Finding

_GUIDANCE = "EudraCT Results XML guidance EMA/492808/2013 Appendix 2"


def _has_content(element: etree._Element | None) -> bool:
    """Whether an element holds a value or child elements (a nil or empty element holds nothing)."""
    if element is None or element.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true":
        return False
    return bool((element.text or "").strip()) or any(isinstance(c.tag, str) for c in element)


def _all(root: etree._Element, name: str) -> Iterator[etree._Element]:
    return (e for e in root.iter() if _name(e) == name)


def _path(element: etree._Element) -> str:
    parts = []
    node: etree._Element | None = element
    while node is not None:
        parts.append(_name(node))
        node = node.getparent()
    return "/".join(reversed(parts))


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def check_payload(root: etree._Element, stage: Stage, today: dt.date | None = None) -> list[Finding]:
    """Every DATA-VAL rule on a ``result`` or ``adverseEvents`` document."""
    today = today or dt.date.today()
    found: list[Finding] = []

    def add(rule: int, element: etree._Element, detail: str) -> None:
        key = f"DATA-VAL-{rule}"
        found.append(
            Finding(
                Severity.ERROR,
                f"eudract.data_val_{rule}",
                "",
                f"{_path(element)}: {detail} {data_val_rule(key)}",
                CODE,
                stage,
                f"{_GUIDANCE}, {key}",
            )
        )

    # DATA-VAL-1: a post-assignment period that is not blinded lists no blinded roles.
    for period in _all(root, "postAssignmentPeriod"):
        if _text(period, "blinded") == "false" and _children(
            _child(period, "clinicalTrialRoles"), "clinicalTrialRole"
        ):
            add(1, period, "The period is not blinded but lists blinded roles.")
    # DATA-VAL-2: the free-text "other" goes with the "other" term only (arm type, AE dictionary).
    for arm in _all(root, "arm"):
        if _text(arm, "otherType") and not (_text(_child(arm, "type"), "value") or "").endswith(".other"):
            add(2, arm, "otherType is given but the arm type is not 'other'.")
    # ... and the end points' statistical tests and estimates and the reasons for not completing
    # (results.xsd: otherMethod, otherType, otherReason go with HYPOTHESIS_METHOD.other,
    # PARAMETER_TYPE.other, NOT_COMPLETED_REASON.other).
    for name, free_text, other_term in (
        ("statisticalHypothesisTest", "otherMethod", "HYPOTHESIS_METHOD.other"),
        ("parameterEstimate", "otherType", "PARAMETER_TYPE.other"),
        ("reasonNotCompleted", "otherReason", "NOT_COMPLETED_REASON.other"),
    ):
        kind = "method" if name == "statisticalHypothesisTest" else "type"
        for element in _all(root, name):
            if _text(element, free_text) and _text(_child(element, kind), "value") != other_term:
                add(2, element, f"{free_text} is given but the {kind} is not 'other'.")
    for dictionary in _all(root, "dictionary"):
        if (
            _text(dictionary, "otherName")
            and _text(_child(dictionary, "name"), "value") != "ADV_EVT_DICTIONARY_NAME.other"
        ):
            add(2, dictionary, "otherName is given but the dictionary is not 'other'.")
    for information in _all(root, "trialInformation"):
        # DATA-VAL-3: longTermFollowUpPlanned false -> no duration, units or rationales.
        if _text(information, "longTermFollowUpPlanned") == "false" and any(
            _has_content(_child(information, name))
            for name in ("longTermDurationValue", "longTermDurationUnits", "longTermRationales")
        ):
            add(3, information, "No long-term follow-up is planned, yet its duration or rationale is given.")
        # DATA-VAL-4: partOfPIP false -> no PIP number.
        if _text(information, "partOfPIP") == "false" and _children(
            _child(information, "pipnumbers"), "pipnumber"
        ):
            add(4, information, "The trial is not part of a PIP, yet a PIP number is given.")
        # DATA-VAL-5: analysisForPrimaryCompletion false -> no primary completion date.
        if _text(information, "analysisForPrimaryCompletion") == "false" and _text(
            information, "primaryCompletionDate"
        ):
            add(
                5,
                information,
                "This is not the primary completion analysis, yet a primary completion date is given.",
            )
        # DATA-VAL-6: isGlobalEndOfTrialReached false -> no global end of trial date.
        if _text(information, "isGlobalEndOfTrialReached") == "false" and _text(
            information, "globalEndOfTrialDate"
        ):
            add(6, information, "The global end of trial is not reached, yet its date is given.")
        # DATA-VAL-7: recruitment start, global end and primary completion lie in the past.
        for name in ("recruitmentStartDate", "globalEndOfTrialDate", "primaryCompletionDate"):
            day = _day(_text(information, name))
            if day is not None and day > today:
                add(7, information, f"{name} {day} is in the future.")
    # DATA-VAL-8: at most one baseline period.
    periods = [p for p in _all(root, "postAssignmentPeriod") if _text(p, "baselinePeriod") == "true"]
    if len(periods) > 1:
        add(8, periods[1], f"{len(periods)} periods are marked as the baseline period.")
    # DATA-VAL-9: an end point ready for values has a reporting group or subject analysis set.
    for end_point in _all(root, "endPoint"):
        groups = _children(_child(end_point, "armReportingGroups"), "armReportingGroup") + _children(
            _child(end_point, "subjectAnalysisSetReportingGroups"), "subjectAnalysisSetReportingGroup"
        )
        if _text(end_point, "readyForValues") == "true" and not groups:
            add(9, end_point, "The end point is ready for values but selects no reporting group.")
    # DATA-VAL-10: no own dictionary on an event unless the dictionary is overridden.
    for event in (*_all(root, "seriousAdverseEvent"), *_all(root, "nonSeriousAdverseEvent")):
        if _text(event, "dictionaryOverridden") != "true" and _has_content(_child(event, "dictionary")):
            add(10, event, "The event names its own dictionary without overriding the default.")
    for changes in _all(root, "trialChanges"):
        # DATA-VAL-11: a restart is not before its interruption.
        for interruption in _children(_child(changes, "globalInterruptions"), "globalInterruption"):
            halted, restarted = _day(_text(interruption, "date")), _day(_text(interruption, "restartDate"))
            if halted and restarted and restarted < halted:
                add(11, interruption, f"The restart ({restarted}) comes before the interruption ({halted}).")
        # DATA-VAL-12 and -13: "no global amendments / interruptions" lists none.
        if _text(changes, "hasGlobalAmendments") == "false" and _children(
            _child(changes, "globalAmendments"), "globalAmendment"
        ):
            add(12, changes, "hasGlobalAmendments is false, yet amendments are listed.")
        if _text(changes, "hasGlobalInterruptions") == "false" and _children(
            _child(changes, "globalInterruptions"), "globalInterruption"
        ):
            add(13, changes, "hasGlobalInterruptions is false, yet interruptions are listed.")
    # DATA-VAL-14: EUTCT terms are current; the system organ classes are checked against the MedDRA SOC
    # table of the shared folder (country and route terms would need the EUTCT lists, which we lack).
    known = set(soc_ids().values())
    for organ in _all(root, "organSystem"):
        eutct = _text(organ, "eutctId")
        if eutct is not None and (not eutct.isdigit() or int(eutct) not in known):
            add(14, organ, f"EUTCT id {eutct} is not a current MedDRA system organ class.")
    return found
