"""Benchmark: the REST API under gunicorn (2 workers) on loopback, 8 concurrent clients.

One phase per operation, each with all clients at once for at least --seconds: a trivial authenticated
endpoint (GET /api/v1/whoami), GET a trial, PUT a real record of about 150 KB (the largest
ClinicalTrials.gov sample in samples-bulk that converts to a valid record, validated on save) against the
client's own trial with If-Match, and bulk-upsert 50 trials. By default Celery runs in-process (the embedded
default), so each save's deadline recomputation is inside the request. With --broker (a Redis URL) the
app runs as the README's production setup does: Celery on that broker with one worker process on the
same machine (it competes for the same cores), and the Redis cache shared by web and worker, so a
trial's queued recomputation is not queued twice (submissions.domain.deadlines.schedule_recompute).
Prints p50/p95/p99 and throughput per operation and writes bench/results/api_load.json.
Targets (issue 11): p95 < 100 ms for GET, < 300 ms for the 150 KB PUT, zero errors.

The database is a fresh SQLite file unless DATABASE_URL names another (use PostgreSQL for figures that
mean something: SQLite serialises writers).

Run: .tools/bin/uv run --frozen python bench/api_load.py [--seconds 30] [--clients 8]
     [--broker redis://127.0.0.1:6379/2] [--operations put_record_150kb,whoami]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
OPERATIONS = ("whoami", "get_trial", "put_record_150kb", "bulk_upsert_50")
SETUP = r"""
import json, sys
import django
django.setup()
from registries.importers import import_record
from registries import specs
from submissions.domain.api_keys import create_api_key
from submissions.models import Organization
from tests.submissions import factories
from pathlib import Path
bulk_dir = specs.schema_dir() / "samples-bulk" / "ctgov-v2"
samples = sorted(bulk_dir.glob("NCT*.json"), key=lambda p: -p.stat().st_size)
records = []
from submissions.domain.records import schema_refusal
for path in samples[:40]:
    try:
        record = import_record("ctgov-v2", path.read_bytes()).record
    except Exception:
        continue
    if schema_refusal(record):
        continue
    # As an integration would send it: indented JSON (the largest real record is ~85 KB compact).
    size = len(json.dumps(record, indent=2))
    records.append((size, path.name, record))
