"""The facts of a record that must survive a trip through PRS XML (test helper, not a test module)."""

from __future__ import annotations

from typing import Any


def _measure_values(measure: dict[str, Any]) -> list[tuple[Any, ...]]:
    values = []
    for measure_class in measure.get("classes") or []:
        for category in measure_class.get("categories") or []:
            for m in category.get("measurements") or []:
                values.append(
                    (
                        measure_class.get("title"),
                        category.get("title"),
                        m.get("groupId"),
                        m.get("value"),
                        m.get("spread"),
                        m.get("lowerLimit"),
                        m.get("upperLimit"),
                    )
                )
    return sorted(values, key=repr)


def _events(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            e.get("term"),
            e.get("organSystem"),
            tuple(
                (s.get("groupId"), s.get("numEvents"), s.get("numAffected"), s.get("numAtRisk"))
                for s in e.get("stats") or []
            ),
        )
        for e in events
    ]


def record_facts(record: dict[str, Any]) -> dict[str, Any]:
    """Identifiers, titles, status and dates, arms, interventions, outcome measures with their groups
    and values, and adverse events with their counts."""
    protocol = record.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    arms = protocol.get("armsInterventionsModule") or {}
    results = record.get("resultsSection") or {}
    events = results.get("adverseEventsModule") or {}
    return {
        "org_study_id": (ident.get("orgStudyIdInfo") or {}).get("id"),
        "secondary_ids": [s.get("id") for s in ident.get("secondaryIdInfos") or []],
        "titles": (ident.get("briefTitle"), ident.get("officialTitle"), ident.get("acronym")),
        "status": status.get("overallStatus"),
        "dates": [
            status.get(key)
            for key in ("startDateStruct", "primaryCompletionDateStruct", "completionDateStruct")
        ],
        "arms": [(a.get("label"), a.get("type"), a.get("description")) for a in arms.get("armGroups") or []],
        "interventions": [
            (i.get("type"), i.get("name"), i.get("armGroupLabels"), i.get("otherNames"))
            for i in arms.get("interventions") or []
        ],
        "outcome_measures": [
            {
                "type": m.get("type"),
                "title": m.get("title"),
                "time_frame": m.get("timeFrame"),
                "unit": m.get("unitOfMeasure"),
                "param": m.get("paramType"),
                "dispersion": m.get("dispersionType"),
                "groups": [(g.get("id"), g.get("title")) for g in m.get("groups") or []],
                "values": _measure_values(m),
            }
            for m in (results.get("outcomeMeasuresModule") or {}).get("outcomeMeasures") or []
        ],
        "event_groups": [
            (
                g.get("id"),
                g.get("title"),
                g.get("deathsNumAffected"),
                g.get("deathsNumAtRisk"),
                g.get("seriousNumAffected"),
                g.get("seriousNumAtRisk"),
                g.get("otherNumAffected"),
                g.get("otherNumAtRisk"),
            )
            for g in events.get("eventGroups") or []
        ],
        "serious_events": _events(events.get("seriousEvents") or []),
        "other_events": _events(events.get("otherEvents") or []),
    }
