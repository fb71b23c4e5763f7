"""The interface every registry package implements (DESIGN section 5)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol, runtime_checkable

from registries.enums import Stage
from registries.findings import Finding, RegistryError
from registries.laysummary.pdf import Branding
from registries.payload import Payload

Record = dict[str, Any]
Importer = Callable[[bytes], Record]


class Registry(Protocol):
    code: str
    name: str
    stages: tuple[Stage, ...]
    importers: Mapping[str, Importer]

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """What this registry demands of the record at this stage, as findings. Never raises for a
        record that falls short."""
        ...

    def build(self, record: Record, stage: Stage) -> Payload:
        """The payload this registry receives for the stage. Deterministic: same record, same bytes."""
        ...

    def verify(self, payload: Payload) -> list[Finding]:
        """The payload against the registry's own official schema; a missing schema is a finding."""
        ...


@runtime_checkable
class UpdatableRegistry(Registry, Protocol):
    """A registry that takes updates as partial uploads of the changed modules (ClinicalTrials.gov PRS)
    rather than a full replacement."""

    def build_update(self, record: Record, stage: Stage, changed_modules: Collection[str]) -> Payload:
        """The payload carrying only ``changed_modules`` (API v2 module names); what it leaves out the
        registry keeps."""
        ...


@runtime_checkable
class MultiFileRegistry(Registry, Protocol):
    """A registry that takes several files for one stage (CTIS: the structured data, the summary-of-results
    PDF and the lay-summary PDFs)."""

    def build_all(self, record: Record, stage: Stage) -> list[Payload]:
        """Every payload of the stage, ``build(record, stage)`` first. Deterministic, as ``build``."""
        ...


@runtime_checkable
class BrandedRegistry(MultiFileRegistry, Protocol):
    """A registry among whose files for a stage are documents people read (the lay-summary PDFs), which
    carry the sponsor's logo, colour and page size (issue 12). The branding is a plain value the caller
    takes from the organization's settings, so this package stays free of Django."""

    def build_branded(self, record: Record, stage: Stage, branding: Branding) -> list[Payload]:
        """``build_all`` with the documents for people in ``branding``; ``build_all`` is this with the
        default branding. Deterministic: same record and same branding, same bytes."""
        ...


@runtime_checkable
class FilingEvidenceRegistry(Registry, Protocol):
    """A registry whose filing of one stage counts for the deadline rules as something else or more
    (CTIS: the lay summary goes with the final summary of results; an intermediate analysis's summary is
    an interim results filing)."""

    def filed_as(self, record: Record, stage: Stage) -> tuple[tuple[Stage, str | None], ...]:
        """The (stage, kind) pairs a submitted filing of ``stage`` built from ``record`` stands for; a
        kind of None keeps the filing's own kind (initial, update). Kinds are the deadline engine's
        ``SubmissionKind`` values."""
        ...


def supported_stage(registry: Registry, stage: Stage | str) -> Stage:
    """``stage`` as a Stage, or ``<code>.stage_not_supported`` when the registry takes no filing of it."""
    value = Stage(stage)
    if value not in registry.stages:
        raise RegistryError(
            f"{registry.code}.stage_not_supported",
            f"{registry.name} has no {value.value} stage; its stages are "
            f"{', '.join(s.value for s in registry.stages)}.",
        )
    return value
