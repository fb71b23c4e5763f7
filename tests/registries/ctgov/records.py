"""Record factories for the ClinicalTrials.gov check tests.

``interventional_with_results()`` is a minimal record that passes every check at every stage; a test
changes one thing with ``at(record, "/json/pointer", value)`` and expects exactly one finding. Its results
are built from the same blocks as the generic factories in ``tests/registries/records.py``.
"""

from __future__ import annotations

from typing import Any

from tests.registries.records import measurement_classes, participant_denoms, per_group, result_groups


def interventional_with_results() -> dict[str, Any]:
    """A two-arm randomised drug trial, primary completion 2022, with complete results."""
    return {
        "schemaVersion": "1.0",
        "protocolSection": {
            "identificationModule": {
                "orgStudyIdInfo": {"id": "ACME-101"},
                "organization": {"fullName": "Acme Pharma", "class": "INDUSTRY"},
                "briefTitle": "Acmeprazole for Reflux in Adults",
                "officialTitle": "A Randomised, Double-blind Trial of Acmeprazole Versus Placebo in Reflux",
                "acronym": "ACME",
            },
            "statusModule": {
                "statusVerifiedDate": "2023-02",
                "overallStatus": "COMPLETED",
                "startDateStruct": {"date": "2021-01-10", "type": "ACTUAL"},
                "primaryCompletionDateStruct": {"date": "2022-06-30", "type": "ACTUAL"},
                "completionDateStruct": {"date": "2022-09-30", "type": "ACTUAL"},
            },
            "sponsorCollaboratorsModule": {
                "responsibleParty": {"type": "SPONSOR"},
                "leadSponsor": {"name": "Acme Pharma", "class": "INDUSTRY"},
            },
            "oversightModule": {
                "isFdaRegulatedDrug": True,
                "isFdaRegulatedDevice": False,
                "isUsExport": False,
            },
            "descriptionModule": {
                "briefSummary": "This study tests whether acmeprazole relieves reflux symptoms."
            },
            "conditionsModule": {"conditions": ["Gastroesophageal Reflux"], "keywords": ["heartburn"]},
            "designModule": {
                "studyType": "INTERVENTIONAL",
                "phases": ["PHASE3"],
                "designInfo": {
                    "allocation": "RANDOMIZED",
                    "interventionModel": "PARALLEL",
                    "primaryPurpose": "TREATMENT",
                    "maskingInfo": {"masking": "DOUBLE", "whoMasked": ["PARTICIPANT", "INVESTIGATOR"]},
                },
                "enrollmentInfo": {"count": 100, "type": "ACTUAL"},
            },
            "armsInterventionsModule": {
                "armGroups": [
                    {
                        "label": "Acmeprazole",
                        "type": "EXPERIMENTAL",
                        "interventionNames": ["Drug: Acmeprazole"],
                    },
                    {
                        "label": "Placebo",
                        "type": "PLACEBO_COMPARATOR",
                        "interventionNames": ["Drug: Placebo"],
                    },
                ],
                "interventions": [
                    {"type": "DRUG", "name": "Acmeprazole", "armGroupLabels": ["Acmeprazole"]},
                    {"type": "DRUG", "name": "Placebo", "armGroupLabels": ["Placebo"]},
                ],
            },
            "outcomesModule": {
                "primaryOutcomes": [{"measure": "Heartburn-free Days", "timeFrame": "Weeks 1 to 8"}],
                "secondaryOutcomes": [
                    {"measure": "Number of Participants With Healed Oesophagitis", "timeFrame": "Week 8"}
                ],
            },
            "eligibilityModule": {
                "eligibilityCriteria": "Inclusion Criteria:\n\n* Reflux\n\nExclusion Criteria:\n\n* None",
                "sex": "ALL",
                "minimumAge": "18 Years",
                "maximumAge": "75 Years",
                "healthyVolunteers": False,
            },
        },
        "resultsSection": {
            "participantFlowModule": {
                "groups": result_groups("FG", "Acmeprazole", "Placebo"),
                "periods": [
                    {
                        "title": "Overall Study",
                        "milestones": [
                            {"type": "STARTED", "achievements": per_group("FG", "numSubjects", "50", "50")},
                            {"type": "COMPLETED", "achievements": per_group("FG", "numSubjects", "48", "47")},
                        ],
                        "dropWithdraws": [
                            {
                                "type": "Withdrawal by Subject",
                                "reasons": per_group("FG", "numSubjects", "2", "3"),
                            }
                        ],
                    }
                ],
            },
            "baselineCharacteristicsModule": {
                "groups": result_groups("BG", "Acmeprazole", "Placebo", "Total"),
                "denoms": participant_denoms("BG", "50", "50", "100"),
                "measures": [
                    {
                        "title": "Age, Continuous",
                        "paramType": "MEAN",
                        "dispersionType": "STANDARD_DEVIATION",
                        "unitOfMeasure": "years",
                        "classes": measurement_classes("BG", ("45", "10"), ("46", "11"), ("45.5", "10.5")),
                    },
                    {
                        "title": "Sex: Female, Male",
                        "paramType": "COUNT_OF_PARTICIPANTS",
                        "unitOfMeasure": "Participants",
                        "classes": measurement_classes("BG", ("27", None), ("24", None), ("51", None)),
                    },
                    {
                        "title": "Race and Ethnicity Not Collected",
                        "paramType": "COUNT_OF_PARTICIPANTS",
                        "unitOfMeasure": "Participants",
                        "classes": measurement_classes("BG", ("0", None), ("0", None), ("0", None)),
                    },
                ],
            },
            "outcomeMeasuresModule": {
                "outcomeMeasures": [
                    {
                        "type": "PRIMARY",
                        "title": "Heartburn-free Days",
                        "paramType": "MEAN",
                        "dispersionType": "Standard Deviation",
                        "unitOfMeasure": "days",
                        "timeFrame": "Weeks 1 to 8",
                        "groups": result_groups("OG", "Acmeprazole", "Placebo"),
                        "denoms": participant_denoms("OG", "48", "47"),
                        "classes": measurement_classes("OG", ("30", "8"), ("20", "9")),
                        "analyses": [
                            {
                                "groupIds": ["OG000", "OG001"],
                                "nonInferiorityType": "SUPERIORITY",
                                "statisticalMethod": "ANCOVA",
                                "pValue": "<0.001",
                                "ciNumSides": "TWO_SIDED",
                            }
                        ],
                    },
                    {
                        "type": "SECONDARY",
                        "title": "Number of Participants With Healed Oesophagitis",
                        "paramType": "COUNT_OF_PARTICIPANTS",
                        "unitOfMeasure": "Participants",
                        "timeFrame": "Week 8",
                        "groups": result_groups("OG", "Acmeprazole", "Placebo"),
                        "denoms": participant_denoms("OG", "48", "47"),
                        "classes": measurement_classes("OG", ("40", None), ("21", None)),
                    },
                ]
            },
            "adverseEventsModule": {
                "frequencyThreshold": "5",
                "timeFrame": "From first dose to week 12",
                "description": "Adverse events were collected at every visit.",
                "eventGroups": [
                    {
                        "id": "EG000",
                        "title": "Acmeprazole",
                        "deathsNumAffected": 0,
                        "deathsNumAtRisk": 50,
                        "seriousNumAffected": 1,
                        "seriousNumAtRisk": 50,
                        "otherNumAffected": 6,
                        "otherNumAtRisk": 50,
                    },
                    {
                        "id": "EG001",
                        "title": "Placebo",
                        "deathsNumAffected": 0,
                        "deathsNumAtRisk": 50,
                        "seriousNumAffected": 0,
                        "seriousNumAtRisk": 50,
                        "otherNumAffected": 4,
                        "otherNumAtRisk": 50,
                    },
                ],
                "seriousEvents": [
                    {
                        "term": "Pancreatitis",
                        "organSystem": "Gastrointestinal disorders",
                        "assessmentType": "SYSTEMATIC_ASSESSMENT",
                        "stats": [
                            {"groupId": "EG000", "numEvents": 1, "numAffected": 1, "numAtRisk": 50},
                            {"groupId": "EG001", "numEvents": 0, "numAffected": 0, "numAtRisk": 50},
                        ],
                    }
                ],
                "otherEvents": [
                    {
                        "term": "Headache",
                        "organSystem": "Nervous system disorders",
                        "assessmentType": "SYSTEMATIC_ASSESSMENT",
                        "stats": [
                            {"groupId": "EG000", "numEvents": 7, "numAffected": 6, "numAtRisk": 50},
                            {"groupId": "EG001", "numEvents": 4, "numAffected": 4, "numAtRisk": 50},
                        ],
                    }
                ],
            },
            "moreInfoModule": {
                "certainAgreement": {"piSponsorEmployee": True},
                "pointOfContact": {
                    "title": "Trial Disclosure",
                    "organization": "Acme Pharma",
                    "email": "d@acme.test",
                    "phone": "+1 555 0100",
                },
            },
        },
        "documentSection": {
            "largeDocumentModule": {
                "largeDocs": [
                    {"typeAbbrev": "Prot_SAP", "hasProtocol": True, "hasSap": True, "hasIcf": False},
                ]
            }
        },
    }


