"""Findings: what a check says about a record, pointing at the field it concerns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from registries.enums import Severity, Stage


class RegistryError(Exception):
    """A problem that stops an operation (bad input file, unknown registry), with a stable code.

    Checks never raise this for a record that merely falls short of a profile: that is a Finding.
    """

    def __init__(self, code: str, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pointer = pointer

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "pointer": self.pointer}


@dataclass(frozen=True, slots=True)
class Finding:
    """One statement about a record.

    ``pointer`` is an RFC 6901 JSON Pointer into the canonical record ("" is the whole record), so the
    web form can show the finding beside its field and the API can return it unchanged.
    """

    severity: Severity
    code: str
    pointer: str
    message: str
    registry: str = ""
    stage: Stage | None = None
    source: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["stage"] = self.stage.value if self.stage else None
        if not self.details:
            data.pop("details")
        return data


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token for a JSON Pointer (RFC 6901 section 3)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON Pointer from path tokens: pointer("a", 0, "b") == "/a/0/b"."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)
