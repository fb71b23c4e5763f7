"""``python -m deadlines RECORD.json [--today YYYY-MM-DD] [--submissions FILE.json] [--setting NAME=N ...]``

Prints one JSON line per verdict. Bad input gets one line on stderr naming the problem and exit
status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from deadlines.config import DEFAULT_CONFIG, DeadlineConfig
from deadlines.dates import DateError, parse_day
from deadlines.engine import evaluate
from deadlines.submissions import EMPTY_LOG, SubmissionLog, parse_log
from registries.findings import RegistryError
from registries.jsonread import configured_max_bytes, read_json


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(1, f"deadlines: error: {message}\n")


def _load_json(path: str, what: str) -> Any:
    limit = configured_max_bytes()
    try:
        with Path(path).open("rb") as stream:
            # One byte past the limit is enough for the reader to refuse it; a huge file is never read whole.
            data = stream.read(limit + 1)
    except OSError as exc:
        raise RegistryError(
            "deadline.unreadable_file", f"cannot read {what} {path}: {exc.strerror}"
        ) from None
    try:
        return read_json(data, max_bytes=limit)
    except RegistryError as exc:
        raise RegistryError(exc.code, f"{what} {path}: {exc.message}") from None


def _config(settings: Sequence[str]) -> DeadlineConfig:
    """The default windows with each ``NAME=N`` applied; ValueError names a malformed one."""
    if not settings:
        return DEFAULT_CONFIG
    overrides: dict[str, Any] = {}
    for item in settings:
        name, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise ValueError(f"{item!r} is not NAME=N with N a whole number")
        overrides[name.strip()] = int(value)
    return DeadlineConfig.from_overrides(overrides)


def run(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m deadlines", description="Every legal deadline of a trial record.")
    parser.add_argument("record", help="canonical record JSON file")
    parser.add_argument("--today", help="judge as of this day (YYYY-MM-DD); default: today")
    parser.add_argument(
        "--submissions", help="JSON file of filings and record changes (deadlines/submissions.py)"
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=N",
        help="a window where the law leaves a choice, e.g. eu_paediatric_results_months=12 (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        config = _config(args.setting)
    except ValueError as exc:
        print(f"deadlines: error: deadline.bad_setting: --setting {exc}", file=sys.stderr)
        return 1
    try:
        today = parse_day(args.today) if args.today else date.today()
    except DateError as exc:
        print(f"deadlines: error: --today: {exc}", file=sys.stderr)
        return 1
    try:
        record = _load_json(args.record, "record")
        if not isinstance(record, dict):
            raise RegistryError("deadline.bad_record", f"record {args.record} must be a JSON object")
        log: SubmissionLog = EMPTY_LOG
        if args.submissions:
            log = parse_log(_load_json(args.submissions, "submissions file"))
    except RegistryError as exc:
        print(f"deadlines: error: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    try:
        verdicts = evaluate(record, log, today, config)
    except Exception as exc:
        # The CLI promise is a one-line error, never a traceback (every known bad input has its own
        # code above); DEADLINES_TRACEBACK=1 shows the stack of an unexpected failure to a developer.
        if os.environ.get("DEADLINES_TRACEBACK") == "1":
            raise
        print(f"deadlines: error: internal.unexpected: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    try:
        for verdict in verdicts:
            print(json.dumps(verdict.as_dict(), ensure_ascii=False, sort_keys=True))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours, and no traceback. Point stdout at
        # devnull so the interpreter's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def main() -> NoReturn:
    sys.exit(run())
