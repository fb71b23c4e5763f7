"""What the EudraCT baseline characteristics demand of the record's baseline module, at the record's
pointers: the fixed characteristics EudraCT asks for, the categories and code lists it knows (EMA/492808/2013
Appendix 1), and results.xsd v1.1's limits where they are tighter than the record schema's. The builder
leaves out what cannot be mapped (see ``registries.eudract.baseline``); these findings say so before
anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registries.enums import Severity
from registries.eudract.baseline import (
    age_category,
    characteristics,
    gender_category,
    is_categorical,
    total_group,
)
from registries.eudract.disposition import title_key
from registries.eudract.end_point_checks import check_values
from registries.eudract.end_points import CATEGORY_NAME_MAX, analysis_sets, rows
from registries.eudract.vocab import (
    AGE_CATEGORIES,
    BASELINE_DISPERSIONS,
    CENTRAL_TENDENCIES,
    GENDER_CATEGORIES,
    age_unit,
)

Add = Callable[..., None]
_XSD = "EudraCT results.xsd v1.1"
_TERMS = "EudraCT Results XML guidance EMA/492808/2013 Appendix 1"
# Commission guideline 2012/C 302/03, annex (results data fields): the baseline characteristics include age
# and gender; results.xsd v1.1 requires the age categorical and gender categorical characteristics.
_MANDATORY = "Commission guideline 2012/C 302/03, annex; EudraCT results.xsd v1.1 (BaselineCharacteristics)"
_BASELINE = "/resultsSection/baselineCharacteristicsModule"
# results.xsd v1.1 Characteristic: title 2 to 100 characters, description at most 600, unit 2 to 40.
TITLE = (2, 100)
DESCRIPTION_MAX = 600
UNIT = (2, 40)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _row_pointers(at: str, measure: dict[str, Any]) -> list[str]:
    """The pointer of each row's name (the category title, else its row block's), in ``rows`` order."""
    out = []
    for c_index, block in enumerate(_dicts(measure.get("classes"))):
        for k_index, category in enumerate(_dicts(block.get("categories"))):
            titled = category.get("title") or not block.get("title")
            out.append(f"{at}/classes/{c_index}" + (f"/categories/{k_index}/title" if titled else "/title"))
    return out


def check_baseline(add: Add, record: dict[str, Any]) -> None:
    module = (record.get("resultsSection") or {}).get("baselineCharacteristicsModule") or {}
    measures = _dicts(module.get("measures"))
    if not measures:
        return
    arms = {
        title_key(g.get("title"))
        for g in _dicts(
            ((record.get("resultsSection") or {}).get("participantFlowModule") or {}).get("groups")
        )
    }
    sets = {title_key(s.get("title")) for s in analysis_sets(record)}
    for index, group in enumerate(_dicts(module.get("groups"))):
        key = title_key(group.get("title"))
        if key not in arms and key not in sets and not total_group(group):
            add(
                "eudract.baseline_group_unmatched",
                f"{_BASELINE}/groups/{index}/title",
                f"{group.get('title')!r} is neither a group of the participant flow (an EudraCT arm), nor a "
                "subject analysis set in euSection.subjectAnalysisSets, nor the total; EudraCT reports "
                "baseline values only for those.",
                f"{_XSD} (BaselineReportingGroup, CharacteristicSubjectAnalysisSet, TotalBaselineGroup)",
            )
    chosen = characteristics(measures)
    for found, code, what, severity in (
        (
            chosen.age_categorical,
            "eudract.baseline_age_categories_missing",
            "age in categories",
            Severity.ERROR,
        ),
        (chosen.gender, "eudract.baseline_gender_missing", "sex (gender) in categories", Severity.ERROR),
        (
            chosen.age_continuous,
            "eudract.baseline_age_continuous_missing",
            "age as a statistic",
            Severity.WARNING,
        ),
    ):
        if found is None:
            add(
                code,
                f"{_BASELINE}/measures",
                f"Add a baseline characteristic on {what}; EudraCT's file has a place for it and sends it "
                "empty otherwise.",
                _MANDATORY,
                severity,
            )
    if chosen.age_categorical is not None:
        _age_breakdown(add, record, module, measures[chosen.age_categorical])
    for index, measure in enumerate(measures):
        at = f"{_BASELINE}/measures/{index}"
        _common(add, at, measure)
        if index == chosen.age_categorical:
            _categories(
                add, at, measure, age_category, "eudract.age_category_unmapped", AGE_CATEGORIES.values()
            )
        elif index == chosen.gender:
            _categories(
                add, at, measure, gender_category, "eudract.gender_category_unmapped", GENDER_CATEGORIES
            )
        elif is_categorical(measure):
            for (name, _), pointer in zip(rows(measure), _row_pointers(at, measure), strict=True):
                if name and not 2 <= len(name) <= CATEGORY_NAME_MAX:
                    add(
                        "eudract.category_name_length",
                        pointer,
                        f"EudraCT names each category (the row and category titles, {name!r}) in 2 to "
                        f"{CATEGORY_NAME_MAX} characters; this one has {len(name)}.",
                        f"{_XSD} (Category.name)",
                    )
        else:
            _continuous(add, at, measure, age=index == chosen.age_continuous)


def _common(add: Add, at: str, measure: dict[str, Any]) -> None:
    title = measure.get("title")
    if isinstance(title, str) and not TITLE[0] <= len(title) <= TITLE[1]:
        add(
            "eudract.characteristic_title_length",
            f"{at}/title",
            f"EudraCT takes characteristic titles of {TITLE[0]} to {TITLE[1]} characters; this one has "
            f"{len(title)}.",
            f"{_XSD} (Characteristic.title)",
        )
    description = measure.get("description")
    if isinstance(description, str) and len(description) > DESCRIPTION_MAX:
        add(
            "eudract.characteristic_description_too_long",
            f"{at}/description",
            f"EudraCT takes at most {DESCRIPTION_MAX} characters for a characteristic's description "
            f"({len(description)} given).",
            f"{_XSD} (Characteristic.description)",
        )
    unit = measure.get("unitOfMeasure")
    if isinstance(unit, str) and not UNIT[0] <= len(unit) <= UNIT[1]:
        add(
            "eudract.unit_length",
            f"{at}/unitOfMeasure",
            f"EudraCT takes units of {UNIT[0]} to {UNIT[1]} characters; this one has {len(unit)}.",
            f"{_XSD} (Characteristic.unit)",
        )
    categorical = is_categorical(measure)
    check_values(add, at, measure, whole_numbers=categorical)


def _categories(
    add: Add, at: str, measure: dict[str, Any], name_of: Callable[[str], str | None], code: str, known: Any
) -> None:
    for (name, _), pointer in zip(rows(measure), _row_pointers(at, measure), strict=True):
        if name_of(name) is None:
            add(
                code,
                pointer,
                f"{name!r} is not one of EudraCT's categories for {measure.get('title')!r} "
                f"({', '.join(known)}); its counts are left out. Report the characteristic in those "
                "categories.",
                f"{_XSD} (AgeCategoricalCharacteristic, GenderCategoricalCharacteristic); the categories "
                "of the real file 2013-004502-26",
            )


def _continuous(add: Add, at: str, measure: dict[str, Any], *, age: bool) -> None:
    param = measure.get("paramType")
    if param not in CENTRAL_TENDENCIES:
        add(
            "eudract.baseline_statistic_unmapped",
            f"{at}/paramType",
            f"EudraCT's list of central tendencies has no term for {param}; report the characteristic as a "
            "mean, median, least squares mean, geometric mean or log mean, or as counts in named rows.",
            f"{_TERMS}, list 'Central tendency'",
        )
    spread = measure.get("dispersionType")
    if spread not in (None, "NA") and spread not in BASELINE_DISPERSIONS:
        add(
            "eudract.baseline_dispersion_unmapped",
            f"{at}/dispersionType",
            f"EudraCT's list of baseline dispersions has no term for {spread} (it knows standard deviation, "
            "inter-quartile range and full range); the values' spread is left out.",
            f"{_TERMS}, list 'Dispersion'",
        )
    if age and age_unit(measure.get("unitOfMeasure")) is None:
        add(
            "eudract.age_unit_unmapped",
            f"{at}/unitOfMeasure",
            f"EudraCT gives age in years, months, weeks, days, hours or minutes, not "
            f"{measure.get('unitOfMeasure')!r}.",
            f"{_TERMS}, list 'Age unit'; {_XSD} (AgeContinuousCharacteristic)",
        )
    if len(rows(measure)) > 1:
        add(
            "eudract.baseline_rows_unsupported",
            f"{at}/classes",
            "EudraCT holds one value per group for a continuous characteristic; only the first row is sent. "
            "Report each row as a characteristic of its own.",
            f"{_XSD} (CharacteristicReportingGroup: one tendencyValue and dispersionValue)",
        )


def _age_breakdown(add: Add, record: dict[str, Any], module: dict[str, Any], measure: dict[str, Any]) -> None:
    """The file states the participants per age category twice: in trialInformation.populationAgeGroup (from
    euSection.ageGroupBreakdown) and as the age categorical characteristic's totals; in the real file
    2013-004502-26 they agree (281, 114 and 1). Where the record's two differ, one of them is likely wrong."""
    breakdown = (record.get("euSection") or {}).get("ageGroupBreakdown")
    if not isinstance(breakdown, dict) or not breakdown:
        return
    groups = _dicts(module.get("groups"))
    total = next((str(g.get("id")) for g in groups if total_group(g)), None)
    keys = {name: key for key, name in AGE_CATEGORIES.items()}
    totals: dict[str, int] = {}
    for name, category in rows(measure):
        mapped = age_category(name)
        if mapped is None:
            continue
        cells = _dicts(category.get("measurements"))
        values = [c.get("value") for c in cells if total is None or str(c.get("groupId")) == total]
        totals[keys[mapped]] = sum(int(str(v)) for v in values if str(v).isdigit())
    for key in AGE_CATEGORIES:
        stated = breakdown.get(key) or 0
        if key in totals and totals[key] != stated:
            add(
                "eudract.age_breakdown_mismatch",
                f"/euSection/ageGroupBreakdown/{key}",
                f"{stated} participants are given as {AGE_CATEGORIES[key]!r} in the age breakdown, but the "
                f"baseline's age categories count {totals[key]}; EudraCT shows both.",
                f"{_XSD} (TrialInformation.populationAgeGroup, AgeCategoricalCharacteristic)",
                Severity.WARNING,
            )