size, name, big = max(records, key=lambda item: item[0])
org = Organization.objects.create(name="Bench Sponsor", slug="bench-sponsor")
people = factories.make_people(org, prefix="bench-")
token = create_api_key(org, name="bench", access="read_write", actor=people["admin"]).token
count = int(sys.argv[1])
trials = [factories.make_trial(org, people["author"], big, reference=f"BENCH-{n}").pk for n in range(count)]
state = {"token": token, "trials": trials, "record": big, "record_bytes": size, "sample": name}
json.dump(state, sys.stdout)
"""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--broker", default="", help="a Redis URL: Celery on it with one worker process")
    parser.add_argument(
        "--operations",
        default=",".join(OPERATIONS),
        help=f"comma-separated subset of {', '.join(OPERATIONS)}",
    )
    args = parser.parse_args()
    operations = [name.strip() for name in args.operations.split(",") if name.strip()]
    unknown = sorted(set(operations) - set(OPERATIONS))
    if unknown:
        parser.error(f"unknown operations: {', '.join(unknown)}")

    workdir = Path(tempfile.mkdtemp(prefix="api-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "API_RATE_LIMIT": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    # Production settings (debug off) fail closed without keys; a throw-away database gets throw-away
    # keys, and plain HTTP on loopback.
    for name in ("DJANGO_SECRET_KEY", "AUDIT_HMAC_KEY"):
        env.setdefault(name, f"bench-only-{name.lower()}-" + "x" * 50)
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    if args.broker:
        env.update({"CELERY_BROKER_URL": args.broker, "REDIS_URL": args.broker})
        import redis

        redis.Redis.from_url(args.broker).flushdb()  # no tasks or marks left from an earlier run
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, str(args.clients)],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    )
    state = json.loads(setup.stdout)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            # Sync workers (processes), as the README's production command: django-fsm's refresh_from_db
            # flips a field attribute shared by all threads of a process, so threaded workers can fail a
            # save with "Direct state modification is not allowed" (seen here with --worker-class gthread).
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    worker = (
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1", "-l", "warning"],
            cwd=REPO,
            env=env,
        )
        if args.broker
        else None
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {state['token']}"}
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/v1/whoami", headers=headers).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        timings: dict[str, list[float]] = {name: [] for name in operations}
        errors: dict[str, list[str]] = {name: [] for name in operations}
        walls: dict[str, float] = {}
        lock = threading.Lock()

        def client(index: int, name: str, deadline: float) -> None:
            trial = state["trials"][index]
            # The 150 KB body is serialised once per client with a placeholder title, then only the title
            # is substituted per request: the load generator shares the two cores with the server, and
            # re-encoding the record each time was its largest cost.
            record = json.loads(json.dumps(state["record"]))
            title = record["protocolSection"]["identificationModule"]["briefTitle"]
            placeholder = f"@@title-{index}@@"
            record["protocolSection"]["identificationModule"]["briefTitle"] = placeholder
            template = json.dumps(record, indent=2)
            with httpx.Client(base_url=base, headers=headers, timeout=300) as http:
                etag = http.get(f"/api/v1/trials/{trial}/record").headers["ETag"]
                turn = 0
                while time.monotonic() < deadline:
                    turn += 1
                    if name == "whoami":
                        extra: dict[str, str] = {}
                        method, url, body = "GET", "/api/v1/whoami", b""
                    elif name == "get_trial":
                        method, url, body, extra = "GET", f"/api/v1/trials/{trial}", b"", {}
                    elif name == "put_record_150kb":
                        method, url = "PUT", f"/api/v1/trials/{trial}/record"
                        body = template.replace(placeholder, json.dumps(f"{title} ({turn})")[1:-1]).encode()
                        extra = {"If-Match": etag, "Content-Type": "application/json"}
                    else:
                        items = [
                            {"reference": f"BULK-{index}-{n}", "record": _small(n, turn)} for n in range(50)
                        ]
                        method, url = "POST", "/api/v1/trials/bulk-upsert"
                        body = json.dumps({"items": items}).encode()
                        extra = {"Content-Type": "application/json"}
                    began = time.perf_counter()
                    response = http.request(method, url, content=body, headers=extra)
                    elapsed = (time.perf_counter() - began) * 1000
                    with lock:
                        timings[name].append(elapsed)
                        if response.status_code >= 300:
                            errors[name].append(f"{response.status_code} {response.text[:200]}")
                    if name == "put_record_150kb" and response.status_code == 200:
                        etag = response.headers["ETag"]

        # One phase per operation, each with every client at once for --seconds: the figures of one
        # operation are not those of the queue behind another.
        for name in operations:
            began_phase = time.monotonic()
            deadline = began_phase + args.seconds
            threads = [
                threading.Thread(target=client, args=(index, name, deadline)) for index in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            walls[name] = time.monotonic() - began_phase
        wall = sum(walls.values())
    finally:
        server.terminate()
        server.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)

    targets = {"get_trial": 100.0, "put_record_150kb": 300.0}
    results: dict[str, Any] = {}
    for name, values in timings.items():
        results[name] = {
            "requests": len(values),
            "errors": len(errors[name]),
            "first_errors": errors[name][:3],
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(_percentile(values, 0.95), 1) if values else None,
            "p99_ms": round(_percentile(values, 0.99), 1) if values else None,
            "throughput_per_s": round(len(values) / walls[name], 1),
            "target_p95_ms": targets.get(name),
        }
        line = results[name]
        print(
            f"{name:18} n={line['requests']:5} errors={line['errors']:3} p50={line['p50_ms']} ms "
            f"p95={line['p95_ms']} ms p99={line['p99_ms']} ms {line['throughput_per_s']}/s"
            + (f" (target p95 < {targets[name]} ms)" if name in targets else "")
        )
    output = {
        "benchmark": "api_load",
        "seconds": round(wall, 1),
        "clients": args.clients,
        "workers": args.workers,
        "celery": f"broker {args.broker}, one worker process"
        if args.broker
        else "in-process (embedded default)",
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
        "record_bytes": state["record_bytes"],
        "record_sample": state["sample"],
        "python": platform.python_version(),
        "results": results,
    }
    out = REPO / "bench" / "results" / "api_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0 if all(r["errors"] == 0 for r in results.values()) else 1


def _small(n: int, turn: int) -> dict[str, Any]:
    # Every other round changes the records, so the upsert sees updates as well as unchanged ones.
    return {
        "schemaVersion": "1.0",
        "protocolSection": {"identificationModule": {"briefTitle": f"Bulk trial {n} v{turn % 2}"}},
    }


if __name__ == "__main__":
    sys.exit(main())
