"""The EudraCT results file (``result``, results.xsd v1.1 as reconstructed from EMA's documentation) from
the record: trial information, subject disposition (``registries.eudract.disposition``), baseline
characteristics (``registries.eudract.baseline``), end points and subject analysis sets
(``registries.eudract.end_points``), trial changes and adverse events.

What the record carries is written. Trial-information items the record cannot
express (the sponsors with their addresses and EUTCT country ids, subjects per country with EUTCT country
ids) are left out; both are optional in the schema.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from registries.eudract.adverse_events import build_adverse_events
from registries.eudract.baseline import build_baseline
from registries.eudract.disposition import build_subject_disposition
from registries.eudract.end_points import build_end_points, build_subject_analysis_sets
from registries.eudract.vocab import RESULTS_NS, XSI_NS, term
from registries.eudract.xmltree import dig as _dig
from registries.eudract.xmltree import sub as _sub
from registries.findings import RegistryError

Record = dict[str, Any]
_FULL_DATE = re.compile(r"^[12]\d{3}-\d{2}-\d{2}$")
# Record age category -> EudraCT populationAgeGroup element, in the schema's order.
AGE_GROUP_ELEMENTS = {
    "inUtero": "inUtero",
    "pretermNewborns": "pretermNewbornInfants",
    "newborns": "newborns",
    "infantsAndToddlers": "infantsAndToddlers",
    "children": "children",
    "adolescents": "adolescents",
    "adults": "adults",
    "from65To84Years": "elderly65To84",
    "from85Years": "elderlyOver85",
}
_ELSEWHERE = re.compile(r"^(ISRCTN\d{8}|U\d{4}-\d{4}-\d{4}|NCT\d{8}|\d{4}-\d{6}-\d{2}(-\d{2})?)$")


def _optional(parent: etree._Element, name: str, value: Any) -> None:
    if value is not None and value != "":
        _sub(parent, name, value)


def _nillable(parent: etree._Element, name: str, value: Any) -> None:
    if value is None or value == "":
        etree.SubElement(parent, name).set(f"{{{XSI_NS}}}nil", "true")
    else:
        _sub(parent, name, value)


def _date_time(struct: Any, *, actual_only: bool = True) -> str | None:
    """A full actual date as the xs:dateTime EudraCT uses (midnight); partial or anticipated: None."""
    if not isinstance(struct, dict) or not _FULL_DATE.match(str(struct.get("date", ""))):
        return None
    if actual_only and struct.get("type") != "ACTUAL":
        return None
    return f"{struct['date']}T00:00:00"


def _isrctn(record: Record) -> str | None:
    isrctn = _dig(record, "ukSection", "isrctn")
    if isrctn:
        return str(isrctn)
    for item in _dig(record, "protocolSection", "identificationModule", "secondaryIdInfos") or []:
        if re.match(r"^ISRCTN\d{8}$", str(item.get("id", ""))):
            return str(item["id"])
    return None


def _trial_information(root: etree._Element, record: Record) -> None:
    info = _sub(root, "trialInformation")
    identification = _dig(record, "protocolSection", "identificationModule") or {}
    status = _dig(record, "protocolSection", "statusModule") or {}
    eu = record.get("euSection") or {}
    _optional(info, "sponsorProtocolCode", _dig(identification, "orgStudyIdInfo", "id"))
    _optional(info, "fullTitle", identification.get("officialTitle"))
    _nillable(info, "isrctnIdentifier", _isrctn(record))
    _nillable(info, "usctnIdentifier", identification.get("nctId"))
    _nillable(info, "whoIdentifier", _dig(record, "whoSection", "utn"))
    _sub(info, "partOfPIP", bool(eu.get("pipNumber")))
    _nillable(info, "art45Related", eu.get("article45"))
    _nillable(info, "art46Related", eu.get("article46"))
    stage = eu.get("resultsAnalysisStage")
    if stage in ("INTERIM", "FINAL"):
        _sub(_sub(info, "analysisStage"), "value", term("Study analysis stage", stage.lower()))
    _optional(
        info, "analysisStageDate", _date_time({"date": eu.get("resultsAnalysisDate")}, actual_only=False)
    )
    primary = eu.get("primaryCompletionAnalysis")
    if isinstance(primary, bool):
        _sub(info, "analysisForPrimaryCompletion", primary)
    if primary is not False:
        # DATA-VAL-5: no primary completion date when these are not the primary completion data.
        _optional(info, "primaryCompletionDate", _date_time(status.get("primaryCompletionDateStruct")))
    global_end = _date_time(eu.get("globalEndOfTrialDateStruct"))
    _sub(info, "isGlobalEndOfTrialReached", global_end is not None)
    if global_end is not None:
        # DATA-VAL-6: the date and whether the end was premature only once the end is reached.
        _sub(info, "globalEndOfTrialPremature", status.get("overallStatus") == "TERMINATED")
        _sub(info, "globalEndOfTrialDate", global_end)
    _optional(info, "mainObjective", eu.get("mainObjective"))
    _optional(info, "recruitmentStartDate", _date_time(status.get("startDateStruct")))
    follow_up = eu.get("longTermFollowUpPlanned")
    if not isinstance(follow_up, bool):
        raise RegistryError(
            "eudract.long_term_follow_up_missing",
            "Say whether long-term follow-up is planned (euSection.longTermFollowUpPlanned); every EudraCT "
            "results file states it.",
            "/euSection/longTermFollowUpPlanned",
        )
    _sub(info, "longTermFollowUpPlanned", follow_up)
    dmc = _dig(record, "protocolSection", "oversightModule", "oversightHasDmc")
    if isinstance(dmc, bool):
        _sub(info, "idmcInvolvement", dmc)
    for key, name in (
        ("subjectProtection", "subjectsProtection"),
        ("backgroundTherapy", "backgroundTherapy"),
        ("comparatorEvidence", "comparatorEvidence"),
    ):
        _optional(info, name, eu.get(key))
    pips = _sub(info, "pipnumbers")
    if eu.get("pipNumber"):
        _sub(_sub(pips, "pipnumber"), "number", eu["pipNumber"])
    others = [
        item
        for item in identification.get("secondaryIdInfos") or []
        if item.get("type") == "OTHER"
        and item.get("domain")
        and not _ELSEWHERE.match(str(item.get("id", "")))
    ]
    if others:
        container = _sub(info, "otherIdentifiers")
        for item in others:
            other = _sub(container, "otherIdentifier")
            _sub(other, "name", item["domain"])
            _sub(other, "number", item["id"])
    ages = eu.get("ageGroupBreakdown")
    if isinstance(ages, dict) and ages:
        group = _sub(info, "populationAgeGroup")
        for key, name in AGE_GROUP_ELEMENTS.items():
            _nillable(group, name, ages.get(key))


def _trial_changes(root: etree._Element, record: Record) -> None:
    """Global interruptions and amendments (CTR Annex IV F / EudraCT trialChanges), the limitations and the
    PubMed ids of result publications; has... flags follow the lists (DATA-VAL-12, DATA-VAL-13)."""
    eu = record.get("euSection") or {}
    interruptions = [i for i in eu.get("globalInterruptions") or [] if isinstance(i, dict)]
    amendments = [
        a
        for a in eu.get("globalSubstantialModifications") or []
        if isinstance(a, dict) and _date_time(a, actual_only=False)
    ]
    limitations = _dig(record, "resultsSection", "moreInfoModule", "limitationsAndCaveats", "description")
    pmids = result_pmids(record)
    if not (interruptions or amendments or limitations or pmids):
        return
    changes = _sub(root, "trialChanges")
    container = _sub(changes, "globalInterruptions")
    for item in interruptions:
        interruption = _sub(container, "globalInterruption")
        _optional(interruption, "date", _date_time(item, actual_only=False))
        restart = _date_time({"date": item.get("restartDate")}, actual_only=False)
        _optional(interruption, "restartDate", restart)
        _optional(interruption, "description", item.get("description"))
    container = _sub(changes, "globalAmendments")
    for item in amendments:
        amendment = _sub(container, "globalAmendment")
        _sub(amendment, "date", _date_time(item, actual_only=False))
        _optional(amendment, "description", item.get("description"))
    _sub(changes, "hasGlobalInterruptions", bool(interruptions))
    _sub(changes, "hasGlobalAmendments", bool(amendments))
    _optional(changes, "limitationsAndCaveats", limitations)
    container = _sub(changes, "pubMedReferenceNumbers")
    for pmid in pmids:
        _sub(container, "pmid", pmid)


# results.xsd v1.1 TrialChanges.pubMedReferenceNumbers: pmid is an xs:nonNegativeInteger up to 99999999.
PMID_MAX = 99999999
# The publications EudraCT lists are those of the trial's results: API v2's RESULT references (the sponsor's
# own) and DERIVED ones (PubMed articles that cite the trial's NCT number); BACKGROUND ones are about other
# work.
RESULT_REFERENCE_TYPES = ("RESULT", "DERIVED")


def result_pmids(record: Record) -> list[str]:
    """The PubMed ids of the record's result publications that EudraCT can take, as it writes them."""
    references = _dig(record, "protocolSection", "referencesModule", "references") or []
    return [
        str(int(reference["pmid"]))
        for reference in references
        if isinstance(reference, dict)
        and reference.get("type") in RESULT_REFERENCE_TYPES
        and str(reference.get("pmid", "")).isdigit()
        and int(reference["pmid"]) <= PMID_MAX
    ]


