"""Registry formats that can be read into a canonical record, by format code.

Each importer takes the raw bytes of one document (and the size limit) and returns ``ImportResult``; it
raises ``RegistryError`` (with a code naming the problem and a pointer into the input) only for input that
is not a study or cannot be read safely, and never returns a half-read record silently: every
sponsor-written input field it does not map is listed in ``dropped``, and what the registry derives itself
(MeSH trees, posting dates of its own, annotations) in ``derived``. A published record that breaks today's
limits or vocabularies still imports: each excess is a warning in ``findings`` at its field (the stage
checks make it an error before the next filing). ``history`` is what the registry's record shows of the
filings made to it: when each stage was submitted, returned with comments, resubmitted and accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol

from registries.enums import MAX_RECORD_BYTES, HistoryOutcome, Stage
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


def history_submissions(
    history: list[RegistryFiling], stages_of: dict[str, tuple[str, ...]]
) -> list[dict[str, Any]]:
    """The registry history in the deadline engine's submissions format (``python -m deadlines
    --submissions``): one entry per submission and stage it counts for (``stages_of``: a registry posting
    registration and protocol summary as one record counts for both); a resubmission after a return is a
    correction, as ``submissions.deadline_inputs`` counts it."""
    entries: list[dict[str, Any]] = []
    returned: set[tuple[str, str]] = set()
    for item in history:
        for stage in stages_of.get(item.stage.value, (item.stage.value,)):
            key = (item.registry, stage)
            entries.append(
                {
                    "registry": item.registry,
                    "stage": stage,
                    "kind": "correction" if key in returned else "initial",
                    "submitted_on": item.submitted_on,
                    "accepted_on": item.responded_on if item.outcome is HistoryOutcome.ACCEPTED else None,
                    "returned_on": item.responded_on if item.outcome is HistoryOutcome.RETURNED else None,
                    "cancelled": item.outcome is HistoryOutcome.CANCELLED,
                }
            )
            if item.outcome is HistoryOutcome.RETURNED:
                returned.add(key)
    return entries


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


class Importer(Protocol):
    def __call__(self, data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult: ...


# format code -> "module:function"
_IMPORTERS: dict[str, str] = {
    "ctgov-v2": "registries.ctgov.importers.api_v2:import_study",
    "ctgov-prs-xml": "registries.ctgov.importers.prs_xml:import_prs_xml",
    "ctgov-public-xml": "registries.ctgov.importers.public_xml:import_public_xml",
    "eudract-xml": "registries.eudract.importers:import_eudract_xml",
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


def import_record(fmt: str, data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """``data`` in format ``fmt`` as a record. Input larger than ``max_bytes`` is refused before it is
    parsed (``json.too_large`` or ``xml.too_large``)."""
    return get_importer(fmt)(data, max_bytes=max_bytes)


@dataclass(frozen=True, slots=True)
class StudyDocument:
    """One study's bytes cut out of an input that may hold several, with where it came from."""

    label: str
    fmt: str
    data: bytes


def detect_format(data: bytes) -> str:
    """The import format of ``data`` by its first significant bytes: JSON is API v2; XML is PRS XML
    when it carries the PRS or RRS namespace, else the retired public XML."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return "ctgov-v2"
    if head[:1] == b"<":
        if b"prs.ctgov" in head or b"ProtocolRecordSchema" in head or b"RRSUploadSchema" in head:
            return "ctgov-prs-xml"
        return "ctgov-public-xml"
    raise RegistryError(
        "import.unknown_format",
        f"The input is neither JSON nor XML, so its format cannot be told; name it (one of "
        f"{', '.join(import_formats())}).",
    )


def split_studies(
    data: bytes, fmt: str | None = None, label: str = "input", *, max_bytes: int = MAX_RECORD_BYTES
) -> list[StudyDocument]:
    """The studies in one input: a single study, the website's download of many (a JSON array,
    ``ctg-studies.json``) or an API v2 page (``{"studies": [...]}``); XML documents hold one study each.

    Raises RegistryError for input that cannot be read (a ``json.*`` code from registries/jsonread.py,
    ``xml.too_large``) or whose format is unknown (``import.unknown_format``).
    """
    fmt = fmt or detect_format(data)
    get_importer(fmt)
    if fmt != "ctgov-v2":
        return [StudyDocument(label, fmt, data)]
    from registries.ctgov.importers.api_v2 import parse_documents

    documents = parse_documents(data, max_bytes=max_bytes)
    if len(documents) == 1 and documents[0][0] == "":
        return [StudyDocument(label, fmt, data)]
    return [
        StudyDocument(f"{label}{where}", fmt, json.dumps(document, ensure_ascii=False).encode("utf-8"))
        for where, document in documents
    ]
