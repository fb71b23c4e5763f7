"""``python -m deadlines``: JSON lines out, one-line errors and exit 1 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from deadlines.rules import ALL_RULES
from tests.deadlines.factories import eu_section, make_record

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deadlines", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def _write(tmp_path: Path, name: str, content: object) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_cli_prints_one_json_line_per_verdict(tmp_path):
    record = _write(tmp_path, "record.json", make_record(pcd="2025-03-10"))
    submissions = _write(
        tmp_path,
        "subs.json",
        {
            "submissions": [
                {"registry": "ctgov", "stage": "results", "submitted_on": "2026-03-01", "filing_id": "F1"}
            ]
        },
    )

    result = _run(record, "--today", "2026-06-01", "--submissions", submissions)

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    results = next(line for line in lines if line["rule"] == "us.fdaaa.results")
    assert (result.returncode, result.stderr) == (0, "")
    assert {line["rule"] for line in lines} == {r.code for r in ALL_RULES}
    assert (results["status"], results["due_date"], results["satisfied_by"]["filing_id"]) == (
        "met",
        "2026-03-10",
        "F1",
    )


def test_cli_reports_malformed_record_json_in_one_line(tmp_path):
    record = _write(tmp_path, "record.json", "{not json")

    result = _run(record)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("deadlines: error: json.malformed: record ")
    assert "line 1, column 2" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_rejects_a_bad_today(tmp_path):
    record = _write(tmp_path, "record.json", make_record())

    result = _run(record, "--today", "2026-02-30")

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "deadlines: error: --today: '2026-02-30' is not a calendar day\n",
    )


def test_cli_names_the_bad_field_of_a_submissions_file(tmp_path):
    record = _write(tmp_path, "record.json", make_record())
    submissions = _write(
        tmp_path, "subs.json", [{"registry": "ctgov", "stage": "results", "submitted_on": "soon"}]
    )

    result = _run(record, "--submissions", submissions)

    assert (result.returncode, result.stderr) == (
        1,
        "deadlines: error: deadline.bad_submissions: /submissions/0/submitted_on: "
        "'soon' is not a date in the form YYYY-MM-DD\n",
    )


def test_cli_reports_a_missing_record_file(tmp_path):
    result = _run(str(tmp_path / "absent.json"))

    assert result.returncode == 1
    assert result.stderr.startswith("deadlines: error: deadline.unreadable_file: cannot read record ")


def test_cli_rejects_a_record_that_is_not_an_object(tmp_path):
    result = _run(_write(tmp_path, "record.json", [1, 2]))

    assert (result.returncode, result.stderr.count("\n"), "Traceback" in result.stderr) == (1, 1, False)
    assert "must be a JSON object" in result.stderr


def test_cli_without_arguments_exits_1_with_usage_error():
    result = _run()

    assert result.returncode == 1
    assert "deadlines: error: the following arguments are required: record" in result.stderr


def test_deadlines_package_never_imports_django():
    code = (
        "import sys, deadlines, deadlines.cli; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


def test_cli_applies_a_setting_and_says_so(tmp_path):
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True))
    path = _write(tmp_path, "record.json", record)

    result = _run(path, "--today", "2025-07-01", "--setting", "eu_paediatric_results_months=12")

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    results = next(line for line in lines if line["rule"] == "eu.ctr.results")
    assert (result.returncode, results["due_date"]) == (0, "2026-06-30")
    assert "(setting eu_paediatric_results_months = 12, set by the organization; default 6)" in results["why"]


def test_cli_rejects_a_bad_setting_in_one_line(tmp_path):
    path = _write(tmp_path, "record.json", make_record())

    result = _run(path, "--setting", "eu_paediatric_results_months=six")

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "deadlines: error: deadline.bad_setting: --setting 'eu_paediatric_results_months=six' "
        "is not NAME=N with N a whole number\n",
    )
