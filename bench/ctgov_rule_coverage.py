"""Figures for the ClinicalTrials.gov checks: rules caught by one-rule mutations, errors on published records.

1. Detection: every mutation in tests/registries/ctgov/prs_rules.py breaks one rule of the PRS data
   element definitions, the PRS validation messages, the NLM Major Comments or 42 CFR Part 11 in the
   complete record. A rule is *caught* when the generic and ClinicalTrials.gov checks together add a
   finding of the expected severity at the expected field (or a field inside or around it); it is caught
   *exactly* when they add precisely the expected findings, one per problem.
2. Published records: error findings per code at each stage on the 242 real records of
   ../shared/registry-specs/samples-bulk (results stage: the records with results). PRS published them,
   so every error there is a rule applied where it does not apply, or a record schema limit that
   changed since (``record.max_length``).

``--code-root DIR`` measures another version of the checks: DIR holds its ``registries/`` and
``schemas/`` (e.g. ``git archive <commit> registries schemas | tar -x -C DIR``); the mutations stay this
tree's. Results go to bench/results/ctgov_rule_coverage.json (gitignored).

Run: .tools/bin/uv run --frozen python bench/ctgov_rule_coverage.py [--code-root DIR] [--label before]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS_FILE = REPO / "bench" / "results" / "ctgov_rule_coverage.json"


def _related(found: str, expected: str) -> bool:
    return found == expected or found.startswith(expected + "/") or expected.startswith(found + "/")


def detection() -> dict[str, Any]:
    from registries.checks import check_record
    from registries.enums import Severity
    from tests.registries.ctgov.prs_rules import REGISTRATION_RULES, RESULTS_RULES

    def findings(record: dict[str, Any], stage: Any) -> Counter[tuple[str, str, str]]:
        return Counter(
            (str(f.severity), f.code, f.pointer)
            for f in check_record(record, stage, "ctgov")
            if f.severity is not Severity.NOTE
        )

    report: dict[str, Any] = {}
    for kind, rules in (("registration", REGISTRATION_RULES), ("results", RESULTS_RULES)):
        caught, caught_any, exact, missed = 0, 0, 0, []
        for rule in rules:
            added = findings(rule.mutated(), rule.stage) - findings(rule.base(), rule.stage)
            expected = sorted((str(s), code, pointer) for s, code, pointer in rule.expected)
            hit = all(
                any(sev == e_sev and _related(pointer, e_pointer) for sev, _, pointer in added)
                for e_sev, _, e_pointer in expected
            )
            caught += hit
            caught_any += all(
                any(_related(p, e_pointer) for _, _, p in added) for _, _, e_pointer in expected
            )
            exact += sorted(added.elements()) == expected
            if not hit:
                missed.append(rule.name)
        report[kind] = {
            "rules": len(rules),
            "caught": caught,
            "caught_any_severity": caught_any,
            "exact": exact,
            "missed": missed,
        }
    return report


def published_errors() -> dict[str, dict[str, int]]:
    from registries import specs
    from registries.checks import check_record
    from registries.ctgov.importers.api_v2 import convert_study, parse_study

    folder = specs.schema_dir() / "samples-bulk" / "ctgov-v2"
    records = [convert_study(parse_study(path.read_bytes())).record for path in sorted(folder.glob("*.json"))]
    counts: dict[str, dict[str, int]] = {"records": {"all": len(records)}}
    counts["records"]["with_results"] = sum("resultsSection" in record for record in records)
    for stage in ("registration", "protocol_summary", "results"):
        counted: Counter[str] = Counter()
        with_error = 0
        for record in records:
            if stage == "results" and "resultsSection" not in record:
                continue
            codes = [f.code for f in check_record(record, stage, "ctgov") if f.is_error]
            counted.update(codes)
            with_error += bool(codes)
        counts[stage] = dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
        counts[stage]["(records with an error)"] = with_error
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--code-root", type=Path, help="a tree holding the registries/ and schemas/ to measure"
    )
    parser.add_argument("--label", default="current")
    args = parser.parse_args()
    if args.code_root:
        sys.path.insert(0, str(args.code_root.resolve()))
        # the specs folder is found beside the checkout; a measured tree elsewhere reads this one's
        os.environ.setdefault("REGISTRY_SCHEMA_DIR", str(REPO.parent / "shared" / "registry-specs"))
    sys.path.insert(1 if args.code_root else 0, str(REPO))

    report = {"label": args.label, "detection": detection(), "published_errors": published_errors()}
    for kind, figures in report["detection"].items():
        print(
            f"{kind:13s} rules caught {figures['caught']:3d} of {figures['rules']:3d} "
            f"(at any severity {figures['caught_any_severity']:3d}; exactly, one finding per problem: "
            f"{figures['exact']:3d}); missed: {', '.join(figures['missed']) or '-'}"
        )
    for stage, counts in report["published_errors"].items():
        print(f"published {stage}: " + ", ".join(f"{code} {n}" for code, n in counts.items()))
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.is_file() else {}
    previous[args.label] = report
    RESULTS_FILE.write_text(json.dumps(previous, indent=2) + "\n")


if __name__ == "__main__":
    main()
