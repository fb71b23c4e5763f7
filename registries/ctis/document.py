"""The CTIS JSON payload: the trial's CTIS fields and, at the results stage, the summary of results in
the order of CTR Annex IV (A trial information, B subject disposition, C baseline characteristics,
D end points, E adverse events, F additional information).

CTIS publishes no upload schema: this is what a CTIS user enters, structured so that it can be checked
(``schemas/ctis/v1/ctis-payload.schema.json``) and copied into the portal field by field. Sections B to
E keep the record's result modules as they are (ClinicalTrials.gov API v2 shapes), which carry every
item Annex IV lists for them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from registries import identifiers
from registries.ctis.vocab import AGE_CATEGORIES, EEA_COUNTRY_NAMES, PAYLOAD_SCHEMA_ID
from registries.enums import Stage

Record = dict[str, Any]


def _section(record: Record, *path: str) -> dict[str, Any]:
    node: Any = record
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _date(struct: Any) -> dict[str, str] | None:
    if isinstance(struct, dict) and isinstance(struct.get("date"), str):
        return {"date": struct["date"], "type": str(struct.get("type") or "ACTUAL")}
    return None


def _drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


def _secondary_id(record: Record, domain_word: str) -> str | None:
    for item in _section(record, "protocolSection", "identificationModule").get("secondaryIdInfos") or []:
        if isinstance(item, dict) and domain_word.lower() in str(item.get("domain", "")).lower():
            return str(item.get("id"))
    return None


def trial_information(record: Record) -> dict[str, Any]:
    """The trial's identity as CTIS shows it (Annex IV A.1-A.4 and Part I of the application)."""
    identification = _section(record, "protocolSection", "identificationModule")
    sponsors = _section(record, "protocolSection", "sponsorCollaboratorsModule")
    eu = _section(record, "euSection")
    uk = _section(record, "ukSection")
    who = _section(record, "whoSection")
    member_states = []
    for state in eu.get("memberStates") or []:
        if not isinstance(state, dict):
            continue
        member_states.append(
            _drop_empty(
                {
                    "country": state.get("country"),
                    "countryName": EEA_COUNTRY_NAMES.get(str(state.get("country"))),
                    "status": state.get("status"),
                    "decisionDate": state.get("decisionDate"),
                    "firstParticipantDate": state.get("firstParticipantDate"),
                    "endOfTrial": _date(state.get("endOfTrialDateStruct")),
                    "endOfTrialNotifiedDate": state.get("endOfTrialNotifiedDate"),
                    "earlyTermination": state.get("earlyTermination"),
                    "earlyTerminationReason": state.get("earlyTerminationReason"),
                }
            )
        )
    return _drop_empty(
        {
            "euCtNumber": eu.get("euCtNumber"),
            "eudractNumber": eu.get("eudractNumber"),
            "transitioned": eu.get("transitioned"),
            "fullTitle": identification.get("officialTitle"),
            "publicTitle": identification.get("briefTitle"),
            "acronym": identification.get("acronym"),
            "sponsorProtocolCode": _section(identification, "orgStudyIdInfo").get("id"),
            "otherIdentifiers": _drop_empty(
                {
                    "nctNumber": identification.get("nctId"),
                    "isrctn": uk.get("isrctn") or _secondary_id(record, "ISRCTN"),
                    # The UTN may be stated only among the secondary IDs (registries.identifiers.utn).
                    "whoUtn": who.get("utn") or identifiers.utn(record) or None,
                }
            ),
            "sponsor": _drop_empty(
                {
                    "name": _section(sponsors, "leadSponsor").get("name"),
                    "class": _section(sponsors, "leadSponsor").get("class"),
                }
            ),
            "paediatric": _drop_empty(
                {
                    "paediatricTrial": eu.get("paediatric"),
                    "partOfPip": True if eu.get("pipNumber") else None,
                    "pipNumber": eu.get("pipNumber"),
                    "article46": eu.get("article46"),
                }
            ),
            "memberStatesConcerned": member_states,
        }
    )


def population(record: Record) -> dict[str, Any]:
    """Annex IV A.7: participants per member state, in the EU/EEA, in third countries, by age and sex."""
    eu = _section(record, "euSection")
    counts = [
        item for item in eu.get("participantsByCountry") or [] if isinstance(item, dict) and "country" in item
    ]
    concerned = {state.get("country") for state in eu.get("memberStates") or [] if isinstance(state, dict)}
    in_eea = [
        {"country": c["country"], "count": c["count"]} for c in counts if c["country"] in EEA_COUNTRY_NAMES
    ]
    third = [
        {"country": c["country"], "count": c["count"]}
        for c in counts
        if c["country"] not in EEA_COUNTRY_NAMES
    ]
    ages = _section(eu, "ageGroupBreakdown")
    return _drop_empty(
        {
            "perMemberState": [c for c in in_eea if c["country"] in concerned],
            "perOtherEeaState": [c for c in in_eea if c["country"] not in concerned],
            "perThirdCountry": third,
            "inEuEea": sum(int(c["count"]) for c in in_eea) if counts else None,
            "inThirdCountries": sum(int(c["count"]) for c in third) if counts else None,
            "total": sum(int(c["count"]) for c in counts) if counts else None,
            "byAgeCategory": [
                {"category": label, "count": ages[key]}
                for key, label in AGE_CATEGORIES.items()
                if key in ages
            ],
            "bySex": sex_breakdown(record),
        }
    )


