"""Benchmark: render times of the staff web pages for an organization with 2,000 trials.

Builds a fresh database (SQLite under var/ unless DATABASE_URL is set) holding one sponsor with TRIALS
trials: one made through the domain functions (record, filings, deadlines, audit trail), the rest copies
of it written in bulk (record version, deadlines, a draft filing each) so that setting up takes seconds,
not the hours 2,000 full saves would. Then it renders, RUNS times each through Django's test client
(the full middleware and template stack, no network), the dashboard, the trial page, the record editor
(when the editor's URLs are present) and a trivial page (the sign-in form) for comparison, and reports
the median and 95th percentile in milliseconds (wall clock, and the median CPU time of this process, which a
busy shared machine inflates less) and the number of queries per page. Target: every main
page under 150 ms median. Results go to bench/results/web_pages.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/web_pages.py [--trials 2000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RESULTS_FILE = REPO / "bench" / "results" / "web_pages.json"
BENCH_DB = REPO / "var" / "bench-web-pages.sqlite3"
TARGET_MS = 150.0


def _setup_django() -> Any:
    """A fresh database: SQLite under var/, or with DATABASE_URL the server's test database (created
    and dropped like the test suite's, named by TEST_DATABASE_NAME), never the configured one itself."""
    # Production's settings with throw-away keys (the test suite's), so that nothing debug-only is timed.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if "DATABASE_URL" not in os.environ:
        BENCH_DB.parent.mkdir(exist_ok=True)
        BENCH_DB.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DB}"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # Timed as production runs: no query log, no template debugging (static files stay unhashed).
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    if connection.vendor == "sqlite":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return None
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection


def _populate(count: int) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from submissions import domain
    from submissions.enums import RecomputeReason, Role, Stage
    from submissions.models import Deadline, Filing, Membership, Organization, RecordVersion, Trial
    from tests.submissions import factories

    organization = Organization.objects.create(name="Bench Sponsor", slug="bench-sponsor")
    users = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(
            username=f"bench-{role}", password=factories.PASSWORD, first_name="Bench", last_name=role.title()
        )
        Membership.objects.create(organization=organization, user=user, role=role)
        users[role] = user
    record = factories.fixture_record()
    template = domain.create_trial(
        organization, reference="BENCH-0000", title="Benchmark trial", actor=users[Role.AUTHOR], record=record
    )
    domain.recompute_deadlines(template, reason=RecomputeReason.MANUAL)
    filing = domain.open_filing(
        template, Stage.REGISTRATION, target_registries=["ctgov"], actor=users[Role.AUTHOR]
    )
    domain.submit_for_review(filing, actor=users[Role.AUTHOR])
    template.refresh_from_db()
    head = template.head
    assert head is not None
    deadlines = list(template.deadlines.all())
    author = users[Role.AUTHOR]
    with transaction.atomic():
        trials = Trial.objects.bulk_create(
            Trial(
                organization=organization,
                reference=f"BENCH-{index:04d}",
                title=f"Benchmark trial {index}",
                created_by=author,
            )
            for index in range(1, count)
        )
        versions = RecordVersion.objects.bulk_create(
            RecordVersion(
                trial=trial,
                sha256=head.sha256,
                content=head.content,
                schema_version=head.schema_version,
                findings=head.findings,
                created_by=author,
            )
            for trial in trials
        )
        for trial, version in zip(trials, versions, strict=True):
            trial.head = version
        Trial.objects.bulk_update(trials, ["head"])
        Deadline.objects.bulk_create(
            Deadline(
                trial=trial,
                **{
                    field.name: getattr(deadline, field.name)
                    for field in Deadline._meta.concrete_fields
                    if field.name not in ("id", "trial", "satisfied_by_filing", "updated_at")
                },
            )
            for trial in trials
            for deadline in deadlines
        )
        Filing.objects.bulk_create(
            Filing(trial=trial, stage=Stage.REGISTRATION, target_registries=["ctgov"], created_by=author)
            for trial in trials
        )
    # A database in use has planner statistics (autovacuum on PostgreSQL); freshly bulk-loaded tables have
    # none, and the planner then picks nested loops fit for a handful of rows.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return template, users


def _measure(client: Any, url: str, runs: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: template compilation, caches
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Counted now: the captured slice is read lazily from a log the next request clears.
    queries = len(captured)
    timings = []
    cpu = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    timings.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
        # This process's CPU time: what the page costs when the shared machine is busy with other work
        # (with SQLite the database work is in it; a database server's is not).
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "bytes": len(response.content),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    server = _setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    start = time.perf_counter()
    template, users = _populate(args.trials)
    setup_seconds = time.perf_counter() - start
    anonymous = Client()
    client = Client()
    client.force_login(users["approver"])
    pages = {"trivial (sign-in form)": _measure(anonymous, "/sign-in/", args.runs)}
    pages["dashboard"] = _measure(client, "/", args.runs)
    pages["trial page"] = _measure(client, f"/trials/{template.pk}/", args.runs)
    try:
        editor = reverse("web:editor:index", kwargs={"trial_pk": template.pk})
    except NoReverseMatch:
        editor = None
    if editor is not None:
        author = Client()
        author.force_login(users["author"])
        # The editor's index sends the author to the record's first module page: that page is timed.
        first = author.get(editor)
        module_page = first["Location"] if first.status_code == 302 else editor
        pages["editor"] = _measure(author, module_page, args.runs)
    result = {
        "benchmark": "web_pages",
        "trials": args.trials,
        "runs": args.runs,
        "setup_seconds": round(setup_seconds, 1),
        "target_median_ms": TARGET_MS,
        "pages": pages,
        "editor_present": editor is not None,
        "meets_target": all(page["median_ms"] < TARGET_MS for page in pages.values()),
        "python": platform.python_version(),
        # The machine is shared: the load says how far the figures are from an idle machine's.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": connection.vendor,
    }
    print(f"{args.trials} trials (set up in {setup_seconds:.1f} s), {args.runs} runs per page")
    for name, page in pages.items():
        figures = (
            f"median {page['median_ms']:7.1f} ms   p95 {page['p95_ms']:7.1f} ms   "
            f"CPU median {page['cpu_median_ms']:7.1f} ms"
        )
        print(f"  {name:24} {figures}   {page['queries']} queries")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")
    verdict = "met" if result["meets_target"] else "NOT met"
    print(f"target: main pages under {TARGET_MS:.0f} ms median: {verdict}")
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if server is not None:
        server.creation.destroy_test_db(server.settings_dict["NAME"], verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
