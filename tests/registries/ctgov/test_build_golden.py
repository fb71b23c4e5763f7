"""Golden files: the PRS XML built from the complete synthetic record, byte for byte.

A builder change that alters the bytes fails here; when the change is intended, regenerate with

    UPDATE_GOLDEN=1 .tools/bin/uv run --frozen pytest tests/registries/ctgov/test_build_golden.py

and review the diff of tests/registries/ctgov/golden/ before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from registries.ctgov.adapter import ADAPTER
from registries.enums import Stage

GOLDEN = Path(__file__).parent / "golden"
COMPLETE_RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"


def _complete_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_build_matches_golden_file_byte_for_byte(stage: Stage) -> None:
    # given the complete synthetic trial
    record = _complete_record()
    golden = GOLDEN / f"complete-{stage.value}.xml"

    # when the stage payload is built
    content = ADAPTER.build(record, stage).content

    # then it is exactly the reviewed golden file
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(content)
    assert content == golden.read_bytes()


def test_golden_files_cover_every_stage() -> None:
    assert sorted(p.name for p in GOLDEN.glob("*.xml")) == sorted(
        f"complete-{stage.value}.xml" for stage in ADAPTER.stages
    )


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_golden_files_are_valid_against_the_official_xsd(stage: Stage, registry_specs: Path) -> None:
    payload = ADAPTER.build(_complete_record(), stage)

    assert ADAPTER.verify(payload) == []
