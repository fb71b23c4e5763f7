"""The EudraCT baseline characteristics (results.xsd v1.1 ``BaselineCharacteristics``) from the record's
baseline characteristics module, and back.

Reporting groups: a baseline group whose title matches a participant-flow group is that arm in the baseline
period (``baselineReportingGroup`` with the arm's and the period's ids, the subjects from the module's
denominator); one whose title matches a set in ``euSection.subjectAnalysisSets`` (ext) reports that subject
analysis set directly; one titled "Total" (API v2's total column) gives a categorical characteristic's
``totalBaselineGroup``. Any other group is not sent and the checks report it
(``eudract.baseline_group_unmatched``). The reporting model is always "Arm" (list "Baseline reporting
model"): the record holds baseline values per arm, not per period.

Characteristics: the first measure titled "Age..." with counts in named rows is EudraCT's age categorical
characteristic (preferring one whose rows all name EudraCT's fixed age categories, ``AGE_CATEGORIES``), the
first other "Age..." measure the age continuous one, the first "Sex..."/"Gender..." measure the gender
categorical one; every other measure is a study-specific characteristic, categorical when it reports
counts (or API v2's NUMBER of participants, as in "Region of Enrollment") in named rows, else continuous.
The schema requires the three fixed characteristics; one the record lacks is sent empty, not ready for
values, and the checks report it. A continuous characteristic's statistic maps to the list "Central
tendency" and its dispersion to the list "Dispersion" (``vocab``); a categorical one's rows (class and
category titles joined, as the end points name them) become categories with a count per group. What cannot
be mapped (an age row that is no EudraCT category, a statistic or dispersion without a term, a second row
of a continuous measure) is left out here and reported by the checks at the record's pointer; nothing is
guessed.

EudraCT has no place for the module's population description and units analysed, a measure's population
description, per-measure denominators, or a measurement's comment, so they are not sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from registries.eudract.disposition import (
    BASELINE_PERIOD_ID,
    _child,
    _children,
    _sub,
    _term,
    _term_value,
    _text,
    title_key,
)
from registries.eudract.end_points import decimal_text, rows
from registries.eudract.vocab import (
    AGE_CATEGORIES,
    AGE_CATEGORY_ALIASES,
    BASELINE_DISPERSIONS,
    BASELINE_RANGE_DISPERSIONS,
    CENTRAL_TENDENCIES,
    COUNT_PARAMS,
    GENDER_CATEGORIES,
    XSI_NS,
    age_unit,
    term_label,
)
from registries.eudract.xmltree import dig as _dig

Record = dict[str, Any]
AGE_CONTINUOUS = "ageContinuousCharacteristic"
GENDER = "genderCategoricalCharacteristic"
AGE_CATEGORICAL = "ageCategoricalCharacteristic"
# The titles EudraCT gives the three fixed characteristics (the real file 2013-004502-26).
_AGE = re.compile(r"^age\b")
_GENDER = re.compile(r"^(sex|gender)\b")
FIXED_TITLES = {
    AGE_CONTINUOUS: "Age Continuous",
    GENDER: "Gender Categorical",
    AGE_CATEGORICAL: "Age Categorical",
}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def age_category(name: str) -> str | None:
    """A row name -> EudraCT's age category it names (ignoring case and spacing), or None."""
    key = title_key(name)
    if key in AGE_CATEGORY_ALIASES:
        return AGE_CATEGORY_ALIASES[key]
    return next((c for c in AGE_CATEGORIES.values() if title_key(c) == key), None)


def gender_category(name: str) -> str | None:
    return next((c for c in GENDER_CATEGORIES if title_key(c) == title_key(name)), None)


def is_categorical(measure: dict[str, Any]) -> bool:
    """Counts in named rows: a categorical characteristic (API v2 reports "Region of Enrollment" as the
    NUMBER of participants per row, so NUMBER counts too)."""
    return measure.get("paramType") in (*COUNT_PARAMS, "NUMBER") and any(name for name, _ in rows(measure))


