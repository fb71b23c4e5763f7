"""The editor's pages: one per record module, in the order of ``ui_hints.MODULE_GROUPS``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from submissions.web.editor import ui_hints


@dataclass(frozen=True)
class Module:
    """One editor page: a module of the record (``/protocolSection/designModule``) or a regional section,
    the documents or the lay summaries. ``slug`` is its last pointer token and names it in URLs."""

    pointer: str
    label: str
    group: str

    @property
    def slug(self) -> str:
        return self.pointer.rsplit("/", 1)[-1]

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.pointer.lstrip("/").split("/"))


@cache
def modules() -> tuple[Module, ...]:
    return tuple(
        Module(pointer=hint["pointer"], label=hint["label"], group=group["label"])
        for group in ui_hints.MODULE_GROUPS
        for hint in group["modules"]
    )


def module_by_slug(slug: str) -> Module | None:
    return next((module for module in modules() if module.slug == slug), None)


def module_for_pointer(pointer: str) -> Module | None:
    """The module holding the field at ``pointer`` (None for one outside every module, such as the whole
    record or ``/schemaVersion``)."""
    for module in modules():
        if pointer == module.pointer or pointer.startswith(module.pointer + "/"):
            return module
    return None


def module_value(record: dict[str, Any], module: Module) -> Any:
    """The module's part of ``record`` (None when the record lacks it)."""
    node: Any = record
    for token in module.tokens:
        if not isinstance(node, dict) or token not in node:
            return None
        node = node[token]
    return node


def with_module(record: dict[str, Any], module: Module, value: Any) -> dict[str, Any]:
    """A copy of ``record`` whose module is ``value``; an empty value removes the module, and a section
    left empty by that goes too (the record schema requires only ``protocolSection``).

    Only the objects on the module's path are copied; the rest is shared with ``record``, which stays as
    it was (a deep copy of a large record costs time on every check, and of a legacy record nested
    hundreds of levels deep, the interpreter's whole stack)."""
    result = dict(record)
    *parents, last = module.tokens
    node = result
    for token in parents:
        child = node.get(token)
        node[token] = dict(child) if isinstance(child, dict) else {}
        node = node[token]
    if value in (None, {}, []):
        node.pop(last, None)
        if parents and not node and parents[0] != "protocolSection":
            result.pop(parents[0], None)
    else:
        node[last] = value
    return result
