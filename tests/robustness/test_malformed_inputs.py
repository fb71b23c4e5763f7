"""Whatever bytes arrive at an importer, the answer is a record or a RegistryError with a code.

CTMS systems and sponsors' archives send files we did not write; the CLI and the API promise a clear,
coded error for the bad ones, never a traceback.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from registries.findings import RegistryError
from registries.importers import import_record

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["protocolSection", "resultsSection", "statusModule", "x"]), children
        )
    ),
    max_leaves=8,
)


def _outcome(fmt: str, data: bytes) -> str:
    try:
        import_record(fmt, data)
    except RegistryError as exc:
        return exc.code
    return "imported"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=JSON_VALUES)
def test_api_v2_importer_answers_any_json_with_a_record_or_a_code(document: Any) -> None:
    outcome = _outcome("ctgov-v2", json.dumps(document).encode())

    assert outcome == "imported" or outcome.startswith(("import.", "json."))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=200))
def test_every_importer_answers_any_bytes_with_a_record_or_a_code(data: bytes) -> None:
    outcomes = {fmt: _outcome(fmt, data) for fmt in ("ctgov-v2", "ctgov-prs-xml", "ctgov-public-xml")}

    assert all(outcome == "imported" or "." in outcome for outcome in outcomes.values()), outcomes


def _xml(tag: str, children: list[Any]) -> etree._Element:
    element = etree.Element(tag)
    for child in children:
        if isinstance(child, str):
            element.text = (element.text or "") + child
        else:
            element.append(child)
    return element


XML_TAGS = st.sampled_from(
    [
        "clinical_study",
        "id_info",
        "org_study_id",
        "nct_id",
        "brief_title",
        "overall_status",
        "start_date",
        "arm_group",
        "intervention",
        "location",
        "clinical_results",
        "outcome",
        "measure",
        "group",
        "value",
        "eligibility",
    ]
)
XML_TREES = st.recursive(
    st.builds(lambda tag, text: _xml(tag, [text]), XML_TAGS, st.text(alphabet="abc 12-", max_size=8)),
    lambda children: st.builds(_xml, XML_TAGS, st.lists(children, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=XML_TREES)
def test_xml_importers_answer_any_element_tree_with_a_record_or_a_code(tree: etree._Element) -> None:
    # as each format wraps a study: the public XML's bare root, PRS's namespaced collection
    public = etree.tostring(_xml("clinical_study", [tree]))
    collection = etree.Element("{http://clinicaltrials.gov/prs}study_collection")
    collection.append(_xml("clinical_study", [copy.deepcopy(tree)]))
    prs = etree.tostring(collection)

    outcomes = {
        "ctgov-prs-xml": _outcome("ctgov-prs-xml", prs),
        "ctgov-public-xml": _outcome("ctgov-public-xml", public),
    }

    assert all(outcome == "imported" or "." in outcome for outcome in outcomes.values()), outcomes