def total_group(group: dict[str, Any]) -> bool:
    """API v2 titles the total column "Total"; EudraCT's files title it "Total ..." ("Total title")."""
    return title_key(group.get("title")).split(" ")[0] == "total"


@dataclass(frozen=True)
class Characteristics:
    """The baseline measures' indexes by EudraCT characteristic (None: the record has none)."""

    age_continuous: int | None
    gender: int | None
    age_categorical: int | None
    study_categorical: list[int]
    study_continuous: list[int]


def characteristics(measures: list[dict[str, Any]]) -> Characteristics:
    ages = [i for i, m in enumerate(measures) if _AGE.match(title_key(m.get("title")))]
    genders = [i for i, m in enumerate(measures) if _GENDER.match(title_key(m.get("title")))]
    categorical = [i for i in ages if is_categorical(measures[i])]
    mapped = [i for i in categorical if all(age_category(name) for name, _ in rows(measures[i]))]
    fixed = (
        next((i for i in ages if i not in categorical), None),
        genders[0] if genders else None,
        (mapped or categorical)[0] if categorical else None,
    )
    rest = [i for i in range(len(measures)) if i not in fixed]
    return Characteristics(
        *fixed,
        study_categorical=[i for i in rest if is_categorical(measures[i])],
        study_continuous=[i for i in rest if not is_categorical(measures[i])],
    )


class _Groups:
    """The module's groups resolved to EudraCT: arm reporting groups, subject analysis sets and the total."""

    def __init__(self, module: dict[str, Any], arms: dict[str, str], sets: dict[str, str]) -> None:
        self.arms: list[tuple[str, str, dict[str, Any]]] = []  # (group id, baseline group id, group)
        self.sets: list[tuple[str, str]] = []  # (group id, set id)
        self.total: dict[str, Any] | None = None
        for group in _dicts(module.get("groups")):
            key = title_key(group.get("title"))
            # Only arms of the baseline period can be baseline reporting groups (BaselineReportingGroup
            # refers to both); the builder's arm ids start with their period's id.
            if key in arms and arms[key].startswith(f"{BASELINE_PERIOD_ID}-"):
                self.arms.append((str(group.get("id")), f"baselineGroup{len(self.arms) + 1}", group))
            elif key in sets:
                self.sets.append((str(group.get("id")), sets[key]))
            elif total_group(group) and self.total is None:
                self.total = group
        denoms = _dicts(module.get("denoms"))
        self.subjects = {
            str(c.get("groupId")): str(c["value"])
            for c in _dicts(denoms[0].get("counts") if denoms else None)
            if str(c.get("value", "")).isdigit()
        }


def build_baseline(record: Record, arms: dict[str, str], sets: dict[str, str]) -> etree._Element | None:
    """The ``baselineCharacteristics`` element, or None when the record has no baseline measures."""
    module = _dig(record, "resultsSection", "baselineCharacteristicsModule")
    measures = _dicts(_dig(module, "measures"))
    if not measures:
        return None
    groups = _Groups(module, arms, sets)
    element = etree.Element("baselineCharacteristics")
    _term(element, "reportingModel", "Baseline reporting model", "Arm")
    chosen = characteristics(measures)
    if chosen.study_categorical:
        holder = _sub(element, "studyCategoricalCharacteristics")
        for number, index in enumerate(chosen.study_categorical, start=1):
            tag = "studyCategoricalCharacteristic"
            _categorical(holder, tag, f"characteristic{number}", measures[index], groups, lambda name: name)
    if chosen.study_continuous:
        holder = _sub(element, "studyContinuousCharacteristics")
        for index in chosen.study_continuous:
            _continuous(holder, "studyContinuousCharacteristic", measures[index], groups)
    fixed = {
        key: None if index is None else measures[index]
        for key, index in (
            (AGE_CONTINUOUS, chosen.age_continuous),
            (GENDER, chosen.gender),
            (AGE_CATEGORICAL, chosen.age_categorical),
        )
    }
    _continuous(element, AGE_CONTINUOUS, fixed[AGE_CONTINUOUS], groups)
    _categorical(element, GENDER, "gender", fixed[GENDER], groups, gender_category)
    _categorical(element, AGE_CATEGORICAL, "age", fixed[AGE_CATEGORICAL], groups, age_category)
    if groups.arms:
        holder = _sub(element, "baselineReportingGroups")
        for gid, bid, group in groups.arms:
            reporting = _sub(holder, "baselineReportingGroup")
            reporting.set("postAssignmentPeriodId", BASELINE_PERIOD_ID)
            reporting.set("armId", arms[title_key(group.get("title"))])
            reporting.set("id", bid)
            if gid in groups.subjects:
                _sub(reporting, "subjects", groups.subjects[gid])
            if group.get("description"):
                _sub(reporting, "description", group["description"])
    return element


