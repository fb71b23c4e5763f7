"""Benchmark: 1,000 result letters (2 languages, 5 sites, 2 arms) made two ways in the same run.

- naive: one full WeasyPrint render per letter (``naive_letter_pdf``: cover and lay summary in one
  pass). Rendering 1,000 that way takes many minutes, so by default a SAMPLE of letters spread over every
  language, site and arm is rendered and the time per letter is EXTRAPOLATED to all letters; the JSON
  says so (``naive.extrapolated``). ``--naive-all`` renders every letter instead.
- ours: what the letter job does (``submissions.letters.jobs``) without the database: the shared lay
  summary pages once per language, covers per chunk of ``LETTER_CHUNK`` in one document, each letter
  assembled with pikepdf and written to a temporary folder; then one pack per site, timed apart.

Peak memory: ours runs in child processes for a quarter of the letters and for all of them; each child
reports its own peak resident set size (ru_maxrss), which should not grow with the number of letters.

Sameness: a sample of letters is made both ways, every page rasterised with ``pdftoppm`` (poppler-utils)
at 72 dpi, and the pixels compared (differing pixels per page are reported; 0 means identical).

Results go to bench/results/letters.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/letters.py [--letters 1000] [--sample 30] [--naive-all]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import shutil
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
    merge_letters,
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


def ours(count: int, out: Path) -> dict[str, Any]:
    data = record()
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
    letters_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    for site, site_paths in paths.items():
        (out / f"pack-{site}.pdf").write_bytes(merge_letters(p.read_bytes() for p in site_paths))
    packs_seconds = time.perf_counter() - start
    return {
        "letters": count,
        "letters_seconds": round(letters_seconds, 3),
        "per_letter_ms": round(letters_seconds / count * 1000, 2),
        "site_packs_seconds": round(packs_seconds, 3),
        # Peak resident memory once every letter is made, and after the site packs (each pack holds
        # its site's letters while it is written, so it grows with the site's size).
        "peak_rss_letters_mib": round(letters_rss, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def naive(covers: list[CoverData]) -> dict[str, Any]:
    data = record()
    naive_letter_pdf(data, covers[0], BRANDING, FOOTER)  # warm-up: fonts and Pango, as ours gets below
    start = time.perf_counter()
    for cover in covers:
        naive_letter_pdf(data, cover, BRANDING, FOOTER)
    seconds = time.perf_counter() - start
    return {
        "rendered": len(covers),
        "seconds": round(seconds, 3),
        "per_letter_ms": round(seconds / len(covers) * 1000, 2),
    }


def sample(covers: list[CoverData], size: int) -> list[CoverData]:
    step = max(1, len(covers) // size)
    return covers[::step][:size]


def compare_pixels(covers: list[CoverData], work: Path) -> dict[str, Any]:
    """Rasterise letters made both ways and count differing pixels per page."""
    if shutil.which("pdftoppm") is None:
        return {"skipped": "pdftoppm not found (apt-get install poppler-utils)"}
    from PIL import Image, ImageChops

    data = record()
    results: list[dict[str, Any]] = []
    for language, group in groupby(sorted(covers, key=lambda c: c.language), key=lambda c: c.language):
        members = list(group)
        run = LanguageRun(data, language, members, BRANDING, FOOTER)
        for cover, made in run.chunk(members):
            if isinstance(made, Exception):
                raise made
            pages = {}
            for way, content in (("ours", made), ("naive", naive_letter_pdf(data, cover, BRANDING, FOOTER))):
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
                    "pages_ours": len(pages["ours"]),
                    "pages_naive": len(pages["naive"]),
                    "differing_pixels_per_page": diffs,
                }
            )
    identical = all(
        r["pages_ours"] == r["pages_naive"] and not any(r["differing_pixels_per_page"]) for r in results
    )
    return {"dpi": 72, "letters": len(results), "identical": identical, "details": results}


def child(count: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(count)], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=30, help="naive letters rendered (then extrapolated)")
    parser.add_argument("--naive-all", action="store_true", help="render every letter naively")
    parser.add_argument("--pixel-sample", type=int, default=8)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(ours(args.child, Path(folder))))
        return 0

    covers = participants(args.letters)
    quarter = child(max(1, args.letters // 4))
    full = child(args.letters)
    naive_covers = covers if args.naive_all else sample(covers, args.sample)
    baseline = naive(naive_covers)
    naive_total = baseline["per_letter_ms"] * args.letters / 1000
    with tempfile.TemporaryDirectory() as folder:
        pixels = compare_pixels(sample(covers, args.pixel_sample), Path(folder))
    speedup = round(naive_total / full["letters_seconds"], 1)
    result = {
        "letters": args.letters,
        "languages": len(LANGUAGES),
        "sites": len(SITES),
        "arms": len(ARMS),
        "chunk": LETTER_CHUNK,
        "naive": {
            **baseline,
            "extrapolated": not args.naive_all,
            "total_seconds": round(naive_total, 1),
        },
        "ours": full,
        "ours_quarter": quarter,
        "speedup": speedup,
        "target_speedup": 20,
        "peak_rss_growth_letters_mib": round(
            full["peak_rss_letters_mib"] - quarter["peak_rss_letters_mib"], 1
        ),
        "pixels": pixels,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(result, indent=2) + "\n")
    how = "extrapolated from a sample of" if not args.naive_all else "measured on all"
    print(f"letters: {args.letters} ({len(LANGUAGES)} languages, {len(SITES)} sites, {len(ARMS)} arms)")
    print(
        f"naive: {baseline['per_letter_ms']} ms/letter, {naive_total:.1f} s for all "
        f"({how} {baseline['rendered']} letters)"
    )
    print(
        f"ours:  {full['per_letter_ms']} ms/letter, {full['letters_seconds']} s for all; "
        f"site packs {full['site_packs_seconds']} s"
    )
    print(f"speed-up: {speedup}x (target 20x)")
    print(
        f"peak RSS making letters: {quarter['peak_rss_letters_mib']} MiB for {quarter['letters']}, "
        f"{full['peak_rss_letters_mib']} MiB for {full['letters']}; with site packs "
        f"{quarter['peak_rss_mib']} and {full['peak_rss_mib']} MiB"
    )
    if "skipped" in pixels:
        print(f"pixels: skipped ({pixels['skipped']})")
    else:
        print(f"pixels: {pixels['letters']} letters rasterised both ways; same: {pixels['identical']}")
    print(f"wrote {RESULTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
