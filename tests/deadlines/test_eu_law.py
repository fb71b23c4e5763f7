"""EU rules where Regulation 536/2014 and Directive 2001/20/EC depart from the simple windows (issue 15):
Directive trials, justified later results, contradictory end dates, paediatric trials, temporary halts
and the clinical study report."""

from __future__ import annotations

from datetime import date
from typing import Any

from deadlines import evaluate
from deadlines.config import DeadlineConfig
from deadlines.enums import DeadlineStatus
from tests.deadlines.around import around, unmet
from tests.deadlines.factories import eu_section, filed, log, make_record, verdict_of

EUDRACT = "2019-001234-12"


def _directive(**extra: Any) -> dict[str, Any]:
    return eu_section(eudractNumber=EUDRACT, **extra)


def test_directive_trial_is_outside_the_ctr_rules():
    verdict = verdict_of("eu.ctr.results", make_record(eu=_directive(end="2025-06-30")), "2025-07-01")

    assert (verdict.applies, verdict.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_transitioned_or_flagged_ctr_trial_keeps_the_ctr_rules():
    record = make_record(eu=_directive(end="2025-06-30", regulatoryFramework="CTR"))

    assert around("eu.ctr.results", record, date(2026, 6, 30)) == unmet(date(2026, 6, 30))


def test_directive_end_of_trial_declaration_is_due_within_90_days():
    record = make_record(eu=_directive(end="2025-06-30"))

    assert around("eu.directive.end_of_trial", record, date(2025, 9, 28), subject="DE") == unmet(
        date(2025, 9, 28)
    )


def test_directive_end_of_trial_declaration_after_early_termination_is_due_within_15_days():
    section = _directive(end="2025-06-30")
    section["memberStates"][0]["earlyTermination"] = True

    assert around("eu.directive.end_of_trial", make_record(eu=section), date(2025, 7, 15), subject="DE") == (
        unmet(date(2025, 7, 15))
    )


def test_directive_results_count_12_months_from_the_global_end():
    record = make_record(eu=_directive(end="2025-06-30", global_end="2025-09-01"))

    assert around("eu.directive.results", record, date(2026, 9, 1)) == unmet(date(2026, 9, 1))


def test_directive_paediatric_results_take_12_months_only_when_justified_outside_article_46():
    justified = make_record(
        eu=_directive(
            end="2025-06-30", paediatric=True, lateResultsJustification={"reason": "long follow-up"}
        )
    )
    article46 = make_record(
        eu=_directive(
            end="2025-06-30", paediatric=True, article46=True, lateResultsJustification={"reason": "x"}
        )
    )

    assert around("eu.directive.results", justified, date(2026, 6, 30)) == unmet(date(2026, 6, 30))
    assert around("eu.directive.results", article46, date(2025, 12, 30)) == unmet(date(2025, 12, 30))


def test_directive_trial_running_after_30_january_2025_had_to_transition():
    record = make_record(eu=_directive(end="2025-06-30"))

    verdict = verdict_of("eu.directive.transition", record, "2025-01-31")

    assert around("eu.directive.transition", record, date(2025, 1, 30)) == unmet(date(2025, 1, 30))
    assert [f.code for f in verdict.findings] == ["deadline.directive_trial_not_transitioned"]


def test_directive_trial_that_ended_by_30_january_2025_needs_no_transition():
    verdict = verdict_of(
        "eu.directive.transition", make_record(eu=_directive(end="2024-12-31")), "2025-02-01"
    )

    assert (verdict.applies, verdict.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_protocol_justified_later_results_are_due_on_the_planned_date():
    section = eu_section(
        end="2025-06-30",
        lateResultsJustification={
            "reason": "overall survival follow-up",
            "plannedSubmissionDate": "2027-03-31",
        },
    )

    assert around("eu.ctr.results", make_record(eu=section), date(2027, 3, 31)) == unmet(date(2027, 3, 31))
    assert around("eu.ctr.lay_summary", make_record(eu=section), date(2027, 3, 31)) == unmet(
        date(2027, 3, 31)
    )


def test_justified_later_results_without_a_planned_date_cannot_be_computed():
    section = eu_section(end="2025-06-30", lateResultsJustification={"reason": "follow-up"})

    verdict = verdict_of("eu.ctr.results", make_record(eu=section), "2026-06-30")

    assert (verdict.status, [f.pointer for f in verdict.findings]) == (
        DeadlineStatus.CANNOT_COMPUTE,
        ["/euSection/lateResultsJustification/plannedSubmissionDate"],
    )


def test_end_in_all_member_states_before_one_member_states_end_is_a_contradiction():
    section = eu_section(end="2025-06-30")
    section["memberStates"][1]["endOfTrialDateStruct"] = {"date": "2025-08-31", "type": "ACTUAL"}
    record = make_record(eu=section)

    verdicts = [
        verdict_of(code, record, day)
        for code in ("eu.ctr.results", "eu.ctr.end_of_trial.all_member_states")
        for day in ("2026-06-29", "2026-06-30", "2026-07-01")
    ]

    assert {(v.status, v.due_date, tuple(f.code for f in v.findings)) for v in verdicts} == {
        (DeadlineStatus.CANNOT_COMPUTE, None, ("deadline.contradictory_dates",))
    }
    assert "its end in FR (2025-08-31)" in verdicts[0].findings[0].message


def test_paediatric_trial_in_a_pip_is_labelled_as_a_pip_trial_not_article_46():
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True, pipNumber="EMEA-000123-PIP01-10"))

    verdict = verdict_of("eu.ctr.results", record, "2025-12-30")

    assert around("eu.ctr.results", record, date(2025, 12, 30)) == unmet(date(2025, 12, 30))
    assert verdict.details["paediatric_basis"] == "pip"
    assert "paediatric investigation plan" in verdict.why
    assert "Art 46" not in verdict.why