def build_result(record: Record) -> etree._Element:
    """The ``result`` element, its sections in the schema's order, each when the record has its data."""
    eu = record.get("euSection") or {}
    root = etree.Element(f"{{{RESULTS_NS}}}result", nsmap={"res": RESULTS_NS, "xsi": XSI_NS})
    if eu.get("eudractNumber"):
        root.set("eudractNumber", str(eu["eudractNumber"]))
    sponsor = _dig(record, "protocolSection", "sponsorCollaboratorsModule", "leadSponsor", "name")
    if sponsor:
        root.set("sponsor", str(sponsor))
    _trial_information(root, record)
    disposition, arms = build_subject_disposition(record)
    if disposition is not None:
        root.append(disposition)
    sets_element, sets = build_subject_analysis_sets(record)
    baseline = build_baseline(record, arms, sets)
    if baseline is not None:
        root.append(baseline)
    end_points = build_end_points(record, arms, sets)
    if end_points is not None:
        root.append(end_points)
    _trial_changes(root, record)
    if sets_element is not None:
        root.append(sets_element)
    module = _dig(record, "resultsSection", "adverseEventsModule")
    if isinstance(module, dict) and module:
        events = build_adverse_events(module)
        # Inside the results file the section is a local, unqualified element (elementFormDefault).
        events.tag = "adverseEvents"
        root.append(events)
    return root
