"""Benchmark: what a filing's stage findings cost once WHO, ISRCTN and cross-registry consistency join in.

On the complete synthetic record (tests/fixtures/records/complete.json) it measures, as the median of RUNS
runs: each adapter's check and build (ctgov, isrctn, who), the consistency check across the three
payloads, and the generic + per-registry + consistency findings of a registration filing to all three.
Results go to bench/results/registry_targets.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/registry_targets.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from registries import get_registry  # noqa: E402
from registries.checks import check_record  # noqa: E402
from registries.consistency import check_consistency  # noqa: E402
from registries.enums import Stage  # noqa: E402

RECORD = REPO / "tests" / "fixtures" / "records" / "complete.json"
OUT = REPO / "bench" / "results" / "registry_targets.json"
CODES = ["ctgov", "isrctn", "who"]


def median_ms(action: Callable[[], Any], runs: int) -> float:
    action()  # warm caches (compiled schemas) so the figure is the steady state
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    stage = Stage.REGISTRATION
    figures: dict[str, float] = {}
    for code in CODES:
        adapter = get_registry(code)
        figures[f"{code}.check_ms"] = median_ms(partial(adapter.check, record, stage), args.runs)
        figures[f"{code}.build_ms"] = median_ms(partial(adapter.build, record, stage), args.runs)
    figures["consistency_ms"] = median_ms(lambda: check_consistency(record, stage, CODES), args.runs)

    def filing_findings() -> None:
        check_record(record, stage)
        for code in CODES:
            get_registry(code).check(record, stage)
        check_consistency(record, stage, CODES)

    figures["filing_findings_ms"] = median_ms(filing_findings, args.runs)
    for name, value in figures.items():
        print(f"{name:24} {value:8.2f} ms (median of {args.runs})")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"runs": args.runs, "python": platform.python_version(), "median_ms": figures}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
