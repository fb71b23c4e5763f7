"""The EudraCT end points and subject analysis sets (results.xsd v1.1 ``EndPoints``, ``SubjectAnalysisSet``)
from the record's outcome measures, and back.

Reporting groups: an outcome group whose title matches a participant-flow group is that arm (EudraCT's
``armReportingGroup`` refers to the arm of the subject disposition by id); one whose title matches a set in
``euSection.subjectAnalysisSets`` (ext) is that subject analysis set; any other group is not sent and the
checks report it (``eudract.outcome_group_unmatched``).

Mapping (API v2 -> EudraCT, terms from Appendix 1 of EMA/492808/2013, see ``vocab``): type -> ENDPOINT_TYPE;
paramType -> centralTendencyType (MEASURE_TYPE); counts of participants or units with titled categories ->
a countable end point with categories and countable values, untitled counts -> MEASURE_TYPE.number;
dispersionType -> ENDPOINT_DISPERSION (a confidence interval's level -> percentage); row blocks (classes)
and categories -> EudraCT categories named "class, category"; measurement value -> tendency value, spread
(or lower and upper limit for ranges) -> dispersion value; the participants analysed -> subjects. Each
analysis -> a statisticalAnalysis: nonInferiorityType -> ANALYSIS_TYPE, statisticalMethod ->
HYPOTHESIS_METHOD (other text: "other" with otherMethod), pValue -> value and valueEqualityRelation,
paramType -> PARAMETER_TYPE (other text: "other" with otherType), CI -> confidenceInterval, dispersion ->
variabilityEstimate, groupIds -> the comparison reporting groups. What cannot be mapped is left out here
and reported by the checks at the record's pointer; nothing is guessed.

EudraCT has no place for these, so they are not sent: an outcome's population description, anticipated
posting date and units analysed, denominators per row block, a measurement's comment, and an analysis's
p-value, estimate and CI-limit comments and "other analysis" description.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from registries.eudract.disposition import _child, _children, _sub, _term, _term_value, _text, title_key
from registries.eudract.vocab import (
    ANALYSIS_SET_TYPES,
    ANALYSIS_SPECIFICATIONS,
    ANALYSIS_TYPES,
    CENTRAL_TENDENCIES,
    CI_SIDES,
    COUNT_PARAMS,
    DISPERSIONS,
    ENDPOINT_TYPES,
    MEASURE_TYPES,
    METHOD_ALIASES,
    PARAMETER_ALIASES,
    RANGE_DISPERSIONS,
    VARIABILITY_TYPES,
    XSI_NS,
    label_for,
    term_label,
)
from registries.eudract.xmltree import dig as _dig

Record = dict[str, Any]
_CONFIDENCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*(confidence interval)\s*$", re.IGNORECASE)
_P_VALUE = re.compile(r"^\s*(<=|>=|<|>|=)?\s*(\d*\.?\d+)\s*$")
# EudraCT list "Analysis method" has no "t-test"; other free-text names keep their words as otherMethod.
OTHER_TEXT_LENGTH = (2, 40)
CATEGORY_NAME_MAX = 50


def decimal_text(value: Any) -> str | None:
    """A record number ("-1.45") as an xs:decimal, or None when it is not one ("NA", "<0.001")."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return str(value).strip() if number.is_finite() else None


ESTIMATE_DIGITS = 8


def estimate_text(value: Any) -> str | None:
    """A point estimate or CI limit as EudraCT takes it (xs:decimal of at most 8 digits), or None."""
    text = decimal_text(value)
    if text is None:
        return None
    digits = Decimal(text).normalize().as_tuple().digits
    return text if len(digits) <= ESTIMATE_DIGITS else None


def dispersion(text: Any) -> tuple[str, str | None] | None:
    """API v2's displayed outcome dispersion -> (Endpoint dispersion label, CI percentage), or None."""
    if not text:
        return ("Not applicable", None)
    match = _CONFIDENCE.match(str(text))
    if match:
        return (DISPERSIONS["confidence interval"], match.group(1))
    label = DISPERSIONS.get(str(text).strip().casefold())
    return (label, None) if label else None


def p_value(text: Any) -> tuple[str, str | None] | None:
    """ "<0.001" -> ("0.001", "<"); "0.03" -> ("0.03", None); anything else None."""
    match = _P_VALUE.match(str(text)) if text is not None else None
    return (match.group(2), match.group(1)) if match else None


