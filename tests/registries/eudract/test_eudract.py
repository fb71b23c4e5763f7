"""EudraCT: the adverse-events upload built from the record (valid against the official XSD), the
importer of the real results file, the round trip, and one test per check and DATA-VAL rule."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from registries import get_registry
from registries.base import MultiFileRegistry
from registries.enums import Severity, Stage
from registries.eudract.adapter import ADAPTER
from registries.eudract.checks import check_record
from registries.eudract.data_val import check_payload
from registries.eudract.vocab import data_val_rule
from registries.findings import RegistryError
from registries.importers import import_record
from registries.schema import validate_record
from registries.xmlsafe import parse_xml
from tests.registries.ctis.fixtures import complete_trial

GOLDEN = Path(__file__).parent / "golden"
REAL_FILE = "eudract-results-2013-004502-26.xml"
AE = "/resultsSection/adverseEventsModule"
TODAY = dt.date(2026, 1, 15)

Record = dict[str, Any]


def _directive_trial() -> Record:
    record = complete_trial()
    record["euSection"] = {
        "eudractNumber": "2021-004512-33",
        "regulatoryFramework": "DIRECTIVE",
        "paediatric": False,
        "article45": False,
        "article46": False,
        "longTermFollowUpPlanned": False,
        "resultsAnalysisStage": "FINAL",
        "resultsAnalysisDate": "2024-09-30",
        "primaryCompletionAnalysis": True,
        "mainObjective": "To show that trelanoxib 40 mg clears psoriasis better than placebo after 16 weeks.",
        "subjectProtection": "Conducted under ICH E6(R2) GCP and the Declaration of Helsinki.",
        "backgroundTherapy": "Emollients were allowed; no other psoriasis treatment.",
        "comparatorEvidence": "Placebo: no approved oral treatment was standard of care for this population.",
        "globalEndOfTrialDateStruct": {"date": "2024-06-18", "type": "ACTUAL"},
        "ageGroupBreakdown": {"adults": 371, "from65To84Years": 41},
        "subjectAnalysisSets": [
            {
                "title": PER_PROTOCOL[0],
                "type": "PER_PROTOCOL",
                "description": "Participants randomised to trelanoxib without a major protocol deviation.",
                "numSubjects": 188,
            },
            {"title": PER_PROTOCOL[1], "type": "PER_PROTOCOL", "numSubjects": 181},
        ],
    }
    record["schemaVersion"] = "1.2"
    # EudraCT splits "Adverse Event" by seriousness (tested on its own): the six and four are given so.
    drops = record["resultsSection"]["participantFlowModule"]["periods"][0]["dropWithdraws"]
    drops[0:1] = [
        {
            "type": "Adverse event, not serious",
            "reasons": [{"groupId": "FG000", "numSubjects": "4"}, {"groupId": "FG001", "numSubjects": "4"}],
        },
        {
            "type": "Adverse event, serious non-fatal",
            "reasons": [{"groupId": "FG000", "numSubjects": "2"}, {"groupId": "FG001", "numSubjects": "0"}],
        },
    ]
    # EudraCT has no role for the care provider (a note, tested on its own).
    record["protocolSection"]["designModule"]["designInfo"]["maskingInfo"]["whoMasked"].remove(
        "CARE_PROVIDER"
    )
    # The primary outcome also reports the per-protocol sets, with an analysis comparing them.
    measure = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    measure["groups"] += [
        {"id": "OG002", "title": PER_PROTOCOL[0]},
        {"id": "OG003", "title": PER_PROTOCOL[1]},
    ]
    measure["denoms"][0]["counts"] += [
        {"groupId": "OG002", "value": "188"},
        {"groupId": "OG003", "value": "181"},
    ]
    measure["classes"][0]["categories"][0]["measurements"] += [
        {"groupId": "OG002", "value": "124"},
        {"groupId": "OG003", "value": "20"},
    ]
    measure["analyses"].append(
        {
            "title": "Per-protocol sets",
            "analysisSpecification": "PRE_SPECIFIED",
            "paramType": "Risk Difference (RD)",
            "paramValue": "54.9",
            "statisticalMethod": "Cochran-Mantel-Haenszel",
            "pValue": "<0.001",
            "ciNumSides": "TWO_SIDED",
            "ciPctValue": "95",
            "ciLowerLimit": "47.1",
            "ciUpperLimit": "62.7",
            "nonInferiorityType": "SUPERIORITY",
            "groupIds": ["OG002", "OG003"],
        }
    )
    # The results publication has a PubMed id (EudraCT lists it; the background one it does not).
    references = record["protocolSection"]["referencesModule"]["references"]
    references[0]["pmid"] = "33812345"
    references[1]["pmid"] = "40123456"
    # EudraCT's age categorical characteristic takes its fixed categories (the CTIS summary's breakdown
    # above in total): the baseline reports them per arm.
    record["resultsSection"]["baselineCharacteristicsModule"]["measures"].insert(
        1,
        {
            "title": "Age, Customized",
            "paramType": "COUNT_OF_PARTICIPANTS",
            "unitOfMeasure": "Participants",
            "classes": [
                {
                    "categories": [
                        {
                            "title": title,
                            "measurements": [_count("BG000", a), _count("BG001", b), _count("BG002", a + b)],
                        }
                        for title, a, b in (("Adults (18-64 years)", 185, 186), ("From 65-84 years", 21, 20))
                    ]
                }
            ],
        },
    )
    return record


def _count(group: str, value: int) -> dict[str, str]:
    return {"groupId": group, "value": str(value)}


PER_PROTOCOL = ("Trelanoxib 40 mg, per protocol", "Placebo, per protocol")


def _shape(element: etree._Element) -> tuple[Any, ...]:
    """An element as (local name, attributes, stripped text, children): what EudraCT reads. Namespace
    prefixes and declarations, and the whitespace the published file pads its values with, are left out."""
    attributes = tuple(sorted((etree.QName(k).localname, v) for k, v in element.attrib.items()))
    text = (element.text or "").strip()
    children = tuple(_shape(child) for child in element if isinstance(child.tag, str))
    return (etree.QName(element).localname, attributes, text, children)


@pytest.mark.parametrize("index", [0, 1], ids=["results", "adverse-events"])
def test_complete_record_builds_the_golden_files_valid_against_the_xsds(
    registry_specs: Path, index: int
) -> None:
    # given a Directive trial with the complete synthetic results
    record = _directive_trial()

    # when EudraCT's files are built: the results file and the adverse-events upload
    payloads = ADAPTER.build_all(record, Stage.RESULTS)
    payload = payloads[index]

    # then each is its reviewed golden file and valid against its schema
    golden = GOLDEN / f"complete-{['results', 'adverse-events'][index]}.xml"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(payload.content)
    assert payload.content == golden.read_bytes()
    assert [p.file_name for p in payloads] == [
        "2021-004512-33-eudract-results.xml",
        "2021-004512-33-eudract-adverse-events.xml",
    ]
    assert payloads[0] == ADAPTER.build(record, Stage.RESULTS)
    assert ADAPTER.verify(payload) == []


# trialInformation items the record holds; the others (sponsors with EUTCT country ids, subjects per
# country with EUTCT country ids) and the products' pharmaceutical forms and routes (EUTCT terms) are not
# carried: the importer lists them as dropped.
CARRIED = {
    "sponsorProtocolCode", "fullTitle", "isrctnIdentifier", "usctnIdentifier", "whoIdentifier", "partOfPIP",
    "art45Related", "art46Related", "analysisStage", "primaryCompletionDate", "isGlobalEndOfTrialReached",
    "globalEndOfTrialPremature", "globalEndOfTrialDate", "recruitmentStartDate", "longTermFollowUpPlanned",
    "idmcInvolvement", "pipnumbers", "otherIdentifiers", "populationAgeGroup", "analysisStageDate",
    "analysisForPrimaryCompletion", "mainObjective", "subjectsProtection", "backgroundTherapy",
    "comparatorEvidence",
}  # fmt: skip
ARM = "result/subjectDisposition/postAssignmentPeriods/postAssignmentPeriod[1]/arms/arm"
NOT_CARRIED = [
    "result/trialInformation/sponsors",
    "result/trialInformation/countrySubjectCounts",
    *(
        f"{ARM}[{n}]/armProducts/armProduct[1]/{e}"
        for n in (1, 2, 3)
        for e in ("pharmaceuticalForms", "routesOfAdministration")
    ),
]
# Within the carried sections, the elements that hold what is not carried.
NOT_CARRIED_ELEMENTS = {"pharmaceuticalForms", "routesOfAdministration"}
# Attributes and elements that refer to an id (xs:IDREF).
REFERENCES = {"armId", "subjectAnalysisSetId", "categoryId", "startedMilestoneId", "completedMilestoneId",
              "otherMilestoneId", "reasonNotCompletedId", "armComparisonGroupId",
              "subjectAnalysisSetComparisonGroupId", "baselineReportingGroupId",
              "postAssignmentPeriodId"}  # fmt: skip
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _labels(root: etree._Element) -> dict[str, str]:
    """Every id of the file -> what it names: the title, name or other reason of its element, else its
    EudraCT term; a reporting group is named by the arm or set it reports."""
    labels: dict[str, str] = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.get("id"):
            continue
        named = ("title", "name", "otherReason")
        names = [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname in named]
        terms = [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname == "type"]
        if names:
            labels[str(element.get("id"))] = (names[0].text or "").strip()
        elif terms and len(terms[0]):
            labels[str(element.get("id"))] = (terms[0][0].text or "").strip()
        elif element.get("armId") or element.get("subjectAnalysisSetId"):
            target = element.get("armId") or element.get("subjectAnalysisSetId") or ""
            labels[str(element.get("id"))] = f"reporting {labels.get(target, target)}"
        else:
            labels[str(element.get("id"))] = etree.QName(element).localname
    return labels


def _resolved(root: etree._Element, section: str) -> tuple[Any, ...] | None:
    """A section as ``_shape`` gives it, but with generated ids left out, every reference replaced by the
    title of what it refers to, and empty or nil elements (EudraCT writes "not given" as either) dropped."""
    labels = _labels(root)

    def shape(element: etree._Element) -> tuple[Any, ...] | None:
        if element.get(XSI_NIL) == "true":
            return None
        name = etree.QName(element).localname
        attributes = tuple(
            sorted(
                (key, labels.get(value, value) if key in REFERENCES else value)
                for key, value in ((etree.QName(k).localname, str(v)) for k, v in element.attrib.items())
                if key != "id"
            )
        )
        text = (element.text or "").strip()
        if name in REFERENCES:
            text = labels.get(text, text)
        children = tuple(
            kept
            for child in element
            if isinstance(child.tag, str) and etree.QName(child).localname not in NOT_CARRIED_ELEMENTS
            for kept in [shape(child)]
            if kept is not None
        )
        return (name, attributes, text, children) if attributes or text or children else None

    found = [e for e in root if isinstance(e.tag, str) and etree.QName(e).localname == section]
    return shape(found[0]) if found else None


def _carried(result: etree._Element) -> tuple[Any, ...]:
    information = next(e for e in result if etree.QName(e).localname == "trialInformation")
    events = next(e for e in result if etree.QName(e).localname == "adverseEvents")
    kept = tuple(_shape(e) for e in information if etree.QName(e).localname in CARRIED)
    changes = next(e for e in result if etree.QName(e).localname == "trialChanges")
    kept_changes = tuple(_shape(e) for e in changes)
    sections = tuple(
        _resolved(result, s)
        for s in ("subjectDisposition", "baselineCharacteristics", "endPoints", "subjectAnalysisSets")
    )
    return (dict(result.attrib), kept, kept_changes, _shape(events), sections)


def test_real_results_file_round_trips(registry_specs: Path) -> None:
    # given the real EudraCT results file (2013-004502-26)
    data = (registry_specs / "eudract" / REAL_FILE).read_bytes()

    # when it is imported into a record and EudraCT's files are built from that record
    imported = import_record("eudract-xml", data)
    registry = get_registry("eudract")
    assert isinstance(registry, MultiFileRegistry)
    results, events = registry.build_all(imported.record, Stage.RESULTS)

    # then both files are valid, and the results file is equivalent to the original in everything the
    # record carries: the root's attributes, the carried trialInformation items in order, trialChanges (its
    # PubMed list included, empty here), the whole adverseEvents section (reporting group ids included),
    # the subject disposition (periods, milestones, blinding, allocation, arms with their products and
    # counts, reasons for not completing), the baseline characteristics (reporting model, the seven
    # study-specific continuous characteristics, age continuous, gender and age categorical with their
    # categories, totals, statistics, dispersions and values per arm, and the baseline reporting groups with
    # their arm, period, subjects and description), the end points (type, title, description, unit, time
    # frame, statistic, dispersion, categories, values and subjects per arm, statistical analyses with their
    # comparison groups) and the subject analysis sets (none in this file).
    # "Equivalent" ignores namespace prefixes, the whitespace padding of the published file's values, and in
    # the last four sections the generated ids (each reference is compared as the title of what it refers
    # to) and empty or nil elements; what is not carried is exactly NOT_CARRIED.
    original = parse_xml(data)
    assert [ADAPTER.verify(results), ADAPTER.verify(events)] == [[], []]
    assert _carried(parse_xml(results.content)) == _carried(original)
    assert _shape(parse_xml(events.content)) == _carried(original)[3]
    assert imported.dropped == NOT_CARRIED


def _first_in(root: etree._Element, *path: str) -> etree._Element:
    """The first element at the end of ``path`` (local names, each below the previous one)."""
    element = root
    for name in path:
        element = next(
            e for e in element.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name
        )
    return element


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("endPoints", "tendencyValue", "value"), "-1.46"),
        (("baselineCharacteristics", "genderCategoricalCharacteristic", "countableValue", "value"), "59"),
        (
            ("baselineCharacteristics", "ageCategoricalCharacteristic", "category", "name"),
            "Adolescents (12-17 years)",
        ),
        (("baselineCharacteristics", "studyContinuousCharacteristic", "dispersionValue", "value"), "0.84"),
        (("baselineCharacteristics", "baselineReportingGroup", "subjects"), "133"),
    ],
    ids=["end point value", "gender count", "age category", "baseline dispersion", "baseline group subjects"],
)
def test_round_trip_compares_the_end_points_and_baseline(
    registry_specs: Path, path: tuple[str, ...], value: str
) -> None:
    # given the real file and a rebuilt one where one value of the end points or baseline differs
    data = (registry_specs / "eudract" / REAL_FILE).read_bytes()
    rebuilt = parse_xml(ADAPTER.build(import_record("eudract-xml", data).record, Stage.RESULTS).content)
    _first_in(rebuilt, *path).text = value

    # then the comparison the round trip relies on sees it
    assert _carried(rebuilt) != _carried(parse_xml(data))


BLINDING_DETAILS = (
    "Semaglutide and placebo were supplied in similar 1.5 mL pre-filled PDS290 pen-injector and were by all "
    "means visually identical and were packed and labelled to fulfil the requirements for double-blind\n"
    "\t\t\t\t\tprocedures. Furthermore, equal volumes of semaglutide and placebo were administered\n"
    "\t\t\t\t\tduring treatment ensuring blinding within dose-level."
)
INJECTION = (
    "injection was administered in the thigh, abdomen or upper arm, at any time of day irrespective of "
    "meals. The injections were to be administered on the same day of the week during the trial."
)
ARMS = [
    "Subjects received semaglutide 0.25 mg subcutaneous (sc) injection once weekly for 4 weeks followed by "
    "semaglutide 0.5 mg once weekly up to Week 30.",
    "Subjects received semaglutide 0.25 mg sc injection once weekly for 4 weeks followed by semaglutide "
    "0.5 mg once weekly for next 4 weeks and then semaglutide 1.0 mg once weekly up to week 30.",
    "Subjects received placebo (matched to semaglutide) sc injection once weekly for 30 weeks.",
]


def test_real_results_file_imports_identifiers_ages_and_dates(registry_specs: Path) -> None:
    result = import_record("eudract-xml", (registry_specs / "eudract" / REAL_FILE).read_bytes())
    record = result.record

    assert validate_record(record) == []
    assert record["protocolSection"] == {
        "identificationModule": {
            "orgStudyIdInfo": {"id": "NN9535-3627"},
            "officialTitle": "The full title",
            "nctId": "NCT02305381",
            "secondaryIdInfos": [
                {"id": "JapicCTI-142729", "type": "OTHER", "domain": "Japanese trial registration"}
            ],
        },
        "oversightModule": {"oversightHasDmc": True},
        "statusModule": {
            "primaryCompletionDateStruct": {"date": "2015-11-21", "type": "ACTUAL"},
            "startDateStruct": {"date": "2014-12-01", "type": "ACTUAL"},
            "overallStatus": "COMPLETED",
        },
        "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Novo Nordisk"}},
        "designModule": {
            "designInfo": {
                "allocation": "RANDOMIZED",
                "maskingInfo": {
                    "masking": "DOUBLE",
                    "maskingDescription": BLINDING_DETAILS,
                    "whoMasked": ["PARTICIPANT", "INVESTIGATOR"],
                },
            }
        },
        "armsInterventionsModule": {
            "armGroups": [
                {"label": "Semaglutide 0.5 mg", "type": "EXPERIMENTAL", "description": ARMS[0]},
                {"label": "Semaglutide 1.0 mg", "type": "EXPERIMENTAL", "description": ARMS[1]},
                {"label": "Placebo", "type": "PLACEBO_COMPARATOR", "description": ARMS[2]},
            ],
            "interventions": [
                {
                    "name": "Semaglutide",
                    "description": f"Semaglutide {INJECTION}",
                    "armGroupLabels": ["Semaglutide 0.5 mg", "Semaglutide 1.0 mg"],
                },
                {"name": "Placebo", "description": f"Placebo {INJECTION}", "armGroupLabels": ["Placebo"]},
            ],
        },
    }
    assert record["euSection"] == {
        "regulatoryFramework": "DIRECTIVE",
        "eudractNumber": "2013-004502-26",
        "article45": False,
        "article46": False,
        "longTermFollowUpPlanned": False,
        "primaryCompletionAnalysis": True,
        "mainObjective": "The primary objective",
        "subjectProtection": (
            "The trial was conducted in accordance with the Declaration of Helsinki, ICH Good Clinical "
            "Practice, EN ISO 14155 Part 1 and 2 and FDA 21 CFR 312.120."
        ),
        "backgroundTherapy": (
            "Subjects were to continue pre-trial background medication throughout the entire trial. Basal "
            "insulin\n\t\t\twith or without metformin were considered background medication."
        ),
        "comparatorEvidence": "Not applicble",  # sic, as in the file
        "resultsAnalysisDate": "2016-06-29",
        "resultsAnalysisStage": "FINAL",
        "ageGroupBreakdown": {
            "inUtero": 0,
            "pretermNewborns": 0,
            "newborns": 0,
            "infantsAndToddlers": 0,
            "children": 0,
            "adolescents": 0,
            "adults": 281,
            "from65To84Years": 114,
            "from85Years": 1,
        },
        "globalEndOfTrialDateStruct": {"date": "2015-11-21", "type": "ACTUAL"},
        "globalSubstantialModifications": [
            {"date": "2015-01-20", "description": 'Change and clarify the wording of "Rescue criteria".'}
        ],
    }
    assert record["whoSection"] == {"utn": "U1111-1149-3738"}


def test_real_results_file_imports_end_points_as_outcome_measures(registry_specs: Path) -> None:
    record = import_record("eudract-xml", (registry_specs / "eudract" / REAL_FILE).read_bytes()).record
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    first = {k: v for k, v in measures[0].items() if k not in ("description", "groups", "analyses")}
    analysis = {k: v for k, v in measures[0]["analyses"][0].items() if k != "groupDescription"}
    pressure = measures[4]["classes"]

    assert [(m["type"], m["title"], m["paramType"]) for m in measures] == [
        ("PRIMARY", "Change in HbA1c", "LEAST_SQUARES_MEAN"),
        ("SECONDARY", "Change in body weight", "LEAST_SQUARES_MEAN"),
        ("SECONDARY", "Change in fasting plasma glucose (FPG)", "LEAST_SQUARES_MEAN"),
        ("SECONDARY", "Change in insulin dose", "LEAST_SQUARES_MEAN"),
        ("SECONDARY", "Change in systolic and diastolic blood pressure", "LEAST_SQUARES_MEAN"),
        (
            "SECONDARY",
            "Change in patient reported outcomes, Diabetes Treatment Satisfaction Questionnaire (DTSQ)",
            "LEAST_SQUARES_MEAN",
        ),
        ("SECONDARY", "HbA1c below 7.0%", "NUMBER"),
        (
            "SECONDARY",
            "HbA1c below or equal to 6.5% (48 mmol/mol) American Association of Clinical Endocrinologists "
            "(AACE) target",
            "NUMBER",
        ),
    ]
    assert first == {
        "type": "PRIMARY",
        "title": "Change in HbA1c",
        "reportingStatus": "POSTED",
        "paramType": "LEAST_SQUARES_MEAN",
        "dispersionType": "Standard Error",
        "unitOfMeasure": "percentage of glycosylated hemoglobin",
        "timeFrame": "From baseline to week 30",
        "denoms": [
            {
                "units": "Participants",
                "counts": [
                    {"groupId": "OG000", "value": "132"},
                    {"groupId": "OG001", "value": "131"},
                    {"groupId": "OG002", "value": "133"},
                ],
            }
        ],
        "classes": [
            {
                "categories": [
                    {
                        "measurements": [
                            {"groupId": "OG000", "value": "-1.45", "spread": "0.09"},
                            {"groupId": "OG001", "value": "-1.85", "spread": "0.09"},
                            {"groupId": "OG002", "value": "-0.09", "spread": "0.09"},
                        ]
                    }
                ]
            }
        ],
    }
    assert [g["title"] for g in measures[0]["groups"]] == [
        "Semaglutide 0.5 mg",
        "Semaglutide 1.0 mg",
        "Placebo",
    ]
    assert analysis == {
        "title": "Analysis 1: Semaglutide 1.0 mg vs Placebo",
        "nonInferiorityType": "SUPERIORITY",
        "testedNonInferiority": False,
        "analysisSpecification": "PRE_SPECIFIED",
        "nonInferiorityComment": (
            "Superiority for change in HbA1c was claimed if the upper limit of the 2-sided 95% CI for the "
            "estimated difference was below 0%"
        ),
        "statisticalMethod": "Mixed models analysis",
        "pValue": "<0.0001",
        "paramType": "Treatment difference",
        "paramValue": "-1.75",
        "ciPctValue": "95",
        "ciLowerLimit": "-2.01",
        "ciUpperLimit": "-1.50",
        "ciNumSides": "TWO_SIDED",
        "groupIds": ["OG001", "OG002"],
    }
    assert pressure == [
        {
            "title": "Diastolic blood pressure",
            "categories": [
                {
                    "measurements": [
                        {"groupId": "OG000", "value": "-1.84", "spread": "0.73"},
                        {"groupId": "OG001", "value": "-1.50", "spread": "0.74"},
                        {"groupId": "OG002", "value": "-2.17", "spread": "0.79"},
                    ]
                }
            ],
        },
        {
            "title": "Systolic blood pressure",
            "categories": [
                {
                    "measurements": [
                        {"groupId": "OG000", "value": "-4.29", "spread": "1.26"},
                        {"groupId": "OG001", "value": "-7.27", "spread": "1.27"},
                        {"groupId": "OG002", "value": "-0.99", "spread": "1.34"},
                    ]
                }
            ],
        },
    ]


def test_real_results_file_imports_baseline_characteristics(registry_specs: Path) -> None:
    module = import_record("eudract-xml", (registry_specs / "eudract" / REAL_FILE).read_bytes()).record[
        "resultsSection"
    ]["baselineCharacteristicsModule"]

    assert (
        module["groups"],
        module["denoms"],
        [
            (m["title"], m["paramType"], m.get("dispersionType"), m["unitOfMeasure"])
            for m in module["measures"]
        ],
        module["measures"][2]["classes"],
        module["measures"][6]["classes"],
    ) == (
        [
            {"id": "BG000", "title": "Semaglutide 0.5 mg", "description": ARMS[0]},
            {"id": "BG001", "title": "Semaglutide 1.0 mg", "description": ARMS[1]},
            {"id": "BG002", "title": "Placebo", "description": ARMS[2]},
            {"id": "BG003", "title": "Total title"},
        ],
        [
            {
                "units": "Participants",
                "counts": [
                    {"groupId": "BG000", "value": "132"},
                    {"groupId": "BG001", "value": "131"},
                    {"groupId": "BG002", "value": "133"},
                ],
            }
        ],
        [
            ("Age Continuous", "MEAN", "STANDARD_DEVIATION", "years"),
            ("Age Categorical", "COUNT_OF_PARTICIPANTS", None, "Subjects"),
            ("Gender Categorical", "COUNT_OF_PARTICIPANTS", None, "Subjects"),
            (
                "Glycosylated haemoglobin",
                "MEAN",
                "STANDARD_DEVIATION",
                "percentage of glycosylated haemoglobin",
            ),
            ("Body weight", "MEAN", "STANDARD_DEVIATION", "kg"),
            ("Fasting plasma glucose", "MEAN", "STANDARD_DEVIATION", "mg/dL"),
            ("Insulin Dose", "MEDIAN", "FULL_RANGE", "international unit"),
            ("Diastolic Blood Pressure", "MEAN", "STANDARD_DEVIATION", "mm Hg"),
            ("Systolic Blood Pressure", "MEAN", "STANDARD_DEVIATION", "mm Hg"),
            (
                "Diabetes Treatment Satisfaction Questionnaire",
                "MEAN",
                "STANDARD_DEVIATION",
                "scores on a scale",
            ),
        ],
        [
            {
                "categories": [
                    {"title": sex, "measurements": [_count(f"BG00{n}", v) for n, v in enumerate(values)]}
                    for sex, values in (("Female", (58, 54, 62, 174)), ("Male", (74, 77, 71, 222)))
                ]
            }
        ],
        [
            {
                "categories": [
                    {
                        "measurements": [
                            {
                                "groupId": "BG000",
                                "value": "35.00",
                                "lowerLimit": "15.00",
                                "upperLimit": "300.00",
                            },
                            {
                                "groupId": "BG001",
                                "value": "36.00",
                                "lowerLimit": "14.00",
                                "upperLimit": "320.00",
                            },
                            {
                                "groupId": "BG002",
                                "value": "36.00",
                                "lowerLimit": "12.00",
                                "upperLimit": "124.00",
                            },
                        ]
                    }
                ]
            }
        ],
    )


def test_real_results_file_states_the_same_ages_in_trial_information_and_baseline(
    registry_specs: Path,
) -> None:
    # given the real file imported (populationAgeGroup 281, 114, 1; the age categories' totals the same)
    record = import_record("eudract-xml", (registry_specs / "eudract" / REAL_FILE).read_bytes()).record

    # then the checks find the two agree; and with one count changed they do not
    findings = [f.code for f in check_record(record, Stage.RESULTS, TODAY) if "age" in f.code]
    record["euSection"]["ageGroupBreakdown"]["from85Years"] = 0
    changed = [(f.code, f.pointer) for f in check_record(record, Stage.RESULTS, TODAY) if "age" in f.code]

    assert (findings, changed) == (
        [],
        [("eudract.age_breakdown_mismatch", "/euSection/ageGroupBreakdown/from85Years")],
    )


def test_adverse_events_upload_sample_imports_and_rebuilds_valid(registry_specs: Path) -> None:
    record = import_record(
        "eudract-xml", (registry_specs / "eudract" / "safety_upload.xml").read_bytes()
    ).record
    record["euSection"] = {"eudractNumber": "2021-004512-33", "longTermFollowUpPlanned": False}

    payload = ADAPTER.build_all(record, Stage.RESULTS)[1]

    assert ADAPTER.verify(payload) == []


def test_import_refuses_other_roots_and_entities(registry_specs: Path) -> None:
    with pytest.raises(RegistryError) as other:
        import_record("eudract-xml", b"<study/>")
    with pytest.raises(RegistryError) as entity:
        import_record(
            "eudract-xml", b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><result>&x;</result>'
        )

    assert (other.value.code, entity.value.code) == ("eudract.import_unknown_root", "xml.forbidden_doctype")


def _set(path: str, value: Any) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        node: Any = record
        *parents, last = path.strip("/").split("/")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return change


def _interruption_restarted_before(record: Record) -> None:
    record["euSection"]["globalInterruptions"] = [{"date": "2024-03-10", "restartDate": "2024-03-01"}]


CASES: list[tuple[str, Callable[[Record], None], str, str]] = [
    (
        "eudract_number_missing",
        _set("/euSection/eudractNumber", None),
        "eudract.eudract_number_missing",
        "/euSection/eudractNumber",
    ),
    (
        "long_term_follow_up_missing",
        _set("/euSection/longTermFollowUpPlanned", None),
        "eudract.long_term_follow_up_missing",
        "/euSection/longTermFollowUpPlanned",
    ),
    ("adverse_events_missing", _set(AE, None), "eudract.adverse_events_missing", AE),
    (
        "threshold",
        _set(f"{AE}/frequencyThreshold", "10"),
        "eudract.frequency_threshold_above_5",
        f"{AE}/frequencyThreshold",
    ),
    (
        "description",
        _set(f"{AE}/description", "x" * 351),
        "eudract.adverse_events_description_too_long",
        f"{AE}/description",
    ),
    (
        "time_frame",
        _set(f"{AE}/timeFrame", "x" * 256),
        "eudract.adverse_events_time_frame_too_long",
        f"{AE}/timeFrame",
    ),
    (
        "group_title",
        _set(f"{AE}/eventGroups/1/title", "P"),
        "eudract.group_title_length",
        f"{AE}/eventGroups/1/title",
    ),
    (
        "organ_system",
        _set(f"{AE}/seriousEvents/0/organSystem", "Heart"),
        "eudract.organ_system_unknown",
        f"{AE}/seriousEvents/0/organSystem",
    ),
    (
        "vocabulary",
        _set(f"{AE}/otherEvents/0/sourceVocabulary", "WHO-ART"),
        "eudract.vocabulary_not_meddra",
        f"{AE}/otherEvents/0/sourceVocabulary",
    ),
    (
        "data_val_7",
        _set("/protocolSection/statusModule/primaryCompletionDateStruct/date", "2026-02-01"),
        "eudract.data_val_7",
        "/protocolSection/statusModule/primaryCompletionDateStruct/date",
    ),
    (
        "pmid",
        _set("/protocolSection/referencesModule/references/1/pmid", "123456789"),
        "eudract.pmid_out_of_range",
        "/protocolSection/referencesModule/references/1/pmid",
    ),
    (
        "data_val_11",
        _interruption_restarted_before,
        "eudract.data_val_11",
        "/euSection/globalInterruptions/0/restartDate",
    ),
]


def test_directive_trial_has_no_eudract_finding(registry_specs: Path) -> None:
    # (the record's own outcome groups, arms and per-protocol sets all map to EudraCT)
    assert check_record(_directive_trial(), Stage.RESULTS, TODAY) == []


@pytest.mark.parametrize(("change", "code", "pointer"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_eudract_check_reports_its_code_at_its_pointer(
    registry_specs: Path, change: Callable[[Record], None], code: str, pointer: str
) -> None:
    record = _directive_trial()
    change(record)

    findings = check_record(record, Stage.RESULTS, TODAY)

    assert [(f.severity, f.code, f.pointer) for f in findings] == [(Severity.ERROR, code, pointer)]


OUTCOMES = "/resultsSection/outcomeMeasuresModule/outcomeMeasures"
FLOW = "/resultsSection/participantFlowModule"
MASKING = "/protocolSection/designModule/designInfo/maskingInfo"


def _rename_group(old: str, new: str) -> Callable[[Record], None]:
    """Rename a group in every table (flow, outcomes, baseline, subject analysis sets), so it still
    matches."""

    def change(record: Record) -> None:
        results = record["resultsSection"]
        groups = results["participantFlowModule"]["groups"] + record["euSection"]["subjectAnalysisSets"]
        groups += [g for m in results["outcomeMeasuresModule"]["outcomeMeasures"] for g in m["groups"]]
        groups += results["baselineCharacteristicsModule"]["groups"]
        for group in groups:
            if group["title"] == old:
                group["title"] = new

    return change


def _only_unmatched_groups(record: Record) -> None:
    record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][3]["groups"] = [
        {"id": "OG000", "title": "All participants"}
    ]


def _other_milestone(title: str) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        milestones = record["resultsSection"]["participantFlowModule"]["periods"][0]["milestones"]
        milestones.append({"type": title, "achievements": []})

    return change


def _care_provider_masked(record: Record) -> None:
    record["protocolSection"]["designModule"]["designInfo"]["maskingInfo"]["whoMasked"].append(
        "CARE_PROVIDER"
    )


ERROR, NOTE = Severity.ERROR, Severity.NOTE
END_POINT_CASES: list[tuple[str, Callable[[Record], None], list[tuple[Severity, str, str]]]] = [
    (
        "outcome_group_unmatched",
        _set(f"{OUTCOMES}/0/groups/1/title", "Placebo run-in"),
        [(ERROR, "eudract.outcome_group_unmatched", f"{OUTCOMES}/0/groups/1/title")],
    ),
    (
        "data_val_9",
        _only_unmatched_groups,
        [
            (ERROR, "eudract.outcome_group_unmatched", f"{OUTCOMES}/3/groups/0/title"),
            (ERROR, "eudract.data_val_9", f"{OUTCOMES}/3/groups"),
        ],
    ),
    (
        "measure_type",
        _set(f"{OUTCOMES}/2/paramType", "GEOMETRIC_LEAST_SQUARES_MEAN"),
        [(ERROR, "eudract.measure_type_unmapped", f"{OUTCOMES}/2/paramType")],
    ),
    (
        "dispersion",
        _set(f"{OUTCOMES}/2/dispersionType", "Standard Error of the Median"),
        [(ERROR, "eudract.dispersion_unmapped", f"{OUTCOMES}/2/dispersionType")],
    ),
    (
        "category_name",
        _set(f"{OUTCOMES}/0/classes/0/categories/0/title", "Responders " * 5),
        [(ERROR, "eudract.category_name_length", f"{OUTCOMES}/0/classes/0/categories/0/title")],
    ),
    (
        "value",
        _set(f"{OUTCOMES}/2/classes/0/categories/0/measurements/0/spread", "0.42 (SE)"),
        [(ERROR, "eudract.value_not_a_number", f"{OUTCOMES}/2/classes/0/categories/0/measurements/0/spread")],
    ),
    (
        "unit",
        _set(f"{OUTCOMES}/2/unitOfMeasure", "%"),
        [(ERROR, "eudract.unit_length", f"{OUTCOMES}/2/unitOfMeasure")],
    ),
    (
        "analysis_type",
        _set(f"{OUTCOMES}/0/analyses/0/nonInferiorityType", "NON_INFERIORITY_OR_EQUIVALENCE"),
        [(ERROR, "eudract.analysis_type_ambiguous", f"{OUTCOMES}/0/analyses/0/nonInferiorityType")],
    ),
    (
        "analysis_method",
        _set(
            f"{OUTCOMES}/0/analyses/0/statisticalMethod", "Cochran-Mantel-Haenszel test stratified by region"
        ),
        [(ERROR, "eudract.analysis_method_unmapped", f"{OUTCOMES}/0/analyses/0/statisticalMethod")],
    ),
    (
        "parameter_type",
        _set(f"{OUTCOMES}/0/analyses/0/paramType", "Difference in responder rates adjusted for region"),
        [(ERROR, "eudract.parameter_type_unmapped", f"{OUTCOMES}/0/analyses/0/paramType")],
    ),
    (
        "p_value",
        _set(f"{OUTCOMES}/0/analyses/0/pValue", "significant"),
        [(ERROR, "eudract.p_value_unreadable", f"{OUTCOMES}/0/analyses/0/pValue")],
    ),
    (
        "estimate",
        _set(f"{OUTCOMES}/0/analyses/0/ciLowerLimit", "n/a"),
        [(ERROR, "eudract.value_not_a_number", f"{OUTCOMES}/0/analyses/0/ciLowerLimit")],
    ),
    (
        "limitations",
        _set("/resultsSection/moreInfoModule/limitationsAndCaveats/description", "x" * 251),
        [
            (
                ERROR,
                "eudract.limitations_too_long",
                "/resultsSection/moreInfoModule/limitationsAndCaveats/description",
            )
        ],
    ),
    (
        "estimate_digits",
        _set(f"{OUTCOMES}/0/analyses/0/paramValue", "51.9000001"),
        [(ERROR, "eudract.estimate_too_precise", f"{OUTCOMES}/0/analyses/0/paramValue")],
    ),
    (
        "analysis_text",
        _set(f"{OUTCOMES}/0/analyses/0/statisticalComment", "x" * 251),
        [(ERROR, "eudract.analysis_text_too_long", f"{OUTCOMES}/0/analyses/0/statisticalComment")],
    ),
    (
        "arm_title",
        _rename_group("Placebo", "Placebo tablet matching trelanoxib 40 mg, taken orally once daily"),
        [(ERROR, "eudract.arm_title_length", f"{FLOW}/groups/1/title")],
    ),
    (
        "milestone_title",
        _other_milestone("Completed the Week 16 visit within the visit window"),
        [(ERROR, "eudract.milestone_title_length", f"{FLOW}/periods/0/milestones/3/type")],
    ),
    (
        "blinding_details",
        _set(f"{MASKING}/maskingDescription", "x" * 501),
        [(ERROR, "eudract.blinding_details_too_long", f"{MASKING}/maskingDescription")],
    ),
    (
        "analysis_set_title",
        _rename_group(
            PER_PROTOCOL[1], "Placebo, per protocol: no major deviation and at least 80% adherence"
        ),
        [(ERROR, "eudract.analysis_set_title_length", "/euSection/subjectAnalysisSets/1/title")],
    ),
    (
        "not_completed_reason_ambiguous",
        _set(f"{FLOW}/periods/0/dropWithdraws/1/type", "Adverse Event"),
        [(ERROR, "eudract.not_completed_reason_ambiguous", f"{FLOW}/periods/0/dropWithdraws/1/type")],
    ),
    (
        "not_completed_reason_too_long",
        _set(
            f"{FLOW}/periods/1/dropWithdraws/0/type", "Moved abroad and could not attend the follow-up visits"
        ),
        [(ERROR, "eudract.not_completed_reason_too_long", f"{FLOW}/periods/1/dropWithdraws/0/type")],
    ),
    (
        "product_name",
        _set("/protocolSection/armsInterventionsModule/interventions/1/name", "Placebo tablet " * 11),
        [
            (
                ERROR,
                "eudract.product_name_length",
                "/protocolSection/armsInterventionsModule/interventions/1/name",
            )
        ],
    ),
    (
        "product_other_names",
        _set(
            "/protocolSection/armsInterventionsModule/interventions/0/otherNames", ["NRW-417 " * 10, "X" * 80]
        ),
        [
            (
                ERROR,
                "eudract.product_other_names_too_long",
                "/protocolSection/armsInterventionsModule/interventions/0/otherNames",
            )
        ],
    ),
    (
        "masked_role",
        _care_provider_masked,
        [(NOTE, "eudract.masked_role_unmapped", f"{MASKING}/whoMasked/3")],
    ),
]


BASELINE = "/resultsSection/baselineCharacteristicsModule"


def _drop_measure(index: int) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        del record["resultsSection"]["baselineCharacteristicsModule"]["measures"][index]

    return change


def _age_by_sex(record: Record) -> None:
    age = record["resultsSection"]["baselineCharacteristicsModule"]["measures"][0]
    female = copy.deepcopy(age["classes"][0])
    age["classes"] = [{**female, "title": "Female"}, {**female, "title": "Male"}]


WARNING = Severity.WARNING
BASELINE_CASES: list[tuple[str, Callable[[Record], None], list[tuple[Severity, str, str]]]] = [
    (
        "group_unmatched",
        _set(f"{BASELINE}/groups/1/title", "Placebo tablets"),
        [(ERROR, "eudract.baseline_group_unmatched", f"{BASELINE}/groups/1/title")],
    ),
    (
        "age_categories_missing",
        _drop_measure(1),
        [(ERROR, "eudract.baseline_age_categories_missing", f"{BASELINE}/measures")],
    ),
    (
        "gender_missing",
        _drop_measure(2),
        [(ERROR, "eudract.baseline_gender_missing", f"{BASELINE}/measures")],
    ),
    (
        "age_continuous_missing",
        _drop_measure(0),
        [(WARNING, "eudract.baseline_age_continuous_missing", f"{BASELINE}/measures")],
    ),
    (
        "age_category",
        _set(f"{BASELINE}/measures/1/classes/0/categories/1/title", "65 years and over"),
        [(ERROR, "eudract.age_category_unmapped", f"{BASELINE}/measures/1/classes/0/categories/1/title")],
    ),
    (
        "gender_category",
        _set(f"{BASELINE}/measures/2/classes/0/categories/1/title", "Unknown"),
        [(ERROR, "eudract.gender_category_unmapped", f"{BASELINE}/measures/2/classes/0/categories/1/title")],
    ),
    (
        "statistic",
        _set(f"{BASELINE}/measures/0/paramType", "GEOMETRIC_LEAST_SQUARES_MEAN"),
        [(ERROR, "eudract.baseline_statistic_unmapped", f"{BASELINE}/measures/0/paramType")],
    ),
    (
        "dispersion",
        _set(f"{BASELINE}/measures/0/dispersionType", "STANDARD_ERROR"),
        [(ERROR, "eudract.baseline_dispersion_unmapped", f"{BASELINE}/measures/0/dispersionType")],
    ),
    (
        "age_unit",
        _set(f"{BASELINE}/measures/0/unitOfMeasure", "decades"),
        [(ERROR, "eudract.age_unit_unmapped", f"{BASELINE}/measures/0/unitOfMeasure")],
    ),
    (
        "age_breakdown",
        _set("/euSection/ageGroupBreakdown/adults", 370),
        [(WARNING, "eudract.age_breakdown_mismatch", "/euSection/ageGroupBreakdown/adults")],
    ),
    ("rows", _age_by_sex, [(ERROR, "eudract.baseline_rows_unsupported", f"{BASELINE}/measures/0/classes")]),
    (
        "title",
        _set(f"{BASELINE}/measures/3/title", "Race " * 21),
        [(ERROR, "eudract.characteristic_title_length", f"{BASELINE}/measures/3/title")],
    ),
    (
        "description",
        _set(f"{BASELINE}/measures/3/description", "Self-reported. " * 41),
        [(ERROR, "eudract.characteristic_description_too_long", f"{BASELINE}/measures/3/description")],
    ),
    (
        "unit",
        _set(f"{BASELINE}/measures/3/unitOfMeasure", "%"),
        [(ERROR, "eudract.unit_length", f"{BASELINE}/measures/3/unitOfMeasure")],
    ),
    (
        "category_name",
        _set(
            f"{BASELINE}/measures/3/classes/0/categories/2/title",
            "Native Hawaiian or Other Pacific Islander, incl. Chamorro",
        ),
        [(ERROR, "eudract.category_name_length", f"{BASELINE}/measures/3/classes/0/categories/2/title")],
    ),
    (
        "count",
        _set(f"{BASELINE}/measures/3/classes/0/categories/0/measurements/0/value", "1.5"),
        [
            (
                ERROR,
                "eudract.value_not_a_number",
                f"{BASELINE}/measures/3/classes/0/categories/0/measurements/0/value",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [c[1:] for c in BASELINE_CASES], ids=[c[0] for c in BASELINE_CASES]
)
def test_each_baseline_check_reports_its_code_at_its_pointer(
    registry_specs: Path, change: Callable[[Record], None], expected: list[tuple[Severity, str, str]]
) -> None:
    record = _directive_trial()
    change(record)

    findings = check_record(record, Stage.RESULTS, TODAY)

    assert [(f.severity, f.code, f.pointer) for f in findings] == expected


def test_age_rows_without_an_eudract_category_and_a_missing_gender_are_left_out_of_a_valid_file(
    registry_specs: Path,
) -> None:
    # given a trial whose baseline gives age in ClinicalTrials.gov's three categories and no sex
    record = _directive_trial()
    measures = record["resultsSection"]["baselineCharacteristicsModule"]["measures"]
    ages = measures[1]["classes"][0]["categories"]
    ages[0]["title"], ages[1]["title"] = "Between 18 and 65 years", ">=65 years"
    del measures[2]

    # when the results file is built
    payload = ADAPTER.build(record, Stage.RESULTS)
    baseline = _first(parse_xml(payload.content), "baselineCharacteristics")

    # then it is valid; the age rows are left out, gender is sent empty, and the checks say so
    assert ADAPTER.verify(payload) == []
    assert [_shape(baseline[i]) for i in (3, 4)] == [
        (
            "genderCategoricalCharacteristic",
            (),
            "",
            (
                ("readyForValues", (), "false", ()),
                ("title", (), "Gender Categorical", ()),
                ("description", (("nil", "true"),), "", ()),
                ("unit", (("nil", "true"),), "", ()),
            ),
        ),
        (
            "ageCategoricalCharacteristic",
            (),
            "",
            (
                ("readyForValues", (), "true", ()),
                ("title", (), "Age, Customized", ()),
                ("description", (("nil", "true"),), "", ()),
                ("unit", (), "Participants", ()),
                (
                    "reportingGroups",
                    (),
                    "",
                    tuple(
                        (
                            "reportingGroup",
                            (("baselineReportingGroupId", f"baselineGroup{n}"),),
                            "",
                            (("countableValues", (), "", ()),),
                        )
                        for n in (1, 2)
                    ),
                ),
                (
                    "totalBaselineGroup",
                    (("id", "age-total"),),
                    "",
                    (
                        ("subjects", (), "412", ()),
                        ("title", (), "Total", ()),
                        ("countableValues", (), "", ()),
                    ),
                ),
                ("categories", (), "", ()),
            ),
        ),
    ]
    assert [(f.code, f.pointer) for f in check_record(record, Stage.RESULTS, TODAY)] == [
        ("eudract.baseline_gender_missing", f"{BASELINE}/measures"),
        ("eudract.age_category_unmapped", f"{BASELINE}/measures/1/classes/0/categories/0/title"),
        ("eudract.age_category_unmapped", f"{BASELINE}/measures/1/classes/0/categories/1/title"),
    ]


def test_a_baseline_group_that_is_no_arm_is_left_out_of_a_valid_file(registry_specs: Path) -> None:
    # given a baseline table whose placebo column is titled unlike the participant flow's arm
    record = _directive_trial()
    record["resultsSection"]["baselineCharacteristicsModule"]["groups"][1]["title"] = "Placebo tablets"

    # when the results file is built
    payload = ADAPTER.build(record, Stage.RESULTS)
    baseline = _first(parse_xml(payload.content), "baselineCharacteristics")

    # then it is valid and reports the trelanoxib arm alone (the checks name the other group)
    groups = [
        (e.get("armId"), e.get("id"))
        for e in baseline.iter()
        if isinstance(e.tag, str) and etree.QName(e).localname == "baselineReportingGroup"
    ]
    values = {
        e.get("baselineReportingGroupId")
        for e in baseline.iter()
        if isinstance(e.tag, str) and etree.QName(e).localname == "reportingGroup"
    }
    assert (ADAPTER.verify(payload), groups, values) == (
        [],
        [("period1-arm1", "baselineGroup1")],
        {"baselineGroup1"},
    )


@pytest.mark.parametrize(
    ("change", "expected"), [c[1:] for c in END_POINT_CASES], ids=[c[0] for c in END_POINT_CASES]
)
def test_each_end_point_check_reports_its_code_at_its_pointer(
    registry_specs: Path, change: Callable[[Record], None], expected: list[tuple[Severity, str, str]]
) -> None:
    record = _directive_trial()
    change(record)

    findings = check_record(record, Stage.RESULTS, TODAY)

    assert [(f.severity, f.code, f.pointer) for f in findings] == expected


def test_an_end_point_without_arms_or_sets_breaks_data_val_9_in_the_built_file(registry_specs: Path) -> None:
    # given an outcome whose only group is neither an arm nor a subject analysis set
    record = _directive_trial()
    _only_unmatched_groups(record)

    # when the results file is built and verified
    findings = ADAPTER.verify(ADAPTER.build(record, Stage.RESULTS))

    # then the file is valid against the XSD, and DATA-VAL-9 reports the end point without groups
    assert [(f.code, f.message.split(":")[0]) for f in findings] == [
        ("eudract.data_val_9", "result/endPoints/endPoint")
    ]


def test_results_other_than_the_primary_completion_analysis_carry_no_primary_completion_date(
    registry_specs: Path,
) -> None:
    # given results that are not the analysis of the primary completion data
    record = _directive_trial()
    record["euSection"]["primaryCompletionAnalysis"] = False

    # when the results file is built
    payload = ADAPTER.build(record, Stage.RESULTS)
    information = _first(parse_xml(payload.content), "trialInformation")

    # then it says so and leaves the date out (DATA-VAL-5), and is valid
    names = [etree.QName(e).localname for e in information]
    assert (_first(information, "analysisForPrimaryCompletion").text, "primaryCompletionDate" in names) == (
        "false",
        False,
    )
    assert ADAPTER.verify(payload) == []


def test_categorised_counts_and_interval_outcomes_build_valid_and_read_back(registry_specs: Path) -> None:
    # given counts in titled categories (a countable EudraCT end point) and an outcome with 95% intervals
    record = _directive_trial()
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    measures[3]["classes"] = [
        {
            "categories": [
                {"title": "Responders", "measurements": [{"groupId": "OG000", "value": "71"}]},
                {"title": "Non-responders", "measurements": [{"groupId": "OG000", "value": "NA"}]},
            ]
        }
    ]
    measures[2]["dispersionType"] = "95% Confidence Interval"
    measures[2]["classes"] = [
        {
            "categories": [
                {
                    "measurements": [
                        {"groupId": "OG000", "value": "-9.4", "lowerLimit": "-10.1", "upperLimit": "-8.7"}
                    ]
                }
            ]
        }
    ]

    # when the results file is built and read back
    payload = ADAPTER.build(record, Stage.RESULTS)
    back = import_record("eudract-xml", payload.content).record["resultsSection"]["outcomeMeasuresModule"]

    # then it is valid and the values, categories and interval come back
    assert ADAPTER.verify(payload) == []
    assert [
        (m["paramType"], m.get("dispersionType"), m["classes"]) for m in back["outcomeMeasures"][2:4]
    ] == [
        ("LEAST_SQUARES_MEAN", "95% Confidence Interval", measures[2]["classes"]),
        ("COUNT_OF_PARTICIPANTS", None, measures[3]["classes"]),
    ]


def _baseline_reports_a_set(record: Record) -> None:
    """The baseline table also reports the first per-protocol set (and its ages in a full range)."""
    module = record["resultsSection"]["baselineCharacteristicsModule"]
    module["groups"].insert(2, {"id": "BG003", "title": PER_PROTOCOL[0]})
    module["denoms"][0]["counts"].append({"groupId": "BG003", "value": "188"})
    for measure in module["measures"]:
        for block in measure["classes"]:
            for category in block["categories"]:
                first = category["measurements"][0]
                category["measurements"].append({**first, "groupId": "BG003"})
    age = module["measures"][0]
    age.update(paramType="MEDIAN", dispersionType="FULL_RANGE")
    for cell in age["classes"][0]["categories"][0]["measurements"]:
        cell.update(lowerLimit="18", upperLimit="79")
        del cell["spread"]


@pytest.mark.parametrize("change", [None, _baseline_reports_a_set], ids=["arms", "arms and a set"])
def test_complete_record_round_trips_its_disposition_baseline_end_points_and_analysis_sets(
    registry_specs: Path, change: Callable[[Record], None] | None
) -> None:
    # given the results file built from the complete Directive trial
    record = _directive_trial()
    if change is not None:
        change(record)
    built = ADAPTER.build(record, Stage.RESULTS)

    # when it is imported and built again
    imported = import_record("eudract-xml", built.content)
    rebuilt = ADAPTER.build(imported.record, Stage.RESULTS).content

    # then both files are valid, the subject analysis sets come back as they were, and the four sections
    # are equivalent
    assert [ADAPTER.verify(built), check_record(record, Stage.RESULTS, TODAY)] == [[], []]
    assert imported.record["euSection"]["subjectAnalysisSets"] == record["euSection"]["subjectAnalysisSets"]
    assert imported.record["protocolSection"]["referencesModule"] == {
        "references": [{"pmid": "40123456", "type": "RESULT"}]
    }
    sections = ("subjectDisposition", "baselineCharacteristics", "endPoints", "subjectAnalysisSets")
    assert [_resolved(parse_xml(rebuilt), s) == _resolved(parse_xml(built.content), s) for s in sections] == [
        True,
        True,
        True,
        True,
    ]


def _first(root: etree._Element, name: str) -> etree._Element:
    found = next(e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name)
    return found


def _set_text(name: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        _first(root, name).text = value

    return change


def _append(parent: str, xml: str, *, after: str | None = None) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        element = etree.fromstring(xml)
        if after:
            _first(root, after).addnext(element)
        else:
            _first(root, parent).append(element)

    return change


def _second_baseline_period(root: etree._Element) -> None:
    period = _first(root, "postAssignmentPeriod")
    twin = copy.deepcopy(period)
    for element in twin.iter():
        if element.get("id"):
            element.set("id", element.get("id", "") + "-2")
    period.addnext(twin)


def _end_point_without_groups(root: etree._Element) -> None:
    end_point = _first(root, "endPoint")
    for name in ("armReportingGroups", "subjectAnalysisSetReportingGroups"):
        for container in [c for c in end_point if etree.QName(c).localname == name]:
            for child in list(container):
                container.remove(child)


def _interruption(date: str, restart: str, *, declared: bool) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        _first(root, "globalInterruptions").append(
            etree.fromstring(
                f"<globalInterruption><date>{date}</date><restartDate>{restart}</restartDate></globalInterruption>"
            )
        )
        _first(root, "hasGlobalInterruptions").text = "true" if declared else "false"

    return change


def _named_other_dictionary(root: etree._Element) -> None:
    other_name = _first(_first(root, "adverseEvents"), "otherName")
    other_name.attrib.clear()
    other_name.text = "Local"


def _unknown_organ_system(root: etree._Element) -> None:
    _first(_first(root, "organSystem"), "eutctId").text = "1"


DATA_VAL_CASES: list[tuple[int, Callable[[etree._Element], None]]] = [
    (1, _set_text("blinded", "false")),
    (2, _named_other_dictionary),
    (
        3,
        _append(
            "trialInformation",
            "<longTermDurationValue>5</longTermDurationValue>",
            after="longTermFollowUpPlanned",
        ),
    ),
    (4, _append("pipnumbers", "<pipnumber><number>EMEA-000123-PIP01-21</number></pipnumber>")),
    (5, _set_text("analysisForPrimaryCompletion", "false")),
    (6, _set_text("isGlobalEndOfTrialReached", "false")),
    (7, _set_text("recruitmentStartDate", "2099-01-01T00:00:00")),
    (8, _second_baseline_period),
    (9, _end_point_without_groups),
    (
        10,
        _append(
            "seriousAdverseEvent",
            "<dictionary><version>19.0</version></dictionary>",
            after="dictionaryOverridden",
        ),
    ),
    (11, _interruption("2015-03-01T00:00:00", "2015-02-01T00:00:00", declared=True)),
    (12, _set_text("hasGlobalAmendments", "false")),
    (13, _interruption("2015-03-01T00:00:00", "2015-04-01T00:00:00", declared=False)),
    (14, _unknown_organ_system),
]


def test_real_results_file_breaks_no_data_val_rule(registry_specs: Path) -> None:
    root = parse_xml((registry_specs / "eudract" / REAL_FILE).read_bytes())

    assert check_payload(root, Stage.RESULTS, TODAY) == []


@pytest.mark.parametrize(("rule", "change"), DATA_VAL_CASES, ids=[f"DATA-VAL-{c[0]}" for c in DATA_VAL_CASES])
def test_each_data_val_rule_reports_its_code(
    registry_specs: Path, rule: int, change: Callable[[etree._Element], None]
) -> None:
    # given the real results file with one rule broken
    root = parse_xml((registry_specs / "eudract" / REAL_FILE).read_bytes())
    change(root)

    # when the DATA-VAL rules run, then exactly that rule reports, with its wording and source
    findings = check_payload(root, Stage.RESULTS, TODAY)

    assert [(f.code, f.source) for f in findings] == [
        (
            f"eudract.data_val_{rule}",
            f"EudraCT Results XML guidance EMA/492808/2013 Appendix 2, DATA-VAL-{rule}",
        )
    ]
    assert findings[0].message.endswith(data_val_rule(f"DATA-VAL-{rule}"))


def _listed_parameter(root: etree._Element) -> None:
    _first(_first(_first(root, "parameterEstimate"), "type"), "value").text = "PARAMETER_TYPE.hr"


def _listed_method_with_other_text(root: etree._Element) -> None:
    test = _first(root, "statisticalHypothesisTest")
    _first(test, "method").addnext(etree.fromstring("<otherMethod>MMRM</otherMethod>"))


def _listed_reason_with_other_text(root: etree._Element) -> None:
    _first(
        _first(_first(root, "reasonNotCompleted"), "type"), "value"
    ).text = "NOT_COMPLETED_REASON.pregnancy"


@pytest.mark.parametrize(
    "change",
    [_listed_parameter, _listed_method_with_other_text, _listed_reason_with_other_text],
    ids=["parameter estimate", "hypothesis test", "reason not completed"],
)
def test_data_val_2_covers_end_point_analyses_and_reasons(
    registry_specs: Path, change: Callable[[etree._Element], None]
) -> None:
    # given the real results file with an 'other' text next to a listed term
    root = parse_xml((registry_specs / "eudract" / REAL_FILE).read_bytes())
    change(root)

    # then DATA-VAL-2 reports it
    assert [f.code for f in check_payload(root, Stage.RESULTS, TODAY)] == ["eudract.data_val_2"]


def test_verify_reports_xsd_errors(registry_specs: Path) -> None:
    payload = ADAPTER.build(_directive_trial(), Stage.RESULTS)
    broken = dataclasses.replace(
        payload,
        content=payload.content.replace(
            b"<nonSeriousEventFrequencyThreshold>5<", b"<nonSeriousEventFrequencyThreshold>9<"
        ),
    )

    assert [f.code for f in ADAPTER.verify(broken)] == ["eudract.xsd"]
