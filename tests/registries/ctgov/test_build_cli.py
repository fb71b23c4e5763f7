"""``python -m registries build ... --registry ctgov`` writes the PRS XML; a bad stage is one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from registries.ctgov.adapter import ADAPTER
from registries.enums import Stage
from tests.registries.ctgov.test_build_protocol import COMPLETE_RECORD, complete_record

REPO = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "registries", *args], cwd=REPO, capture_output=True, check=False, timeout=120
    )


def test_cli_builds_the_results_upload_byte_for_byte() -> None:
    completed = run("build", str(COMPLETE_RECORD), "--registry", "ctgov", "--stage", "results")

    assert (completed.returncode, completed.stdout) == (
        0,
        ADAPTER.build(complete_record(), Stage.RESULTS).content,
    )


def test_cli_reports_an_unsupported_stage_in_one_line_without_traceback() -> None:
    completed = run("build", str(COMPLETE_RECORD), "--registry", "ctgov", "--stage", "lay_summary")

    assert completed.returncode != 0
    assert b"ctgov.stage_not_supported" in completed.stderr
    assert b"Traceback" not in completed.stderr


def test_cli_converts_legacy_public_xml_to_a_record(sample_dir: Path) -> None:
    completed = run(
        "convert", "--from", "ctgov-public-xml", str(sample_dir / "ctgov-legacy-public-NCT01065844.xml")
    )

    assert completed.returncode == 0
    assert b'"nctId": "NCT01065844"' in completed.stdout
