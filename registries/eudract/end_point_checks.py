"""What the EudraCT subject disposition, end points and subject analysis sets demand of the record, at the
record's pointers: what results.xsd v1.1 limits more tightly than the record schema, and what the EudraCT
code lists (EMA/492808/2013 Appendix 1) cannot express. The builder leaves out what cannot be mapped (see
``registries.eudract.end_points``); these findings say so before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registries.enums import Severity
from registries.eudract.disposition import (
    COMPLETED,
    NOT_COMPLETED,
    PRODUCT_NAME,
    PRODUCT_OTHER_NAMES_MAX,
    PRODUCT_TYPES,
    STARTED,
    not_completed_reason,
    other_names,
    title_key,
)
from registries.eudract.end_points import (
    CATEGORY_NAME_MAX,
    ESTIMATE_DIGITS,
    analysis_sets,
    decimal_text,
    dispersion,
    estimate_text,
    is_countable,
    other_text_fits,
    p_value,
    rows,
)
from registries.eudract.vocab import (
    AMBIGUOUS_NOT_COMPLETED,
    ANALYSIS_TYPES,
    COUNT_PARAMS,
    MASKED_ROLES,
    MEASURE_TYPES,
    METHOD_ALIASES,
    OTHER_REASON_MAX,
    PARAMETER_ALIASES,
    data_val_rule,
    label_for,
)
from registries.eudract.xmltree import dig as _dig

Add = Callable[..., None]
_XSD = "EudraCT results.xsd v1.1"
_TERMS = "EudraCT Results XML guidance EMA/492808/2013 Appendix 1"
_DATA_VAL = "EudraCT Results XML guidance EMA/492808/2013 Appendix 2"
_FLOW = "/resultsSection/participantFlowModule"
_OUTCOMES = "/resultsSection/outcomeMeasuresModule/outcomeMeasures"
_MASKING = "/protocolSection/designModule/designInfo/maskingInfo"
# results.xsd v1.1 limits tighter than the record schema's.
ARM_TITLE = (2, 62)
SET_TITLE = (2, 62)
MILESTONE_TITLE = (2, 40)
UNIT = (2, 40)
BLINDING_DETAILS_MAX = 500
ANALYSIS_DESCRIPTION_MAX = 500
ANALYSIS_COMMENT_MAX = 500
TEST_COMMENT_MAX = 250


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _length(add: Add, code: str, pointer: str, value: Any, limits: tuple[int, int], what: str) -> None:
    if isinstance(value, str) and not limits[0] <= len(value) <= limits[1]:
        add(
            code,
            pointer,
            f"EudraCT takes {what} of {limits[0]} to {limits[1]} characters; this one has {len(value)}.",
            _XSD,
        )


def _too_long(add: Add, code: str, pointer: str, value: Any, limit: int, what: str) -> None:
    if isinstance(value, str) and len(value) > limit:
        add(code, pointer, f"EudraCT takes at most {limit} characters for {what} ({len(value)} given).", _XSD)


def check_disposition(add: Add, record: dict[str, Any]) -> None:
    flow = _dig(record, "resultsSection", "participantFlowModule") or {}
    for index, group in enumerate(_dicts(flow.get("groups"))):
        _length(
            add,
            "eudract.arm_title_length",
            f"{_FLOW}/groups/{index}/title",
            group.get("title"),
            ARM_TITLE,
            "arm titles",
        )
    for p_index, period in enumerate(_dicts(flow.get("periods"))):
        for m_index, milestone in enumerate(_dicts(period.get("milestones"))):
            if milestone.get("type") not in (STARTED, COMPLETED, NOT_COMPLETED):
                _length(
                    add,
                    "eudract.milestone_title_length",
                    f"{_FLOW}/periods/{p_index}/milestones/{m_index}/type",
                    milestone.get("type"),
                    MILESTONE_TITLE,
                    "milestone titles",
                )
        for d_index, drop in enumerate(_dicts(period.get("dropWithdraws"))):
            reason = drop.get("type")
            if not isinstance(reason, str) or not_completed_reason(reason) is not None:
                continue
            pointer = f"{_FLOW}/periods/{p_index}/dropWithdraws/{d_index}/type"
            if reason.strip().casefold() in AMBIGUOUS_NOT_COMPLETED:
                add(
                    "eudract.not_completed_reason_ambiguous",
                    pointer,
                    f"EudraCT splits {reason!r} into 'Adverse event, not serious', 'Adverse event, "
                    "serious fatal' and 'Adverse event, serious non-fatal'; give the participants under "
                    "those reasons.",
                    f"{_TERMS}, list 'Reason not completed'",
                )
            else:
                add(
                    "eudract.not_completed_reason_too_long",
                    pointer,
                    f"{reason!r} is not in EudraCT's list of reasons, and as 'Other' it takes at most "
                    f"{OTHER_REASON_MAX} characters ({len(reason)} given).",
                    f"{_TERMS}, list 'Reason not completed'; {_XSD} (ReasonNotCompleted.otherReason)",
                )
    interventions = _dicts(_dig(record, "protocolSection", "armsInterventionsModule", "interventions"))
    for index, intervention in enumerate(interventions):
        if intervention.get("type", "DRUG") not in PRODUCT_TYPES:
            continue
        at = f"/protocolSection/armsInterventionsModule/interventions/{index}"
        name = intervention.get("name")
        _length(add, "eudract.product_name_length", f"{at}/name", name, PRODUCT_NAME, "product names")
        _too_long(
            add,
            "eudract.product_other_names_too_long",
            f"{at}/otherNames",
            other_names(intervention) or None,
            PRODUCT_OTHER_NAMES_MAX,
            "a product's other names (joined with commas)",
        )
    masking = _dig(record, "protocolSection", "designModule", "designInfo", "maskingInfo") or {}
    _too_long(
        add,
        "eudract.blinding_details_too_long",
        f"{_MASKING}/maskingDescription",
        masking.get("maskingDescription"),
        BLINDING_DETAILS_MAX,
        "the blinding implementation details",
    )
    who = masking.get("whoMasked")
    for index, role in enumerate(who if isinstance(who, list) else []):
        if role not in MASKED_ROLES:
            add(
                "eudract.masked_role_unmapped",
                f"{_MASKING}/whoMasked/{index}",
                f"EudraCT's list of roles blinded has no {role!r} (its 'Carer' is the subject's carer); the "
                "role is left out of the EudraCT file.",
                f"{_TERMS}, list 'Trial role'",
                Severity.NOTE,
            )


def check_end_points(add: Add, record: dict[str, Any]) -> None:
    flow_titles = {
        title_key(g.get("title"))
        for g in _dicts(_dig(record, "resultsSection", "participantFlowModule", "groups"))
    }
    sets = analysis_sets(record)
    for index, item in enumerate(sets):
        _length(
            add,
            "eudract.analysis_set_title_length",
            f"/euSection/subjectAnalysisSets/{index}/title",
            item.get("title"),
            SET_TITLE,
            "subject analysis set titles",
        )
    set_titles = {title_key(s.get("title")) for s in sets}
    measures = _dicts(_dig(record, "resultsSection", "outcomeMeasuresModule", "outcomeMeasures"))
    for m_index, measure in enumerate(measures):
        at = f"{_OUTCOMES}/{m_index}"
        matched = []
        for g_index, group in enumerate(_dicts(measure.get("groups"))):
            key = title_key(group.get("title"))
            if key in flow_titles or key in set_titles:
                matched.append(group)
                continue
            add(
                "eudract.outcome_group_unmatched",
                f"{at}/groups/{g_index}/title",
                f"{group.get('title')!r} is neither a group of the participant flow (an EudraCT arm) nor "
                "a subject analysis set in euSection.subjectAnalysisSets; EudraCT reports values only for "
                "those.",
                f"{_XSD} (EndPointArmReportingGroup, EndPointSubjectAnalysisSetReportingGroup)",
            )
        if measure.get("reportingStatus") != "NOT_POSTED" and measure.get("groups") and not matched:
            add(
                "eudract.data_val_9",
                f"{at}/groups",
                "None of the outcome's groups is an arm or subject analysis set. "
                f"{data_val_rule('DATA-VAL-9')}",
                f"{_DATA_VAL}, DATA-VAL-9",
            )
        _measure(add, at, measure)
        for a_index, analysis in enumerate(_dicts(measure.get("analyses"))):
            _analysis(add, f"{at}/analyses/{a_index}", analysis)


def _measure(add: Add, at: str, measure: dict[str, Any]) -> None:
    _length(add, "eudract.unit_length", f"{at}/unitOfMeasure", measure.get("unitOfMeasure"), UNIT, "units")
    param = measure.get("paramType")
    if param is not None and param not in MEASURE_TYPES and param not in COUNT_PARAMS:
        add(
            "eudract.measure_type_unmapped",
            f"{at}/paramType",
            f"EudraCT's list of measure types has no term for {param}; report the outcome with a statistic "
            "EudraCT knows (number, mean, median, least squares mean, geometric mean or log mean).",
            f"{_TERMS}, list 'Measure type'",
        )
    countable = is_countable(measure)
    if not countable and dispersion(measure.get("dispersionType")) is None:
        add(
            "eudract.dispersion_unmapped",
            f"{at}/dispersionType",
            f"EudraCT's list of end point dispersions has no term for {measure['dispersionType']!r} (it "
            "knows standard deviation, standard error, inter-quartile range, full range, confidence "
            "interval and geometric coefficient of variation).",
            f"{_TERMS}, list 'Endpoint dispersion'",
        )
    named = rows(measure)
    if len(named) > 1 or countable:
        position = 0
        for c_index, block in enumerate(_dicts(measure.get("classes"))):
            for k_index, _ in enumerate(_dicts(block.get("categories"))):
                name = named[position][0]
                position += 1
                if not 2 <= len(name) <= CATEGORY_NAME_MAX:
                    add(
                        "eudract.category_name_length",
                        f"{at}/classes/{c_index}/categories/{k_index}/title",
                        f"EudraCT names each category (the row and category titles, {name!r}) in 2 to "
                        f"{CATEGORY_NAME_MAX} characters; this one has {len(name)}.",
                        f"{_XSD} (Category.name)",
                    )
    check_values(add, at, measure, whole_numbers=countable)


def check_values(add: Add, at: str, measure: dict[str, Any], *, whole_numbers: bool) -> None:
    """``eudract.value_not_a_number`` for each value of an end point or baseline measure EudraCT cannot
    take: counts (``whole_numbers``) are whole numbers, other values, spreads and limits decimals; "NA"
    and no value are allowed."""
    for c_index, block in enumerate(_dicts(measure.get("classes"))):
        for k_index, category in enumerate(_dicts(block.get("categories"))):
            for v_index, cell in enumerate(_dicts(category.get("measurements"))):
                keys = ("value",) if whole_numbers else ("value", "spread", "lowerLimit", "upperLimit")
                for key in keys:
                    value = cell.get(key)
                    readable = str(value).isdigit() if whole_numbers else decimal_text(value) is not None
                    if value is None or value == "NA" or readable:
                        continue
                    add(
                        "eudract.value_not_a_number",
                        f"{at}/classes/{c_index}/categories/{k_index}/measurements/{v_index}/{key}",
                        f"EudraCT takes {'a whole number' if whole_numbers else 'a number'} or no value "
                        f"here, not {value!r}.",
                        _XSD,
                    )


def _analysis(add: Add, at: str, analysis: dict[str, Any]) -> None:
    kind = analysis.get("nonInferiorityType")
    if kind is not None and kind not in ANALYSIS_TYPES:
        add(
            "eudract.analysis_type_ambiguous",
            f"{at}/nonInferiorityType",
            f"{kind} names more than one kind of hypothesis; EudraCT needs one of superiority, "
            "non-inferiority, equivalence or other.",
            f"{_TERMS}, list 'Statistical analysis type'",
        )
    method = analysis.get("statisticalMethod")
    known = isinstance(method, str) and label_for("Analysis method", method, METHOD_ALIASES) is not None
    if isinstance(method, str) and not known and not other_text_fits(method):
        add(
            "eudract.analysis_method_unmapped",
            f"{at}/statisticalMethod",
            f"{method!r} is not in EudraCT's list of analysis methods, and as 'Other' it must be 2 to 40 "
            "characters.",
            f"{_TERMS}, list 'Analysis method'; {_XSD} (otherMethod)",
        )
    param = analysis.get("paramType")
    known = isinstance(param, str) and label_for("Effect estimate", param, PARAMETER_ALIASES) is not None
    if isinstance(param, str) and not known and not other_text_fits(param):
        add(
            "eudract.parameter_type_unmapped",
            f"{at}/paramType",
            f"{param!r} is not in EudraCT's list of effect estimates, and as 'Other' it must be 2 to 40 "
            "characters.",
            f"{_TERMS}, list 'Effect estimate'; {_XSD} (otherType)",
        )
    if analysis.get("pValue") is not None and p_value(analysis["pValue"]) is None:
        add(
            "eudract.p_value_unreadable",
            f"{at}/pValue",
            f"EudraCT takes a p-value as a number with an optional <, <=, > or >= ({analysis['pValue']!r}).",
            f"{_XSD} (StatisticalHypothesisTest)",
        )
    for key in ("paramValue", "ciPctValue", "ciLowerLimit", "ciUpperLimit", "dispersionValue"):
        value = analysis.get(key)
        if value is not None and value != "NA" and decimal_text(value) is None:
            add(
                "eudract.value_not_a_number",
                f"{at}/{key}",
                f"EudraCT takes a number or no value here, not {value!r}.",
                f"{_XSD} (ParameterEstimate)",
            )
        elif (
            key in ("paramValue", "ciLowerLimit", "ciUpperLimit")
            and value not in (None, "NA")
            and (estimate_text(value) is None)
        ):
            add(
                "eudract.estimate_too_precise",
                f"{at}/{key}",
                f"EudraCT takes estimates and confidence limits of at most {ESTIMATE_DIGITS} digits, not "
                f"{value!r}.",
                f"{_XSD} (ParameterEstimate.pointEstimate, ConfidenceInterval, totalDigits 8)",
            )
    for key, limit, what in (
        ("groupDescription", ANALYSIS_DESCRIPTION_MAX, "an analysis description"),
        ("nonInferiorityComment", ANALYSIS_COMMENT_MAX, "an analysis comment"),
        ("statisticalComment", TEST_COMMENT_MAX, "the comment on the statistical test"),
    ):
        _too_long(add, "eudract.analysis_text_too_long", f"{at}/{key}", analysis.get(key), limit, what)
