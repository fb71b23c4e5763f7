"""Cross-registry consistency: whether the payloads of one filing would tell two registries different facts.

ICTRP gathers every registry's record of a trial under one Universal Trial Number, so a trial registered in
two places with conflicting status, dates or numbers shows the conflict in public (REFERENCE-registries.md
section 5; studies find about one trial in six registered in both the US and EU registries conflicting).
Each registry package that can take part has a ``facts`` module: ``payload_facts(content)`` reads the facts
back from the payload it built, and ``SOURCES`` names the record field each fact came from, so a finding
points at the field to fix. Facts are compared between every two payloads that both carry them:

- ``consistency.<fact>_differs`` (warning): status, dates, enrollment, arms, interventions (name and type),
  primary and secondary outcomes, sponsor name;
- ``consistency.<identifier>_conflict`` (error): two numbers for the same trial in one registry's system;
- ``consistency.<identifier>_missing`` (warning): a payload with a place for a number the record states
  (the NCT number in ISRCTN's, the EU CT number and ISRCTN number in ClinicalTrials.gov's secondary IDs,
  the UTN everywhere) leaves it out.
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module
from types import ModuleType
from typing import Any

from registries import get_registry, identifiers
from registries.base import MultiFileRegistry
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.schema import is_valid_record

REGISTRY = "consistency"
SOURCE = "Cross-registry consistency"
FACT_MODULES: dict[str, str] = {
    "ctgov": "registries.ctgov.facts",
    "ctis": "registries.ctis.facts",
    "isrctn": "registries.isrctn.facts",
    "who": "registries.who.facts",
}
FACTS: dict[str, str] = {
    "status": "recruitment status",
    "start_date": "study start date",
    "first_enrolment_date": "date of first enrolment",
    "completion_date": "completion date",
    "enrollment": "enrollment",
    "arms": "arms",
    "interventions": "interventions",
    "primary_outcomes": "primary outcomes",
    "secondary_outcomes": "secondary outcomes",
    "sponsor": "primary sponsor",
}
IDENTIFIERS: dict[str, str] = {
    "nct": "NCT number",
    "eu_ct": "EU CT number",
    "isrctn": "ISRCTN number",
    "utn": "Universal Trial Number",
}


# The registries name intervention types at different grains; ISRCTN's list is the coarsest, so every
# payload's type is compared in its terms (registries.isrctn.trial_xml.INTERVENTION_TYPE).
def intervention_type(api_type: str | None) -> str:
    """An API v2 intervention type at ISRCTN's grain ("" when unstated)."""
    from registries.isrctn.trial_xml import INTERVENTION_TYPE

    return INTERVENTION_TYPE.get(api_type or "", "")


def intervention(name: str, coarse_type: str) -> str:
    """One intervention as a comparable fact: its name and, when stated, its type at ISRCTN's grain."""
    return f"{name} ({coarse_type})" if coarse_type else name


def _reference(record: dict[str, Any], kind: str) -> str:
    return {
        "nct": identifiers.nct_number,
        "eu_ct": identifiers.eu_ct_number,
        "isrctn": identifiers.isrctn_number,
        "utn": identifiers.utn,
    }[kind](record)


def collect_facts(
    record: dict[str, Any], stage: Stage, codes: list[str]
) -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
    """code -> (facts of the payload the record builds for it, the record field of each fact)."""
    collected: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}
    for code in sorted(set(codes)):
        if code not in FACT_MODULES:
            continue
        registry = get_registry(code)
        if stage not in registry.stages:
            continue
        try:
            payload = registry.build(record, stage)
        except RegistryError:
            continue  # the registry's own check reports why no payload can be built
        module: ModuleType = import_module(FACT_MODULES[code])
        files_facts = getattr(module, "files_facts", None)
        if files_facts is not None and isinstance(registry, MultiFileRegistry):
            # A registry whose companion file states a fact more exactly than the main payload (WHO:
            # the TRDS JSON keeps each outcome's measure apart from its time frame).
            facts = files_facts([p.content for p in registry.build_all(record, stage)])
        else:
            facts = module.payload_facts(payload.content)
        collected[code] = (facts, module.SOURCES)
    return collected


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value) or "none"
    return str(value)


def compare_facts(
    collected: dict[str, tuple[dict[str, Any], dict[str, str]]], stage: Stage, record: dict[str, Any]
) -> list[Finding]:
    """The findings of comparing the payloads' facts (pure: no payload is built here)."""
    names = {code: get_registry(code).name for code in collected}
    findings: list[Finding] = []
    for fact, label in FACTS.items():
        values = {code: facts[fact] for code, (facts, _s) in collected.items() if fact in facts}
        if len(set(values.values())) < 2:
            continue
        common, _count = Counter(values.values()).most_common(1)[0]
        odd = next(code for code in values if values[code] != common)
        told = "; ".join(f"{names[code]}: {_show(value)}" for code, value in values.items())
        findings.append(
            Finding(
                Severity.WARNING,
                f"consistency.{fact}_differs",
                collected[odd][1].get(fact, ""),
                f"The payloads would tell the registries different {label}s ({told}). Make the record's "
                "fields agree, or confirm the difference is intended.",
                REGISTRY,
                stage,
                SOURCE,
                {"values": {code: _show(value) for code, value in values.items()}},
            )
        )
    for kind, label in IDENTIFIERS.items():
        key = f"id.{kind}"
        places = {code: facts[key] for code, (facts, _s) in collected.items() if key in facts}
        reference = _reference(record, kind)
        if not places:
            continue
        numbers = set().union(*places.values()) | ({reference} if reference else set())
        if len(numbers) > 1 and any(found - {reference} for found in places.values()):
            odd = next(
                (code for code, found in places.items() if found - {reference}),
                next(iter(places)),
            )
            told = "; ".join(
                f"{names[code]}: {', '.join(sorted(found)) or 'none'}" for code, found in places.items()
            )
            findings.append(
                Finding(
                    Severity.ERROR,
                    f"consistency.{kind}_conflict",
                    collected[odd][1].get(key, ""),
                    f"The payloads carry different {label}s for one trial ({told}); a trial has one. Correct "
                    "the wrong one in the record.",
                    REGISTRY,
                    stage,
                    SOURCE,
                    {"values": {code: sorted(found) for code, found in places.items()}},
                )
            )
            continue
        if not reference:
            continue
        for code, found in places.items():
            if reference not in found:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        f"consistency.{kind}_missing",
                        collected[code][1].get(key, ""),
                        f"The {names[code]} payload does not carry the trial's {label} {reference}; "
                        "registries quote each other's numbers so the ICTRP can link one trial's records.",
                        code,
                        stage,
                        SOURCE,
                    )
                )
    return findings


def check_consistency(record: Any, stage: Stage | str, codes: list[str]) -> list[Finding]:
    """Findings wherever the payloads the record builds for ``codes`` at ``stage`` disagree."""
    stage = Stage(stage)
    if not isinstance(record, dict) or not is_valid_record(record):
        return []
    collected = collect_facts(record, stage, codes)
    if not collected:
        return []
    return compare_facts(collected, stage, record)