def sex_breakdown(record: Record) -> dict[str, int] | None:
    """Female and male totals from the baseline measure on sex (its last, overall group)."""
    measure = baseline_measure(record, "sex")
    if measure is None:
        return None
    totals: dict[str, int] = {}
    for item in measure.get("classes") or []:
        for category in item.get("categories") or []:
            title = str(category.get("title", "")).strip().lower()
            values = [m.get("value") for m in category.get("measurements") or []]
            if title in ("female", "male") and values and str(values[-1]).isdigit():
                totals[title] = int(values[-1])
    return totals or None


def baseline_measure(record: Record, topic: str) -> dict[str, Any] | None:
    """The first baseline measure whose title starts with ``topic`` ("age", "sex"); Annex IV C makes age
    and sex (gender) the two mandatory baseline characteristics."""
    for measure in _section(record, "resultsSection", "baselineCharacteristicsModule").get("measures") or []:
        if isinstance(measure, dict) and str(measure.get("title", "")).strip().lower().startswith(topic):
            return measure
    return None


def analysis_stage(record: Record) -> dict[str, Any]:
    """Annex IV A.5: interim or final analysis, its date, and the end-of-trial dates."""
    eu = _section(record, "euSection")
    analyses = [a for a in eu.get("intermediateAnalyses") or [] if isinstance(a, dict)]
    return _drop_empty(
        {
            "stage": eu.get("resultsAnalysisStage"),
            "intermediateAnalyses": [_drop_empty(dict(a)) for a in analyses],
            "endOfTrialInEuEea": _date(eu.get("endOfTrialInAllMemberStatesDateStruct")),
            "globalEndOfTrial": _date(eu.get("globalEndOfTrialDateStruct")),
        }
    )


def general_information(record: Record) -> dict[str, Any]:
    """Annex IV A.6: main objectives, start date, why the trial was done."""
    status = _section(record, "protocolSection", "statusModule")
    description = _section(record, "protocolSection", "descriptionModule")
    design = _section(record, "protocolSection", "designModule")
    return _drop_empty(
        {
            "mainObjective": description.get("briefSummary"),
            "actualStartDate": _date(status.get("startDateStruct")),
            "phases": list(design.get("phases") or []),
            "overallStatus": status.get("overallStatus"),
        }
    )


def summary_of_results(record: Record) -> dict[str, Any]:
    results = _section(record, "resultsSection")
    eu = _section(record, "euSection")
    more = _section(results, "moreInfoModule")
    return {
        "A_trialInformation": _drop_empty(
            {
                "analysisStage": analysis_stage(record),
                "generalInformation": general_information(record),
                "population": population(record),
            }
        ),
        "B_subjectDisposition": copy.deepcopy(results.get("participantFlowModule") or {}),
        "C_baselineCharacteristics": copy.deepcopy(results.get("baselineCharacteristicsModule") or {}),
        "D_endPoints": copy.deepcopy(results.get("outcomeMeasuresModule") or {}),
        "E_adverseEvents": copy.deepcopy(results.get("adverseEventsModule") or {}),
        "F_additionalInformation": _drop_empty(
            {
                "globalSubstantialModifications": copy.deepcopy(
                    eu.get("globalSubstantialModifications") or []
                ),
                "globalInterruptions": copy.deepcopy(eu.get("globalInterruptions") or []),
                "limitationsAndCaveats": _section(more, "limitationsAndCaveats").get("description"),
            }
        ),
    }


def build_document(record: Record, stage: Stage) -> dict[str, Any]:
    document: dict[str, Any] = {
        "$schema": PAYLOAD_SCHEMA_ID,
        "stage": stage.value,
        "trial": trial_information(record),
    }
    if stage is Stage.RESULTS:
        document["summaryOfResults"] = summary_of_results(record)
    if stage in (Stage.RESULTS, Stage.LAY_SUMMARY):
        document["laySummaryLanguages"] = sorted(
            str(s.get("language")) for s in record.get("laySummaries") or [] if isinstance(s, dict)
        )
    return document


def serialize(document: dict[str, Any]) -> bytes:
    """Stable bytes: keys in builder order, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
