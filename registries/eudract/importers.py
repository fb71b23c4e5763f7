"""EudraCT XML into a record: the full results file (``result``) or the adverse-events upload
(``adverseEvents``). Parsed with ``registries.xmlsafe``; element names are matched by local name, since
the files EudraCT hands out do not always put the root in its namespace (see the shared README)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from registries.enums import MAX_RECORD_BYTES
from registries.eudract.adverse_events import _child, _children, _text, import_adverse_events
from registries.eudract.baseline import import_baseline
from registries.eudract.disposition import import_subject_disposition
from registries.eudract.end_points import import_end_points, import_subject_analysis_sets
from registries.eudract.vocab import term_label
from registries.findings import RegistryError
from registries.importers import ImportResult
from registries.schema import RECORD_SCHEMA_VERSION
from registries.xmlsafe import parse_xml

_EUDRACT = re.compile(r"^\d{4}-\d{6}-\d{2}$")
# trialInformation children carried into the record; the rest of the results file is listed as dropped.
_IDENTIFIERS = ("sponsorProtocolCode", "fullTitle", "usctnIdentifier")
# EudraCT populationAgeGroup element -> the record's Annex IV age category (same nine categories).
_AGE_GROUPS = {
    "inUtero": "inUtero",
    "pretermNewbornInfants": "pretermNewborns",
    "newborns": "newborns",
    "infantsAndToddlers": "infantsAndToddlers",
    "children": "children",
    "adolescents": "adolescents",
    "adults": "adults",
    "elderly65To84": "from65To84Years",
    "elderlyOver85": "from85Years",
}
_CARRIED = (
    *_IDENTIFIERS,
    "analysisStageDate",
    "analysisForPrimaryCompletion",
    "mainObjective",
    "subjectsProtection",
    "backgroundTherapy",
    "comparatorEvidence",
    "isrctnIdentifier",
    "partOfPIP",
    "art45Related",
    "art46Related",
    "analysisStage",
    "longTermFollowUpPlanned",
    "idmcInvolvement",
    "pipnumbers",
    "otherIdentifiers",
    "globalEndOfTrialPremature",
    "whoIdentifier",
    "populationAgeGroup",
    "isGlobalEndOfTrialReached",
    "globalEndOfTrialDate",
    "primaryCompletionDate",
    "recruitmentStartDate",
)
_DATE_TIME = re.compile(r"^([12]\d{3}-\d{2}-\d{2})(T[\d:.]+)?$")


def _date(value: str | None) -> str | None:
    """EudraCT xs:dateTime ("2015-11-21T00:00:00") as the record's date; the time is always midnight."""
    match = _DATE_TIME.match(value) if value else None
    return match.group(1) if match else None