def _nil(parent: etree._Element, name: str) -> None:
    etree.SubElement(parent, name).set(f"{{{XSI_NS}}}nil", "true")


def _optional_nil(parent: etree._Element, name: str, value: Any) -> None:
    if value:
        _sub(parent, name, value)
    else:
        _nil(parent, name)


def _head(parent: etree._Element, tag: str, measure: dict[str, Any] | None, unit: Any) -> etree._Element:
    """A characteristic's common part (``Characteristic``): readiness, title, description and unit."""
    element = _sub(parent, tag)
    _sub(element, "readyForValues", measure is not None)
    _sub(element, "title", (measure or {}).get("title") or FIXED_TITLES.get(tag))
    _optional_nil(element, "description", (measure or {}).get("description"))
    _optional_nil(element, "unit", unit)
    return element


def _cell(category: dict[str, Any], gid: str) -> dict[str, Any] | None:
    return next((m for m in _dicts(category.get("measurements")) if str(m.get("groupId")) == gid), None)


def _number(parent: etree._Element, name: str, value: Any) -> None:
    text = decimal_text(value)
    if text is None:
        _nil(parent, name)
    else:
        _sub(parent, name, text)


def _count(parent: etree._Element, category_id: str, cell: dict[str, Any] | None) -> None:
    value = _sub(parent, "countableValue")
    value.set("categoryId", category_id)
    count = str((cell or {}).get("value", ""))
    if count.isdigit():
        _sub(value, "value", count)
    else:
        _nil(value, "value")


def _categorical(
    parent: etree._Element,
    tag: str,
    cid: str,
    measure: dict[str, Any] | None,
    groups: _Groups,
    name_of: Any,
) -> None:
    element = _head(parent, tag, measure, (measure or {}).get("unitOfMeasure"))
    if measure is None:
        return
    # Only the rows that name a category EudraCT takes (all of a study characteristic's rows).
    categories = [
        (f"{cid}-category{n}", name, category)
        for n, (name, category) in enumerate(
            ((name_of(row), category) for row, category in rows(measure)), start=1
        )
        if name
    ]

    def values(holder: etree._Element, gid: str) -> None:
        counts = _sub(holder, "countableValues")
        for category_id, _, category in categories:
            _count(counts, category_id, _cell(category, gid))

    _per_group(element, groups, values)
    if groups.total is not None:
        total = _sub(element, "totalBaselineGroup")
        total.set("id", f"{cid}-total")
        gid = str(groups.total.get("id"))
        if gid in groups.subjects:
            _sub(total, "subjects", groups.subjects[gid])
        _sub(total, "title", groups.total.get("title"))
        values(total, gid)
    holder = _sub(element, "categories")
    for category_id, name, _ in categories:
        category = _sub(holder, "category")
        category.set("id", category_id)
        _sub(category, "name", name)


