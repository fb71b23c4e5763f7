"""Both command-line tools answer every hostile input with its own code on one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deadlines.cli import run as deadlines_cli
from registries.cli import main as registries_cli
from tests import hostile
from tests.deadlines.factories import make_record

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 256 * 1024
CORPUS = hostile.corpus(LIMIT)


@pytest.fixture
def record_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("MAX_RECORD_BYTES", str(LIMIT))
    return LIMIT


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize(
    "command",
    [
        ("check", "{file}", "--stage", "registration"),
        ("build", "{file}", "--registry", "record", "--stage", "registration"),
        ("convert", "--from", "ctgov-v2", "{file}"),
    ],
    ids=["check", "build", "convert"],
)
def test_registries_cli_names_each_hostile_input_by_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], record_limit: int, name: str, command: tuple[str, ...]
) -> None:
    # given a hostile document in a file
    document, code = CORPUS[name]
    path = _write(tmp_path, "input.json", document)
    # when a command reads it
    status = registries_cli([part.format(file=path) for part in command])
    # then one line names the code, and nothing reaches standard output
    out, err = capsys.readouterr()
    assert (status, out, len(err.splitlines()), err.split(": ")[:2]) == (1, "", 1, ["error", code])


@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize("which", ["record", "submissions"])
def test_deadlines_cli_names_each_hostile_input_by_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], record_limit: int, name: str, which: str
) -> None:
    # given a hostile record, or a good record with a hostile submissions file
    document, code = CORPUS[name]
    good = json.dumps(make_record(pcd="2025-03-10")).encode()
    record = _write(tmp_path, "record.json", document if which == "record" else good)
    submissions = _write(tmp_path, "subs.json", document if which == "submissions" else b"{}")
    # when the deadlines are asked for
    status = deadlines_cli([record, "--submissions", submissions, "--today", "2026-06-01"])
    # then one line names the code
    out, err = capsys.readouterr()
    assert (status, out, len(err.splitlines()), err.split(": ")[:3]) == (
        1,
        "",
        1,
        ["deadlines", "error", code],
    )


@pytest.mark.parametrize("fmt", ["ctgov-prs-xml", "ctgov-public-xml"])
def test_xml_imports_have_the_same_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], record_limit: int, fmt: str
) -> None:
    path = _write(tmp_path, "study.xml", b"<clinical_study>" + b" " * LIMIT + b"</clinical_study>")

    status = registries_cli(["convert", "--from", fmt, path])

    assert (status, capsys.readouterr().err) == (
        1,
        f"error: xml.too_large: The XML document is larger than {LIMIT} bytes, the most accepted "
        "(MAX_RECORD_BYTES).\n",
    )


@pytest.mark.parametrize("date", ["0000-01", "9999-12", "0000"])
def test_deadlines_of_a_record_with_a_year_out_of_range_cannot_be_computed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], date: str
) -> None:
    # given a record (never validated against the schema) whose primary completion is in year 0 or 9999
    record = _write(tmp_path, "record.json", json.dumps(make_record(pcd=date)).encode())
    # when the deadlines are asked for
    status = deadlines_cli([record, "--today", "2026-06-01"])
    # then the results deadline cannot be computed, and says why
    out, err = capsys.readouterr()
    results = next(line for line in map(json.loads, out.splitlines()) if line["rule"] == "us.fdaaa.results")
    assert (status, err, results["status"], [f["code"] for f in results["findings"]]) == (
        0,
        "",
        "cannot_compute",
        ["deadline.missing_date", "deadline.invalid_date"],
    )


@pytest.mark.parametrize("module", ["registries", "deadlines"])
def test_input_deeper_than_the_interpreter_is_one_line_in_a_real_process(tmp_path: Path, module: str) -> None:
    path = _write(tmp_path, "deep.json", hostile.nested_record(200_000))
    args = ["check", path, "--stage", "results"] if module == "registries" else [path]

    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )

    prefix = "error: json.too_deep: " if module == "registries" else "deadlines: error: json.too_deep: "
    assert (result.returncode, result.stdout, result.stderr.count("\n"), result.stderr[: len(prefix)]) == (
        1,
        "",
        1,
        prefix,
    )
