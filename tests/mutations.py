"""Small edits of a record for tests that damage it one node at a time."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

Path = tuple[str | int, ...]


def locations(node: Any, path: Path = ()) -> Iterator[Path]:
    """The path of every node below ``node`` (objects' members and lists' items), depth first."""
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from locations(value, (*path, index))


def _parent(record: dict[str, Any], path: Path) -> Any:
    target: Any = record
    for key in path[:-1]:
        target = target[key]
    return target


def replaced(record: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    """A deep copy of ``record`` with the node at ``path`` replaced by ``value``."""
    changed = copy.deepcopy(record)
    _parent(changed, path)[path[-1]] = value
    return changed


def removed(record: dict[str, Any], path: Path) -> dict[str, Any]:
    """A deep copy of ``record`` without the node at ``path``."""
    changed = copy.deepcopy(record)
    del _parent(changed, path)[path[-1]]
    return changed