def _per_group(
    element: etree._Element, groups: _Groups, values: Callable[[etree._Element, str], None]
) -> None:
    """A characteristic's values for each arm (``reportingGroups``) and each subject analysis set;
    ``values`` writes one group's values (given its record group id) into the element it is given."""
    if groups.arms:
        holder = _sub(element, "reportingGroups")
        for gid, bid, _ in groups.arms:
            reporting = _sub(holder, "reportingGroup")
            reporting.set("baselineReportingGroupId", bid)
            values(reporting, gid)
    if groups.sets:
        holder = _sub(element, "subjectAnalysisSets")
        for gid, set_id in groups.sets:
            reporting = _sub(holder, "subjectAnalysisSet")
            reporting.set("subjectAnalysisSetId", set_id)
            values(reporting, gid)


def _continuous(parent: etree._Element, tag: str, measure: dict[str, Any] | None, groups: _Groups) -> None:
    unit = (measure or {}).get("unitOfMeasure")
    if tag == AGE_CONTINUOUS and measure is not None:
        # See list 'Age unit' (AgeContinuousCharacteristic): a unit it does not know is left out.
        unit = age_unit(unit)
    element = _head(parent, tag, measure, unit)
    if measure is None:
        _nil(element, "centralTendencyType")
        _nil(element, "dispersionType")
        return
    spread = measure.get("dispersionType")
    named = rows(measure)
    # EudraCT holds one value per group for a continuous characteristic: the first row's.
    first = named[0][1] if named else {}

    def values(holder: etree._Element, gid: str) -> None:
        cell = _cell(first, gid) or {}
        _number(_sub(holder, "tendencyValue"), "value", cell.get("value"))
        if spread in BASELINE_DISPERSIONS:
            value = _sub(holder, "dispersionValue")
            ranged = spread in BASELINE_RANGE_DISPERSIONS
            _number(value, "value", cell.get("lowerLimit") if ranged else cell.get("spread"))
            _number(value, "highRangeValue", cell.get("upperLimit") if ranged else None)

    _per_group(element, groups, values)
    central = CENTRAL_TENDENCIES.get(str(measure.get("paramType")))
    if central:
        _term(element, "centralTendencyType", "Central tendency", central)
    else:
        _nil(element, "centralTendencyType")
    if spread in BASELINE_DISPERSIONS:
        _term(element, "dispersionType", "Dispersion", BASELINE_DISPERSIONS[str(spread)])
    else:
        _nil(element, "dispersionType")


# --- import -------------------------------------------------------------------------------------------

_PARAMS = {label: code for code, label in CENTRAL_TENDENCIES.items()}
_DISPERSIONS = {label: code for code, label in BASELINE_DISPERSIONS.items()}


def import_baseline(
    element: etree._Element, arm_titles: dict[str, str], set_titles: dict[str, str], dropped: list[str]
) -> dict[str, Any]:
    """``baselineCharacteristics`` as the record's baseline characteristics module: one group per baseline
    reporting group (titled by its arm), per subject analysis set reported and, when a categorical
    characteristic has one, the total; the fixed characteristics first (so the builder finds them again
    before any study-specific one with a similar title), then the study-specific ones."""
    model = term_label("Baseline reporting model", _term_value(element, "reportingModel"))
    if model == "Period":
        dropped.append("result/baselineCharacteristics/reportingModel")
    groups: list[dict[str, Any]] = []
    counts: list[dict[str, Any]] = []
    by_id: dict[str, str] = {}

    def add_group(key: str, title: str | None, description: str | None, subjects: str | None) -> None:
        gid = f"BG{len(groups):03d}"
        by_id[key] = gid
        group: dict[str, Any] = {"id": gid, "title": title}
        if description:
            group["description"] = description
        groups.append(group)
        if subjects is not None:
            counts.append({"groupId": gid, "value": subjects})

    holder = _child(element, "baselineReportingGroups")
    for reporting in _children(holder, "baselineReportingGroup"):
        title = arm_titles.get(str(reporting.get("armId")))
        add_group(
            str(reporting.get("id")), title, _text(reporting, "description"), _text(reporting, "subjects")
        )
    fixed = [_child(element, tag) for tag in (AGE_CONTINUOUS, AGE_CATEGORICAL, GENDER)]
    study = [
        *_children(_child(element, "studyCategoricalCharacteristics"), "studyCategoricalCharacteristic"),
        *_children(_child(element, "studyContinuousCharacteristics"), "studyContinuousCharacteristic"),
    ]
    characteristics_ = [c for c in (*fixed, *study) if c is not None and _text(c, "readyForValues") == "true"]
    for characteristic in characteristics_:
        for reporting in _children(_child(characteristic, "subjectAnalysisSets"), "subjectAnalysisSet"):
            set_id = str(reporting.get("subjectAnalysisSetId"))
            if set_id not in by_id:
                add_group(set_id, set_titles.get(set_id), None, None)
    totals = [t for c in characteristics_ for t in _children(c, "totalBaselineGroup")]
    if totals:
        add_group("total", _text(totals[0], "title") or "Total", None, _text(totals[0], "subjects"))
    module: dict[str, Any] = {"groups": groups}
    if counts:
        module["denoms"] = [{"units": "Participants", "counts": counts}]
    module["measures"] = [_import_characteristic(c, by_id) for c in characteristics_]
    return module


