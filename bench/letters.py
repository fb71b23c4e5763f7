"""Benchmark: 1,000 result letters (2 languages, 5 sites, 2 arms) made two ways in the same run
(issue 12, item 6).

- naive: one full WeasyPrint render per letter (``naive_letter_pdf``: cover and lay summary in one
  pass), every letter by default. ``--naive-sample N`` renders N letters spread over every language,
  site and arm instead and scales the time to all letters; the JSON then says so
  (``naive.extrapolated``).
- ours: what the letter job does (``submissions.letters.jobs``) without the database: per language the
  shared lay summary pages and one cover per site and arm once, the reference lines of each chunk of
  ``LETTER_CHUNK`` in one document, each letter assembled and written to a folder; then one pack per
  site written from those files (``PackWriter``), timed apart. ``--runs`` runs of it, each in a fresh
  process; the medians are reported.

Both ways are timed warm: before timing, each process renders one naive letter (fonts, Pango, the
template engine), the cost a worker pays once when it starts; it is reported apart (``warmup_seconds``).

Peak memory: each run of ours reports its own peak resident set size (ru_maxrss) after making the
letters and after the site packs; one more run makes a quarter of the letters, to show that the peak
does not grow with the number of letters.

Sameness: a sample of letters made by a run of ours (each in its real place in its chunk) and the same
letters rendered naively are rasterised with ``pdftoppm`` (poppler-utils) at 72 dpi and their pixels
compared (differing pixels per page; 0 means identical).

Results go to bench/results/letters.json (gitignored), with the machine's load average.

Run: .tools/bin/uv run --frozen python bench/letters.py [--letters 1000] [--runs 3] [--naive-sample N]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The bench renders PDFs and touches no database: the demo settings are enough.
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.WARNING)

from registries.enums import LAY_SUMMARY_SECTIONS  # noqa: E402
from submissions.letters.enums import LETTER_CHUNK  # noqa: E402
from submissions.letters.render import (  # noqa: E402
    Branding,
    CoverData,
    LanguageRun,
    PackWriter,
    naive_letter_pdf,
)

RESULTS_FILE = REPO / "bench" / "results" / "letters.json"
COMPLETE_RECORD = REPO / "tests" / "fixtures" / "records" / "complete.json"
LANGUAGES = ("en", "de")
SITES = tuple(f"S{n:02}" for n in range(1, 6))
ARMS = ("Trelanoxib 40 mg", "Placebo")
BRANDING = Branding(sponsor="Sponsor A", colour="#005a9c")
FOOTER = "BENCH-1"


def record() -> dict[str, Any]:
    """The repository's complete record with a German lay summary as long as the English one."""
    data: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    english = data["laySummaries"][0]
    german = copy.deepcopy(english)
    german["language"] = "de"
    german["title"] = "Was diese Studie gefunden hat"
    german["sections"] = {
        name: f"Abschnitt {name}. " + english["sections"].get(name, "") for name in LAY_SUMMARY_SECTIONS
    }
    data["laySummaries"] = [english, german]
    return data


def participants(count: int) -> list[CoverData]:
    """``count`` letters spread evenly over languages, sites and arms, in the job's order."""
    combos = [(lang, site, arm) for lang in LANGUAGES for site in SITES for arm in ARMS]
    covers = [
        CoverData(f"P-{n:05}", lang, arm, f"Site {site}", f"Clinic {site}\n+44 100 000 0{site[1:]}")
        for n, (lang, site, arm) in ((n, combos[n % len(combos)]) for n in range(count))
    ]
    return sorted(covers, key=lambda c: (c.language, c.site_name, c.subject_id))


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def warm_up(data: dict[str, Any]) -> float:
    start = time.perf_counter()
    naive_letter_pdf(data, participants(1)[0], BRANDING, FOOTER)
    return round(time.perf_counter() - start, 3)


