"""Partial uploads for update filings when the identification module changed."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from registries.ctgov.adapter import ADAPTER
from registries.enums import Stage

COMPLETE = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"


def test_identification_update_carries_titles_and_secondary_ids(registry_specs: Path) -> None:
    # given the complete record whose brief title changed
    record = json.loads(COMPLETE.read_text(encoding="utf-8"))
    record["protocolSection"]["identificationModule"]["briefTitle"] = "A shorter brief title"

    # when the registration update for the identification module is built
    payload = ADAPTER.build_update(record, Stage.REGISTRATION, {"identificationModule"})
    study = etree.fromstring(payload.content)[0]

    # then it names the study, carries the module's tags and secondary ids, and is valid
    assert [etree.QName(child).localname for child in study] == [
        "id_info",
        "brief_title",
        "acronym",
        "official_title",
    ]
    assert study.findtext("brief_title") == "A shorter brief title"
    assert study.find("id_info/secondary_id") is not None
    assert ADAPTER.verify(payload) == []
