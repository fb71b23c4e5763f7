"""Named rules about a record that JSON Schema cannot state well: comparisons between fields, dates
against today, and references from one list to another.

Each rule is one function with a stable code and its source. Rules hold for the record whatever the
stage: they only speak about data that is present (a missing field is the profiles' business), and they
read the record defensively, so a record that fails the record schema still gets its rule findings
instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from registries.enums import EARLIEST_YEAR, LATEST_YEAR, Severity, Stage
from registries.findings import Finding, pointer

Record = dict[str, Any]
Path = tuple[str | int, ...]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Statuses in which no participant has been (or will be) enrolled, so results cannot exist.
_NO_PARTICIPANT_STATUSES = frozenset({"NOT_YET_RECRUITING", "WITHDRAWN"})
_FINAL_STATUSES = frozenset({"COMPLETED", "TERMINATED"})
_CORE_RESULTS_MODULES = (
    "participantFlowModule",
    "baselineCharacteristicsModule",
    "outcomeMeasuresModule",
    "adverseEventsModule",
)
_STATUS = ("protocolSection", "statusModule")


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found, before it is stamped with registry and stage."""

    severity: Severity
    path: Path
    message: str


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    source: str
    check: Callable[[Record, dt.date], Iterator[Problem]]

    @property
    def name(self) -> str:
        return self.check.__name__


RULES: list[Rule] = []


def rule(code: str, source: str) -> Callable[[Callable[[Record, dt.date], Iterator[Problem]]], Rule]:
    def register(check: Callable[[Record, dt.date], Iterator[Problem]]) -> Rule:
        named = Rule(code=code, source=source, check=check)
        RULES.append(named)
        return named

    return register


# --- reading helpers -----------------------------------------------------------------------------


def _get(node: Any, *path: str | int) -> Any:
    for token in path:
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node):
                return None
        elif not isinstance(node, dict):
            return None
        node = node[token] if isinstance(token, int) else node.get(token)
    return node


def _list(node: Any, *path: str | int) -> list[Any]:
    value = _get(node, *path)
    return value if isinstance(value, list) else []


def _texts(entries: list[Any], key: str) -> set[str]:
    """The string values of ``key`` across ``entries`` (anything else is the record schema's finding)."""
    return {value for entry in entries if isinstance(value := _get(entry, key), str)}


def parse_partial_date(value: Any) -> tuple[int, ...] | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a tuple of ints; None for anything else, including a
    year outside ``EARLIEST_YEAR``..``LATEST_YEAR`` (the record schema reports those)."""
    if not isinstance(value, str):
        return None
    match = _PARTIAL_DATE.match(value)
    if not match:
        return None
    parts = tuple(int(part) for part in match.groups() if part is not None)
    return parts if EARLIEST_YEAR <= parts[0] <= LATEST_YEAR else None


def _before(earlier: tuple[int, ...], later: tuple[int, ...]) -> bool:
    """Strictly before, compared at the precision both dates share ("2020-03" is not after "2020")."""
    common = min(len(earlier), len(later))
    return earlier[:common] < later[:common]


def _first_day(date: tuple[int, ...]) -> dt.date:
    year, month, day = (*date, 1, 1)[:3]
    return dt.date(year, month, day)


def _field(path: Path) -> str:
    name = ""
    for token in path:
        name += f"[{token}]" if isinstance(token, int) else (f".{token}" if name else token)
    return name


def _date_structs(node: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every ``...DateStruct`` object in the record (API v2 and our extensions share the suffix), in
    document order."""
    found: list[tuple[Path, dict[str, Any]]] = []
    _collect_date_structs(node, path, found)
    return iter(found)