def ours(count: int, out: Path) -> dict[str, Any]:
    """One run of ours in this process: letters into ``out``, then one pack per site."""
    data = record()
    warmup = warm_up(data)
    covers = participants(count)
    start = time.perf_counter()
    paths: dict[str, list[Path]] = {}
    for language, group in groupby(covers, key=lambda c: c.language):
        members = list(group)
        run = LanguageRun(data, language, members, BRANDING, FOOTER)
        for begin in range(0, len(members), LETTER_CHUNK):
            for cover, made in run.chunk(members[begin : begin + LETTER_CHUNK]):
                if isinstance(made, Exception):
                    raise made
                path = out / f"{cover.subject_id}.pdf"
                path.write_bytes(made)
                paths.setdefault(cover.site_name, []).append(path)
    letters_seconds = time.perf_counter() - start
    letters_rss = peak_rss_mib()
    start = time.perf_counter()
    for site, site_paths in sorted(paths.items()):
        with (out / f"pack-{site}.pdf").open("wb") as pack:
            writer = PackWriter(pack)
            for path in sorted(site_paths):
                writer.add(path.read_bytes())
            writer.close()
    packs_seconds = time.perf_counter() - start
    return {
        "letters": count,
        "warmup_seconds": warmup,
        "letters_seconds": round(letters_seconds, 3),
        "per_letter_ms": round(letters_seconds / count * 1000, 2),
        "site_packs_seconds": round(packs_seconds, 3),
        "peak_rss_letters_mib": letters_rss,
        "peak_rss_mib": peak_rss_mib(),
    }