def observational_registration() -> dict[str, Any]:
    """A prospective cohort study at registration, without results."""
    record = interventional_with_results()
    del record["resultsSection"]
    del record["documentSection"]
    protocol = record["protocolSection"]
    protocol["statusModule"] = {
        "statusVerifiedDate": "2024-02",
        "overallStatus": "RECRUITING",
        "startDateStruct": {"date": "2024-01-10", "type": "ACTUAL"},
        "primaryCompletionDateStruct": {"date": "2099-06-30", "type": "ESTIMATED"},
        "completionDateStruct": {"date": "2099-09-30", "type": "ESTIMATED"},
    }
    protocol["designModule"] = {
        "studyType": "OBSERVATIONAL",
        "designInfo": {"observationalModel": "COHORT", "timePerspective": "PROSPECTIVE"},
        "enrollmentInfo": {"count": 300, "type": "ESTIMATED"},
    }
    protocol["armsInterventionsModule"] = {
        "armGroups": [
            {
                "label": "Reflux clinic attendees",
                "description": "Adults attending reflux clinics, followed under usual care.",
                "interventionNames": ["Other: Usual care"],
            }
        ],
        "interventions": [
            {"type": "OTHER", "name": "Usual care", "armGroupLabels": ["Reflux clinic attendees"]}
        ],
    }
    protocol["eligibilityModule"]["studyPopulation"] = "Adults attending reflux clinics."
    protocol["eligibilityModule"]["samplingMethod"] = "NON_PROBABILITY_SAMPLE"
    protocol["contactsLocationsModule"] = {
        "centralContacts": [{"name": "Study Desk", "role": "CONTACT", "email": "desk@acme.test"}]
    }
    return record


def at(record: dict[str, Any], json_pointer: str, value: Any) -> dict[str, Any]:
    """Set (or, with ``DELETE``, remove) the value at a JSON Pointer; returns the record."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in json_pointer.split("/")[1:]]
    target: Any = record
    for token in tokens[:-1]:
        target = target[int(token)] if isinstance(target, list) else target[token]
    last = tokens[-1]
    if isinstance(target, list):
        if value is DELETE:
            del target[int(last)]
        else:
            target[int(last)] = value
    elif value is DELETE:
        del target[last]
    else:
        target[last] = value
    return record


DELETE = object()
