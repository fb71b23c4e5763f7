"""``python -m registries``: convert, check and build, with exit codes and one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from registries import get_registry
from registries.base import MultiFileRegistry
from registries.canonical import canonical_json
from registries.cli import _progress_bar
from registries.enums import Stage
from registries.schema import RECORD_SCHEMA_VERSION
from tests.registries import records
from tests.registries.ctis.fixtures import complete_trial

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
    lines = json_lines(result.stderr)
    assert result.returncode == 0
    assert record["protocolSection"]["identificationModule"]["nctId"] == "NCT03418623"
    assert {"derived": "/hasResults"} in lines
    assert all(set(line) == {"derived"} for line in lines)


def test_convert_strict_passes_a_real_record_whose_only_leftovers_are_registry_derived(
    sample_dir: Path,
) -> None:
    result = run("convert", "--from", "ctgov-v2", "--strict", str(sample_dir / "ctgov-v2-NCT03418623.json"))

    assert result.returncode == 0
    assert len(json_lines(result.stderr)) == 69
    assert json.loads(result.stdout)["protocolSection"]["identificationModule"]["nctId"] == "NCT03418623"


def test_convert_strict_fails_when_a_sponsor_written_field_is_dropped() -> None:
    study = {"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "legacyCode": "7"}}}

    result = run("convert", "--from", "ctgov-v2", "--strict", "-", stdin=json.dumps(study).encode())

    last_line = result.stderr.decode("utf-8").splitlines()[-1]
    assert (result.returncode, result.stdout) == (1, b"")
    assert last_line == (
        "error: import.dropped_fields: 1 sponsor-written input fields were not carried into the record "
        "(listed above; first: /protocolSection/identificationModule/legacyCode); "
        "--strict forbids dropping any."
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
            b'{"protocolSection": {"designModule": {"enrollmentInfo": {"count": "many"}}}}',
            "error: import.invalid_value: "
            "protocolSection.designModule.enrollmentInfo.count must be a whole number, not text.",
        ),
        (
            b'{"protocolSection": {"identificationModule": {"nctId": "NCT1"}}}',
            'error: import.bad_identifier: protocolSection.identificationModule.nctId "NCT1" does not match',
        ),
    ],
    ids=["malformed", "not-a-study", "wrong-type", "bad-identifier"],
)
def test_convert_bad_input_is_one_error_line_and_exit_1(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "study.json").write_bytes(content)

    result = run("convert", "--from", "ctgov-v2", str(tmp_path / "study.json"))

    assert_one_line_error(result, expected)
    assert result.stdout == b""


def _study(nct_id: str, **identification: Any) -> dict[str, Any]:
    return {"protocolSection": {"identificationModule": {"nctId": nct_id, **identification}}}


def test_convert_writes_one_record_per_study_of_a_download_and_prints_a_summary(tmp_path: Path) -> None:
    long_summary = {"descriptionModule": {"briefSummary": "x" * 5001}}
    download = [
        _study("NCT01111111"),
        {"protocolSection": {**_study("NCT02222222")["protocolSection"], **long_summary}},
    ]
    path = write_json(tmp_path / "ctg-studies.json", download)

    result = run("convert", str(path), "--out", str(tmp_path / "records"))

    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode().splitlines() == [
        "converted 2, refused 0",
        "findings: 1 warning",
        "input fields dropped: 0; registry-derived fields set apart: 0",
    ]
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == [
        "NCT01111111.json",
        "NCT02222222.json",
    ]
    assert json.loads((tmp_path / "records" / "NCT01111111.json").read_text()) == {
        "schemaVersion": RECORD_SCHEMA_VERSION,
        **_study("NCT01111111"),
    }


def test_convert_reads_an_api_page_and_a_folder_and_names_each_refusal(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_json(
        folder / "page.json", {"studies": [_study("NCT01111111"), {"nctId": "x"}], "nextPageToken": "a"}
    )
    write_json(folder / "single.json", _study("NCT03333333"))
    (folder / "broken.json").write_bytes(b"{")
    (folder / "notes.txt").write_text("not an input")

    result = run("convert", str(folder), "--out", str(tmp_path / "records"))

    lines = result.stdout.decode().splitlines()
    assert result.returncode == 1
    assert lines[0].startswith(
        f"refused {folder / 'broken.json'}: json.malformed: The input is not valid JSON"
    )
    assert lines[1:] == [
        f"refused {folder / 'page.json'}/studies/1: import.not_a_study: The input has no protocolSection, "
        "so it is not a ClinicalTrials.gov API v2 study (its top-level fields are: nctId).",
        "converted 2, refused 2",
        "findings: none",
        "input fields dropped: 0; registry-derived fields set apart: 0",
    ]
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == [
        "NCT01111111.json",
        "NCT03333333.json",
    ]


def test_convert_strict_refuses_only_the_study_that_drops_a_sponsor_field(tmp_path: Path) -> None:
    path = write_json(tmp_path / "in.json", [_study("NCT01111111"), _study("NCT02222222", legacyCode="7")])

    result = run("convert", str(path), "--strict", "--out", str(tmp_path / "records"))

    assert result.returncode == 1
    assert result.stdout.decode().splitlines()[:2] == [
        f"refused {path}/1: import.dropped_fields: 1 sponsor-written input fields would be dropped "
        "(first: /protocolSection/identificationModule/legacyCode); --strict forbids dropping any.",
        "converted 1, refused 1",
    ]


def test_convert_of_many_studies_to_stdout_asks_for_an_output_folder(tmp_path: Path) -> None:
    path = write_json(tmp_path / "in.json", [_study("NCT01111111"), _study("NCT02222222")])

    result = run("convert", str(path))

    assert_one_line_error(
        result, "error: import.many_studies: The input holds 2 studies; give --out DIR to write one record"
    )


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


def test_build_out_writes_every_file_of_a_multi_file_stage(registry_specs: Path, tmp_path: Path) -> None:
    # given a Directive trial with results (EudraCT takes the results file and the adverse-events upload)
    record = complete_trial()
    record["euSection"] = {"eudractNumber": "2021-004512-33", "longTermFollowUpPlanned": False}
    path = write_json(tmp_path / "record.json", record)

    # when every file of the results stage is built into a folder
    result = run(
        "build", str(path), "--registry", "eudract", "--stage", "results", "--out", str(tmp_path / "out")
    )

    # then both files are there, byte for byte what the registry builds, and listed one per line
    registry = get_registry("eudract")
    assert isinstance(registry, MultiFileRegistry)
    payloads = registry.build_all(record, Stage.RESULTS)
    assert (result.returncode, result.stderr) == (0, b"")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2021-004512-33-eudract-adverse-events.xml",
        "2021-004512-33-eudract-results.xml",
    ]
    assert [(tmp_path / "out" / p.file_name).read_bytes() for p in payloads] == [p.content for p in payloads]
    assert result.stdout.decode().splitlines() == [
        f"{p.file_name}\tapplication/xml\t{p.sha256}" for p in payloads
    ]


def test_build_out_of_a_single_file_registry_writes_its_one_file(tmp_path: Path) -> None:
    record = records.registration_record()
    path = write_json(tmp_path / "record.json", record)

    result = run(
        "build", str(path), "--registry", "record", "--stage", "registration", "--out", str(tmp_path)
    )

    payload = get_registry("record").build(record, Stage.REGISTRATION)
    assert (result.returncode, result.stderr) == (0, b"")
    assert (tmp_path / payload.file_name).read_bytes() == canonical_json(record)
    assert result.stdout.decode().splitlines() == [
        f"{payload.file_name}\t{payload.media_type}\t{payload.sha256}"
    ]


def test_build_of_a_non_object_is_one_error_line(tmp_path: Path) -> None:
    path = write_json(tmp_path / "record.json", [1, 2])

    result = run("build", str(path), "--registry", "record", "--stage", "results")

    assert_one_line_error(result, f"error: record.not_an_object: {path} must hold a JSON object")


def test_build_needs_a_registry() -> None:
    result = run("build", "record.json", "--stage", "results")

    assert result.returncode == 2
    assert b"the following arguments are required: --registry" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_is_drawn_on_a_terminal_only() -> None:
    terminal = _Terminal()
    show = _progress_bar(terminal)
    assert show is not None

    show(1, 2)
    show(2, 2)

    assert _progress_bar(io.StringIO()) is None
    assert terminal.getvalue() == "\r[" + "#" * 15 + "." * 15 + "] 1/2\r[" + "#" * 30 + "] 2/2\n"


def test_convert_writes_the_registry_history_as_a_submissions_file_the_deadline_engine_reads(
    tmp_path: Path,
) -> None:
    study = _study("NCT01111111")
    study["protocolSection"]["statusModule"] = {
        "studyFirstSubmitDate": "2019-01-10",
        "studyFirstSubmitQcDate": "2019-01-10",
        "studyFirstPostDateStruct": {"date": "2019-01-14", "type": "ACTUAL"},
    }
    study["derivedSection"] = {
        "miscInfoModule": {
            "submissionTracking": {
                "submissionInfos": [
                    {"releaseDate": "2024-02-01", "resetDate": "2024-03-05"},
                    {"releaseDate": "2024-04-02"},
                ]
            }
        }
    }
    path = write_json(tmp_path / "study.json", study)

    result = run(
        "convert", str(path), "-o", str(tmp_path / "record.json"), "--history", str(tmp_path / "f.json")
    )
    engine = subprocess.run(
        [
            sys.executable,
            "-m",
            "deadlines",
            str(tmp_path / "record.json"),
            "--submissions",
            str(tmp_path / "f.json"),
        ],
        cwd=REPO,
        capture_output=True,
        check=False,
        timeout=120,
    )

    assert (result.returncode, engine.returncode, engine.stderr) == (0, 0, b"")
    assert json.loads((tmp_path / "f.json").read_text()) == {
        "submissions": [
            {
                "registry": "ctgov",
                "stage": stage,
                "kind": "initial",
                "submitted_on": "2019-01-10",
                "accepted_on": "2019-01-14",
                "returned_on": None,
                "cancelled": False,
            }
            for stage in ("registration", "protocol_summary")
        ]
        + [
            {
                "registry": "ctgov",
                "stage": "results",
                "kind": "initial",
                "submitted_on": "2024-02-01",
                "accepted_on": None,
                "returned_on": "2024-03-05",
                "cancelled": False,
            },
            {
                "registry": "ctgov",
                "stage": "results",
                "kind": "correction",
                "submitted_on": "2024-04-02",
                "accepted_on": None,
                "returned_on": None,
                "cancelled": False,
            },
        ]
    }
