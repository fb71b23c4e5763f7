"""Benchmark: the bounded JSON reader on the largest record it accepts, against the standard library.

It builds the largest record the default limit allows (MAX_RECORD_BYTES, 20 MiB): the repository's
complete record with its sites repeated until one more would pass the limit. Then, as the median of RUNS
runs in this process:

- read: ``registries.jsonread.read_json`` (size, depth, numbers, surrogates, NUL, duplicate keys checked);
- baseline: ``json.loads`` of the same bytes, which checks none of them;

each with its time and its peak traced memory (tracemalloc, in a separate run so tracing does not
distort the time). It also times the refusal of three hostile documents of the same size (nested
arrays, a NaN at the end, a duplicate key at the end) and runs ``python -m registries check`` on the
largest record in a child process, reporting its wall time and peak resident memory.

Results go to bench/results/hostile_input.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/hostile_input.py [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from registries.enums import MAX_RECORD_BYTES  # noqa: E402
from registries.findings import RegistryError  # noqa: E402
from registries.jsonread import read_json  # noqa: E402

RESULTS_FILE = REPO / "bench" / "results" / "hostile_input.json"
COMPLETE_RECORD = REPO / "tests" / "fixtures" / "records" / "complete.json"


def largest_record(limit: int) -> bytes:
    """The complete record with as many copies of its sites as fit in ``limit`` bytes."""
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_bytes())
    locations = record["protocolSection"]["contactsLocationsModule"]["locations"]
    sites = [json.dumps(location, ensure_ascii=False).encode() for location in locations]
    grown = copy.deepcopy(record)
    grown_locations = grown["protocolSection"]["contactsLocationsModule"]["locations"]
    size = len(json.dumps(grown, ensure_ascii=False).encode())
    # Each further site adds its own bytes and the ", " before it.
    while size + len(sites[len(grown_locations) % len(sites)]) + 2 <= limit:
        index = len(grown_locations) % len(sites)
        grown_locations.append(copy.deepcopy(locations[index]))
        size += len(sites[index]) + 2
    data = json.dumps(grown, ensure_ascii=False).encode()
    assert len(data) == size <= limit, (len(data), size, limit)
    return data


def _median_seconds(function: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _median_peak_bytes(function: Callable[[], object], runs: int) -> int:
    peaks = []
    for _ in range(runs):
        gc.collect()
        tracemalloc.start()
        result = function()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        del result
    return int(statistics.median(peaks))


def _refusal(data: bytes) -> Callable[[], str]:
    def run() -> str:
        try:
            read_json(data)
        except RegistryError as error:
            return error.code
        return "accepted"

    return run


def _check_in_child(path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "registries", "check", str(path), "--stage", "registration"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    # ru_maxrss of the children is the largest any child reached (kilobytes on Linux); this is the only one.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "exit_status": result.returncode,
        "findings": len(result.stdout.splitlines()),
        "stderr": result.stderr.decode()[:200],
        "seconds": round(seconds, 3),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data = largest_record(MAX_RECORD_BYTES)
    mib = len(data) / 2**20
    print(f"largest allowed record: {len(data)} bytes ({mib:.2f} MiB; limit {MAX_RECORD_BYTES})")
    assert read_json(data) == json.loads(data), "the reader must read what json.loads reads"

    read_time = _median_seconds(lambda: read_json(data), args.runs)
    baseline_time = _median_seconds(lambda: json.loads(data), args.runs)
    read_peak = _median_peak_bytes(lambda: read_json(data), args.runs)
    baseline_peak = _median_peak_bytes(lambda: json.loads(data), args.runs)
    print(f"read_json   median {read_time * 1000:8.1f} ms   peak {read_peak / 2**20:7.1f} MiB")
    print(f"json.loads  median {baseline_time * 1000:8.1f} ms   peak {baseline_peak / 2**20:7.1f} MiB")
    print(f"ratio       time x{read_time / baseline_time:.2f}   memory x{read_peak / baseline_peak:.2f}")

    half = MAX_RECORD_BYTES // 2
    hostile = {
        "nested_arrays": b"[" * half + b"]" * half,
        "nan_at_the_end": data[:-1] + b', "x": NaN}',
        "duplicate_key_at_the_end": data[:-1] + b', "schemaVersion": "1.0"}',
    }
    refusals = {}
    for name, document in hostile.items():
        document = document[:MAX_RECORD_BYTES] if name == "nested_arrays" else document
        code = _refusal(document)()
        seconds = _median_seconds(_refusal(document), args.runs)
        refusals[name] = {"bytes": len(document), "code": code, "median_ms": round(seconds * 1000, 1)}
        print(f"refuse {name:26} {code:22} median {seconds * 1000:8.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "largest.json"
        path.write_bytes(data)
        check = _check_in_child(path)
    print(
        f"python -m registries check (registration): {check['seconds']:.1f} s, "
        f"peak RSS {check['peak_rss_mib']} MiB, exit {check['exit_status']}, {check['findings']} findings"
    )

    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "runs": args.runs,
                "record_bytes": len(data),
                "limit_bytes": MAX_RECORD_BYTES,
                "read_json": {
                    "median_ms": round(read_time * 1000, 1),
                    "peak_mib": round(read_peak / 2**20, 1),
                },
                "json_loads_baseline": {
                    "median_ms": round(baseline_time * 1000, 1),
                    "peak_mib": round(baseline_peak / 2**20, 1),
                },
                "ratio": {
                    "time": round(read_time / baseline_time, 2),
                    "memory": round(read_peak / baseline_peak, 2),
                },
                "refusals": refusals,
                "registries_check": check,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