def _import_characteristic(element: etree._Element, by_id: dict[str, str]) -> dict[str, Any]:
    measure: dict[str, Any] = {"title": _text(element, "title")}
    if _text(element, "description"):
        measure["description"] = _text(element, "description")
    categorical = (
        _child(element, "categories") is not None or _child(element, "totalBaselineGroup") is not None
    )
    reporting = [
        (by_id.get(str(r.get("baselineReportingGroupId"))), r)
        for r in _children(_child(element, "reportingGroups"), "reportingGroup")
    ]
    reporting += [
        (by_id.get(str(r.get("subjectAnalysisSetId"))), r)
        for r in _children(_child(element, "subjectAnalysisSets"), "subjectAnalysisSet")
    ]
    if categorical:
        measure["paramType"] = "COUNT_OF_PARTICIPANTS"
        if _text(element, "unit"):
            measure["unitOfMeasure"] = _text(element, "unit")
        reporting += [(by_id.get("total"), t) for t in _children(element, "totalBaselineGroup")]
        categories = [
            (c.get("id"), _text(c, "name")) for c in _children(_child(element, "categories"), "category")
        ]
        cells: dict[Any, list[dict[str, Any]]] = {cid: [] for cid, _ in categories}
        for gid, group in reporting:
            for value in _children(_child(group, "countableValues"), "countableValue"):
                cells.setdefault(value.get("categoryId"), []).append(
                    {"groupId": gid, "value": _text(value, "value") or "NA"}
                )
        names = dict(categories)
        measure["classes"] = [
            {"categories": [{"title": names.get(cid) or "", "measurements": cells[cid]} for cid in cells]}
        ]
        return measure
    central = term_label("Central tendency", _term_value(element, "centralTendencyType"))
    if central in _PARAMS:
        measure["paramType"] = _PARAMS[central]
    spread = _DISPERSIONS.get(term_label("Dispersion", _term_value(element, "dispersionType")) or "")
    measure["dispersionType"] = spread or "NA"
    if _text(element, "unit"):
        measure["unitOfMeasure"] = _text(element, "unit")
    measurements = []
    for gid, group in reporting:
        cell: dict[str, Any] = {
            "groupId": gid,
            "value": _text(_child(group, "tendencyValue"), "value") or "NA",
        }
        dispersion = _child(group, "dispersionValue")
        if spread in BASELINE_RANGE_DISPERSIONS:
            cell["lowerLimit"] = _text(dispersion, "value") or "NA"
            cell["upperLimit"] = _text(dispersion, "highRangeValue") or "NA"
        elif spread:
            cell["spread"] = _text(dispersion, "value") or "NA"
        measurements.append(cell)
    measure["classes"] = [{"categories": [{"measurements": measurements}]}]
    return measure