def _collect_date_structs(node: Any, path: Path, found: list[tuple[Path, dict[str, Any]]]) -> None:
    # Plain recursion into objects and arrays only, appending to one list: a generator per node (and per
    # text or number) was most of the time of walking a large record with results
    # (bench/api_put_profile.py).
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict):
                if isinstance(key, str) and key.endswith("DateStruct"):
                    found.append(((*path, key), value))
                else:
                    _collect_date_structs(value, (*path, key), found)
            elif isinstance(value, list):
                _collect_date_structs(value, (*path, key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                _collect_date_structs(value, (*path, index), found)


def has_results(record: Record) -> bool:
    results = _get(record, "resultsSection")
    return isinstance(results, dict) and any(results.get(name) for name in _CORE_RESULTS_MODULES)


# --- rules ---------------------------------------------------------------------------------------


@rule("rule.dates_out_of_order", "42 CFR 11.10(a) (study start, primary completion, study completion)")
def dates_in_order(record: Record, today: dt.date) -> Iterator[Problem]:
    """Start <= primary completion <= study completion."""
    order = ("startDateStruct", "primaryCompletionDateStruct", "completionDateStruct")
    dates = [(name, parse_partial_date(_get(record, *_STATUS, name, "date"))) for name in order]
    present = [(name, date) for name, date in dates if date is not None]
    for (first, first_date), (second, second_date) in itertools.pairwise(present):
        if _before(second_date, first_date):
            path: Path = (*_STATUS, second, "date")
            yield Problem(
                Severity.ERROR,
                path,
                f"{_field(path)} {_get(record, *path)!r} is before "
                f"{_field((*_STATUS, first, 'date'))} {_get(record, *_STATUS, first, 'date')!r}.",
            )


@rule("rule.actual_date_in_future", "42 CFR 11.10(a) (actual vs anticipated dates); EudraCT DATA-VAL")
def actual_dates_not_in_future(record: Record, today: dt.date) -> Iterator[Problem]:
    """A date typed ACTUAL has happened; a future one must be ESTIMATED."""
    for path, struct in _date_structs(record):
        date = parse_partial_date(struct.get("date"))
        if struct.get("type") == "ACTUAL" and date is not None and _first_day(date) > today:
            at: Path = (*path, "date")
            yield Problem(
                Severity.ERROR,
                at,
                f"{_field(at)} {struct['date']!r} is in the future (today is {today.isoformat()}) "
                "but its type is ACTUAL; use ESTIMATED for an anticipated date.",
            )


@rule("rule.completed_date_not_actual", "PRS record validation: a completed study has actual dates")
def completed_study_dates_actual(record: Record, today: dt.date) -> Iterator[Problem]:
    """A COMPLETED or TERMINATED study has reached its primary completion and completion dates."""
    status = _get(record, *_STATUS, "overallStatus")
    if not isinstance(status, str) or status not in _FINAL_STATUSES:
        return
    for name in ("primaryCompletionDateStruct", "completionDateStruct"):
        kind = _get(record, *_STATUS, name, "type")
        if kind == "ESTIMATED":
            path: Path = (*_STATUS, name, "type")
            yield Problem(
                Severity.ERROR,
                path,
                f"{_field(path)} is ESTIMATED but the overall status is {status}; "
                "the date has been reached and must be ACTUAL.",
            )


@rule("rule.results_status_not_final", "42 CFR 11.44(a); 42 CFR 11.48")
def results_need_final_status(record: Record, today: dt.date) -> Iterator[Problem]:
    """Results belong to a study that has enrolled; normally one that has ended.

    Results for a study still running are legitimate once the primary completion date has passed
    (42 CFR 11.44(a) counts from it), hence only a warning unless nobody was ever enrolled.
    """
    if not has_results(record):
        return
    status = _get(record, *_STATUS, "overallStatus")
    if not isinstance(status, str) or status in _FINAL_STATUSES:
        return
    path: Path = (*_STATUS, "overallStatus")
    if status in _NO_PARTICIPANT_STATUSES:
        yield Problem(
            Severity.ERROR,
            path,
            f"The record has results but {_field(path)} is {status}: nobody was enrolled.",
        )
    else:
        yield Problem(
            Severity.WARNING,
            path,
            f"The record has results but {_field(path)} is {status}, not COMPLETED or TERMINATED; "
            "check that the primary completion date has passed.",
        )


@rule("rule.results_enrollment_not_actual", "42 CFR 11.48(a)(1) (actual enrollment with results)")
def results_need_actual_enrollment(record: Record, today: dt.date) -> Iterator[Problem]:
    """With results, the enrollment is the number actually enrolled."""
    if not has_results(record):
        return
    kind = _get(record, "protocolSection", "designModule", "enrollmentInfo", "type")
    if kind != "ACTUAL":
        path: Path = ("protocolSection", "designModule", "enrollmentInfo", "type")
        yield Problem(
            Severity.ERROR,
            path,
            f"The record has results but {_field(path)} is {kind or 'missing'}; it must be ACTUAL.",
        )


@rule("rule.results_primary_completion_not_actual", "42 CFR 11.44(a) (results follow primary completion)")
def results_need_actual_primary_completion(record: Record, today: dt.date) -> Iterator[Problem]:
    """Results are reported after the primary completion date, so that date is actual.

    An ESTIMATED date on a COMPLETED or TERMINATED study is ``rule.completed_date_not_actual``'s finding
    (one problem, one finding)."""
    if not has_results(record):
        return
    kind = _get(record, *_STATUS, "primaryCompletionDateStruct", "type")
    status = _get(record, *_STATUS, "overallStatus")
    if kind == "ESTIMATED" and isinstance(status, str) and status in _FINAL_STATUSES:
        return
    if kind != "ACTUAL":
        path: Path = (*_STATUS, "primaryCompletionDateStruct", "type")
        yield Problem(
            Severity.ERROR,
            path,
            f"The record has results but {_field(path)} is {kind or 'missing'}; it must be ACTUAL.",
        )


@rule("rule.unknown_arm_group", "PRS record validation: intervention arm group labels")
def intervention_arms_exist(record: Record, today: dt.date) -> Iterator[Problem]:
    """Every arm an intervention names is an arm group of the record."""
    module = ("protocolSection", "armsInterventionsModule")
    labels = _texts(_list(record, *module, "armGroups"), "label")
    for i, intervention in enumerate(_list(record, *module, "interventions")):
        for j, label in enumerate(_list(intervention, "armGroupLabels")):
            if isinstance(label, str) and label not in labels:
                path: Path = (*module, "interventions", i, "armGroupLabels", j)
                yield Problem(
                    Severity.ERROR, path, f"{_field(path)} {label!r} is not the label of any arm group."
                )


@rule("rule.unknown_intervention", "PRS record validation: arm group intervention names")
def arm_interventions_exist(record: Record, today: dt.date) -> Iterator[Problem]:
    """Every intervention an arm names is an intervention of the record.

    API v2 writes an arm's intervention as "<Type display name>: <name>" (e.g. "Drug: placebo"), so a
    name matches either as is or after that prefix.
    """
    module = ("protocolSection", "armsInterventionsModule")
    names = _texts(_list(record, *module, "interventions"), "name")
    for i, arm in enumerate(_list(record, *module, "armGroups")):
        for j, reference in enumerate(_list(arm, "interventionNames")):
            if not isinstance(reference, str):
                continue
            _, _, bare = reference.partition(": ")
            if reference not in names and bare not in names:
                path: Path = (*module, "armGroups", i, "interventionNames", j)
                yield Problem(Severity.ERROR, path, f"{_field(path)} {reference!r} names no intervention.")


def _group_references(module: Any, base: Path) -> Iterator[tuple[Path, Any]]:
    """(path, groupId) of every statistic in a results module that refers to a group, in document
    order."""
    found: list[tuple[Path, Any]] = []

    def walk(node: Any, path: Path) -> None:
        # Plain recursion into objects and arrays only (see _collect_date_structs).
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "groupId":
                    found.append(((*path, key), value))
                elif key == "groupIds" and isinstance(value, list):
                    # A statistical analysis names the groups it compares (PRS results XML
                    # analysis/group_id_list, IDREFs like any other).
                    found.extend(((*path, key, index), item) for index, item in enumerate(value))
                elif key != "groups" and key != "eventGroups" and isinstance(value, dict | list):
                    walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    walk(value, (*path, index))

    walk(module, base)
    return iter(found)


@rule("rule.unknown_results_group", "PRS results schema: reporting group references (ID/IDREF)")
def results_groups_exist(record: Record, today: dt.date) -> Iterator[Problem]:
    """Every groupId in a results module is a group declared in that module (or that outcome)."""
    results = ("resultsSection",)
    scopes: list[tuple[Path, Any, list[Any]]] = []
    for name in ("participantFlowModule", "baselineCharacteristicsModule"):
        module = _get(record, *results, name)
        scopes.append(((*results, name), module, _list(module, "groups")))
    adverse = _get(record, *results, "adverseEventsModule")
    scopes.append(((*results, "adverseEventsModule"), adverse, _list(adverse, "eventGroups")))
    for k, measure in enumerate(_list(record, *results, "outcomeMeasuresModule", "outcomeMeasures")):
        scopes.append(
            ((*results, "outcomeMeasuresModule", "outcomeMeasures", k), measure, _list(measure, "groups"))
        )
    for base, module, groups in scopes:
        if module is None:
            continue
        declared = _texts(groups, "id")
        for path, group_id in _group_references(module, base):
            # A reference that is not a string is the record schema's finding (type), not this rule's.
            if isinstance(group_id, str) and group_id not in declared:
                yield Problem(
                    Severity.ERROR,
                    path,
                    f"{_field(path)} {group_id!r} is not a group declared in {_field(base)}.",
                )


@rule("rule.lay_summary_section_blank", "Regulation (EU) 536/2014 Annex V (all ten items)")
def lay_summary_sections_written(record: Record, today: dt.date) -> Iterator[Problem]:
    """A lay summary section holds words, not only spaces."""
    for i, summary in enumerate(_list(record, "laySummaries")):
        sections = _get(summary, "sections")
        if not isinstance(sections, dict):
            continue
        for name, text in sections.items():
            if isinstance(text, str) and not text.strip():
                path: Path = ("laySummaries", i, "sections", name)
                yield Problem(Severity.ERROR, path, f"{_field(path)} is blank.")


# Characters XML 1.0 cannot carry (section 2.2): the C0 controls other than tab, newline and carriage
# return, lone surrogates, and U+FFFE/U+FFFF. They arrive with text pasted from word processors and would
# make every XML payload (PRS, EudraCT, WHO) impossible to build.
_NOT_XML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _strings(node: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))


def _may_hold_non_xml_text(record: Record) -> bool:
    # One pass of the C encoder and a few substring searches instead of a generator per text node
    # (bench/api_put_profile.py); real records almost never hold such a character, and when one might
    # (or an escaped backslash followed by the same letters), the walk decides.
    try:
        dumped = json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return True
    # The encoder writes C0 controls as \u00XX or as the short escapes \b and \f (tab, newline and
    # carriage return are allowed in XML), everything else as itself.
    if "\\u00" in dumped or "\\b" in dumped or "\\f" in dumped:
        return True
    if dumped.isascii():
        return False
    if "\ufffe" in dumped or "\uffff" in dumped:
        return True
    try:
        dumped.encode("utf-8")  # fails on a lone surrogate
    except UnicodeEncodeError:
        return True
    return False


@rule("rule.text_not_xml_safe", "XML 1.0 section 2.2 (characters); every registry payload is XML")
def text_is_xml_safe(record: Record, today: dt.date) -> Iterator[Problem]:
    """No text holds a control character that no registry's XML can carry."""
    if not _may_hold_non_xml_text(record):
        return
    for path, text in _strings(record, ()):
        found = _NOT_XML_CHARACTER.search(text)
        if found:
            yield Problem(
                Severity.ERROR,
                path,
                f"{_field(path)} contains the control character U+{ord(found.group()):04X} at position "
                f"{found.start() + 1}, which registry XML cannot carry; delete it (it usually comes from "
                "pasted text).",
            )


# --- running -------------------------------------------------------------------------------------


def run_rules(
    record: Record,
    stage: Stage | None = None,
    *,
    today: dt.date | None = None,
    registry: str = "record",
) -> list[Finding]:
    """Every rule's findings for the record, in rule order. ``today`` is a parameter so checks are
    reproducible (a test, or a re-check of an old approval, names its own date)."""
    today = today or dt.date.today()
    findings: list[Finding] = []
    for named in RULES:
        for problem in named.check(record, today):
            findings.append(
                Finding(
                    severity=problem.severity,
                    code=named.code,
                    pointer=pointer(*problem.path),
                    message=problem.message,
                    registry=registry,
                    stage=Stage(stage) if stage else None,
                    source=named.source,
                )
            )
    return findings
