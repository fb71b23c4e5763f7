"""Synthetic records for tests: small, valid, and complete enough to pass every generic stage profile.

Each builder returns a fresh dict, so a test may change it freely.
"""

from __future__ import annotations

import copy
from typing import Any

from registries.enums import LAY_SUMMARY_SECTIONS

LAY_SECTIONS = LAY_SUMMARY_SECTIONS

# --- results building blocks, shared with the registry-specific record factories --------------------


def group_id(prefix: str, index: int) -> str:
    """API v2-style result group IDs: FG000, BG001, OG002 ..."""
    return f"{prefix}{index:03d}"


def result_groups(prefix: str, *titles: str) -> list[dict[str, Any]]:
    """One result group per title, numbered in order."""
    return [{"id": group_id(prefix, index), "title": title} for index, title in enumerate(titles)]


def per_group(prefix: str, key: str, *values: Any) -> list[dict[str, Any]]:
    """One ``{"groupId": ..., key: value}`` entry per group, in group order."""
    return [{"groupId": group_id(prefix, index), key: value} for index, value in enumerate(values)]


def participant_denoms(prefix: str, *counts: str) -> list[dict[str, Any]]:
    """The analysed-participants denominator of a measure, one count per group."""
    return [{"units": "Participants", "counts": per_group(prefix, "value", *counts)}]


def measurement_classes(prefix: str, *cells: tuple[str, str | None]) -> list[dict[str, Any]]:
    """One class with one category: a (value, spread) per group; a None spread is left out."""
    measurements = [
        {"groupId": group_id(prefix, index), "value": value, **({} if spread is None else {"spread": spread})}
        for index, (value, spread) in enumerate(cells)
    ]
    return [{"categories": [{"measurements": measurements}]}]


_REGISTERED: dict[str, Any] = {
    "schemaVersion": "1.0",
    "protocolSection": {
        "identificationModule": {
            "nctId": "NCT01234567",
            "orgStudyIdInfo": {"id": "ACME-042"},
            "organization": {"fullName": "Acme Pharma", "class": "INDUSTRY"},
            "briefTitle": "Drug X for Mild Asthma",
            "officialTitle": "A Randomised, Double-Blind Trial of Drug X Versus Placebo in Adults "
            "With Mild Asthma",
        },
        "statusModule": {
            "statusVerifiedDate": "2024-01",
            "overallStatus": "RECRUITING",
            "startDateStruct": {"date": "2023-03-01", "type": "ACTUAL"},
            "primaryCompletionDateStruct": {"date": "2024-06-30", "type": "ESTIMATED"},
            "completionDateStruct": {"date": "2024-12", "type": "ESTIMATED"},
        },
        "sponsorCollaboratorsModule": {
            "leadSponsor": {"name": "Acme Pharma", "class": "INDUSTRY"},
            "responsibleParty": {"type": "SPONSOR"},
        },
        "descriptionModule": {"briefSummary": "Does Drug X reduce asthma attacks compared with placebo?"},
        "conditionsModule": {"conditions": ["Asthma"]},
        "designModule": {
            "studyType": "INTERVENTIONAL",
            "phases": ["PHASE3"],
            "designInfo": {
                "allocation": "RANDOMIZED",
                "interventionModel": "PARALLEL",
                "primaryPurpose": "TREATMENT",
                "maskingInfo": {"masking": "DOUBLE"},
            },
            "enrollmentInfo": {"count": 200, "type": "ESTIMATED"},
        },
        "armsInterventionsModule": {
            "armGroups": [
                {
                    "label": "Drug X",
                    "type": "EXPERIMENTAL",
                    "description": "Drug X 10 mg daily",
                    "interventionNames": ["Drug: Drug X"],
                },
                {
                    "label": "Placebo",
                    "type": "PLACEBO_COMPARATOR",
                    "description": "Matching placebo daily",
                    "interventionNames": ["Drug: Placebo"],
                },
            ],
            "interventions": [
                {"type": "DRUG", "name": "Drug X", "armGroupLabels": ["Drug X"]},
                {"type": "DRUG", "name": "Placebo", "armGroupLabels": ["Placebo"]},
            ],
        },
        "outcomesModule": {
            "primaryOutcomes": [{"measure": "Number of asthma attacks", "timeFrame": "Week 24"}],
        },
        "eligibilityModule": {
            "eligibilityCriteria": "Inclusion: adults with mild asthma. Exclusion: smokers.",
            "sex": "ALL",
            "minimumAge": "18 Years",
            "healthyVolunteers": False,
        },
        "contactsLocationsModule": {
            "locations": [{"facility": "City Hospital", "city": "Berlin", "country": "Germany"}],
        },
    },
}

