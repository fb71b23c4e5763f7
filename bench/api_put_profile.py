"""Profile: PUT /api/v1/trials/{id}/record of the ~150 KB record in-process (Django's test client, no
server, no network), to see where one save's time goes.

Each PUT sends a new version (the brief title changes), as a CTMS sync would, with If-Match. Celery runs
in-process (the embedded default), so the deadline recomputation the save schedules on commit runs inside
the request; ``--broker`` measures it as a deployment with a real broker sees it (the task is queued, not
run: CELERY_TASK_ALWAYS_EAGER off and a memory broker).
Prints the median and p95 of the request and, with --profile, the functions with the most cumulative
time; writes bench/results/api_put_profile.json.

Run: .tools/bin/uv run --frozen python bench/api_put_profile.py [--n 40] [--profile] [--broker]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _largest_valid_record() -> tuple[int, dict[str, Any]]:
    from registries import specs
    from registries.importers import import_record
    from submissions.domain.records import schema_refusal

    bulk_dir = specs.schema_dir() / "samples-bulk" / "ctgov-v2"
    best: tuple[int, dict[str, Any]] | None = None
    for path in sorted(bulk_dir.glob("NCT*.json"), key=lambda p: -p.stat().st_size)[:40]:
        record = import_record("ctgov-v2", path.read_bytes()).record
        if schema_refusal(record):
            continue
        size = len(json.dumps(record, indent=2))  # as an integration would send it
        if best is None or size > best[0]:
            best = (size, record)
    if best is None:
        raise SystemExit("no sample in samples-bulk converts to a valid record")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--broker", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile (e.g. tottime)")
    parser.add_argument(
        "--callers", default="", help="with --profile: print the callers of functions matching this"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="api-put-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["API_RATE_LIMIT"] = "1000000/min"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from submissions.domain.api_keys import create_api_key
    from submissions.models import Organization
    from tests.submissions import factories

    if args.broker:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        from config.celery import app

        app.conf.task_always_eager = False
        app.conf.broker_url = "memory://"
    call_command("migrate", verbosity=0)
    size, record = _largest_valid_record()
    org = Organization.objects.create(name="Bench Sponsor", slug="bench-sponsor")
    people = factories.make_people(org, prefix="bench-")
    token = create_api_key(org, name="bench", access="read_write", actor=people["admin"]).token
    trial = factories.make_trial(org, people["author"], record, reference="BENCH-1")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/trials/{trial.pk}/record"
    etag = client.get(url)["ETag"]
    profiler = cProfile.Profile() if args.profile else None
    times: list[float] = []
    # CPU time of this process too: on a shared, loaded machine it moves less than the wall clock.
    cpu_times: list[float] = []
    for n in range(args.n):
        record["protocolSection"]["identificationModule"]["briefTitle"] = f"Bench version {n}"
        body = json.dumps(record, indent=2)
        started = time.perf_counter()
        started_cpu = time.process_time()
        if profiler is not None and n >= 3:
            profiler.enable()
        response = client.put(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
        if profiler is not None:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"PUT answered {response.status_code}: {response.content[:500]!r}")
        etag = response["ETag"]
    measured = times[3:]  # the first requests warm caches (schemas, rule tables)
    figures = {
        "record_bytes": size,
        "requests": len(measured),
        "median_ms": round(statistics.median(measured), 1),
        "p95_ms": round(sorted(measured)[round(0.95 * (len(measured) - 1))], 1),
        "cpu_median_ms": round(statistics.median(cpu_times[3:]), 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "broker": args.broker,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }
    print(json.dumps(figures, indent=2))
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "api_put_profile.json").write_text(json.dumps(figures, indent=2) + "\n")
    if profiler is not None:
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        stats.print_stats(45)
        if args.callers:
            stats.print_callers(args.callers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
