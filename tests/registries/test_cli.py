"""``python -m registries``: convert, check and build, with exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from registries.canonical import canonical_json
from registries.schema import RECORD_SCHEMA_VERSION
from tests.registries import records

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "registries", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
    )


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def json_lines(output: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.decode("utf-8").splitlines()]


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], prefix: str) -> None:
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1
    assert "Traceback" not in stderr
    assert stderr.startswith(prefix), stderr


# --- convert -------------------------------------------------------------------------------------


def test_convert_prints_the_record_and_reports_dropped_fields(sample_dir: Path) -> None:
    result = run("convert", "--from", "ctgov-v2", str(sample_dir / "ctgov-v2-NCT03418623.json"))

    record = json.loads(result.stdout)
    dropped = json_lines(result.stderr)
    assert result.returncode == 0
    assert record["protocolSection"]["identificationModule"]["nctId"] == "NCT03418623"
    assert {"dropped": "/hasResults"} in dropped
    assert all(set(line) == {"dropped"} for line in dropped)


def test_convert_strict_fails_when_anything_is_dropped(sample_dir: Path) -> None:
    result = run("convert", "--from", "ctgov-v2", "--strict", str(sample_dir / "ctgov-v2-NCT03418623.json"))

    last_line = result.stderr.decode("utf-8").splitlines()[-1]
    assert result.returncode == 1
    assert result.stdout == b""
    assert last_line.startswith(
        "error: import.dropped_fields: 69 input fields were not carried into the record"
    )


def test_convert_strict_passes_when_nothing_is_dropped() -> None:
    study = {"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}}}

    result = run("convert", "--from", "ctgov-v2", "--strict", "-", stdin=json.dumps(study).encode())

    assert (result.returncode, result.stderr) == (0, b"")
    assert json.loads(result.stdout) == {"schemaVersion": RECORD_SCHEMA_VERSION, **study}


def test_convert_writes_the_record_to_a_file(tmp_path: Path) -> None:
    study = write_json(
        tmp_path / "study.json", {"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}}}
    )

    result = run("convert", "--from", "ctgov-v2", str(study), "-o", str(tmp_path / "record.json"))

    assert (result.returncode, result.stdout) == (0, b"")
    assert json.loads((tmp_path / "record.json").read_text())["schemaVersion"] == RECORD_SCHEMA_VERSION


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'{"protocolSection": ',
            "error: json.malformed: The input is not valid JSON: Expecting value at line 1",
        ),
        (b'"just text"', "error: import.not_a_study: The input is a JSON string, not a ClinicalTrials.gov"),
        (
            b'{"protocolSection": {"statusModule": {"overallStatus": "FINISHED"}}}',
            "error: import.unknown_enum: "
            'protocolSection.statusModule.overallStatus "FINISHED" is not an allowed',
        ),
        (
            b'{"protocolSection": {"identificationModule": {"nctId": "NCT1"}}}',
            'error: import.bad_identifier: protocolSection.identificationModule.nctId "NCT1" does not match',
        ),
    ],
    ids=["malformed", "not-a-study", "unknown-enum", "bad-identifier"],
)
def test_convert_bad_input_is_one_error_line_and_exit_1(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "study.json").write_bytes(content)

    result = run("convert", "--from", "ctgov-v2", str(tmp_path / "study.json"))

    assert_one_line_error(result, expected)
    assert result.stdout == b""


def test_convert_missing_file_is_an_io_error(tmp_path: Path) -> None:
    result = run("convert", "--from", "ctgov-v2", str(tmp_path / "absent.json"))

    assert_one_line_error(result, f"error: io.error: {tmp_path / 'absent.json'}: No such file or directory")


def test_convert_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("convert", "--from", "prs-xml-2001", str(tmp_path / "x.json"))

    assert result.returncode == 2
    assert b"invalid choice: 'prs-xml-2001'" in result.stderr


# --- check ---------------------------------------------------------------------------------------


def test_check_passing_record_prints_nothing_and_exits_0(tmp_path: Path) -> None:
    path = write_json(tmp_path / "record.json", records.registration_record())

    result = run("check", str(path), "--stage", "registration", "--today", "2025-06-01")

    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_check_prints_findings_as_json_lines_and_exits_1_on_error(tmp_path: Path) -> None:
    record = records.registration_record()
    del record["protocolSection"]["eligibilityModule"]["sex"]
    path = write_json(tmp_path / "record.json", record)

    result = run(
        "check", str(path), "--stage", "registration", "--registry", "record", "--today", "2025-06-01"
    )

    assert result.returncode == 1
    assert json_lines(result.stdout) == [
        {
            "severity": "error",
            "code": "profile.required",
            "pointer": "/protocolSection/eligibilityModule/sex",
            "message": "protocolSection.eligibilityModule.sex is required at the registration stage.",
            "registry": "record",
            "stage": "registration",
            "source": "42 CFR 11.28(a); WHO Trial Registration Data Set v1.3.1",
        }
    ]


def test_check_with_only_warnings_exits_0(tmp_path: Path) -> None:
    record = records.results_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    path = write_json(tmp_path / "record.json", record)

    result = run("check", str(path), "--stage", "results", "--today", "2025-06-01")

    assert result.returncode == 0
    assert [(f["severity"], f["code"]) for f in json_lines(result.stdout)] == [
        ("warning", "rule.results_status_not_final")
    ]


def test_check_malformed_record_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "record.json").write_text('{"schemaVersion": "1.0",,}')

    result = run("check", str(tmp_path / "record.json"), "--stage", "results")

    assert_one_line_error(
        result, f"error: json.malformed: {tmp_path / 'record.json'}: The input is not valid JSON"
    )


def test_check_unknown_stage_is_a_usage_error(tmp_path: Path) -> None:
    path = write_json(tmp_path / "record.json", records.registration_record())

    result = run("check", str(path), "--stage", "publication")

    assert result.returncode == 2
    assert b"invalid choice: 'publication'" in result.stderr


# --- build ---------------------------------------------------------------------------------------


def test_build_record_payload_is_the_canonical_serialization(tmp_path: Path) -> None:
    record = records.registration_record()
    path = write_json(tmp_path / "record.json", record)

    result = run("build", str(path), "--registry", "record", "--stage", "registration")

    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == canonical_json(record)


def test_build_writes_the_payload_to_a_file(tmp_path: Path) -> None:
    record = records.registration_record()
    path = write_json(tmp_path / "record.json", record)

    result = run(
        "build", str(path), "--registry", "record", "--stage", "results", "-o", str(tmp_path / "out.json")
    )

    assert (result.returncode, result.stdout) == (0, b"")
    assert (tmp_path / "out.json").read_bytes() == canonical_json(record)


def test_build_of_a_non_object_is_one_error_line(tmp_path: Path) -> None:
    path = write_json(tmp_path / "record.json", [1, 2])

    result = run("build", str(path), "--registry", "record", "--stage", "results")

    assert_one_line_error(result, f"error: record.not_an_object: {path} must hold a JSON object")


def test_build_needs_a_registry() -> None:
    result = run("build", "record.json", "--stage", "results")

    assert result.returncode == 2
    assert b"the following arguments are required: --registry" in result.stderr
