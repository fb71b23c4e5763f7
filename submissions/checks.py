"""The one place the lifecycle asks the registry library about a record or builds a payload.

Kept thin so that the names it calls in ``registries`` can move without touching the domain.
"""

from __future__ import annotations

from typing import Any

from registries import get_registry
from registries.base import BrandedRegistry, FilingEvidenceRegistry, MultiFileRegistry, UpdatableRegistry
from registries.changes import changed_modules
from registries.checks import GENERIC_REGISTRY, check_record, generic_findings, unusable_record
from registries.consistency import check_consistency
from registries.enums import Stage as RegistryStage
from registries.findings import Finding
from registries.laysummary.checks import DEFAULT_TARGET_GRADE, lay_summary_findings
from registries.laysummary.pdf import Branding
from registries.payload import Payload
from registries.targets import derive_targets


def stage_findings(
    record: dict[str, Any],
    stage: str,
    registry_codes: list[str],
    *,
    lay_target_grade: float = DEFAULT_TARGET_GRADE,
) -> list[Finding]:
    """Findings on ``record`` for ``stage``: the registry-independent ones (record schema, stage profile,
    generic rules) once, then each of ``registry_codes``' own checks, then whether their payloads agree
    with each other (registries.consistency). The lay-summary stage adds the plain-language checks
    (``registries.laysummary``); only their missing-section and missing-English errors block approval,
    and a section the profile already reports is not reported twice."""
    findings = list(check_record(record, RegistryStage(stage)))
    if not isinstance(record, dict) or unusable_record(record, RegistryStage(stage)):
        return findings
    if stage == RegistryStage.LAY_SUMMARY:
        reported = {f.pointer for f in findings if f.is_error}
        findings.extend(
            f
            for f in lay_summary_findings(record, target_grade=lay_target_grade)
            if not (f.is_error and f.pointer in reported)
        )
    for code in registry_codes:
        if code != GENERIC_REGISTRY:
            findings.extend(get_registry(code).check(record, RegistryStage(stage)))
    findings.extend(check_consistency(record, RegistryStage(stage), registry_codes))
    return findings


def record_findings(record: dict[str, Any], stage: str) -> list[Finding]:
    """Registry-independent findings (record schema, the stage's common profile, generic rules) on a
    record that ``registries.jsonread.check_value`` has accepted: the caller
    (``domain.trials.prepare_record``) has just refused the others, and a second walk of a 150 KB record
    is a few percent of an API save."""
    return generic_findings(record, RegistryStage(stage))


def build_payload(
    record: dict[str, Any],
    stage: str,
    registry_code: str,
    *,
    accepted: dict[str, Any] | None = None,
) -> tuple[Payload, list[Finding]]:
    """The registry's payload for the stage, with the findings of building it and of verifying it
    against the registry's own schema.

    ``accepted`` is the record as the registry last accepted it for this stage (an update filing). A
    registry that takes partial uploads (ClinicalTrials.gov PRS) then gets only the changed modules, so
    an update never overwrites what it does not mention; others get the full payload again.
    """
    registry = get_registry(registry_code)
    if accepted is not None and isinstance(registry, UpdatableRegistry):
        payload = registry.build_update(record, RegistryStage(stage), changed_modules(accepted, record))
    else:
        payload = registry.build(record, RegistryStage(stage))
    findings = [*payload.findings, *registry.verify(payload)]
    return payload, findings


def build_payloads(
    record: dict[str, Any],
    stage: str,
    registry_code: str,
    *,
    accepted: dict[str, Any] | None = None,
    branding: Branding | None = None,
) -> list[tuple[Payload, list[Finding]]]:
    """Every file the registry takes for the stage (CTIS: the structured data and its PDFs), the main
    payload first, each with the findings of verifying it. A partial update stays one payload.

    ``branding`` (the organization's letter settings, ``submissions.domain.letters.pdf_branding``) goes
    to the registries whose files include documents people read (the lay-summary PDFs)."""
    registry = get_registry(registry_code)
    if isinstance(registry, MultiFileRegistry) and not (
        accepted is not None and isinstance(registry, UpdatableRegistry)
    ):
        if branding is not None and isinstance(registry, BrandedRegistry):
            payloads = registry.build_branded(record, RegistryStage(stage), branding)
        else:
            payloads = registry.build_all(record, RegistryStage(stage))
        return [(payload, [*payload.findings, *registry.verify(payload)]) for payload in payloads]
    return [build_payload(record, stage, registry_code, accepted=accepted)]


def filed_as(registry_code: str, record: dict[str, Any], stage: str) -> list[tuple[str, str | None]]:
    """What a submitted filing of ``stage`` built from ``record`` counts as for the deadline rules:
    (stage, kind) pairs, kind None for the filing's own. Most registries: the stage itself."""
    registry = get_registry(registry_code)
    if isinstance(registry, FilingEvidenceRegistry) and isinstance(record, dict):
        return [(s.value, kind) for s, kind in registry.filed_as(record, RegistryStage(stage))]
    return [(stage, None)]


def derived_targets(record: dict[str, Any] | None, stage: str) -> tuple[list[str], list[Finding]]:
    """The registries the record calls for at ``stage`` (registries.targets), and the notes that say why."""
    derived = derive_targets(record if isinstance(record, dict) else {}, RegistryStage(stage))
    return [code for code, _note in derived if code], [note for _code, note in derived]


def registry_name(code: str) -> str:
    return get_registry(code).name


def registry_stages(code: str) -> tuple[str, ...]:
    return tuple(stage.value for stage in get_registry(code).stages)
