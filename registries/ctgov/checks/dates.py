"""The dates that decide which ClinicalTrials.gov requirements apply to a record.

PRS asks of a record what the law asked of the study when it ran, so every requirement that is tied to
a date reads it through one of these functions:

- ``starts_under_final_rule``: the Study Start Date is on or after 2017-01-18, the effective date of
  42 CFR Part 11. The protocol data element definitions mark these elements "*§: Required if Study Start
  Date is on or after January 18, 2017" (clinicaltrials.gov/policy/protocol-definitions; the same legend in
  the PRS copy of 2019-03-07, omb.report/icr/202001-0925-001).
- ``subject_to_final_rule``: the Primary Completion Date is on or after 2017-01-18. The results
  requirements of 42 CFR 11.48 and the PRS messages whose severity switches (PRS release notes,
  September 2018, phusedisclosure.xogene.com/2018/09/19/...) follow this date.
- ``ongoing_under_fdaaa``: the study had not reached primary completion (or, without one, completion) by
  2007-12-26, the date by which FDAAA 801 (Public Law 110-85, section 801(c)) required trials ongoing at
  its enactment to be registered with its data elements (primary completion date, responsible party,
  outcome time frames, enrolment type, healthy volunteers). Studies that ended earlier were registered
  under the 2000-2007 ClinicalTrials.gov definitions, which did not have these elements; PRS publishes
  them without.

A date written without a day counts as on or after a switch when any day it covers is (PRS keeps month
precision for older records, and the stricter reading never hides an error). A missing or unreadable date
counts as on or after: a record without one is new.
"""

from __future__ import annotations

import re
from typing import Any

from registries.ctgov.checks._support import PROTOCOL, module, obj, text
from registries.enums import Severity

FINAL_RULE_EFFECTIVE_DATE = "2017-01-18"
FDAAA_REGISTRATION_DATE = "2007-12-26"

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def latest_day(partial: str) -> str | None:
    """The last day a partial date covers, as YYYY-MM-DD ("2016-12" -> "2016-12-31"), or None."""
    match = _PARTIAL_DATE.match(partial)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '12'}-{day or '31'}"


def earliest_day(partial: str) -> str | None:
    """The first day a partial date covers, as YYYY-MM-DD ("2016-12" -> "2016-12-01"), or None."""
    match = _PARTIAL_DATE.match(partial)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}"


def status_date(record: dict[str, Any], key: str) -> str:
    """A status module date as written (``startDateStruct`` and the like), or ""."""
    return text(obj(module(record, PROTOCOL, "statusModule").get(key)).get("date"))


def primary_completion_date(record: dict[str, Any]) -> str:
    """The record's primary completion date as written (partial dates allowed), or ""."""
    return status_date(record, "primaryCompletionDateStruct")


def _on_or_after(written: str, switch: str) -> bool:
    latest = latest_day(written)
    return latest is None or latest >= switch


def starts_under_final_rule(record: dict[str, Any]) -> bool:
    """Whether the Study Start Date is on or after 2017-01-18 (the DED's "*§" elements)."""
    return _on_or_after(status_date(record, "startDateStruct"), FINAL_RULE_EFFECTIVE_DATE)


def subject_to_final_rule(record: dict[str, Any]) -> bool:
    """Whether the Primary Completion Date is on or after 2017-01-18 (42 CFR 11.48 results content)."""
    return _on_or_after(primary_completion_date(record), FINAL_RULE_EFFECTIVE_DATE)


def final_rule_severity(record: dict[str, Any]) -> Severity:
    """[PRS-2018-09]: ERROR for a primary completion date on or after 2017-01-18, WARNING before."""
    return Severity.ERROR if subject_to_final_rule(record) else Severity.WARNING


def ongoing_under_fdaaa(record: dict[str, Any]) -> bool:
    """Whether the study was still running on 2007-12-26 (FDAAA 801 data elements apply)."""
    reference = primary_completion_date(record) or status_date(record, "completionDateStruct")
    return _on_or_after(reference, FDAAA_REGISTRATION_DATE)
