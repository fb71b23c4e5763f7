"""Converting a sponsor's portfolio: many studies in, one record file per study out, and a summary.

Input is what a sponsor has at hand: single study files, the website's download of many studies (a JSON
array, ``ctg-studies.json``), API v2 pages (``{"studies": [...]}``), PRS or public XML files, or a folder
of any of them. Each study is converted on its own; one that cannot be (not a study, a value no record
can hold, or under ``strict`` a sponsor-written field no record field holds) is refused with its reason
and the others go on.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registries.enums import MAX_RECORD_BYTES
from registries.findings import RegistryError
from registries.importers import ImportResult, StudyDocument, import_record, split_studies

INPUT_SUFFIXES = (".json", ".xml")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Refusal:
    label: str
    code: str
    message: str


@dataclass
class PortfolioSummary:
    converted: list[tuple[str, Path]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    findings: Counter[str] = field(default_factory=Counter)
    dropped: int = 0
    derived: int = 0

    def lines(self) -> list[str]:
        """The summary as a person reads it: each refusal with its reason, then the counts."""
        lines = [f"refused {r.label}: {r.code}: {r.message}" for r in self.refused]
        by_severity = ", ".join(f"{count} {severity}" for severity, count in sorted(self.findings.items()))
        lines.append(f"converted {len(self.converted)}, refused {len(self.refused)}")
        lines.append(f"findings: {by_severity or 'none'}")
        lines.append(
            f"input fields dropped: {self.dropped}; registry-derived fields set apart: {self.derived}"
        )
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "converted": [{"source": label, "record": str(path)} for label, path in self.converted],
            "refused": [{"source": r.label, "code": r.code, "message": r.message} for r in self.refused],
            "findings": dict(sorted(self.findings.items())),
            "dropped": self.dropped,
            "derived": self.derived,
        }


def input_files(path: Path) -> list[Path]:
    """``path`` itself, or a folder's ``*.json`` and ``*.xml`` files in name order."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
    return [path]


def studies_in(
    sources: Iterable[tuple[str, bytes]], fmt: str | None, max_bytes: int = MAX_RECORD_BYTES
) -> tuple[list[StudyDocument], list[Refusal]]:
    """Every study of every source; a source that cannot be read at all (or is larger than
    ``max_bytes``) is one refusal."""
    documents: list[StudyDocument] = []
    refused: list[Refusal] = []
    for label, data in sources:
        try:
            documents.extend(split_studies(data, fmt, label, max_bytes=max_bytes))
        except RegistryError as exc:
            refused.append(Refusal(label, exc.code, exc.message))
    return documents, refused


def _stem(result: ImportResult, fallback: str) -> str:
    protocol = result.record.get("protocolSection")
    identification = protocol.get("identificationModule") if isinstance(protocol, dict) else None
    identification = identification if isinstance(identification, dict) else {}
    org_study = identification.get("orgStudyIdInfo")
    for candidate in (
        identification.get("nctId"),
        org_study.get("id") if isinstance(org_study, dict) else None,
    ):
        if isinstance(candidate, str) and candidate.strip():
            return _UNSAFE.sub("_", candidate.strip())[:64]
    return fallback


def convert_studies(
    documents: list[StudyDocument],
    out_dir: Path,
    *,
    strict: bool = False,
    max_bytes: int = MAX_RECORD_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> PortfolioSummary:
    """Write one record file per convertible study into ``out_dir`` (``<NCT number>.json``, or the
    sponsor's protocol identifier) and answer what happened to each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = PortfolioSummary()
    taken: set[str] = set()
    for index, document in enumerate(documents, start=1):
        if progress is not None:
            progress(index, len(documents))
        try:
            result = import_record(document.fmt, document.data, max_bytes=max_bytes)
        except RegistryError as exc:
            problems = getattr(exc, "problems", None) or [exc]
            for problem in problems:
                summary.refused.append(Refusal(document.label, problem.code, problem.message))
            continue
        if strict and result.dropped:
            summary.refused.append(
                Refusal(
                    document.label,
                    "import.dropped_fields",
                    f"{len(result.dropped)} sponsor-written input fields would be dropped "
                    f"(first: {result.dropped[0]}); --strict forbids dropping any.",
                )
            )
            continue
        stem = _stem(result, f"study-{index}")
        name, suffix = stem, 2
        while name in taken:
            name, suffix = f"{stem}-{suffix}", suffix + 1
        taken.add(name)
        target = out_dir / f"{name}.json"
        target.write_text(json.dumps(result.record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        summary.converted.append((document.label, target))
        summary.findings.update(finding.severity.value for finding in result.findings)
        summary.dropped += len(result.dropped)
        summary.derived += len(result.derived)
    return summary


__all__ = ["PortfolioSummary", "Refusal", "convert_studies", "input_files", "studies_in"]