def test_paediatric_window_says_it_is_an_organization_setting():
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True))
    config = DeadlineConfig.from_overrides({"eu_paediatric_results_months": 12})

    [verdict] = [
        v for v in evaluate(record, today=date(2025, 7, 1), config=config) if v.rule == "eu.ctr.results"
    ]

    assert verdict.due_date == date(2026, 6, 30)
    assert "(setting eu_paediatric_results_months = 12, set by the organization; default 6)" in verdict.why


def _halted(**halt: Any) -> dict[str, Any]:
    section = eu_section(end=None, states=("DE",), status="TEMPORARILY_HALTED")
    section["memberStates"][0]["temporaryHalts"] = [halt]
    return make_record(eu=section)


def test_temporary_halt_is_notified_within_15_days():
    record = _halted(haltDate="2025-03-01", reason="OTHER")

    assert around("eu.ctr.temporary_halt", record, date(2025, 3, 16), subject="DE/halt0") == unmet(
        date(2025, 3, 16)
    )


def test_halt_for_subject_safety_cites_article_38():
    record = _halted(haltDate="2025-03-01", reason="SAFETY", haltNotifiedDate="2025-03-05")

    verdict = verdict_of("eu.ctr.temporary_halt", record, "2025-04-01", subject="DE/halt0")

    assert (verdict.status, "Art 38(1)" in verdict.why) == (DeadlineStatus.MET, True)


def test_restart_is_notified_within_the_organization_setting():
    record = _halted(haltDate="2025-03-01", reason="OTHER", restartDate="2025-05-01")

    verdict = verdict_of("eu.ctr.restart", record, "2025-05-16", subject="DE/halt0")

    assert around("eu.ctr.restart", record, date(2025, 5, 16), subject="DE/halt0") == unmet(date(2025, 5, 16))
    assert "(setting eu_restart_notice_days = 15, the default)" in verdict.why


def test_halt_not_restarted_within_two_years_ends_the_trial_there():
    record = _halted(haltDate="2023-01-10", reason="OTHER")

    assert around("eu.ctr.end_of_trial.member_state", record, date(2025, 1, 25), subject="DE") == unmet(
        date(2025, 1, 25)
    )


def test_decision_not_to_restart_ends_the_trial_before_the_two_years():
    record = _halted(haltDate="2023-01-10", reason="OTHER", decisionNotToRestartDate="2024-06-01")

    assert around("eu.ctr.results", record, date(2025, 6, 1)) == unmet(date(2025, 6, 1))


def test_halted_trial_within_two_years_has_no_end_yet():
    verdict = verdict_of(
        "eu.ctr.end_of_trial.member_state",
        _halted(haltDate="2024-01-10", reason="OTHER"),
        "2025-06-01",
        subject="DE",
    )

    assert verdict.status == DeadlineStatus.CANNOT_COMPUTE


def _authorised(**authorisation: Any) -> dict[str, Any]:
    return make_record(eu=eu_section(end="2025-06-30", marketingAuthorisation=authorisation))


def test_clinical_study_report_is_due_30_days_after_the_marketing_authorisation():
    record = _authorised(intended=True, outcome="GRANTED", decisionDate="2027-02-01")

    assert around("eu.ctr.clinical_study_report", record, date(2027, 3, 3)) == unmet(date(2027, 3, 3))


def test_clinical_study_report_filed_in_ctis_meets_the_duty():
    record = _authorised(intended=True, outcome="WITHDRAWN", decisionDate="2027-02-01")
    submissions = log(filed("ctis", "results", "2027-02-20", "clinical_study_report"))

    verdict = verdict_of("eu.ctr.clinical_study_report", record, "2027-04-01", submissions)

    assert (verdict.status, verdict.due_date) == (DeadlineStatus.MET, date(2027, 3, 3))


def test_clinical_study_report_waits_for_the_decision():
    verdict = verdict_of("eu.ctr.clinical_study_report", _authorised(intended=True), "2027-04-01")

    assert (verdict.applies, verdict.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_directive_trial_marked_ended_without_an_end_date_gets_no_transition_finding():
    record = make_record(eu=_directive(end=None, status="ENDED"))

    verdict = verdict_of("eu.directive.transition", record, "2025-02-01")

    assert (verdict.status, [f.code for f in verdict.findings]) == (
        DeadlineStatus.CANNOT_COMPUTE,
        ["deadline.missing_date"],
    )
