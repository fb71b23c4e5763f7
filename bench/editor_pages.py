"""Benchmark: the record editor's pages, rendered through Django's test client on a throw-away database.

For the complete synthetic record (tests/fixtures/records/complete.json) and the largest real record in
the shared bulk samples (NCT01978912, imported from ClinicalTrials.gov API v2 JSON) it measures, as the
median and p95 of RUNS requests: every module page (GET, findings of every target registry included),
the findings check an htmx change sends (POST of the module form), and, as the baseline of the same
run, the editor's field redirect (a trivial page: one scoped query and a redirect). Results go to
bench/results/editor_pages.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/editor_pages.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RESULTS_FILE = REPO / "bench" / "results" / "editor_pages.json"
COMPLETE_RECORD = REPO / "tests" / "fixtures" / "records" / "complete.json"
LARGEST_BULK_SAMPLE = "samples-bulk/ctgov-v2/NCT01978912.json"
TARGET_MS = 150.0
# What a browser (and htmx) sends for a form without file inputs.
FORM = "application/x-www-form-urlencoded"


def _timings(function: Callable[[], Any], runs: int) -> dict[str, float]:
    function()  # warm caches (compiled schema, templates)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = function()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), response.status_code
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from registries import specs
    from registries.importers import import_record
    from submissions.web.editor.modules import modules
    from tests.submissions import factories
    from tests.submissions.web.editor.conftest import form_values

    org = factories.make_org("Bench sponsor")
    author = factories.make_user("bench-author", org=org, roles=("author",))
    records = {"complete": json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))}
    bulk = specs.schema_dir() / LARGEST_BULK_SAMPLE
    if bulk.is_file():
        records["NCT01978912"] = import_record("ctgov-v2", bulk.read_bytes()).record
    else:
        print(f"{bulk} is absent: only the complete record is measured")
    client = Client()
    client.force_login(author)

    results: dict[str, Any] = {"runs": args.runs, "python": platform.python_version(), "records": {}}
    for number, (name, record) in enumerate(records.items()):
        trial = factories.make_trial(org, author, record, reference=f"BENCH-{number}")
        trivial = reverse("web:editor:field", kwargs={"trial_pk": trial.pk})
        entry: dict[str, Any] = {
            "trivial_page": _timings(
                partial(client.get, trivial, {"pointer": "/protocolSection"}), args.runs
            ),
            "pages": {},
            "checks": {},
        }
        for module in modules():
            url = reverse("web:editor:module", kwargs={"trial_pk": trial.pk, "module": module.slug})
            entry["pages"][module.slug] = _timings(partial(client.get, url), args.runs)
            pairs = form_values(client.get(url).content.decode())
            check = reverse("web:editor:check", kwargs={"trial_pk": trial.pk, "module": module.slug})
            body = urlencode(pairs)
            entry["checks"][module.slug] = _timings(
                partial(client.post, check, body, content_type=FORM), args.runs
            )
        medians = [timing["median_ms"] for timing in entry["pages"].values()]
        entry["page_median_of_medians_ms"] = round(statistics.median(medians), 1)
        entry["slowest_page"] = max(entry["pages"].items(), key=lambda item: item[1]["median_ms"])
        results["records"][name] = entry
        print(f"{name}: trivial page median {entry['trivial_page']['median_ms']} ms")
        for slug, timing in entry["pages"].items():
            check_timing = entry["checks"][slug]
            print(
                f"  {slug:32} page median {timing['median_ms']:7.1f} ms  p95 {timing['p95_ms']:7.1f} ms"
                f"   check median {check_timing['median_ms']:7.1f} ms"
            )
        print(f"  median of page medians {entry['page_median_of_medians_ms']} ms (target {TARGET_MS} ms)")
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS_FILE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