def other_text_fits(text: str) -> bool:
    return OTHER_TEXT_LENGTH[0] <= len(text) <= OTHER_TEXT_LENGTH[1]


def is_countable(measure: dict[str, Any]) -> bool:
    """A count with titled categories is a countable EudraCT end point (categories and whole counts)."""
    return measure.get("paramType") in COUNT_PARAMS and any(
        category.get("title")
        for block in measure.get("classes") or []
        for category in block.get("categories") or []
        if isinstance(category, dict)
    )


def rows(measure: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The measure's (EudraCT category name, category) pairs: class and category titles joined."""
    out = []
    for block in measure.get("classes") or []:
        for category in block.get("categories") or []:
            name = ", ".join(t for t in (block.get("title"), category.get("title")) if t)
            out.append((name, category))
    return out


def analysis_sets(record: Record) -> list[dict[str, Any]]:
    return [s for s in _dig(record, "euSection", "subjectAnalysisSets") or [] if isinstance(s, dict)]


def build_subject_analysis_sets(record: Record) -> tuple[etree._Element | None, dict[str, str]]:
    """The ``subjectAnalysisSets`` element (None without sets) and title key -> set id."""
    sets = analysis_sets(record)
    if not sets:
        return None, {}
    container = etree.Element("subjectAnalysisSets")
    ids = {}
    for index, item in enumerate(sets, start=1):
        element = _sub(container, "subjectAnalysisSet")
        element.set("id", f"set{index}")
        ids[title_key(item.get("title"))] = f"set{index}"
        if isinstance(item.get("numSubjects"), int) and item["numSubjects"] >= 1:  # xs:int from 1
            _sub(element, "subjects", item["numSubjects"])
        _sub(element, "title", item.get("title"))
        if item.get("description"):
            _sub(element, "description", item["description"])
        if item.get("type") in ANALYSIS_SET_TYPES:
            _term(element, "type", "Subject analysis set type", ANALYSIS_SET_TYPES[item["type"]])
    return container, ids


def _nil_or(parent: etree._Element, name: str, value: Any) -> None:
    number = decimal_text(value)
    if number is None:
        etree.SubElement(parent, name).set(f"{{{XSI_NS}}}nil", "true")
    else:
        _sub(parent, name, number)


def _subjects(measure: dict[str, Any]) -> dict[str, int]:
    for denom in measure.get("denoms") or []:
        return {
            str(c.get("groupId")): int(c["value"])
            for c in denom.get("counts") or []
            if str(c.get("value", "")).isdigit()
        }
    return {}


def build_end_points(record: Record, arms: dict[str, str], sets: dict[str, str]) -> etree._Element | None:
    measures = _dig(record, "resultsSection", "outcomeMeasuresModule", "outcomeMeasures") or []
    measures = [m for m in measures if isinstance(m, dict)]
    if not measures:
        return None
    container = etree.Element("endPoints")
    for number, measure in enumerate(measures, start=1):
        _end_point(container, f"endpoint{number}", measure, arms, sets)
    return container


def _end_point(
    container: etree._Element, eid: str, measure: dict[str, Any], arms: dict[str, str], sets: dict[str, str]
) -> None:
    element = _sub(container, "endPoint")
    _sub(element, "title", measure.get("title"))
    if measure.get("description"):
        _sub(element, "description", measure["description"])
    # Not posted yet: EudraCT's "ready for values" is off and no values are sent.
    ready = measure.get("reportingStatus") != "NOT_POSTED"
    _sub(element, "readyForValues", ready)
    countable = is_countable(measure)
    _sub(element, "countable", countable)
    if measure.get("unitOfMeasure"):
        _sub(element, "unit", measure["unitOfMeasure"])
    if measure.get("timeFrame"):
        _sub(element, "timeFrame", measure["timeFrame"])
    if measure.get("type") in ENDPOINT_TYPES:
        _term(element, "type", "Endpoint type", ENDPOINT_TYPES[measure["type"]])
    spread = dispersion(measure.get("dispersionType"))
    if not countable:
        param = "NUMBER" if measure.get("paramType") in COUNT_PARAMS else measure.get("paramType")
        if param in MEASURE_TYPES:
            _term(element, "centralTendencyType", "Measure type", MEASURE_TYPES[str(param)])
        if spread is not None:
            _term(element, "dispersionType", "Endpoint dispersion", spread[0])
            if spread[1] is not None:
                _sub(element, "percentage", spread[1])
    named = rows(measure)
    category_ids: list[str | None] = [None] * len(named)
    if len(named) > 1 or countable:
        categories = _sub(element, "categories")
        for index, (name, _) in enumerate(named, start=1):
            category = _sub(categories, "category")
            category.set("id", f"{eid}-category{index}")
            _sub(category, "name", name)
            category_ids[index - 1] = f"{eid}-category{index}"
    subjects = _subjects(measure)
    group_ids: dict[str, str] = {}
    arm_groups = _sub(element, "armReportingGroups")
    set_groups = _sub(element, "subjectAnalysisSetReportingGroups")
    for index, group in enumerate(g for g in measure.get("groups") or [] if isinstance(g, dict)):
        key = title_key(group.get("title"))
        if key in arms:
            reporting = _sub(arm_groups, "armReportingGroup")
            reporting.set("armId", arms[key])
        elif key in sets:
            reporting = _sub(set_groups, "subjectAnalysisSetReportingGroup")
            reporting.set("subjectAnalysisSetId", sets[key])
        else:
            continue
        rid = f"{eid}-group{index + 1}"
        reporting.set("id", rid)
        gid = str(group.get("id"))
        group_ids[gid] = rid
        if ready:
            _values(reporting, gid, named, category_ids, countable, spread)
        if gid in subjects:
            _sub(reporting, "subjects", subjects[gid])
    if ready:
        analyses = [a for a in measure.get("analyses") or [] if isinstance(a, dict)]
        if analyses:
            holder = _sub(element, "statisticalAnalyses")
            for number, analysis in enumerate(analyses, start=1):
                _analysis(holder, number, analysis, group_ids, arms, sets, measure)


def _values(
    reporting: etree._Element,
    gid: str,
    named: list[tuple[str, dict[str, Any]]],
    category_ids: list[str | None],
    countable: bool,
    spread: tuple[str, str | None] | None,
) -> None:
    cells = []
    for (_, category), cid in zip(named, category_ids, strict=True):
        cell = next(
            (m for m in category.get("measurements") or [] if str(m.get("groupId")) == gid),
            None,
        )
        if cell is not None:
            cells.append((cid, cell))
    if countable:
        holder = _sub(reporting, "countableValues")
        for cid, cell in cells:
            value = _sub(holder, "countableValue")
            if cid:
                value.set("categoryId", cid)
            count = str(cell.get("value", ""))
            if count.isdigit():
                _sub(value, "value", count)
            else:
                etree.SubElement(value, "value").set(f"{{{XSI_NS}}}nil", "true")
        return
    tendencies = _sub(reporting, "tendencyValues")
    dispersions = _sub(reporting, "dispersionValues")
    ranged = spread is not None and spread[0] in RANGE_DISPERSIONS
    for cid, cell in cells:
        tendency = _sub(tendencies, "tendencyValue")
        if cid:
            tendency.set("categoryId", cid)
        _nil_or(tendency, "value", cell.get("value"))
        if spread is None:
            continue
        value = _sub(dispersions, "dispersionValue")
        if cid:
            value.set("categoryId", cid)
        _nil_or(value, "value", cell.get("lowerLimit") if ranged else cell.get("spread"))
        _nil_or(value, "highRangeValue", cell.get("upperLimit") if ranged else None)


def analysis_type(analysis: dict[str, Any]) -> str | None:
    return ANALYSIS_TYPES.get(str(analysis.get("nonInferiorityType")))


def _analysis(
    holder: etree._Element,
    number: int,
    analysis: dict[str, Any],
    group_ids: dict[str, str],
    arms: dict[str, str],
    sets: dict[str, str],
    measure: dict[str, Any],
) -> None:
    element = _sub(holder, "statisticalAnalysis")
    # The record's (ext) title; EudraCT needs one (2 to 50 characters), so an untitled analysis is numbered.
    _sub(element, "title", analysis.get("title") or f"Statistical analysis {number}")
    if analysis.get("groupDescription"):
        _sub(element, "description", analysis["groupDescription"])
    kind = analysis_type(analysis)
    if kind:
        _term(element, "type", "Statistical analysis type", kind)
    if analysis.get("analysisSpecification") in ANALYSIS_SPECIFICATIONS:
        _term(
            element,
            "analysisSpecification",
            "Analysis specification",
            ANALYSIS_SPECIFICATIONS[analysis["analysisSpecification"]],
        )
    if analysis.get("nonInferiorityComment"):
        _sub(element, "comment", analysis["nonInferiorityComment"])
    method = analysis.get("statisticalMethod")
    p = p_value(analysis.get("pValue"))
    if method or p or analysis.get("statisticalComment"):
        test = _sub(element, "statisticalHypothesisTest")
        if analysis.get("statisticalComment"):
            _sub(test, "comment", analysis["statisticalComment"])
        if method:
            label = label_for("Analysis method", method, METHOD_ALIASES)
            if label is not None:
                _term(test, "method", "Analysis method", label)
            elif other_text_fits(method):
                _term(test, "method", "Analysis method", "Other")
                _sub(test, "otherMethod", method)
        if p is not None:
            _sub(test, "value", p[0])
            if p[1]:
                _sub(test, "valueEqualityRelation", p[1])
    _estimate(element, analysis)
    titles = {
        str(g.get("id")): title_key(g.get("title"))
        for g in measure.get("groups") or []
        if isinstance(g, dict)
    }
    compared = [str(gid) for gid in analysis.get("groupIds") or [] if str(gid) in group_ids]
    # The schema's order: the arm reporting groups compared, then the subject analysis sets.
    for gid in compared:
        if titles.get(gid) in arms:
            _sub(element, "armComparisonGroupId", group_ids[gid])
    for gid in compared:
        if titles.get(gid) not in arms:
            _sub(element, "subjectAnalysisSetComparisonGroupId", group_ids[gid])


def _estimate(element: etree._Element, analysis: dict[str, Any]) -> None:
    limits = [estimate_text(analysis.get(k)) for k in ("ciLowerLimit", "ciUpperLimit")]
    percentage = decimal_text(analysis.get("ciPctValue"))
    sides = CI_SIDES.get(str(analysis.get("ciNumSides")))
    point = estimate_text(analysis.get("paramValue"))
    param = analysis.get("paramType")
    variability = VARIABILITY_TYPES.get(str(analysis.get("dispersionType")))
    spread = decimal_text(analysis.get("dispersionValue"))
    if not (any(limits) or percentage or sides or point or param or variability or spread):
        return
    estimate = _sub(element, "parameterEstimate")
    if any(limits) or percentage or sides:
        interval = _sub(estimate, "confidenceInterval")
        if limits[0]:
            _sub(interval, "lowerLimit", limits[0])
        if percentage:
            _sub(interval, "percentage", percentage)
        if sides:
            _term(interval, "sides", "Confidence interval side", sides)
        if limits[1]:
            _sub(interval, "upperLimit", limits[1])
    label = label_for("Effect estimate", param, PARAMETER_ALIASES) if param else None
    if param and label is None and other_text_fits(str(param)):
        _sub(estimate, "otherType", param)
        label = "Other"
    if point:
        _sub(estimate, "pointEstimate", point)
    if label:
        _term(estimate, "type", "Effect estimate", label)
    if variability or spread:
        holder = _sub(estimate, "variabilityEstimate")
        if spread:
            _sub(holder, "dispersionValue", spread)
        if variability:
            _term(holder, "type", "Variability estimate type", variability)


# --- import -------------------------------------------------------------------------------------------

_PARAMS = {label: code for code, label in MEASURE_TYPES.items()}
# The "Central tendency" list of the XSD documentation, read as the same statistics.
_CENTRAL_TENDENCY = {label: code for code, label in CENTRAL_TENDENCIES.items()}
_DISPERSION_TEXT = {
    "Standard deviation": "Standard Deviation",
    "standard error": "Standard Error",
    "inter-quartile range (min-max)": "Inter-Quartile Range",
    "full range (min-max)": "Full Range",
    "geometric coefficient of variation": "Geometric Coefficient of Variation",
}


def _reverse(mapping: dict[str, str], label: str | None) -> str | None:
    return next((code for code, value in mapping.items() if value == label), None)


def import_subject_analysis_sets(
    element: etree._Element | None,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``subjectAnalysisSets`` as ``euSection.subjectAnalysisSets`` and set id -> title."""
    sets = []
    titles = {}
    for item in _children(element, "subjectAnalysisSet"):
        entry: dict[str, Any] = {"title": _text(item, "title")}
        kind = _reverse(
            ANALYSIS_SET_TYPES, term_label("Subject analysis set type", _term_value(item, "type"))
        )
        if kind:
            entry["type"] = kind
        if _text(item, "subjects"):
            entry["numSubjects"] = int(str(_text(item, "subjects")))
        if _text(item, "description"):
            entry["description"] = _text(item, "description")
        sets.append(entry)
        titles[str(item.get("id"))] = str(entry["title"])
    return sets, titles


def import_end_points(
    element: etree._Element,
    arm_titles: dict[str, str],
    set_titles: dict[str, str],
    descriptions: dict[str, str],
) -> list[dict[str, Any]]:
    """``endPoints`` as the record's outcome measures (groups named after the arms and sets they refer to)."""
    return [
        _import_end_point(e, arm_titles, set_titles, descriptions) for e in _children(element, "endPoint")
    ]


def _import_end_point(
    element: etree._Element,
    arm_titles: dict[str, str],
    set_titles: dict[str, str],
    descriptions: dict[str, str],
) -> dict[str, Any]:
    measure: dict[str, Any] = {}
    kind = _reverse(ENDPOINT_TYPES, term_label("Endpoint type", _term_value(element, "type")))
    if kind:
        measure["type"] = kind
    measure["title"] = _text(element, "title")
    if _text(element, "description"):
        measure["description"] = _text(element, "description")
    measure["reportingStatus"] = "POSTED" if _text(element, "readyForValues") == "true" else "NOT_POSTED"
    countable = _text(element, "countable") == "true"
    tendency = _term_value(element, "centralTendencyType") or ""
    if countable:
        measure["paramType"] = "COUNT_OF_PARTICIPANTS"
    else:
        label = term_label("Measure type", tendency)
        central = term_label("Central tendency", tendency)
        param = _PARAMS.get(label or "") or _CENTRAL_TENDENCY.get(central or "")
        if param:
            measure["paramType"] = param
    spread = term_label("Endpoint dispersion", _term_value(element, "dispersionType"))
    if spread == "confidence interval":
        measure["dispersionType"] = f"{_text(element, 'percentage')}% Confidence Interval"
    elif spread in _DISPERSION_TEXT:
        measure["dispersionType"] = _DISPERSION_TEXT[spread]
    if _text(element, "unit"):
        measure["unitOfMeasure"] = _text(element, "unit")
    if _text(element, "timeFrame"):
        measure["timeFrame"] = _text(element, "timeFrame")
    categories = [
        (c.get("id"), _text(c, "name")) for c in _children(_child(element, "categories"), "category")
    ]
    groups = []
    counts = []
    cells: dict[str | None, list[dict[str, Any]]] = {cid: [] for cid, _ in categories} or {None: []}
    ranged = spread in RANGE_DISPERSIONS
    reporting = [
        (r, arm_titles.get(str(r.get("armId"))))
        for r in _children(_child(element, "armReportingGroups"), "armReportingGroup")
    ]
    reporting += [
        (r, set_titles.get(str(r.get("subjectAnalysisSetId"))))
        for r in _children(
            _child(element, "subjectAnalysisSetReportingGroups"), "subjectAnalysisSetReportingGroup"
        )
    ]
    by_id = {}
    for index, (group, title) in enumerate(reporting):
        gid = f"OG{index:03d}"
        by_id[str(group.get("id"))] = gid
        entry = {"id": gid, "title": title}
        if title and descriptions.get(title):
            entry["description"] = descriptions[title]
        groups.append(entry)
        if _text(group, "subjects") is not None:
            counts.append({"groupId": gid, "value": _text(group, "subjects")})
        if countable:
            for value in _children(_child(group, "countableValues"), "countableValue"):
                cells.setdefault(value.get("categoryId"), []).append(
                    {"groupId": gid, "value": _text(value, "value") or "NA"}
                )
            continue
        spreads = {
            d.get("categoryId"): d for d in _children(_child(group, "dispersionValues"), "dispersionValue")
        }
        for value in _children(_child(group, "tendencyValues"), "tendencyValue"):
            cell = {"groupId": gid, "value": _text(value, "value") or "NA"}
            other = spreads.get(value.get("categoryId"))
            if other is not None and spread not in (None, "Not applicable"):
                if ranged:
                    cell["lowerLimit"] = _text(other, "value") or "NA"
                    cell["upperLimit"] = _text(other, "highRangeValue") or "NA"
                else:
                    cell["spread"] = _text(other, "value") or "NA"
            cells.setdefault(value.get("categoryId"), []).append(cell)
    measure["groups"] = groups
    if counts:
        measure["denoms"] = [{"units": "Participants", "counts": counts}]
    names = dict(categories)
    if countable:
        measure["classes"] = [
            {"categories": [{"title": names.get(cid) or "", "measurements": cells[cid]} for cid in cells]}
        ]
    elif categories:
        measure["classes"] = [
            {"title": names.get(cid) or "", "categories": [{"measurements": cells[cid]}]} for cid in cells
        ]
    else:
        measure["classes"] = [{"categories": [{"measurements": cells.get(None, [])}]}]
    analyses = [
        _import_analysis(a, by_id)
        for a in _children(_child(element, "statisticalAnalyses"), "statisticalAnalysis")
    ]
    if analyses:
        measure["analyses"] = analyses
    return measure


def _import_analysis(element: etree._Element, by_id: dict[str, str]) -> dict[str, Any]:
    analysis: dict[str, Any] = {"title": _text(element, "title")}
    if _text(element, "description"):
        analysis["groupDescription"] = _text(element, "description")
    kind = _reverse(ANALYSIS_TYPES, term_label("Statistical analysis type", _term_value(element, "type")))
    if kind:
        analysis["nonInferiorityType"] = kind
        analysis["testedNonInferiority"] = kind in ("NON_INFERIORITY", "EQUIVALENCE")
    specification = term_label("Analysis specification", _term_value(element, "analysisSpecification"))
    if _reverse(ANALYSIS_SPECIFICATIONS, specification):
        analysis["analysisSpecification"] = _reverse(ANALYSIS_SPECIFICATIONS, specification)
    if _text(element, "comment"):
        analysis["nonInferiorityComment"] = _text(element, "comment")
    test = _child(element, "statisticalHypothesisTest")
    if test is not None:
        if _text(test, "comment"):
            analysis["statisticalComment"] = _text(test, "comment")
        method = term_label("Analysis method", _term_value(test, "method"))
        if method == "Other" and _text(test, "otherMethod"):
            analysis["statisticalMethod"] = _text(test, "otherMethod")
        elif method:
            analysis["statisticalMethod"] = method
        if _text(test, "value"):
            analysis["pValue"] = (_text(test, "valueEqualityRelation") or "") + str(_text(test, "value"))
    estimate = _child(element, "parameterEstimate")
    if estimate is not None:
        parameter = term_label("Effect estimate", _term_value(estimate, "type"))
        if parameter == "Other" and _text(estimate, "otherType"):
            analysis["paramType"] = _text(estimate, "otherType")
        elif parameter:
            analysis["paramType"] = parameter
        if _text(estimate, "pointEstimate"):
            analysis["paramValue"] = _text(estimate, "pointEstimate")
        interval = _child(estimate, "confidenceInterval")
        sides = _reverse(CI_SIDES, term_label("Confidence interval side", _term_value(interval, "sides")))
        for name, key in (
            ("percentage", "ciPctValue"),
            ("lowerLimit", "ciLowerLimit"),
            ("upperLimit", "ciUpperLimit"),
        ):
            if _text(interval, name):
                analysis[key] = _text(interval, name)
        if sides:
            analysis["ciNumSides"] = sides
        variability = _child(estimate, "variabilityEstimate")
        kind = _reverse(
            VARIABILITY_TYPES, term_label("Variability estimate type", _term_value(variability, "type"))
        )
        if kind:
            analysis["dispersionType"] = kind
        if _text(variability, "dispersionValue"):
            analysis["dispersionValue"] = _text(variability, "dispersionValue")
    ids = [
        by_id[str(_text_of(e))]
        for name in ("armComparisonGroupId", "subjectAnalysisSetComparisonGroupId")
        for e in _children(element, name)
        if str(_text_of(e)) in by_id
    ]
    if ids:
        analysis["groupIds"] = ids
    return analysis


def _text_of(element: etree._Element) -> str:
    return (element.text or "").strip()
