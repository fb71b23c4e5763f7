"""Registry formats that can be read into a canonical record, by format code.

Each importer takes the raw bytes of one document and returns ``ImportResult``; it raises
``RegistryError`` (with a code naming the problem and a pointer into the input) only for input that is not
a study or cannot be read safely, and never returns a half-read record silently: every sponsor-written
input field it does not map is listed in ``dropped``, and what the registry derives itself (MeSH trees,
posting dates of its own, annotations) in ``derived``. A published record that breaks today's limits or
vocabularies still imports: each excess is a warning in ``findings`` at its field (the stage checks make it
an error before the next filing). ``history`` is what the registry's record shows of the filings made to
it: when each stage was submitted, returned with comments, resubmitted and accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from registries.enums import HistoryOutcome, Stage
from registries.findings import Finding, RegistryError


@dataclass(frozen=True, slots=True)
class RegistryFiling:
    """One submission of one stage to a registry, read from the registry's own published record.

    ``submitted_on`` is the day the registry received it (the day that counts for 42 CFR 11.44 and for
    the FDAAA TrialsTracker); ``responded_on`` the day of the answer when the registry shows it (for an
    accepted submission the day it was posted; unknown when the record only shows that a later version
    passed review). ``source`` names the input field the dates were read from.
    """

    registry: str
    stage: Stage
    submitted_on: str
    outcome: HistoryOutcome
    responded_on: str | None = None
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "registry": self.registry,
            "stage": self.stage.value,
            "submitted_on": self.submitted_on,
            "outcome": self.outcome.value,
            "responded_on": self.responded_on,
            "source": self.source,
        }


@dataclass
class ImportResult:
    record: dict[str, Any]
    # JSON Pointers (or XPaths for XML input) of sponsor-written input fields not carried into the record.
    dropped: list[str] = field(default_factory=list)
    # Pointers of what the registry derives itself (never part of a sponsor's record), reported apart.
    derived: list[str] = field(default_factory=list)
    # Limits and vocabularies the published record breaks today: warnings at their fields.
    findings: list[Finding] = field(default_factory=list)
    # The filings the registry's record shows, oldest first.
    history: list[RegistryFiling] = field(default_factory=list)


Importer = Callable[[bytes], ImportResult]

# format code -> "module:function"
_IMPORTERS: dict[str, str] = {
    "ctgov-v2": "registries.ctgov.importers.api_v2:import_study",
    "ctgov-prs-xml": "registries.ctgov.importers.prs_xml:import_prs_xml",
    "ctgov-public-xml": "registries.ctgov.importers.public_xml:import_public_xml",
}


def import_formats() -> list[str]:
    return sorted(_IMPORTERS)


def get_importer(fmt: str) -> Importer:
    try:
        target = _IMPORTERS[fmt]
    except KeyError:
        raise RegistryError(
            "import.unknown_format",
            f"Unknown input format {fmt!r}; known formats: {', '.join(import_formats())}.",
        ) from None
    module_name, _, attribute = target.partition(":")
    importer: Importer = getattr(import_module(module_name), attribute)
    return importer


def import_record(fmt: str, data: bytes) -> ImportResult:
    return get_importer(fmt)(data)
