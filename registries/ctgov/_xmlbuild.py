"""Small lxml element-building helpers shared by the PRS protocol and results builders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from registries.findings import RegistryError

Record = Mapping[str, Any]

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def get(data: Any, *keys: str | int) -> Any:
    """Walk nested dicts/lists; None as soon as a step is missing."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return None
            data = data[key]
        else:
            if not isinstance(data, Mapping):
                return None
            data = data.get(key)
        if data is None:
            return None
    return data


def items(data: Any, *keys: str) -> list[Any]:
    """The list at that path, or an empty list."""
    value = get(data, *keys)
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def sub(parent: etree._Element, tag: str, text: Any = None) -> etree._Element:
    """Append a child; its text is ``text`` rendered as a string (a bool as Yes/No)."""
    element = etree.SubElement(parent, tag)
    rendered = text_of(text)
    if rendered is not None:
        try:
            element.text = rendered
        except ValueError:
            # lxml refuses characters XML cannot carry; the generic rule rule.text_not_xml_safe names the
            # field, this names the element so a build outside a check still fails with a code.
            raise RegistryError(
                "ctgov.text_not_xml_safe",
                f"The text for <{tag}> contains a character XML cannot carry (a control character).",
            ) from None
    return element


def opt(parent: etree._Element, tag: str, value: Any) -> etree._Element | None:
    """Append a child only when there is a value (None and "" are no value)."""
    if value is None or value == "":
        return None
    return sub(parent, tag, value)


def opt_code(parent: etree._Element, tag: str, table: Mapping[str, str], code: Any) -> etree._Element | None:
    """Append the PRS string for an API v2 code only when there is a code (an unknown one passes through)."""
    if not code:
        return None
    return sub(parent, tag, table.get(code, code))


def textblock(parent: etree._Element, tag: str, value: Any, *, required: bool = False) -> None:
    """PRS wraps long text in <tag><textblock>...</textblock></tag>."""
    if (value is None or value == "") and not required:
        return
    sub(sub(parent, tag), "textblock", value if value is not None else "")


def each(parent: etree._Element, tag: str, values: Iterable[Any]) -> None:
    for value in values:
        if value is not None and value != "":
            sub(parent, tag, value)


def serialize(root: etree._Element) -> bytes:
    """Pretty-printed UTF-8 with an XML declaration: the byte form every payload uses."""
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return XML_DECLARATION + body


def add_text_child(parent: etree._Element, tag: str, text: Any, registry: str) -> etree._Element:
    """Append ``tag`` with ``text`` (left empty for None or ""); a character XML cannot carry is the
    registry's ``<registry>.text_not_xml_safe`` error naming the element."""
    element = etree.SubElement(parent, tag)
    if text not in (None, ""):
        try:
            element.text = str(text)
        except ValueError:
            local = tag.rpartition("}")[2]
            raise RegistryError(
                f"{registry}.text_not_xml_safe",
                f"The text for <{local}> contains a character XML cannot carry (a control character).",
            ) from None
    return element
