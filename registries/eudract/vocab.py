"""EudraCT constants and the controlled terms read from the schema directory (folder ``eudract``).

The term lists and DATA-VAL rules are data transcribed from EMA's "EudraCT Results - XML Guidance"
(EMA/492808/2013, 20 June 2014, Appendices 1 and 2) into ``eudract-terms.json``; the MedDRA system organ
classes with their EUTCT ids are in ``soc.xml``. Both are read, never copied into this repository.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from registries import specs
from registries.findings import RegistryError
from registries.xmlsafe import parse_xml

CODE = "eudract"
NAME = "EudraCT"
SPEC_FOLDER = "eudract"
ADVERSE_EVENTS_XSD = "adverseEvents.xsd"
RESULTS_XSD = "results-reconstructed.xsd"
ADVERSE_EVENTS_NS = "http://eudract.ema.europa.eu/schema/clinical_trial_result/adverse_events"
RESULTS_NS = "http://eudract.ema.europa.eu/schema/clinical_trial_result"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ADVERSE_EVENTS_SCHEMA_VERSION = "adverseEvents.xsd 1.1 (2014-06-20)"
RESULTS_SCHEMA_VERSION = "results.xsd 1.1 (2014-06-20, reconstructed) + adverseEvents.xsd 1.1"

# API v2 EventAssessment -> EudraCT ADV_EVT_ASSESS_TYPE term (Appendix 1, "Adverse event assessment method").
ASSESSMENT_TERMS = {
    "SYSTEMATIC_ASSESSMENT": "ADV_EVT_ASSESS_TYPE.systematic",
    "NON_SYSTEMATIC_ASSESSMENT": "ADV_EVT_ASSESS_TYPE.non_systematic",
}
MEDDRA_TERM = "ADV_EVT_DICTIONARY_NAME.meddra"


def _missing(name: str) -> RegistryError:
    return RegistryError(
        "eudract.spec_missing",
        f"The EudraCT reference file {specs.spec_path(SPEC_FOLDER, name)} is missing; run `python manage.py "
        "fetch_registry_schemas` or set REGISTRY_SCHEMA_DIR.",
    )


@cache
def terms() -> dict[str, Any]:
    path = specs.spec_path(SPEC_FOLDER, "eudract-terms.json")
    if not path.is_file():
        raise _missing("eudract-terms.json")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def data_val_rule(rule: str) -> str:
    """The wording of one DATA-VAL rule (Appendix 2), e.g. ``data_val_rule("DATA-VAL-11")``."""
    return str(terms()["validation_rules_DATA_VAL"][rule])


@cache
def soc_ids() -> dict[str, int]:
    """MedDRA system organ class name (case-folded) -> EUTCT id."""
    path = specs.spec_path(SPEC_FOLDER, "soc.xml")
    if not path.is_file():
        raise _missing("soc.xml")
    root = parse_xml(path.read_bytes())
    return {
        str(soc.findtext("soc_term")).strip().casefold(): int(str(soc.findtext("eutctId")).strip())
        for soc in root.iter("soc")
    }


def soc_name(eutct_id: int) -> str | None:
    path = specs.spec_path(SPEC_FOLDER, "soc.xml")
    if not path.is_file():
        raise _missing("soc.xml")
    for soc in parse_xml(path.read_bytes()).iter("soc"):
        if int(str(soc.findtext("eutctId")).strip()) == eutct_id:
            return str(soc.findtext("soc_term")).strip()
    return None


def term(list_name: str, label: str) -> str:
    """The EudraCT code of ``label`` in the Appendix 1 list ``list_name``, e.g.
    ``term("Study analysis stage", "final") == "ANALYSIS_STAGE.final"``."""
    entry = terms()["lists"][list_name]
    return f"{entry['prefix']}.{entry['terms'][label]}"


def term_label(list_name: str, code: str | None) -> str | None:
    """The label of an EudraCT code in ``list_name`` (the inverse of ``term``), or None."""
    entry = terms()["lists"][list_name]
    for label, value in entry["terms"].items():
        if code == f"{entry['prefix']}.{value}":
            return str(label)
    return None
