"""Every real ClinicalTrials.gov record we hold, as a sponsor's portfolio: the 242 API v2 records of
``samples-bulk/`` and the six of ``samples/``. Each imports (no refusal), is checked at every stage
without a schema error, builds XSD-valid PRS XML at every stage with no Markdown escape the source's
plain text did not have, and keeps its facts through the trip.

The work is done once per record and shared by every test (a module-level cache), so the whole set
costs a few seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from registries import specs
from registries.checks import check_record
from registries.ctgov.adapter import ADAPTER
from registries.ctgov.importers.api_v2 import MARKUP_FIELDS
from registries.ctgov.importers.prs_xml import import_prs_xml
from registries.enums import Stage
from registries.findings import Finding
from registries.importers import ImportResult, import_record
from registries.markdown import markdown_to_plain
from tests.registries.ctgov.roundtrip_facts import record_facts

BULK = sorted((specs.schema_dir() / "samples-bulk" / "ctgov-v2").glob("*.json"))
SAMPLES = sorted((specs.schema_dir() / "samples").glob("ctgov-*"))
PORTFOLIO = BULK + SAMPLES
# A backslash before ASCII punctuation: a Markdown escape (CommonMark 0.31, section 2.4).
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
# The findings of the XSD layer: a record that imports must never produce XML the schema refuses.
_SCHEMA_CODES = frozenset({"ctgov.xsd_invalid", "ctgov.xsd_idref", "ctgov.record_invalid"})


@dataclass
class Outcome:
    source: Any
    result: ImportResult
    payloads: dict[Stage, bytes] = field(default_factory=dict)
    verify: list[Finding] = field(default_factory=list)
    checks: dict[Stage, list[Finding]] = field(default_factory=dict)


def _format(path: Path) -> str:
    return "ctgov-v2" if path.suffix == ".json" else "ctgov-public-xml"


@cache
def outcome(path: Path) -> Outcome:
    data = path.read_bytes()
    source = json.loads(data) if path.suffix == ".json" else None
    result = import_record(_format(path), data)
    done = Outcome(source, result)
    for stage in ADAPTER.stages:
        payload = ADAPTER.build(result.record, stage)
        done.payloads[stage] = payload.content
        done.verify += ADAPTER.verify(payload)
    for stage in Stage:
        done.checks[stage] = check_record(result.record, stage, "ctgov" if stage in ADAPTER.stages else None)
    return done


def _strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child, path)
    elif isinstance(value, str):
        yield ".".join(path), value


def _source_plain_text(path: Path, done: Outcome) -> str:
    """Every text of the source as plain text: API v2 Markdown fields as the text they were made from."""
    if done.source is None:
        return path.read_text(encoding="utf-8")
    return "\n".join(
        markdown_to_plain(text) if name in MARKUP_FIELDS else text for name, text in _strings(done.source)
    )


def _plain_source_record(done: Outcome) -> dict[str, Any]:
    def plain(value: Any, path: tuple[str, ...]) -> Any:
        if isinstance(value, dict):
            return {k: plain(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v, path) for v in value]
        return markdown_to_plain(value) if ".".join(path) in MARKUP_FIELDS else value

    result: dict[str, Any] = plain(done.source, ())
    return result


def test_the_portfolio_is_every_real_record(registry_specs: Path) -> None:
    assert (len(BULK), len(SAMPLES)) == (242, 6)


@pytest.mark.parametrize("path", PORTFOLIO, ids=lambda p: p.name)
def test_real_record_imports_builds_and_verifies_at_every_stage(registry_specs: Path, path: Path) -> None:
    done = outcome(path)

    assert done.verify == []
    assert [f.as_dict() for stage in Stage for f in done.checks[stage] if f.code in _SCHEMA_CODES] == []
    assert [f.as_dict() for f in done.result.findings if f.severity.value == "error"] == []


@pytest.mark.parametrize("path", PORTFOLIO, ids=lambda p: p.name)
def test_no_payload_text_carries_a_markdown_escape_the_source_did_not_have(
    registry_specs: Path, path: Path
) -> None:
    done = outcome(path)
    allowed = set(_ESCAPE.findall(_source_plain_text(path, done)))

    found = {
        escape
        for content in done.payloads.values()
        for text in etree.fromstring(content).itertext(with_tail=True)
        if isinstance(text, str)
        for escape in _ESCAPE.findall(text)
    }

    assert found - allowed == set()


@pytest.mark.parametrize("path", PORTFOLIO, ids=lambda p: p.name)
def test_real_record_keeps_its_facts_through_import_and_prs_xml(registry_specs: Path, path: Path) -> None:
    done = outcome(path)
    record = done.result.record

    back = import_prs_xml(done.payloads[Stage.RESULTS])

    assert record_facts(back.record) == record_facts(record)
    if done.source is not None:
        source = _plain_source_record(done)
        assert record_facts(record) == record_facts(source)
        identification = source["protocolSection"]["identificationModule"]
        assert record["protocolSection"]["identificationModule"]["nctId"] == identification["nctId"]
        assert done.result.dropped == []


def test_over_limit_published_text_imports_as_a_warning_and_is_an_error_only_at_results(
    registry_specs: Path,
) -> None:
    # NCT04544683 publishes a 1,400-character group description in every results module (PRS allows
    # 999 today).
    done = outcome(registry_specs / "samples-bulk" / "ctgov-v2" / "NCT04544683.json")

    limits = {
        stage: sorted({f.severity.value for f in done.checks[stage] if f.code == "record.max_length"})
        for stage in Stage
    }

    assert sorted({(f.severity.value, f.code) for f in done.result.findings}) == [
        ("warning", "import.max_length")
    ]
    assert len(done.result.findings) == 11
    assert limits == {
        Stage.REGISTRATION: ["warning"],
        Stage.PROTOCOL_SUMMARY: ["warning"],
        Stage.RESULTS: ["error"],
        Stage.LAY_SUMMARY: ["warning"],
    }
