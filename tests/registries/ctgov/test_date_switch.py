"""The dates that decide which ClinicalTrials.gov requirements apply (registries/ctgov/checks/dates.py).

- *§ elements of the PRS protocol data element definitions: required if the Study Start Date is on or
  after 2017-01-18 ("*§ Required if Study Start Date is on or after January 18, 2017");
- 42 CFR 11.48 results content and the PRS messages whose severity switches ([PRS-2018-09]): by the
  Primary Completion Date;
- FDAAA 801 data elements: for studies running on or after 2007-12-26.
"""

from __future__ import annotations

from typing import Any

import pytest

from registries.checks import check_record
from registries.enums import Severity, Stage
from tests.registries.ctgov.prs_rules import ALL_RULES, RuleMutation
from tests.registries.ctgov.records import at

E, W = Severity.ERROR, Severity.WARNING
ST = "/protocolSection/statusModule"
RULES = {rule.name: rule for rule in ALL_RULES}


def _dated(record: dict[str, Any], start: str, primary_completion: str, completion: str) -> dict[str, Any]:
    at(record, f"{ST}/startDateStruct/date", start)
    at(record, f"{ST}/firstParticipantEnrolledDateStruct/date", start)
    at(record, f"{ST}/primaryCompletionDateStruct/date", primary_completion)
    at(record, f"{ST}/completionDateStruct/date", completion)
    return record


def _findings(rule: RuleMutation, dates: tuple[str, str, str]) -> list[tuple[Severity, str, str]]:
    base = {
        (f.severity, f.code, f.pointer)
        for f in check_record(_dated(rule.base(), *dates), rule.stage, "ctgov")
        if f.severity is not Severity.NOTE
    }
    assert base == set()
    mutated = _dated(rule.base(), *dates)
    for pointer, value in rule.edits:
        at(mutated, pointer, value)
    return sorted(
        (f.severity, f.code, f.pointer)
        for f in check_record(mutated, rule.stage, "ctgov")
        if f.severity is not Severity.NOTE
    )


BEFORE_FINAL_RULE = ("2014-01-10", "2016-06-30", "2016-09-30")
ON_THE_EFFECTIVE_DATE = ("2017-01-18", "2018-06-30", "2018-09-30")
BEFORE_FDAAA = ("2004-01", "2006-06", "2006-09")


@pytest.mark.parametrize(
    "name",
    [
        "official_title",  # [P-DED] Official Title *§
        "start_date_type",  # [P-DED] Study Start Date type *§
        "fda_regulated_drug",  # [P-DED] Studies a U.S. FDA-regulated Drug Product *§
        "fda_regulated_device",  # [P-DED] Studies a U.S. FDA-regulated Device Product *§
        "us_export",  # [P-DED] Product Manufactured in and Exported from the U.S. [*]
        "site_status",  # [P-DED] Individual Site Status *§
    ],
)
def test_star_section_elements_are_not_asked_of_a_study_started_before_2017_01_18(name: str) -> None:
    assert _findings(RULES[name], BEFORE_FINAL_RULE) == []


@pytest.mark.parametrize("name", ["official_title", "start_date_type", "fda_regulated_drug", "site_status"])
def test_star_section_elements_are_asked_from_2017_01_18(name: str) -> None:
    assert _findings(RULES[name], ON_THE_EFFECTIVE_DATE) == sorted(RULES[name].expected)


@pytest.mark.parametrize(
    "name",
    [
        "ae_time_frame",  # 42 CFR 11.48(a)(4)
        "all_cause_mortality",  # 42 CFR 11.48(a)(4)
        "baseline_race_ethnicity",  # 42 CFR 11.48(a)(2)
        "protocol_document",  # 42 CFR 11.48(a)(5); [PRS-2018-09]
        "sap_document",  # 42 CFR 11.48(a)(5); [PRS-2018-09]
        "results_contact_phone",  # 42 CFR 11.48(a)(6)(iii)
    ],
)
def test_final_rule_results_elements_are_not_asked_before_primary_completion_2017_01_18(name: str) -> None:
    assert _findings(RULES[name], BEFORE_FINAL_RULE) == []


@pytest.mark.parametrize(
    "name",
    [
        "zero_analyzed",  # [PRS-2018-06]/[PRS-2018-09]: zero analysed unexplained is a warning before 2017
        "ae_zero_at_risk",
        "registered_outcome_reported",  # 42 CFR 11.48(a)(3) binds studies under the rule
        "baseline_age",
        "baseline_sex",
        "unit_placeholder",
        "results_time_frame_numeral",
        "outcome_dispersion",
    ],
)
def test_switching_results_messages_are_warnings_before_2017_01_18(name: str) -> None:
    rule = RULES[name]
    assert _findings(rule, BEFORE_FINAL_RULE) == sorted(
        (W, code, pointer) for _, code, pointer in rule.expected
    )


@pytest.mark.parametrize(
    "name",
    [
        "primary_completion_date",
        "primary_completion_date_type",
        "completion_date_type",
        "responsible_party",
        "enrollment_type",
        "closed_study_actual_enrollment",
        "healthy_volunteers",
        "who_masked",
        "arm_type",
        "primary_outcome",
        "outcome_time_frame",
    ],
)
def test_fdaaa_elements_are_not_asked_of_a_study_that_ended_before_2007_12_26(name: str) -> None:
    # The FDAAA 801 data elements (Public Law 110-85 section 801(c)): a study registered and ended under
    # the earlier definitions is published without them.
    assert _findings(RULES[name], BEFORE_FDAAA) == []


def test_observational_study_is_not_asked_the_fda_oversight_questions() -> None:
    # PRS publishes observational studies started after 2017 without them (4 of the 242 sampled records)
    rule = RULES["fda_regulated_drug"]
    record = rule.mutated()
    at(record, "/protocolSection/designModule/studyType", "OBSERVATIONAL")
    findings = [
        f
        for f in check_record(record, Stage.REGISTRATION, "ctgov")
        if f.pointer.startswith("/protocolSection/oversightModule")
    ]
    assert findings == []


def test_a_record_without_dates_is_new_and_gets_every_requirement() -> None:
    # dates.py: a missing date counts as on or after every switch (a record without one is new)
    rule = RULES["official_title"]
    record = rule.mutated()
    del record["protocolSection"]["statusModule"]["startDateStruct"]
    codes = {(f.code, f.pointer) for f in check_record(record, Stage.REGISTRATION, "ctgov")}
    assert ("ctgov.required.missing", "/protocolSection/identificationModule/officialTitle") in codes
