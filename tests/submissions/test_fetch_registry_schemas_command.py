"""`manage.py fetch_registry_schemas`: installs the official schemas, or fails and replaces nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registries import fetch
from registries.fetch import SchemaSource

SCHEMA = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="study" type="xs:string"/></xs:schema>
"""


def test_command_installs_the_schemas_into_the_directory(
    server_root: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given official addresses that serve a valid schema
    root, base = server_root
    (root / "Study.xsd").write_bytes(SCHEMA)
    monkeypatch.setattr(
        fetch, "OFFICIAL_SCHEMAS", {"ctgov-prs": (SchemaSource("Study.xsd", f"{base}/Study.xsd"),)}
    )
    out = io.StringIO()

    # when the command runs
    call_command("fetch_registry_schemas", "--dir", str(tmp_path / "specs"), stdout=out)

    # then the schema is in place and the output names it
    assert (tmp_path / "specs" / "ctgov-prs" / "Study.xsd").read_bytes() == SCHEMA
    assert "installed ctgov-prs/Study.xsd sha256=" in out.getvalue()


def test_command_failure_names_the_problem_and_keeps_the_previous_schema(
    server_root: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an installed schema and an official address that answers 404
    _, base = server_root
    installed = tmp_path / "specs" / "ctgov-prs" / "Study.xsd"
    installed.parent.mkdir(parents=True)
    installed.write_bytes(SCHEMA)
    monkeypatch.setattr(
        fetch, "OFFICIAL_SCHEMAS", {"ctgov-prs": (SchemaSource("Study.xsd", f"{base}/gone.xsd"),)}
    )

    # when the command runs, then it fails with the code and the address
    with pytest.raises(CommandError, match=r"fetch\.download_failed: Could not download .*/gone\.xsd"):
        call_command("fetch_registry_schemas", "--dir", str(tmp_path / "specs"))
    assert installed.read_bytes() == SCHEMA
