"""Reading a participant roster CSV: every wrong row is named, and nothing is kept when any row is
wrong (issue 12). The columns are fixed (``ROSTER_COLUMNS``); a file with any other column is refused,
so names or addresses can never be imported by accident (DESIGN section 7)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from submissions.errors import DomainError
from submissions.letters.enums import (
    NO,
    ROSTER_COLUMNS,
    ROSTER_MAX_BYTES,
    ROSTER_MAX_ROWS,
    SUBJECT_ID_MAX_LENGTH,
    YES,
)
from submissions.letters.wording import letter_languages, wording_for

_SUBJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file: the line it is on (the header is line 1), the column and a code."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class RosterError(DomainError):
    """The roster was refused; ``errors`` names every wrong row."""

    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__("roster.invalid", f"Nothing was imported. {first}{more}.")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RosterRow:
    row: int
    subject_id: str
    site: str
    language: str
    arm: str
    wants_results: bool


@dataclass(frozen=True, slots=True)
class RosterContext:
    """What a row is checked against: the trial's sites, its lay-summary languages and arm labels."""

    sites: frozenset[str]
    languages: tuple[str, ...]
    arms: frozenset[str]
    unblinded: bool


def _decode(data: bytes) -> str:
    if len(data) > ROSTER_MAX_BYTES:
        raise RosterError(
            [RowError(0, "", "roster.too_large", f"The file is over {ROSTER_MAX_BYTES // 1024 // 1024} MB.")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise RosterError(
            [
                RowError(
                    row,
                    "",
                    "roster.encoding",
                    f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as CSV UTF-8 and retry",
                )
            ]
        ) from None


def _language(value: str, languages: Iterable[str]) -> str | None:
    for tag in languages:
        if tag.lower() == value.lower():
            return tag
    return None


def parse_roster(data: bytes, context: RosterContext) -> list[RosterRow]:
    """The rows of a roster file, or ``RosterError`` listing every problem."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise RosterError([RowError(1, "", "roster.empty", "the file is empty")]) from None
    except csv.Error as error:
        raise RosterError([RowError(1, "", "roster.malformed", str(error))]) from None
    unknown = [name for name in header if name not in ROSTER_COLUMNS]
    missing = [name for name in ROSTER_COLUMNS if name not in header]
    if unknown or missing or len(set(header)) != len(header):
        raise RosterError(
            [
                RowError(
                    1,
                    "",
                    "roster.columns",
                    f"the header must name exactly these columns: {', '.join(ROSTER_COLUMNS)}"
                    + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                    + (f"; missing: {', '.join(missing)}" if missing else ""),
                )
            ]
        )
    errors: list[RowError] = []
    rows: list[RosterRow] = []
    first_seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(errors) >= ROSTER_MAX_ROWS:
                errors.append(RowError(line, "", "roster.too_many_rows", f"over {ROSTER_MAX_ROWS} rows"))
                break
            if len(values) != len(header):
                errors.append(
                    RowError(line, "", "roster.row_width", f"{len(values)} values for {len(header)} columns")
                )
                continue
            cells = {name: value.strip() for name, value in zip(header, values, strict=True)}
            row_errors = _check_row(line, cells, context, first_seen)
            errors.extend(row_errors)
            if not row_errors:
                rows.append(
                    RosterRow(
                        row=line,
                        subject_id=cells["subject_id"],
                        site=cells["site"],
                        language=_language(cells["language"], context.languages) or "",
                        arm=cells["arm"],
                        wants_results=cells["wants_results"].lower() in YES,
                    )
                )
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "", "roster.malformed", str(error)))
    if errors:
        raise RosterError(errors)
    return rows


def _check_row(
    line: int, cells: dict[str, str], context: RosterContext, first_seen: dict[str, int]
) -> list[RowError]:
    errors: list[RowError] = []
    subject = cells["subject_id"]
    if not subject:
        errors.append(RowError(line, "subject_id", "roster.subject_missing", "the subject id is empty"))
    elif len(subject) > SUBJECT_ID_MAX_LENGTH or not _SUBJECT_ID.match(subject):
        errors.append(
            RowError(
                line,
                "subject_id",
                "roster.subject_invalid",
                f"“{subject[:80]}” is not a subject id (letters, digits, . _ / -; at most "
                f"{SUBJECT_ID_MAX_LENGTH} characters)",
            )
        )
    elif subject in first_seen:
        errors.append(
            RowError(
                line,
                "subject_id",
                "roster.subject_duplicate",
                f"subject id “{subject}” is already on row {first_seen[subject]}",
            )
        )
    else:
        first_seen[subject] = line
    if cells["site"] not in context.sites:
        known = ", ".join(sorted(context.sites)) or "none yet; add the trial's sites first"
        errors.append(
            RowError(
                line, "site", "roster.site_unknown", f"unknown site “{cells['site'][:80]}” (known: {known})"
            )
        )
    if _language(cells["language"], context.languages) is None:
        known = ", ".join(context.languages) or "none: the record has no lay summary yet"
        errors.append(
            RowError(
                line,
                "language",
                "roster.language_unknown",
                f"no lay summary in “{cells['language'][:35]}” (languages: {known})",
            )
        )
    elif wording_for(cells["language"]) is None:
        # A letter is the summary framed by our own words (wording.py); without them in the
        # participant's language the letter could not be made, so the row is refused now, not at print.
        errors.append(
            RowError(
                line,
                "language",
                "roster.language_no_letter_wording",
                f"letters cannot be written in “{cells['language'][:35]}” yet "
                f"(letter languages: {', '.join(letter_languages())})",
            )
        )
    arm = cells["arm"]
    if arm and not context.unblinded:
        errors.append(
            RowError(line, "arm", "roster.arm_while_blinded", "the trial is blinded: leave the arm empty")
        )
    elif arm and arm not in context.arms:
        known = ", ".join(sorted(context.arms)) or "none in the record"
        errors.append(
            RowError(line, "arm", "roster.arm_unknown", f"unknown arm “{arm[:80]}” (arms: {known})")
        )
    if cells["wants_results"].lower() not in YES | NO:
        errors.append(
            RowError(
                line,
                "wants_results",
                "roster.flag_invalid",
                f"“{cells['wants_results'][:20]}” is not yes or no",
            )
        )
    return errors