def import_eudract_xml(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """A EudraCT results file or adverse-events upload as a record (Directive trial)."""
    root = parse_xml(data, max_bytes=max_bytes)
    name = etree.QName(root).localname
    if name == "adverseEvents":
        module, skipped = import_adverse_events(root)
        record: dict[str, Any] = {
            "schemaVersion": RECORD_SCHEMA_VERSION,
            "protocolSection": {},
            "resultsSection": {"adverseEventsModule": module},
        }
        return ImportResult(record, skipped)
    if name != "result":
        raise RegistryError(
            "eudract.import_unknown_root",
            f"The XML root is <{name}>; a EudraCT results file has <result>, an adverse-events upload "
            "<adverseEvents>.",
        )
    record = {"schemaVersion": RECORD_SCHEMA_VERSION, "protocolSection": {}}
    dropped: list[str] = []
    eudract = (root.get("eudractNumber") or "").strip()
    eu: dict[str, Any] = {"regulatoryFramework": "DIRECTIVE"}
    if _EUDRACT.match(eudract):
        eu["eudractNumber"] = eudract
    information = _child(root, "trialInformation")
    identification: dict[str, Any] = {}
    if information is not None:
        if _text(information, "sponsorProtocolCode"):
            identification["orgStudyIdInfo"] = {"id": _text(information, "sponsorProtocolCode")}
        if _text(information, "fullTitle"):
            identification["officialTitle"] = _text(information, "fullTitle")
        nct = _text(information, "usctnIdentifier")
        if nct and re.match(r"^NCT\d{8}$", nct):
            identification["nctId"] = nct
        for key, target in (
            ("art45Related", "article45"),
            ("art46Related", "article46"),
            ("longTermFollowUpPlanned", "longTermFollowUpPlanned"),
            ("analysisForPrimaryCompletion", "primaryCompletionAnalysis"),
        ):
            value = _text(information, key)
            if value in ("true", "false"):
                eu[target] = value == "true"
        for key, target in (
            ("mainObjective", "mainObjective"),
            ("subjectsProtection", "subjectProtection"),
            ("backgroundTherapy", "backgroundTherapy"),
            ("comparatorEvidence", "comparatorEvidence"),
        ):
            if _text(information, key):
                eu[target] = _text(information, key)
        if _date(_text(information, "analysisStageDate")):
            eu["resultsAnalysisDate"] = _date(_text(information, "analysisStageDate"))
        stage = term_label("Study analysis stage", _text(_child(information, "analysisStage"), "value"))
        if stage:
            eu["resultsAnalysisStage"] = stage.upper()
        if _text(information, "idmcInvolvement") in ("true", "false"):
            record["protocolSection"]["oversightModule"] = {
                "oversightHasDmc": _text(information, "idmcInvolvement") == "true"
            }
        others = [
            {"id": _text(item, "number"), "type": "OTHER", "domain": _text(item, "name")}
            for item in _children(_child(information, "otherIdentifiers"), "otherIdentifier")
            if _text(item, "number") and _text(item, "name")
        ]
        isrctn = _text(information, "isrctnIdentifier")
        if isrctn:
            others.insert(0, {"id": isrctn, "type": "REGISTRY", "domain": "ISRCTN"})
        if others:
            identification["secondaryIdInfos"] = others
        pips = [_text(p, "number") for p in _children(_child(information, "pipnumbers"), "pipnumber")]
        if pips and pips[0]:
            eu["pipNumber"] = pips[0]
            if len(pips) > 1:
                dropped.append("result/trialInformation/pipnumbers/pipnumber[2]")
        who = _text(information, "whoIdentifier")
        if who and re.match(r"^U\d{4}-\d{4}-\d{4}$", who):
            record["whoSection"] = {"utn": who}
        ages = _child(information, "populationAgeGroup")
        if ages is not None:
            eu["ageGroupBreakdown"] = {
                key: int(_text(ages, name) or 0)
                for name, key in _AGE_GROUPS.items()
                if _text(ages, name) is not None
            }
        reached = _text(information, "isGlobalEndOfTrialReached") == "true"
        status: dict[str, Any] = {}
        for name, target, holder in (
            ("globalEndOfTrialDate", "globalEndOfTrialDateStruct", eu),
            ("primaryCompletionDate", "primaryCompletionDateStruct", status),
            ("recruitmentStartDate", "startDateStruct", status),
        ):
            value = _date(_text(information, name))
            if value:
                kind = "ESTIMATED" if name == "globalEndOfTrialDate" and not reached else "ACTUAL"
                holder[target] = {"date": value, "type": kind}
        if reached and _text(information, "globalEndOfTrialPremature") in ("true", "false"):
            premature = _text(information, "globalEndOfTrialPremature") == "true"
            status["overallStatus"] = "TERMINATED" if premature else "COMPLETED"
        if status:
            record["protocolSection"]["statusModule"] = status
        dropped += [
            f"result/trialInformation/{etree.QName(child).localname}"
            for child in information
            if isinstance(child.tag, str) and etree.QName(child).localname not in _CARRIED
        ]
    if identification:
        record["protocolSection"]["identificationModule"] = identification
    sponsor = (root.get("sponsor") or "").strip()
    if sponsor:
        record["protocolSection"]["sponsorCollaboratorsModule"] = {"leadSponsor": {"name": sponsor}}
    record["euSection"] = eu
    disposition = _child(root, "subjectDisposition")
    arm_titles = import_subject_disposition(disposition, record, dropped) if disposition is not None else {}
    sets, set_titles = import_subject_analysis_sets(_child(root, "subjectAnalysisSets"))
    if sets:
        eu["subjectAnalysisSets"] = sets
    baseline = _child(root, "baselineCharacteristics")
    if baseline is not None:
        module = import_baseline(baseline, arm_titles, set_titles, dropped)
        if module["measures"]:
            record.setdefault("resultsSection", {})["baselineCharacteristicsModule"] = module
    end_points = _child(root, "endPoints")
    if end_points is not None:
        flow = record.get("resultsSection", {}).get("participantFlowModule", {})
        descriptions = {g["title"]: g["description"] for g in flow.get("groups", []) if g.get("description")}
        descriptions.update({s["title"]: s["description"] for s in sets if s.get("description")})
        measures = import_end_points(end_points, arm_titles, set_titles, descriptions)
        if measures:
            record.setdefault("resultsSection", {})["outcomeMeasuresModule"] = {"outcomeMeasures": measures}
    changes = _child(root, "trialChanges")
    if changes is not None:
        _import_trial_changes(changes, record, eu)
    events = _child(root, "adverseEvents")
    if events is not None:
        module, more = import_adverse_events(events)
        record.setdefault("resultsSection", {})["adverseEventsModule"] = module
        dropped += more
    dropped += [
        f"result/{etree.QName(child).localname}"
        for child in root
        if isinstance(child.tag, str)
        and etree.QName(child).localname
        not in (
            "trialInformation",
            "subjectDisposition",
            "baselineCharacteristics",
            "endPoints",
            "trialChanges",
            "subjectAnalysisSets",
            "adverseEvents",
        )
    ]
    return ImportResult(record, dropped)


def _import_trial_changes(changes: etree._Element, record: dict[str, Any], eu: dict[str, Any]) -> None:
    interruptions = []
    for item in _children(_child(changes, "globalInterruptions"), "globalInterruption"):
        entry = {
            "date": _date(_text(item, "date")),
            "restartDate": _date(_text(item, "restartDate")),
            "description": _text(item, "description"),
        }
        interruptions.append({k: v for k, v in entry.items() if v})
    amendments = []
    for item in _children(_child(changes, "globalAmendments"), "globalAmendment"):
        entry = {"date": _date(_text(item, "date")), "description": _text(item, "description")}
        amendments.append({k: v for k, v in entry.items() if v})
    if interruptions:
        eu["globalInterruptions"] = interruptions
    if amendments:
        eu["globalSubstantialModifications"] = amendments
    limitations = _text(changes, "limitationsAndCaveats")
    if limitations:
        record.setdefault("resultsSection", {})["moreInfoModule"] = {
            "limitationsAndCaveats": {"description": limitations}
        }
    pmids = [str(_text_of(p)) for p in _children(_child(changes, "pubMedReferenceNumbers"), "pmid")]
    if pmids:
        # EudraCT lists the publications of the trial's results (see results_xml.RESULT_REFERENCE_TYPES).
        record["protocolSection"]["referencesModule"] = {
            "references": [{"pmid": pmid, "type": "RESULT"} for pmid in pmids if pmid]
        }


def _text_of(element: etree._Element) -> str:
    return (element.text or "").strip()
