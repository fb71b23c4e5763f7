"""The lifecycle's one door into the registry library."""

from __future__ import annotations

import copy

from registries import get_registry
from registries.checks import check_record
from registries.enums import Stage
from submissions.checks import stage_findings


def test_stage_findings_reports_generic_findings_once_for_two_target_registries(complete_record):
    # given a record without its brief title: a generic finding, and ClinicalTrials.gov's own ones
    untitled = copy.deepcopy(complete_record)
    del untitled["protocolSection"]["identificationModule"]["briefTitle"]
    generic = check_record(untitled, "registration")
    # when the findings of a filing to ClinicalTrials.gov and our record registry are asked for
    found = stage_findings(untitled, "registration", ["ctgov", "record"])
    # then the generic findings come once, followed by ClinicalTrials.gov's own
    assert generic != []
    assert found == generic + get_registry("ctgov").check(untitled, Stage.REGISTRATION)


def test_lay_summary_stage_adds_plain_language_findings_and_blocks_missing_sections(complete_record):
    # given a complete record whose English lay summary lost a section and uses an unexplained term
    record = copy.deepcopy(complete_record)
    summary = record["laySummaries"][0]
    del summary["sections"]["population"]
    summary["sections"]["overallResults"] = "The hazard ratio was low."
    # when the lay-summary stage's findings are asked for
    found = stage_findings(record, "lay_summary", ["record"])
    # then the profile's error for the section comes once (not again from the lay checks), and the
    # term warning is added
    touched = {"/laySummaries/0/sections/population", "/laySummaries/0/sections/overallResults"}
    lay = [(f.code, f.pointer) for f in found if f.pointer in touched]
    assert lay == [
        ("profile.required", "/laySummaries/0/sections/population"),
        ("laysummary.term_unexplained", "/laySummaries/0/sections/overallResults"),
    ]


def test_other_stages_get_no_lay_summary_findings(complete_record):
    record = copy.deepcopy(complete_record)
    record["laySummaries"][0]["sections"]["overallResults"] = "The hazard ratio was low."

    assert stage_findings(record, "results", ["record"]) == check_record(record, "results")
