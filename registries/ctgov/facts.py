"""The facts a PRS upload tells ClinicalTrials.gov, read back from its XML for cross-registry
consistency (``registries.consistency``)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from registries import identifiers
from registries.consistency import intervention, intervention_type
from registries.ctgov import vocab
from registries.who.trds import RECRUITMENT_STATUS
from registries.xmlsafe import parse_xml

# Where in the record each fact of this payload comes from (consistency findings point there).
SOURCES: dict[str, str] = {
    "status": "/protocolSection/statusModule/overallStatus",
    "start_date": "/protocolSection/statusModule/startDateStruct",
    "first_enrolment_date": "/protocolSection/statusModule/startDateStruct",
    "completion_date": "/protocolSection/statusModule/completionDateStruct",
    "enrollment": "/protocolSection/designModule/enrollmentInfo/count",
    "arms": "/protocolSection/armsInterventionsModule/armGroups",
    "interventions": "/protocolSection/armsInterventionsModule/interventions",
    "primary_outcomes": "/protocolSection/outcomesModule/primaryOutcomes",
    "secondary_outcomes": "/protocolSection/outcomesModule/secondaryOutcomes",
    "sponsor": "/protocolSection/sponsorCollaboratorsModule/leadSponsor/name",
    "id.eu_ct": "/protocolSection/identificationModule/secondaryIdInfos",
    "id.isrctn": "/protocolSection/identificationModule/secondaryIdInfos",
    "id.utn": "/protocolSection/identificationModule/secondaryIdInfos",
}


def _texts(root: etree._Element, path: str) -> list[str]:
    return [str(e.text).strip() for e in root.iterfind(path) if e.text and e.text.strip()]


def _first(root: etree._Element, path: str) -> str:
    found = _texts(root, path)
    return found[0] if found else ""


def payload_facts(content: bytes) -> dict[str, Any]:
    root = parse_xml(content, max_bytes=None)
    study = root.find("clinical_study")
    if study is None:
        return {}
    facts: dict[str, Any] = {}
    status = vocab.from_prs(vocab.STATUS_FROM_PRS, _first(study, "overall_status"))
    if status:
        facts["status"] = RECRUITMENT_STATUS.get(status)
    for key, tag in (
        ("start_date", "start_date"),
        ("first_enrolment_date", "start_date"),
        ("completion_date", "last_follow_up_date"),
    ):
        if _first(study, tag):
            facts[key] = _first(study, tag)
    if _first(study, "enrollment").isdigit():
        facts["enrollment"] = int(_first(study, "enrollment"))
    facts["arms"] = tuple(sorted(_texts(study, "arm_group/arm_group_label")))
    facts["interventions"] = tuple(
        sorted(
            intervention(
                _first(i, "intervention_name"),
                intervention_type(
                    vocab.from_prs(vocab.INTERVENTION_TYPE_FROM_PRS, _first(i, "intervention_type"))
                ),
            )
            for i in study.iterfind("intervention")
            if _first(i, "intervention_name")
        )
    )
    facts["primary_outcomes"] = tuple(sorted(_texts(study, "primary_outcome/outcome_measure")))
    facts["secondary_outcomes"] = tuple(sorted(_texts(study, "secondary_outcome/outcome_measure")))
    facts["sponsor"] = _first(study, "sponsors/lead_sponsor/agency")
    ids = [
        (_first(s, "id"), _first(s, "id_domain").casefold()) for s in study.iterfind("id_info/secondary_id")
    ]
    facts["id.eu_ct"] = {n for n, _d in ids if identifiers.EU_CT_PATTERN.match(n)}
    facts["id.isrctn"] = {n for n, d in ids if d == "isrctn" or identifiers.ISRCTN_PATTERN.match(n)}
    facts["id.utn"] = {n for n, d in ids if d in identifiers.UTN_DOMAINS or identifiers.UTN_PATTERN.match(n)}
    return {key: value for key, value in facts.items() if value not in ("", (), None)}
