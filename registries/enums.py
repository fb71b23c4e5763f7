"""Constants shared by every registry package."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """The four disclosure stages a trial passes through, in order."""

    REGISTRATION = "registration"
    PROTOCOL_SUMMARY = "protocol_summary"
    RESULTS = "results"
    LAY_SUMMARY = "lay_summary"


STAGE_ORDER: tuple[Stage, ...] = (
    Stage.REGISTRATION,
    Stage.PROTOCOL_SUMMARY,
    Stage.RESULTS,
    Stage.LAY_SUMMARY,
)


class Severity(StrEnum):
    """Errors block review; warnings need acknowledgement; notes inform (DESIGN section 5)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


# The sections of a lay summary, in the order of CTR 536/2014 Annex V (items 1 to 10); the record keeps
# them under these names in ``laySummaries[].sections``.
LAY_SUMMARY_SECTIONS: tuple[str, ...] = (
    "trialIdentification",
    "sponsorContact",
    "generalInformation",
    "population",
    "investigationalProducts",
    "adverseReactions",
    "overallResults",
    "commentsOnOutcome",
    "followUpTrials",
    "moreInformation",
)

# Limits of untrusted JSON (registries/jsonread.py). The size is the default of the MAX_RECORD_BYTES
# setting: a complete real record with results is a few hundred kilobytes. The deepest of the 242 real
# ClinicalTrials.gov records in the shared samples nests 11 levels; schema validation, hashing and
# rendering recurse per level, so depth is bounded far below Python's recursion limit (1,000 frames).
# Integers: no record field holds more than a count; Python itself refuses 4,300 digits.
MAX_RECORD_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_INTEGER_DIGITS = 100

# The years a record date may name: the record schema's date patterns (schemas/README.md, "Changes in
# 1.1"), the record rules and the deadline engine (deadlines/dates.py) all allow these and no others.
# ``datetime.date`` holds years 1 to 9999, so a due date years after a record date must still fit.
EARLIEST_YEAR = 1000
LATEST_YEAR = 2999

# Countries of the European Economic Area as ClinicalTrials.gov spells them (locations[].country): the 27
# member states of the EU and Iceland, Liechtenstein and Norway (EEA Agreement); Regulation (EU) 536/2014
# applies in all of them.
EEA_COUNTRIES: frozenset[str] = frozenset(
    {
        "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Czech Republic", "Denmark",
        "Estonia", "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia",
        "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania", "Slovakia",
        "Slovenia", "Spain", "Sweden", "Iceland", "Liechtenstein", "Norway",
    }
)  # fmt: skip
# The United States and its territories, where 42 CFR Part 11 counts a site as a US site (§11.10).
US_COUNTRIES: frozenset[str] = frozenset(
    {
        "United States", "Puerto Rico", "Guam", "American Samoa", "Northern Mariana Islands",
        "U.S. Virgin Islands", "Virgin Islands (U.S.)",
    }
)  # fmt: skip


class HistoryOutcome(StrEnum):
    """How a registry answered one submission, as its published record shows it (``RegistryFiling``)."""

    PENDING = "pending"  # in the registry's review (ClinicalTrials.gov: results in QC)
    ACCEPTED = "accepted"  # passed the registry's review and was posted
    RETURNED = "returned"  # returned with review comments (PRS: "reset" with QC comments)
    CANCELLED = "cancelled"  # withdrawn from review by the sponsor (PRS: "unrelease")
