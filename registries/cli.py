"""Command line: convert registry formats to a record, check a record, build a registry payload.

    python -m registries convert [--from FORMAT] STUDY.json [--strict] [-o FILE]
    python -m registries convert [--from FORMAT] FILE_OR_DIR... --out DIR [--strict]
    python -m registries check RECORD.json --stage STAGE [--registry CODE] [--today YYYY-MM-DD]
    python -m registries build RECORD.json --registry CODE --stage STAGE [-o FILE | --out DIR]

A file argument of ``-`` reads standard input. Exit status: 0 success, 1 a problem with the input or
an error finding (one ``error: <code>: <message>`` line per problem on stderr, never a traceback),
2 a usage error (argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from registries import get_registry, registry_codes
from registries.base import MultiFileRegistry
from registries.checks import check_record
from registries.ctgov.importers.history import STAGES_OF_HISTORY
from registries.enums import Stage
from registries.findings import RegistryError, has_errors
from registries.importers import history_submissions, import_formats, import_record
from registries.jsonread import configured_max_bytes, read_json
from registries.portfolio import convert_studies, input_files, studies_in

_STAGES = [stage.value for stage in Stage]


def _read_bytes(path: str) -> bytes:
    # One byte past the limit is enough for the reader to refuse an oversized input: a huge file is
    # never read into memory whole.
    limit = configured_max_bytes() + 1
    if path == "-":
        return sys.stdin.buffer.read(limit)
    with Path(path).open("rb") as stream:
        return stream.read(limit)


def _read_record(path: str) -> Any:
    try:
        return read_json(_read_bytes(path), max_bytes=configured_max_bytes())
    except RegistryError as exc:
        raise RegistryError(exc.code, f"{path}: {exc.message}") from None


def _write(content: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(content)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()


def _sources(paths: list[str]) -> list[tuple[str, bytes]]:
    sources: list[tuple[str, bytes]] = []
    for raw in paths:
        if raw == "-":
            sources.append(("stdin", _read_bytes("-")))
            continue
        for path in input_files(Path(raw)):
            sources.append((str(path), _read_bytes(str(path))))
    return sources


def _progress_bar(stream: Any) -> Callable[[int, int], None] | None:
    """A one-line progress bar, on a terminal only (a file or a pipe gets the summary alone)."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done == total else ""
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
        stream.flush()

    return show


def _convert_many(args: argparse.Namespace) -> int:
    max_bytes = configured_max_bytes()
    documents, refused = studies_in(_sources(args.files), args.from_format, max_bytes)
    summary = convert_studies(
        documents, Path(args.out), strict=args.strict, max_bytes=max_bytes, progress=_progress_bar(sys.stderr)
    )
    summary.refused[:0] = refused
    for line in summary.lines():
        print(line)
    return 1 if summary.refused else 0


def _convert(args: argparse.Namespace) -> int:
    if args.out:
        return _convert_many(args)
    documents, refused = studies_in(_sources(args.files), args.from_format, configured_max_bytes())
    if refused:
        raise RegistryError(refused[0].code, refused[0].message)
    if len(documents) != 1:
        raise RegistryError(
            "import.many_studies",
            f"The input holds {len(documents)} studies; give --out DIR to write one record per study.",
        )
    result = import_record(documents[0].fmt, documents[0].data, max_bytes=configured_max_bytes())
    for dropped in result.dropped:
        print(json.dumps({"dropped": dropped}, ensure_ascii=False), file=sys.stderr)
    for derived in result.derived:
        print(json.dumps({"derived": derived}, ensure_ascii=False), file=sys.stderr)
    for finding in result.findings:
        print(json.dumps({"finding": finding.as_dict()}, ensure_ascii=False), file=sys.stderr)
    if args.strict and result.dropped:
        # Only what a sponsor wrote counts: what the registry derives (MeSH trees, its own dates and
        # annotations) is never part of a sponsor's record, so it is reported apart and never fails.
        raise RegistryError(
            "import.dropped_fields",
            f"{len(result.dropped)} sponsor-written input fields were not carried into the record "
            f"(listed above; first: {result.dropped[0]}); --strict forbids dropping any.",
            result.dropped[0],
        )
    if args.history:
        entries = history_submissions(result.history, STAGES_OF_HISTORY)
        history = json.dumps({"submissions": entries}, indent=2, ensure_ascii=False) + "\n"
        Path(args.history).write_text(history, encoding="utf-8")
    text = json.dumps(result.record, indent=2, ensure_ascii=False) + "\n"
    _write(text.encode("utf-8"), args.output)
    return 0


