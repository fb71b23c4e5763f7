"""Target registries derived from the record, each with the note that explains it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registries import _ADAPTERS
from registries.enums import Severity, Stage
from registries.targets import derive_targets, eu_framework, target_codes

COMPLETE_RECORD = Path(__file__).resolve().parents[1] / "fixtures" / "records" / "complete.json"


def record_with_sites(*countries: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    record["protocolSection"]["contactsLocationsModule"]["locations"] = [
        {"facility": f"Site {i}", "city": "City", "country": country} for i, country in enumerate(countries)
    ]
    record["protocolSection"]["oversightModule"]["isFdaRegulatedDrug"] = False
    del record["protocolSection"]["identificationModule"]["nctId"]
    return record


def _explained(record: dict[str, Any], stage: Stage = Stage.REGISTRATION) -> list[tuple[str, str, str]]:
    return [(code, note.code, note.pointer) for code, note in derive_targets(record, stage)]


def test_uk_and_us_trial_goes_to_ctgov_isrctn_and_who() -> None:
    assert _explained(record_with_sites("United States", "United Kingdom")) == [
        ("record", "target.record", ""),
        ("ctgov", "target.ctgov_us_site", "/protocolSection/contactsLocationsModule/locations/0/country"),
        ("isrctn", "target.isrctn_uk_site", "/protocolSection/contactsLocationsModule/locations/1/country"),
        ("who", "target.who_always", ""),
    ]


def test_every_derivation_is_explained_by_a_note() -> None:
    derived = derive_targets(record_with_sites("United States", "United Kingdom"), Stage.REGISTRATION)

    assert {note.severity for _code, note in derived} == {Severity.NOTE}
    assert all(note.message for _code, note in derived)


def test_fda_regulated_product_without_us_site_goes_to_ctgov() -> None:
    record = record_with_sites("Canada")
    record["protocolSection"]["oversightModule"]["isFdaRegulatedDrug"] = True

    assert _explained(record)[1] == (
        "ctgov",
        "target.ctgov_fda_regulated",
        "/protocolSection/oversightModule/isFdaRegulatedDrug",
    )


def test_uk_trial_registered_on_ctgov_is_not_sent_to_isrctn() -> None:
    record = record_with_sites("United Kingdom")
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT05718264"

    assert _explained(record) == [
        ("record", "target.record", ""),
        ("", "target.isrctn_registered_on_ctgov", "/protocolSection/identificationModule/nctId"),
        ("who", "target.who_always", ""),
    ]


def test_eu_site_with_a_medicinal_product_calls_for_ctis(monkeypatch: pytest.MonkeyPatch) -> None:
    # given an installation with a CTIS adapter (the test adapter stands in for it)
    monkeypatch.setitem(_ADAPTERS, "ctis", "registries.who.adapter:ADAPTER")

    derived = _explained(record_with_sites("Germany"))

    assert derived[1] == (
        "ctis",
        "target.ctis_eu_site",
        "/protocolSection/contactsLocationsModule/locations/0/country",
    )


def test_directive_trial_calls_for_eudract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_ADAPTERS, "eudract", "registries.who.adapter:ADAPTER")
    record = record_with_sites("Poland")
    record["euSection"] = {"eudractNumber": "2019-001234-56"}

    assert eu_framework(record) == "DIRECTIVE"
    assert _explained(record)[1][:2] == ("eudract", "target.eudract_eu_site")


def test_registry_without_an_adapter_is_not_offered_but_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(_ADAPTERS, "ctis", raising=False)

    derived = derive_targets(record_with_sites("Germany"), Stage.REGISTRATION)

    assert [(code, note.code, note.registry) for code, note in derived] == [
        ("record", "target.record", "record"),
        ("", "target.registry_unavailable", "ctis"),
        ("who", "target.who_always", "who"),
    ]


def test_eu_site_without_a_medicinal_product_calls_for_no_eu_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(_ADAPTERS, "ctis", "registries.who.adapter:ADAPTER")
    record = record_with_sites("Germany")
    record["protocolSection"]["armsInterventionsModule"]["interventions"] = [
        {"type": "BEHAVIORAL", "name": "Exercise"}
    ]
    del record["euSection"]

    assert target_codes(record, Stage.REGISTRATION) == ["record", "who"]


def test_registries_that_take_no_filing_at_the_stage_are_left_out() -> None:
    assert target_codes(record_with_sites("United States", "United Kingdom"), Stage.LAY_SUMMARY) == ["record"]
