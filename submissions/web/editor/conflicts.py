"""What differs between the module a person typed and the module at the current head, for the conflict
message of a refused (stale) save. Field by field, so the page can show both values side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registries.findings import escape_pointer_token


@dataclass(frozen=True)
class FieldChange:
    pointer: str
    yours: Any
    current: Any


def _leaves(value: Any, pointer: str, into: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            _leaves(child, f"{pointer}/{escape_pointer_token(key)}", into)
    elif isinstance(value, list) and value:
        for index, child in enumerate(value):
            _leaves(child, f"{pointer}/{index}", into)
    elif value not in (None, {}, []):
        into[pointer] = value


def module_changes(yours: Any, current: Any, pointer: str) -> list[FieldChange]:
    """Every field (leaf pointer under ``pointer``) whose value differs, in the order they appear."""
    mine: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    _leaves(yours, pointer, mine)
    _leaves(current, pointer, theirs)
    order = list(mine) + [key for key in theirs if key not in mine]
    return [
        FieldChange(key, mine.get(key), theirs.get(key)) for key in order if mine.get(key) != theirs.get(key)
    ]
