"""What the WHO and ISRCTN adapters refuse, each with its code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registries import specs
from registries.enums import Stage
from registries.findings import RegistryError
from registries.isrctn.adapter import ADAPTER as ISRCTN
from registries.who.adapter import ADAPTER as WHO

COMPLETE_RECORD = Path(__file__).resolve().parents[1] / "fixtures" / "records" / "complete.json"


def complete_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record


@pytest.mark.parametrize("adapter", [WHO, ISRCTN], ids=lambda a: a.code)
def test_stage_the_registry_does_not_take_is_refused(adapter: Any) -> None:
    with pytest.raises(RegistryError) as refused:
        adapter.build(complete_record(), Stage.PROTOCOL_SUMMARY)

    assert refused.value.code == f"{adapter.code}.stage_not_supported"


@pytest.mark.parametrize("adapter", [WHO, ISRCTN], ids=lambda a: a.code)
def test_record_that_breaks_the_record_schema_builds_nothing(adapter: Any) -> None:
    record = complete_record()
    record["protocolSection"]["contactsLocationsModule"]["locations"] = {"country": "United Kingdom"}

    with pytest.raises(RegistryError) as refused:
        adapter.build(record, Stage.REGISTRATION)

    assert refused.value.code == f"{adapter.code}.record_invalid"


@pytest.mark.parametrize("adapter", [WHO, ISRCTN], ids=lambda a: a.code)
def test_text_xml_cannot_carry_is_a_coded_error(adapter: Any) -> None:
    record = complete_record()
    record["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = "Norwell\x01"

    with pytest.raises(RegistryError) as refused:
        adapter.build(record, Stage.REGISTRATION)

    assert refused.value.code == f"{adapter.code}.text_not_xml_safe"


def test_a_dtd_declaring_entities_is_not_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "who-ictrp"
    folder.mkdir()
    (folder / "who_ictrp.dtd").write_bytes(b'<!ENTITY % x SYSTEM "http://example.invalid/x.dtd"> %x;')
    monkeypatch.setattr(specs, "_configured", tmp_path)

    findings = WHO.verify(WHO.build(complete_record(), Stage.REGISTRATION))

    assert [f.code for f in findings] == ["who.dtd_unsafe"]
