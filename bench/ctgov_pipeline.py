"""Benchmark: the ClinicalTrials.gov pipeline against lxml alone, on the real sample records with results.

For each sample with results it measures, as the median of RUNS runs in this process:

- pipeline: convert (import the sample), check (generic + ClinicalTrials.gov checks, which include the
  XSD verification of the built payload), build the results-stage PRS XML, verify it against the XSDs;
- baseline: lxml alone parsing the produced XML and validating it against the compiled schema;

and prints both and their ratio. It then checks and builds a 1,000-trial portfolio (the samples and the
complete synthetic record, cycled) and reports the total against the 30-second target, with the
cProfile entries where the time goes. Finally the real portfolio: every API v2 record of
``samples-bulk/`` (242 real studies) imported, checked at every ClinicalTrials.gov stage, built and verified
at every stage, with the time per phase, the refusals, the schema findings and the import warnings (the
median of ``--bulk-runs`` passes). Results go to bench/results/ctgov_pipeline.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/ctgov_pipeline.py [--runs 20] [--portfolio 1000] [--bulk-runs 3]
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import json
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lxml import etree  # noqa: E402

from registries import specs  # noqa: E402
from registries.checks import check_record  # noqa: E402
from registries.ctgov import xsd  # noqa: E402
from registries.ctgov.adapter import ADAPTER  # noqa: E402
from registries.enums import Stage  # noqa: E402
from registries.importers import import_record  # noqa: E402

RESULTS_FILE = REPO / "bench" / "results" / "ctgov_pipeline.json"
COMPLETE_RECORD = REPO / "tests" / "fixtures" / "records" / "complete.json"
TARGET_SECONDS = 30.0


def _samples_with_results() -> list[tuple[str, str, bytes]]:
    found = []
    for path in sorted((specs.schema_dir() / "samples").glob("ctgov-*")):
        fmt = "ctgov-v2" if path.suffix == ".json" else "ctgov-public-xml"
        data = path.read_bytes()
        if import_record(fmt, data).record.get("resultsSection"):
            found.append((path.name, fmt, data))
    return found


def _median_seconds(function: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _pipeline(fmt: str, data: bytes) -> dict[str, float]:
    """One pass, timed per phase."""
    phases: dict[str, float] = {}
    start = time.perf_counter()
    record = import_record(fmt, data).record
    phases["convert"] = time.perf_counter() - start
    start = time.perf_counter()
    findings = check_record(record, Stage.RESULTS, "ctgov")
    phases["check"] = time.perf_counter() - start
    start = time.perf_counter()
    payload = ADAPTER.build(record, Stage.RESULTS)
    phases["build"] = time.perf_counter() - start
    start = time.perf_counter()
    schema_findings = ADAPTER.verify(payload)
    phases["verify"] = time.perf_counter() - start
    assert not schema_findings, schema_findings
    del findings
    return phases


def bench_samples(runs: int) -> list[dict[str, Any]]:
    schema = xsd.load_schema(xsd.PROTOCOL_XSD)
    rows = []
    for name, fmt, data in _samples_with_results():
        content = ADAPTER.build(import_record(fmt, data).record, Stage.RESULTS).content
        per_phase: dict[str, list[float]] = {}
        totals = []
        for _ in range(runs):
            phases = _pipeline(fmt, data)
            totals.append(sum(phases.values()))
            for key, value in phases.items():
                per_phase.setdefault(key, []).append(value)

        def lxml_only(content: bytes = content) -> None:
            schema.validate(etree.fromstring(content))

        baseline = _median_seconds(lxml_only, runs)
        pipeline = statistics.median(totals)
        rows.append(
            {
                "sample": name,
                "format": fmt,
                "payload_bytes": len(content),
                "runs": runs,
                "pipeline_median_ms": round(pipeline * 1000, 3),
                "phases_median_ms": {k: round(statistics.median(v) * 1000, 3) for k, v in per_phase.items()},
                "lxml_parse_validate_median_ms": round(baseline * 1000, 3),
                "ratio": round(pipeline / baseline, 1),
            }
        )
    return rows


def _portfolio(size: int) -> list[dict[str, Any]]:
    records = [import_record(fmt, data).record for _, fmt, data in _samples_with_results()]
    records.append(json.loads(COMPLETE_RECORD.read_text(encoding="utf-8")))
    return [copy.deepcopy(records[i % len(records)]) for i in range(size)]


def _check_and_build(portfolio: list[dict[str, Any]]) -> None:
    for record in portfolio:
        check_record(record, Stage.RESULTS, "ctgov")
        ADAPTER.build(record, Stage.RESULTS)


def bench_portfolio(size: int, profile_size: int) -> dict[str, Any]:
    portfolio = _portfolio(size)
    start = time.perf_counter()
    _check_and_build(portfolio)
    total = time.perf_counter() - start

    profiler = cProfile.Profile()
    profiler.enable()
    _check_and_build(portfolio[:profile_size])
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(25)
    top = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: item[1][3],
        reverse=True,
    )[:25]:
        top.append(
            {
                "function": f"{Path(filename).name}:{line}({function})",
                "calls": calls,
                "tottime_s": round(tottime, 4),
                "cumtime_s": round(cumtime, 4),
            }
        )
    return {
        "trials": size,
        "seconds": round(total, 3),
        "per_trial_ms": round(total / size * 1000, 3),
        "target_seconds": TARGET_SECONDS,
        "meets_target": total < TARGET_SECONDS,
        "profile_trials": profile_size,
        "profile_top_cumulative": top,
    }


def _bulk_pass(files: list[Path]) -> dict[str, Any]:
    phases = {"import": 0.0, "check": 0.0, "build_verify": 0.0}
    refused: list[str] = []
    schema_findings = 0
    warnings = 0
    for path in files:
        start = time.perf_counter()
        try:
            result = import_record("ctgov-v2", path.read_bytes())
        except Exception as exc:  # a refusal is the figure being measured, whatever its kind
            refused.append(f"{path.name}: {exc}")
            continue
        phases["import"] += time.perf_counter() - start
        warnings += len(result.findings)
        start = time.perf_counter()
        for stage in ADAPTER.stages:
            check_record(result.record, stage, "ctgov")
        phases["check"] += time.perf_counter() - start
        start = time.perf_counter()
        for stage in ADAPTER.stages:
            schema_findings += len(ADAPTER.verify(ADAPTER.build(result.record, stage)))
        phases["build_verify"] += time.perf_counter() - start
    return {"phases": phases, "refused": refused, "schema_findings": schema_findings, "warnings": warnings}


def bench_bulk(runs: int) -> dict[str, Any]:
    """The real portfolio: every record of samples-bulk/ through import, checks, build and verification."""
    files = sorted((specs.schema_dir() / "samples-bulk" / "ctgov-v2").glob("*.json"))
    passes = [_bulk_pass(files) for _ in range(max(runs, 1))]
    totals = [sum(p["phases"].values()) for p in passes]
    last = passes[-1]
    return {
        "records": len(files),
        "runs": len(passes),
        "seconds_median": round(statistics.median(totals), 3),
        "per_record_ms": round(statistics.median(totals) / max(len(files), 1) * 1000, 3),
        "phases_median_s": {
            key: round(statistics.median(p["phases"][key] for p in passes), 3) for key in last["phases"]
        },
        "refused": last["refused"],
        "schema_findings": last["schema_findings"],
        "import_warnings": last["warnings"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20, help="runs per sample (median; at least 20)")
    parser.add_argument("--portfolio", type=int, default=1000, help="trials in the portfolio run")
    parser.add_argument("--profile", type=int, default=200, help="trials profiled with cProfile")
    parser.add_argument("--bulk-runs", type=int, default=3, help="passes over samples-bulk/ (median)")
    args = parser.parse_args(argv)
    runs = max(args.runs, 20)

    samples = bench_samples(runs)
    print(f"{'sample':40} {'pipeline ms':>12} {'lxml ms':>9} {'ratio':>6}   phases (ms)")
    for row in samples:
        phases = ", ".join(f"{k} {v}" for k, v in row["phases_median_ms"].items())
        print(
            f"{row['sample']:40} {row['pipeline_median_ms']:>12} "
            f"{row['lxml_parse_validate_median_ms']:>9} {row['ratio']:>6}   {phases}"
        )

    portfolio = bench_portfolio(args.portfolio, min(args.profile, args.portfolio))
    verdict = "meets" if portfolio["meets_target"] else "MISSES"
    print(
        f"\nportfolio: {portfolio['trials']} trials checked and built in {portfolio['seconds']} s "
        f"({portfolio['per_trial_ms']} ms/trial); {verdict} the {TARGET_SECONDS:.0f} s target"
    )
    print(f"\nwhere the time goes ({portfolio['profile_trials']} trials, cumulative):")
    for entry in portfolio["profile_top_cumulative"][:15]:
        print(f"  {entry['cumtime_s']:>8.3f} s  {entry['calls']:>8}  {entry['function']}")

    bulk = bench_bulk(args.bulk_runs)
    print(
        f"\nreal portfolio (samples-bulk): {bulk['records']} records imported, checked, built and verified "
        f"at every stage in {bulk['seconds_median']} s ({bulk['per_record_ms']} ms/record; "
        + ", ".join(f"{k} {v} s" for k, v in bulk["phases_median_s"].items())
        + f"); refused {len(bulk['refused'])}, schema findings {bulk['schema_findings']}, "
        f"import warnings {bulk['import_warnings']}"
    )

    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(
        json.dumps(
            {
                "benchmark": "ctgov_pipeline",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "samples": samples,
                "portfolio": portfolio,
                "bulk_portfolio": bulk,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwritten: {RESULTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
