"""Downloading registry schemas: staged, verified to compile, then moved into place atomically.

The server is a local http.server serving small XSDs written here (no internet, no copy of the
official files).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registries.fetch import SchemaSource, fetch_schemas
from registries.findings import RegistryError

RESULTS_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema targetNamespace="urn:test:results" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="result" type="xs:string"/>
</xs:schema>
"""
PROTOCOL_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema targetNamespace="urn:test:protocol" xmlns:r="urn:test:results"
           xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:test:results" schemaLocation="Results.xsd"/>
  <xs:element name="study">
    <xs:complexType><xs:sequence><xs:element ref="r:result"/></xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>
"""
BROKEN_XSD = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="x" type="no:such"/></xs:schema>
"""


def _sources(base: str, *, optional_missing: bool = False) -> dict[str, tuple[SchemaSource, ...]]:
    sources: dict[str, tuple[SchemaSource, ...]] = {
        "test-prs": (
            SchemaSource("Results.xsd", f"{base}/Results.xsd"),
            SchemaSource("Protocol.xsd", f"{base}/Protocol.xsd"),
        )
    }
    if optional_missing:
        sources["test-public"] = (SchemaSource("public.xsd", f"{base}/missing.xsd", required=False),)
    return sources


def test_fetch_installs_schemas_that_compile_together(server_root: tuple[Path, str], tmp_path: Path) -> None:
    # given a server with a protocol schema importing its results schema
    root, base = server_root
    (root / "Results.xsd").write_bytes(RESULTS_XSD)
    (root / "Protocol.xsd").write_bytes(PROTOCOL_XSD)
    target = tmp_path / "schemas"

    # when the schemas are fetched
    results = fetch_schemas(target, sources=_sources(base, optional_missing=True))

    # then both are in place, byte for byte, and the missing optional one is reported as skipped
    assert [(r.folder, r.file_name, r.status) for r in results] == [
        ("test-prs", "Results.xsd", "installed"),
        ("test-prs", "Protocol.xsd", "installed"),
        ("test-public", "public.xsd", "skipped"),
    ]
    assert (target / "test-prs" / "Protocol.xsd").read_bytes() == PROTOCOL_XSD
    assert sorted(p.name for p in target.iterdir()) == ["test-prs", "test-public"]


def test_a_schema_that_does_not_compile_never_replaces_the_installed_one(
    server_root: tuple[Path, str], tmp_path: Path
) -> None:
    # given an installed working schema and a broken download
    root, base = server_root
    (root / "Results.xsd").write_bytes(RESULTS_XSD)
    (root / "Protocol.xsd").write_bytes(BROKEN_XSD)
    target = tmp_path / "schemas"
    (target / "test-prs").mkdir(parents=True)
    (target / "test-prs" / "Protocol.xsd").write_bytes(PROTOCOL_XSD)

    # when fetching
    with pytest.raises(RegistryError) as raised:
        fetch_schemas(target, sources=_sources(base))

    # then the error names the file and the working schema is untouched, with no staging left behind
    assert raised.value.code == "fetch.schema_invalid"
    assert "Protocol.xsd" in raised.value.message
    assert (target / "test-prs" / "Protocol.xsd").read_bytes() == PROTOCOL_XSD
    assert not (target / "test-prs" / "Results.xsd").exists()
    assert [p.name for p in target.iterdir()] == ["test-prs"]


def test_a_required_schema_that_cannot_be_downloaded_is_an_error_naming_the_url(
    server_root: tuple[Path, str], tmp_path: Path
) -> None:
    _, base = server_root

    with pytest.raises(RegistryError) as raised:
        fetch_schemas(tmp_path / "schemas", sources=_sources(base))

    assert raised.value.code == "fetch.download_failed"
    assert f"{base}/Results.xsd" in raised.value.message


def test_a_downloaded_schema_with_entity_declarations_is_refused(
    server_root: tuple[Path, str], tmp_path: Path
) -> None:
    root, base = server_root
    (root / "Results.xsd").write_bytes(
        b'<!DOCTYPE xs:schema [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + RESULTS_XSD.split(b"?>", 1)[1]
    )
    (root / "Protocol.xsd").write_bytes(PROTOCOL_XSD)

    with pytest.raises(RegistryError) as raised:
        fetch_schemas(tmp_path / "schemas", sources=_sources(base))

    assert raised.value.code == "xml.forbidden_doctype"


def test_only_http_addresses_are_fetched(tmp_path: Path) -> None:
    sources = {"x": (SchemaSource("a.xsd", "file:///etc/passwd"),)}

    with pytest.raises(RegistryError) as raised:
        fetch_schemas(tmp_path, sources=sources)

    assert raised.value.code == "fetch.bad_url"