def child(count: int, keep: Path | None = None) -> dict[str, Any]:
    """A run of ours in a fresh process, so its peak memory is its own."""
    command = [sys.executable, __file__, "--child", str(count)]
    if keep is not None:
        command += ["--keep", str(keep)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def naive(covers: list[CoverData], keep: set[str]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Every cover rendered naively; the letters of ``keep`` are returned for the pixel comparison."""
    data = record()
    warmup = warm_up(data)
    kept: dict[str, bytes] = {}
    start = time.perf_counter()
    for cover in covers:
        content = naive_letter_pdf(data, cover, BRANDING, FOOTER)
        if cover.subject_id in keep:
            kept[cover.subject_id] = content
    seconds = time.perf_counter() - start
    figures = {
        "rendered": len(covers),
        "warmup_seconds": warmup,
        "seconds": round(seconds, 3),
        "per_letter_ms": round(seconds / len(covers) * 1000, 2),
    }
    return figures, kept


def sample(covers: list[CoverData], size: int) -> list[CoverData]:
    step = max(1, len(covers) // size)
    return covers[::step][:size]


def compare_pixels(
    covers: list[CoverData], ours_folder: Path, naive_letters: dict[str, bytes], work: Path
) -> dict[str, Any]:
    """Rasterise letters made both ways and count differing pixels per page."""
    if shutil.which("pdftoppm") is None:
        return {"skipped": "pdftoppm not found (apt-get install poppler-utils)"}
    from PIL import Image, ImageChops

    data = record()
    results: list[dict[str, Any]] = []
    for cover in covers:
        pages = {}
        naive_content = naive_letters.get(cover.subject_id) or naive_letter_pdf(data, cover, BRANDING, FOOTER)
        made = {"ours": (ours_folder / f"{cover.subject_id}.pdf").read_bytes(), "naive": naive_content}
        for way, content in made.items():
            pdf = work / f"{way}-{cover.subject_id}.pdf"
            pdf.write_bytes(content)
            subprocess.run(
                ["pdftoppm", "-r", "72", "-png", str(pdf), str(work / f"{way}-{cover.subject_id}")],
                check=True,
            )
            pages[way] = sorted(work.glob(f"{way}-{cover.subject_id}-*.png"))
        diffs = []
        for a, b in zip(pages["ours"], pages["naive"], strict=False):
            x, y = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
            if x.size != y.size:
                diffs.append(-1)
                continue
            diff = ImageChops.difference(x, y).convert("L")
            diffs.append(sum(1 for value in diff.tobytes() if value))
        results.append(
            {
                "letter": cover.subject_id,
                "language": cover.language,
                "pages_ours": len(pages["ours"]),
                "pages_naive": len(pages["naive"]),
                "differing_pixels_per_page": diffs,
            }
        )
    identical = all(
        r["pages_ours"] == r["pages_naive"] and not any(r["differing_pixels_per_page"]) for r in results
    )
    return {"dpi": 72, "letters": len(results), "identical": identical, "details": results}


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs of ours (medians reported)")
    parser.add_argument(
        "--naive-sample", type=int, help="render only this many letters naively and scale (quick runs)"
    )
    parser.add_argument("--pixel-sample", type=int, default=12)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.keep:
            print(json.dumps(ours(args.child, args.keep)))
        else:
            with tempfile.TemporaryDirectory() as folder:
                print(json.dumps(ours(args.child, Path(folder))))
        return 0

    load_start = load_average()
    covers = participants(args.letters)
    pixel_covers = sample(covers, args.pixel_sample)
    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "ours"
        kept.mkdir()
        runs = [child(args.letters, kept if n == 0 else None) for n in range(args.runs)]
        quarter = child(max(1, args.letters // 4))
        naive_covers = covers if args.naive_sample is None else sample(covers, args.naive_sample)
        baseline, naive_letters = naive(naive_covers, {cover.subject_id for cover in pixel_covers})
        work = Path(folder) / "pixels"
        work.mkdir()
        pixels = compare_pixels(pixel_covers, kept, naive_letters, work)
    naive_total = baseline["seconds"] * args.letters / len(naive_covers)
    median = {
        key: round(statistics.median(run[key] for run in runs), 3)
        for key in ("letters_seconds", "per_letter_ms", "site_packs_seconds")
    }
    speedup = round(naive_total / median["letters_seconds"], 1)
    with_packs = round(naive_total / (median["letters_seconds"] + median["site_packs_seconds"]), 1)
    peak_full = max(run["peak_rss_mib"] for run in runs)
    peak_full_letters = max(run["peak_rss_letters_mib"] for run in runs)
    result = {
        "letters": args.letters,
        "languages": len(LANGUAGES),
        "sites": len(SITES),
        "arms": len(ARMS),
        "chunk": LETTER_CHUNK,
        "naive": {
            **baseline,
            "extrapolated": args.naive_sample is not None,
            "total_seconds": round(naive_total, 1),
        },
        "ours": {
            "runs": runs,
            "median": median,
            "peak_rss_letters_mib": peak_full_letters,
            "peak_rss_mib": peak_full,
        },
        "ours_quarter": quarter,
        "speedup": speedup,
        "speedup_with_site_packs": with_packs,
        "target_speedup": 20,
        "peak_rss_growth_mib": round(peak_full - quarter["peak_rss_mib"], 1),
        "pixels": pixels,
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(result, indent=2) + "\n")
    how = f"scaled from {len(naive_covers)} rendered" if args.naive_sample is not None else "all rendered"
    print(f"letters: {args.letters} ({len(LANGUAGES)} languages, {len(SITES)} sites, {len(ARMS)} arms)")
    print(f"naive: {baseline['per_letter_ms']} ms/letter, {naive_total:.1f} s for all ({how})")
    print(
        f"ours:  {median['per_letter_ms']} ms/letter, {median['letters_seconds']} s for all "
        f"(median of {len(runs)}: {', '.join(str(run['letters_seconds']) for run in runs)} s); "
        f"site packs {median['site_packs_seconds']} s"
    )
    print(f"speed-up: {speedup}x (target 20x); {with_packs}x counting the site packs too")
    print(
        f"peak RSS: {quarter['peak_rss_mib']} MiB for {quarter['letters']} letters, {peak_full} MiB for "
        f"{args.letters} (letters only: {quarter['peak_rss_letters_mib']} and {peak_full_letters} MiB)"
    )
    if "skipped" in pixels:
        print(f"pixels: skipped ({pixels['skipped']})")
    else:
        differing = sum(sum(max(0, d) for d in r["differing_pixels_per_page"]) for r in pixels["details"])
        print(
            f"pixels: {pixels['letters']} letters rasterised both ways at 72 dpi; identical: "
            f"{pixels['identical']} ({differing} differing pixels in all)"
        )
    print(f"load average: {load_start} at start, {result['load_average_end']} at end ({os.cpu_count()} CPUs)")
    print(f"wrote {RESULTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
