"""Which registries a trial's filing goes to, derived from the record, each with the reason as a note.

- ClinicalTrials.gov: a site in the US or its territories, or a product regulated by the FDA
  (42 CFR 11.22: applicable clinical trials; FDAAA 801).
- EU: a site in the EU/EEA and an investigational medicinal product: CTIS under Regulation (EU) 536/2014
  (Art. 81), EudraCT for a trial still under Directive 2001/20/EC (not transitioned; CTR Art. 98).
- ISRCTN: a UK site, unless the trial is registered on ClinicalTrials.gov: the HRA registers approved
  CTIMPs on ISRCTN except those registered there (HRA, research registration, since 1 January 2022).
- WHO: always; the Trial Registration Data Set is what every primary registry passes to the ICTRP.

Only registries this installation has an adapter for, and that take the stage, are offered; a required
one without an adapter gets a note instead, so the gap is visible rather than silently dropped.
"""

from __future__ import annotations

from typing import Any

from registries import get_registry, registry_codes
from registries.ctgov._xmlbuild import get, items
from registries.enums import EEA_COUNTRIES, US_COUNTRIES, Severity, Stage
from registries.findings import Finding, pointer

GENERIC = "record"
MEDICINAL_INTERVENTION_TYPES = frozenset({"DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT"})
SOURCE = "Target registries"


def _site(record: dict[str, Any], countries: frozenset[str]) -> tuple[str, str] | None:
    """(country, pointer) of the first site in one of ``countries``."""
    for index, location in enumerate(
        items(record, "protocolSection", "contactsLocationsModule", "locations")
    ):
        country = get(location, "country")
        if isinstance(country, str) and country.strip() in countries:
            return country.strip(), pointer(
                "protocolSection", "contactsLocationsModule", "locations", index, "country"
            )
    return None


def _medicinal_product(record: dict[str, Any]) -> tuple[str, str] | None:
    for index, intervention in enumerate(
        items(record, "protocolSection", "armsInterventionsModule", "interventions")
    ):
        if get(intervention, "type") in MEDICINAL_INTERVENTION_TYPES:
            return (
                f"{get(intervention, 'type')} intervention {get(intervention, 'name') or ''}".strip(),
                pointer("protocolSection", "armsInterventionsModule", "interventions", index, "type"),
            )
    eu = record.get("euSection") or {}
    for key in ("euCtNumber", "eudractNumber"):
        if eu.get(key):
            return f"EU clinical trial number {eu[key]}", f"/euSection/{key}"
    return None


def eu_framework(record: dict[str, Any]) -> str:
    """CTR or DIRECTIVE: the stated euSection.regulatoryFramework, else a EudraCT-only trial that was not
    transitioned runs under the Directive (record schema description; CTR Art. 98)."""
    eu = record.get("euSection") or {}
    stated = eu.get("regulatoryFramework")
    if stated in ("CTR", "DIRECTIVE"):
        return str(stated)
    if eu.get("eudractNumber") and not eu.get("euCtNumber") and not eu.get("transitioned"):
        return "DIRECTIVE"
    return "CTR"


def _note(code: str, where: str, message: str, stage: Stage, registry: str) -> Finding:
    return Finding(Severity.NOTE, code, where, message, registry, stage, SOURCE, {"registry": registry})