_PROTOCOL_ADDITIONS: dict[str, Any] = {
    "descriptionModule": {"detailedDescription": "Participants take Drug X or placebo for 24 weeks."},
    "ipdSharingStatementModule": {"ipdSharing": "NO"},
}


def registration_record() -> dict[str, Any]:
    """A recruiting interventional trial that meets the registration profile."""
    return copy.deepcopy(_REGISTERED)


def protocol_summary_record() -> dict[str, Any]:
    """Meets the protocol summary profile: adds the detailed description, IPD plan and protocol document."""
    record = registration_record()
    protocol = record["protocolSection"]
    protocol["descriptionModule"].update(_PROTOCOL_ADDITIONS["descriptionModule"])
    protocol["ipdSharingStatementModule"] = dict(_PROTOCOL_ADDITIONS["ipdSharingStatementModule"])
    record["documentSection"] = {
        "largeDocumentModule": {
            "largeDocs": [{"typeAbbrev": "Prot", "hasProtocol": True, "hasSap": False, "hasIcf": False}]
        }
    }
    return record


def results_record() -> dict[str, Any]:
    """A completed trial with all four core results modules."""
    record = protocol_summary_record()
    status = record["protocolSection"]["statusModule"]
    status["overallStatus"] = "COMPLETED"
    status["primaryCompletionDateStruct"] = {"date": "2024-06-30", "type": "ACTUAL"}
    status["completionDateStruct"] = {"date": "2024-12", "type": "ACTUAL"}
    record["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 198, "type": "ACTUAL"}
    record["resultsSection"] = {
        "participantFlowModule": {
            "groups": result_groups("FG", "Drug X", "Placebo"),
            "periods": [
                {
                    "title": "Overall Study",
                    "milestones": [
                        {"type": "STARTED", "achievements": per_group("FG", "numSubjects", "99", "99")},
                        {"type": "COMPLETED", "achievements": per_group("FG", "numSubjects", "95", "96")},
                    ],
                }
            ],
        },
        "baselineCharacteristicsModule": {
            "groups": result_groups("BG", "Drug X", "Placebo"),
            "measures": [
                {
                    "title": "Age, Continuous",
                    "paramType": "MEAN",
                    "dispersionType": "STANDARD_DEVIATION",
                    "unitOfMeasure": "years",
                    "classes": measurement_classes("BG", ("41", "9"), ("43", "10")),
                }
            ],
        },
        "outcomeMeasuresModule": {
            "outcomeMeasures": [
                {
                    "type": "PRIMARY",
                    "title": "Number of asthma attacks",
                    "timeFrame": "Week 24",
                    "paramType": "MEAN",
                    "dispersionType": "STANDARD_DEVIATION",
                    "unitOfMeasure": "attacks",
                    "groups": result_groups("OG", "Drug X", "Placebo"),
                    "classes": measurement_classes("OG", ("1.2", "0.4"), ("2.1", "0.6")),
                }
            ]
        },
        "adverseEventsModule": {
            "timeFrame": "24 weeks",
            "frequencyThreshold": "5",
            "eventGroups": [
                {"id": "EG000", "title": "Drug X", "seriousNumAffected": 1, "seriousNumAtRisk": 99},
                {"id": "EG001", "title": "Placebo", "seriousNumAffected": 0, "seriousNumAtRisk": 99},
            ],
        },
        "moreInfoModule": {
            "pointOfContact": {
                "title": "Head of Disclosure",
                "organization": "Acme Pharma",
                "email": "ct@acme.test",
            },
            "certainAgreement": {"piSponsorEmployee": False},
        },
    }
    return record


def lay_summary_record() -> dict[str, Any]:
    """A registered trial with one complete English lay summary."""
    record = registration_record()
    record["laySummaries"] = [
        {
            "language": "en",
            "audience": "ADULT",
            "title": "A study of Drug X in adults with mild asthma",
            "sections": {name: f"Text for {name}." for name in LAY_SECTIONS},
        }
    ]
    return record


def complete_record() -> dict[str, Any]:
    """Meets every generic stage profile at once."""
    record = results_record()
    record["laySummaries"] = lay_summary_record()["laySummaries"]
    return record
