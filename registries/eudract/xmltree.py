"""Small helpers for the EudraCT XML the builders write and the importers and checks read, defined once
for every module of the package."""

from __future__ import annotations

from typing import Any

from lxml import etree

from registries.eudract.vocab import XSI_NS


def dig(node: Any, *path: str) -> Any:
    """The value at ``path`` in a record's nested objects, None where any step is missing."""
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def sub(parent: etree._Element, name: str, text: Any = None) -> etree._Element:
    """A child element; booleans written as the XSD's ``true``/``false``."""
    element = etree.SubElement(parent, name)
    if text is not None:
        element.text = str(text).lower() if isinstance(text, bool) else str(text)
    return element


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace; "" for comments and processing instructions."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if local_name(c) == name), None)


def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    return [] if element is None else [c for c in element if local_name(c) == name]


def text(element: etree._Element | None, name: str) -> str | None:
    """The stripped text of the named child; None when it is missing, nil (xsi:nil) or blank."""
    found = child(element, name)
    if found is None or found.get(f"{{{XSI_NS}}}nil") == "true":
        return None
    return (found.text or "").strip() or None