def _required(record: dict[str, Any], stage: Stage) -> list[tuple[str, Finding]]:
    """Every registry the record calls for, with the note that says why, before asking which exist."""
    required: list[tuple[str, Finding]] = [
        (
            GENERIC,
            _note("target.record", "", "The canonical record is kept for every filing.", stage, GENERIC),
        )
    ]
    us_site = _site(record, US_COUNTRIES)
    oversight = get(record, "protocolSection", "oversightModule") or {}
    if us_site:
        required.append(
            (
                "ctgov",
                _note(
                    "target.ctgov_us_site",
                    us_site[1],
                    f"ClinicalTrials.gov: the trial has a site in {us_site[0]} (42 CFR 11.22).",
                    stage,
                    "ctgov",
                ),
            )
        )
    elif oversight.get("isFdaRegulatedDrug") is True or oversight.get("isFdaRegulatedDevice") is True:
        field = (
            "isFdaRegulatedDrug" if oversight.get("isFdaRegulatedDrug") is True else "isFdaRegulatedDevice"
        )
        required.append(
            (
                "ctgov",
                _note(
                    "target.ctgov_fda_regulated",
                    f"/protocolSection/oversightModule/{field}",
                    "ClinicalTrials.gov: the trial studies a product regulated by the US FDA (42 CFR 11.22).",
                    stage,
                    "ctgov",
                ),
            )
        )
    eu_site = _site(record, EEA_COUNTRIES)
    product = _medicinal_product(record)
    if eu_site and product:
        directive = eu_framework(record) == "DIRECTIVE"
        code = "eudract" if directive else "ctis"
        law = "Directive 2001/20/EC (EudraCT)" if directive else "Regulation (EU) 536/2014 (CTIS)"
        required.append(
            (
                code,
                _note(
                    f"target.{code}_eu_site",
                    eu_site[1],
                    f"{'EudraCT' if directive else 'CTIS'}: the trial has a site in {eu_site[0]} and an "
                    f"investigational medicinal product ({product[0]}); it runs under {law}.",
                    stage,
                    code,
                ),
            )
        )
    uk_site = _site(record, frozenset({"United Kingdom"}))
    if uk_site:
        nct = get(record, "protocolSection", "identificationModule", "nctId")
        if nct:
            required.append(
                (
                    "",
                    _note(
                        "target.isrctn_registered_on_ctgov",
                        "/protocolSection/identificationModule/nctId",
                        "Not ISRCTN, although the trial has a UK site: it is registered on "
                        f"ClinicalTrials.gov ({nct}), which the HRA accepts instead.",
                        stage,
                        "isrctn",
                    ),
                )
            )
        else:
            required.append(
                (
                    "isrctn",
                    _note(
                        "target.isrctn_uk_site",
                        uk_site[1],
                        "ISRCTN: the trial has a site in the United Kingdom and is not registered on "
                        "ClinicalTrials.gov (HRA research registration).",
                        stage,
                        "isrctn",
                    ),
                )
            )
    required.append(
        (
            "who",
            _note(
                "target.who_always",
                "",
                "WHO: the Trial Registration Data Set is kept for every trial, for the ICTRP.",
                stage,
                "who",
            ),
        )
    )
    return required


def derive_targets(record: dict[str, Any], stage: Stage | str) -> list[tuple[str, Finding]]:
    """(registry code, note) for each registry the record calls for at ``stage``, in that order.

    A registry without an adapter here, or that takes no filing at this stage, is not offered; one
    without an adapter gets a note (code ``""``) so a reviewer sees the registry still to be served.
    Notes with code ``""`` explain a registry deliberately left out.
    """
    stage = Stage(stage)
    known = set(registry_codes())
    derived: list[tuple[str, Finding]] = []
    for code, note in _required(record if isinstance(record, dict) else {}, stage):
        if not code:
            derived.append((code, note))
        elif code not in known:
            derived.append(
                (
                    "",
                    Finding(
                        Severity.NOTE,
                        "target.registry_unavailable",
                        note.pointer,
                        f"{note.message} This installation has no adapter for it yet; file there separately.",
                        code,
                        stage,
                        SOURCE,
                        {"registry": code},
                    ),
                )
            )
        elif stage in get_registry(code).stages:
            derived.append((code, note))
    return derived


def target_codes(record: dict[str, Any], stage: Stage | str) -> list[str]:
    """Just the registry codes of ``derive_targets``."""
    return [code for code, _note in derive_targets(record, stage) if code]
