"""The facts the CTIS JSON tells CTIS, read back for cross-registry consistency (``registries.consistency``).

The CTIS trial information carries the sponsor and the identifiers at every stage; the summary of results
(results stage) adds the overall status, the actual start date and the global end of trial. The document
holds no arms or interventions of its own (Annex IV section B's groups are result groups), and its
participant counts per country are results, not the planned enrollment, so neither is compared."""

from __future__ import annotations

import json
from typing import Any

from registries.who.trds import RECRUITMENT_STATUS

SOURCES: dict[str, str] = {
    "status": "/protocolSection/statusModule/overallStatus",
    "start_date": "/protocolSection/statusModule/startDateStruct",
    "completion_date": "/euSection/globalEndOfTrialDateStruct",
    "sponsor": "/protocolSection/sponsorCollaboratorsModule/leadSponsor/name",
    "id.nct": "/protocolSection/identificationModule/nctId",
    "id.eu_ct": "/euSection/euCtNumber",
    "id.isrctn": "/ukSection/isrctn",
    "id.utn": "/whoSection/utn",
}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def payload_facts(content: bytes) -> dict[str, Any]:
    document = json.loads(content)
    trial = _dict(_dict(document).get("trial"))
    others = _dict(trial.get("otherIdentifiers"))
    facts: dict[str, Any] = {
        "sponsor": _text(_dict(trial.get("sponsor")).get("name")),
        "id.eu_ct": {_text(trial.get("euCtNumber"))} - {""},
        # Only these numbers have a place in the CTIS document: otherIdentifiers, read from the record
        # fields SOURCES names. An absent one is reported missing only when the record states it.
        "id.nct": {_text(others.get("nctNumber"))} - {""},
        "id.isrctn": {_text(others.get("isrctn"))} - {""},
        "id.utn": {_text(others.get("whoUtn"))} - {""},
    }
    summary = _dict(_dict(document.get("summaryOfResults")).get("A_trialInformation"))
    general = _dict(summary.get("generalInformation"))
    status = RECRUITMENT_STATUS.get(_text(general.get("overallStatus")))
    if status:
        facts["status"] = status
    facts["start_date"] = _text(_dict(general.get("actualStartDate")).get("date"))
    facts["completion_date"] = _text(
        _dict(_dict(summary.get("analysisStage")).get("globalEndOfTrial")).get("date")
    )
    return {key: value for key, value in facts.items() if value not in ("", (), None)}
