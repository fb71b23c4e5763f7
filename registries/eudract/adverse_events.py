"""The EudraCT adverse-events XML (``aev:adverseEvents``, official ``adverseEvents.xsd`` v1.1) from the
record's adverse events module, and back.

EudraCT takes this section alone as an upload, or inside the full results file. Mapping (API v2 ->
EudraCT): eventGroups -> reportingGroups (seriousNumAtRisk is subjectsExposed, deathsNumAffected
deathsAllCauses); seriousEvents / otherEvents -> seriousAdverseEvents / nonSeriousAdverseEvents; stats
numEvents/numAffected/numAtRisk -> occurrences/subjectsAffected/subjectsExposed; organSystem by name ->
EUTCT id of the MedDRA SOC (soc.xml), with the MedDRA major version as the term version.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from registries.eudract.vocab import (
    ADVERSE_EVENTS_NS,
    ASSESSMENT_TERMS,
    MEDDRA_TERM,
    XSI_NS,
    soc_ids,
    soc_name,
)
from registries.findings import RegistryError

Record = dict[str, Any]
_VOCABULARY = re.compile(r"^\s*MedDRA\s*(?:v(?:ersion)?\.?\s*)?(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)
_TERMS_BY_VALUE = {value: key for key, value in ASSESSMENT_TERMS.items()}


def meddra_version(vocabulary: Any) -> str | None:
    """ "MedDRA 26.1" -> "26.1"; None for another dictionary."""
    match = _VOCABULARY.match(vocabulary) if isinstance(vocabulary, str) else None
    return match.group(1) if match else None


def _sub(parent: etree._Element, name: str, text: Any = None) -> etree._Element:
    element = etree.SubElement(parent, name)
    if text is not None:
        element.text = str(text)
    return element


def _nil(parent: etree._Element, name: str) -> None:
    etree.SubElement(parent, name).set(f"{{{XSI_NS}}}nil", "true")


def _int_or_nil(parent: etree._Element, name: str, value: Any) -> None:
    if isinstance(value, int):
        _sub(parent, name, value)
    else:
        _nil(parent, name)


def _term(parent: etree._Element, name: str, value: str) -> None:
    _sub(_sub(parent, name), "value", value)


def _threshold(value: Any) -> str | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


def build_adverse_events(module: dict[str, Any]) -> etree._Element:
    """The ``aev:adverseEvents`` element for an adverse events module (record shape)."""
    root = etree.Element(
        f"{{{ADVERSE_EVENTS_NS}}}adverseEvents", nsmap={"aev": ADVERSE_EVENTS_NS, "xsi": XSI_NS}
    )
    if module.get("description"):
        _sub(root, "description", module["description"])
    threshold = _threshold(module.get("frequencyThreshold"))
    if threshold is not None:
        _sub(root, "nonSeriousEventFrequencyThreshold", threshold)
    if module.get("timeFrame"):
        _sub(root, "timeFrame", module["timeFrame"])
    events = [
        e for key in ("seriousEvents", "otherEvents") for e in module.get(key) or [] if isinstance(e, dict)
    ]
    assessments = {e.get("assessmentType") for e in events}
    if len(assessments) == 1 and None not in assessments:
        _term(root, "assessmentMethod", ASSESSMENT_TERMS[str(assessments.pop())])
    versions = {meddra_version(e.get("sourceVocabulary")) for e in events if e.get("sourceVocabulary")}
    version = next(iter(versions)) if len(versions) == 1 else None
    if version is not None:
        dictionary = _sub(root, "dictionary")
        _nil(dictionary, "otherName")
        _sub(dictionary, "version", version)
        _term(dictionary, "name", MEDDRA_TERM)
    groups = _sub(root, "reportingGroups")
    for group in module.get("eventGroups") or []:
        element = _sub(groups, "reportingGroup")
        element.set("id", str(group.get("id")))
        _sub(element, "title", group.get("title", ""))
        if group.get("description"):
            _sub(element, "description", group["description"])
        else:
            _nil(element, "description")
        _int_or_nil(element, "subjectsAffectedByNonSeriousAdverseEvents", group.get("otherNumAffected"))
        _int_or_nil(element, "subjectsAffectedBySeriousAdverseEvents", group.get("seriousNumAffected"))
        _int_or_nil(element, "subjectsExposed", group.get("seriousNumAtRisk"))
        _int_or_nil(element, "deathsAllCauses", group.get("deathsNumAffected"))
        _int_or_nil(
            element, "deathsResultingFromAdverseEvents", group.get("deathsFromAdverseEventsNumAffected")
        )
    for key, container, item in (
        ("otherEvents", "nonSeriousAdverseEvents", "nonSeriousAdverseEvent"),
        ("seriousEvents", "seriousAdverseEvents", "seriousAdverseEvent"),
    ):
        parent = _sub(root, container)
        for event in module.get(key) or []:
            _event(parent, item, event, serious=key == "seriousEvents")
    return root


def _event(parent: etree._Element, name: str, event: dict[str, Any], *, serious: bool) -> None:
    element = _sub(parent, name)
    if event.get("notes"):
        _sub(element, "description", event["notes"])
    _sub(element, "term", event.get("term", ""))
    soc = soc_ids().get(str(event.get("organSystem", "")).strip().casefold())
    version = meddra_version(event.get("sourceVocabulary"))
    if soc is not None and version is not None:
        organ = _sub(element, "organSystem")
        _sub(organ, "eutctId", soc)
        _sub(organ, "version", version.split(".")[0])
    if event.get("assessmentType") in ASSESSMENT_TERMS:
        _term(element, "assessmentMethod", ASSESSMENT_TERMS[event["assessmentType"]])
    _sub(element, "dictionaryOverridden", "false")
    values = _sub(element, "values")
    for stats in event.get("stats") or []:
        value = _sub(values, "value")
        value.set("reportingGroupId", str(stats.get("groupId")))
        for source, target in (
            ("numEvents", "occurrences"),
            ("numAffected", "subjectsAffected"),
            ("numAtRisk", "subjectsExposed"),
        ):
            if isinstance(stats.get(source), int):
                _sub(value, target, stats[source])
        if serious:
            if isinstance(stats.get("numEventsRelated"), int):
                _sub(value, "occurrencesCausallyRelatedToTreatment", stats["numEventsRelated"])
            if isinstance(stats.get("numDeaths"), int) or isinstance(stats.get("numDeathsRelated"), int):
                fatalities = _sub(value, "fatalities")
                for source, target in (
                    ("numDeaths", "deaths"),
                    ("numDeathsRelated", "deathsCausallyRelatedToTreatment"),
                ):
                    if isinstance(stats.get(source), int):
                        _sub(fatalities, target, stats[source])


# --- import -------------------------------------------------------------------------------------------


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    # The published file pads every value with whitespace (pretty-printed); the value is the stripped text.
    value = child.text.strip()
    return value or None


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child
    return None


def _children(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname == name]


def _int(element: etree._Element | None, name: str, where: str) -> int | None:
    value = _text(element, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise RegistryError(
            "eudract.import_not_a_number", f"{where}/{name} holds {value!r}, not a whole number.", where
        ) from None


def _term_value(element: etree._Element | None, name: str) -> str | None:
    term = _child(element, name) if element is not None else None
    return _text(term, "value") if term is not None else None


def import_adverse_events(element: etree._Element) -> tuple[dict[str, Any], list[str]]:
    """An ``adverseEvents`` element (namespaced or not) as the record's adverse events module, with the
    XPaths of what was not carried over."""
    dropped: list[str] = []
    module: dict[str, Any] = {}
    for name, key in (("description", "description"), ("timeFrame", "timeFrame")):
        if _text(element, name):
            module[key] = _text(element, name)
    if _text(element, "nonSeriousEventFrequencyThreshold") is not None:
        module["frequencyThreshold"] = _threshold(_text(element, "nonSeriousEventFrequencyThreshold"))
    default_assessment = _TERMS_BY_VALUE.get(_term_value(element, "assessmentMethod") or "")
    dictionary = _child(element, "dictionary")
    dictionary_name = _term_value(dictionary, "name") if dictionary is not None else None
    if dictionary is not None and dictionary_name != MEDDRA_TERM:
        dropped.append("adverseEvents/dictionary")
    version = _text(dictionary, "version") if dictionary is not None else None
    vocabulary = f"MedDRA {version}" if version and dictionary_name == MEDDRA_TERM else None
    groups = []
    for index, group in enumerate(_children(_child(element, "reportingGroups"), "reportingGroup")):
        where = f"adverseEvents/reportingGroups/reportingGroup[{index + 1}]"
        exposed = _int(group, "subjectsExposed", where)
        entry: dict[str, Any] = {"id": group.get("id"), "title": _text(group, "title")}
        if _text(group, "description"):
            entry["description"] = _text(group, "description")
        entry.update(
            {
                "deathsNumAffected": _int(group, "deathsAllCauses", where),
                "deathsNumAtRisk": exposed,
                "seriousNumAffected": _int(group, "subjectsAffectedBySeriousAdverseEvents", where),
                "seriousNumAtRisk": exposed,
                "otherNumAffected": _int(group, "subjectsAffectedByNonSeriousAdverseEvents", where),
                "otherNumAtRisk": exposed,
                "deathsFromAdverseEventsNumAffected": _int(group, "deathsResultingFromAdverseEvents", where),
            }
        )
        groups.append({k: v for k, v in entry.items() if v is not None})
    module["eventGroups"] = groups
    for container, item, key in (
        ("seriousAdverseEvents", "seriousAdverseEvent", "seriousEvents"),
        ("nonSeriousAdverseEvents", "nonSeriousAdverseEvent", "otherEvents"),
    ):
        events = []
        for index, event in enumerate(_children(_child(element, container), item)):
            where = f"adverseEvents/{container}/{item}[{index + 1}]"
            events.append(_import_event(event, where, vocabulary, default_assessment, dropped))
        module[key] = events
    return module, dropped


def _import_event(
    event: etree._Element,
    where: str,
    vocabulary: str | None,
    default_assessment: str | None,
    dropped: list[str],
) -> dict[str, Any]:
    entry: dict[str, Any] = {"term": _text(event, "term")}
    organ = _child(event, "organSystem")
    if organ is not None:
        name = soc_name(int(_text(organ, "eutctId") or 0))
        if name is None:
            dropped.append(f"{where}/organSystem")
        else:
            entry["organSystem"] = name
    if vocabulary:
        entry["sourceVocabulary"] = vocabulary
    assessment = _TERMS_BY_VALUE.get(_term_value(event, "assessmentMethod") or "") or default_assessment
    if assessment:
        entry["assessmentType"] = assessment
    if _text(event, "description"):
        entry["notes"] = _text(event, "description")
    if _text(event, "dictionaryOverridden") == "true":
        dropped.append(f"{where}/dictionary")
    stats = []
    for index, value in enumerate(_children(_child(event, "values"), "value")):
        at = f"{where}/values/value[{index + 1}]"
        fatalities = _child(value, "fatalities")
        item = {
            "groupId": value.get("reportingGroupId"),
            "numEvents": _int(value, "occurrences", at),
            "numAffected": _int(value, "subjectsAffected", at),
            "numAtRisk": _int(value, "subjectsExposed", at),
            "numEventsRelated": _int(value, "occurrencesCausallyRelatedToTreatment", at),
            "numDeaths": _int(fatalities, "deaths", at) if fatalities is not None else None,
            "numDeathsRelated": _int(fatalities, "deathsCausallyRelatedToTreatment", at)
            if fatalities is not None
            else None,
        }
        stats.append({k: v for k, v in item.items() if v is not None})
    entry["stats"] = stats
    return entry