def _check(args: argparse.Namespace) -> int:
    record = _read_record(args.file)
    findings = check_record(record, args.stage, args.registry, today=args.today)
    for finding in findings:
        print(json.dumps(finding.as_dict(), ensure_ascii=False))
    return 1 if has_errors(findings) else 0


def _build(args: argparse.Namespace) -> int:
    record = _read_record(args.file)
    if not isinstance(record, dict):
        raise RegistryError("record.not_an_object", f"{args.file} must hold a JSON object (a record).")
    registry = get_registry(args.registry)
    if args.out:
        # Every file of the stage (CTIS: the JSON and the PDFs; EudraCT: the results file and the
        # adverse-events upload), each under the name the registry gives it; one line per file on stdout.
        payloads = (
            registry.build_all(record, Stage(args.stage))
            if isinstance(registry, MultiFileRegistry)
            else [registry.build(record, Stage(args.stage))]
        )
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        for payload in payloads:
            (folder / Path(payload.file_name).name).write_bytes(payload.content)
            print(f"{payload.file_name}\t{payload.media_type}\t{payload.sha256}")
        return 0
    payload = registry.build(record, Stage(args.stage))
    _write(payload.content, args.output)
    return 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m registries", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    convert = commands.add_parser(
        "convert", help="read registry records and print or write canonical records"
    )
    convert.add_argument(
        "--from",
        dest="from_format",
        choices=import_formats(),
        help="input format (default: told from the input)",
    )
    convert.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help='a study, a download of many (JSON array), an API page ({"studies": [...]}), a folder, or -',
    )
    convert.add_argument(
        "--strict", action="store_true", help="fail if any sponsor-written input field would be dropped"
    )
    output = convert.add_mutually_exclusive_group()
    output.add_argument("-o", "--output", metavar="FILE", help="write the record here instead of stdout")
    output.add_argument("--out", metavar="DIR", help="write one record per study here and print a summary")
    convert.add_argument(
        "--history",
        metavar="FILE",
        help="write the registry history the record shows (filed, returned, accepted) as a submissions "
        "file for python -m deadlines --submissions",
    )
    convert.set_defaults(run=_convert)

    check = commands.add_parser("check", help="print the findings for a record at a stage, as JSON lines")
    check.add_argument("file", metavar="RECORD", help="record JSON, or - for standard input")
    check.add_argument("--stage", required=True, choices=_STAGES)
    check.add_argument("--registry", choices=registry_codes(), help="add this registry's own checks")
    check.add_argument("--today", type=_date, help="the date to judge dates against (default: today)")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="print the payload a registry receives for a stage")
    build.add_argument("file", metavar="RECORD", help="record JSON, or - for standard input")
    build.add_argument("--registry", required=True, choices=registry_codes())
    build.add_argument("--stage", required=True, choices=_STAGES)
    target = build.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write the payload here instead of stdout")
    target.add_argument(
        "--out",
        metavar="DIR",
        help="write every file of the stage here (a multi-file registry has several) and list them",
    )
    build.set_defaults(run=_build)
    return parser


def _report(code: str, message: str) -> None:
    print(f"error: {code}: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except RegistryError as exc:
        for problem in getattr(exc, "problems", None) or [exc]:
            _report(problem.code, problem.message)
        return 1
    except OSError as exc:
        _report("io.error", f"{exc.filename or 'input'}: {exc.strerror or exc}")
        return 1
    except Exception as exc:
        # The CLI promise is a one-line error, never a traceback; REGISTRIES_TRACEBACK=1 shows it
        # when a developer needs the stack of an unexpected failure.
        if os.environ.get("REGISTRIES_TRACEBACK") == "1":
            raise
        _report("internal.unexpected", f"{type(exc).__name__}: {exc}")
        return 1
    return status
