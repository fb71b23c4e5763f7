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
