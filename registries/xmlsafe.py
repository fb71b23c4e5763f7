"""The one way registry code reads XML: no entities resolved, no DTD loaded, nothing fetched.

Registry XML comes from outside (sponsor archives, registry downloads, uploads through the web form), so
a document type declaration is refused outright when it declares entities or points at an external DTD:
that closes XXE (``<!ENTITY x SYSTEM "file:///etc/passwd">``), entity-expansion bombs ("billion laughs")
and network fetches in one rule. A plain ``<!DOCTYPE root>`` without either is harmless and accepted.
"""

from __future__ import annotations

from lxml import etree

from registries.enums import MAX_RECORD_BYTES
from registries.findings import RegistryError


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers keep per-parse state and are not safe to share across threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _refuse_doctype(tree: etree._ElementTree) -> None:
    docinfo = tree.docinfo
    external = getattr(docinfo, "system_url", None) or docinfo.public_id
    if external:
        raise RegistryError(
            "xml.forbidden_doctype",
            "The XML document refers to an external DTD "
            f"({external!s}); external DTDs are never loaded. "
            "Remove the DOCTYPE declaration and upload the document again.",
        )
    dtd = docinfo.internalDTD
    if dtd is not None:
        names = sorted(str(entity.name) for entity in dtd.iterentities())  # type: ignore[attr-defined]
        if names:
            raise RegistryError(
                "xml.forbidden_doctype",
                "The XML document declares entities in its DOCTYPE "
                f"({', '.join(names[:5])}); entity declarations are refused because they can read "
                "local files or expand without limit. Remove the DOCTYPE declaration.",
            )


def parse_xml(data: bytes, *, max_bytes: int | None = MAX_RECORD_BYTES) -> etree._Element:
    """Parse untrusted XML bytes into an element tree, safely.

    Raises ``RegistryError`` with code ``xml.too_large`` for more than ``max_bytes`` bytes (the
    ``MAX_RECORD_BYTES`` limit that JSON records get too; ``None`` only for payloads we built ourselves),
    ``xml.forbidden_doctype`` for a DOCTYPE that declares entities or names an external DTD, and
    ``xml.malformed`` (with the line and column) for anything that is not well-formed XML.
    """
    if not isinstance(data, bytes | bytearray):
        raise RegistryError("xml.malformed", "XML input must be bytes, not text.")
    if max_bytes is not None and len(data) > max_bytes:
        raise RegistryError(
            "xml.too_large",
            f"The XML document is larger than {max_bytes} bytes, the most accepted (MAX_RECORD_BYTES).",
        )
    try:
        root = etree.fromstring(bytes(data), parser=_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        message = str(exc.msg or exc).strip()
        # libxml2 reports entity declarations it refused to expand as a syntax error on some inputs;
        # name the real cause so the person uploading knows what to remove.
        if "entity" in message.lower() and b"<!ENTITY" in bytes(data[:65536]):
            raise RegistryError(
                "xml.forbidden_doctype",
                f"The XML document declares entities in its DOCTYPE (line {line}); entity "
                "declarations are refused. Remove the DOCTYPE declaration.",
            ) from None
        raise RegistryError(
            "xml.malformed",
            f"The file is not well-formed XML: {message} (line {line}, column {column}).",
        ) from None
    _refuse_doctype(root.getroottree())
    return root
