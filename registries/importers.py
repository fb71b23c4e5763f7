"""Registry formats that can be read into a canonical record, by format code.

Each importer takes the raw bytes of one document (and the size limit) and returns ``ImportResult``; it raises
``RegistryError`` (with a code naming the problem and a pointer into the input) for input it cannot
read, and never returns a half-read record silently: every input field it does not map is listed in
``dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol

from registries.enums import MAX_RECORD_BYTES
from registries.findings import RegistryError


@dataclass
class ImportResult:
    record: dict[str, Any]
    # JSON Pointers (or XPaths for XML input) of input fields that were not carried into the record.
    dropped: list[str] = field(default_factory=list)


class Importer(Protocol):
    def __call__(self, data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult: ...


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


def import_record(fmt: str, data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """``data`` in format ``fmt`` as a record. Input larger than ``max_bytes`` is refused before it is
    parsed (``json.too_large`` or ``xml.too_large``)."""
    return get_importer(fmt)(data, max_bytes=max_bytes)
