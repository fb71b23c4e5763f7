"""Our ACT / due / overdue verdicts equal the FDAAA TrialsTracker's published rules.

The oracle below transcribes the tracker's rules (view.sql, trial_computer.py and models.py of
ebmdatalab/clinicaltrials-act-tracker at 8d79572), on a flat table in the tracker's own vocabulary
("Phase 1/Phase 2", "Yes", "March 2025"), with python-dateutil arithmetic as the tracker uses: both
probable-ACT branches of view.sql (the January 2017 snapshot for a trial without drug and device flags,
and an FDA-regulated product whatever its sites), days late counted from the tracker's own due date,
and results still in quality-control review (TrialQA) with cancellations. It shares no code with the
engine: a mistake in either shows as a difference.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from deadlines import evaluate
from deadlines.submissions import Submission, SubmissionLog
from tests.deadlines.factories import filed

CUTOFF = date(2017, 1, 18)
ACT_PHASES = {"Phase 1/Phase 2", "Phase 2", "Phase 2/Phase 3", "Phase 3", "Phase 4", "N/A"}
PACT_TYPES = {
    "Drug",
    "Biological",
    "Device",
    "Genetic",
    "Radiation",
    "Combination Product",
    "Diagnostic Test",
}
US_PLACES = {
    "United States",
    "American Samoa",
    "Guam",
    "Northern Mariana Islands",
    "Puerto Rico",
    "U.S. Virgin Islands",
}


@dataclass
class Trial:
    name: str
    start: str
    pcd: str | None
    today: str
    phase: str = "Phase 3"
    study_type: str = "Interventional"
    status: str = "Completed"
    purpose: str = "Treatment"
    fda_drug: str | None = "Yes"
    fda_device: str | None = "No"
    interventions: tuple[str, ...] = ("Drug",)
    countries: tuple[str, ...] = ("United States",)
    cd: str | None = None
    certificate: str | None = None
    results_submitted: str | None = None
    # Results in quality-control review: (submitted, cancelled by the sponsor) per submission.
    qa: tuple[tuple[str, bool], ...] = ()
    nct_id: str | None = None
    # The January 2017 snapshot's is_fda_regulated ("false" excludes a pACT without flags).
    jan2017_fda_regulated: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def tracker_date(text: str | None) -> date | None:
    """'March 5, 2025' or 'March 2025' (the last day of that month)."""
    if text is None:
        return None
    if "," in text:
        return datetime.strptime(text, "%B %d, %Y").date()
    month = datetime.strptime(text, "%B %Y").date()
    return month + relativedelta(months=1) - relativedelta(days=1)


def oracle(trial: Trial) -> dict[str, Any]:
    today = date.fromisoformat(trial.today)
    start = tracker_date(trial.start)
    completion = tracker_date(trial.pcd) or tracker_date(trial.cd)
    common = (
        trial.study_type == "Interventional"
        and trial.phase in ACT_PHASES
        and trial.purpose != "Device Feasibility"
        and trial.status != "Withdrawn"
    )
    flagged = trial.fda_drug == "Yes" or trial.fda_device == "Yes"
    act = common and flagged and start is not None and start >= CUTOFF
    running_on_cutoff = (
        completion is not None and completion >= CUTOFF and start is not None and start < CUTOFF
    )
    pact_without_new_fields = (
        common
        and running_on_cutoff
        and bool(set(trial.interventions) & PACT_TYPES)
        and trial.jan2017_fda_regulated != "false"
        and trial.fda_drug is None
        and trial.fda_device is None
        and bool(set(trial.countries) & US_PLACES)
    )
    pact_with_new_fields = common and running_on_cutoff and flagged
    if not (act or pact_without_new_fields or pact_with_new_fields):
        return {"category": None}
    assert completion is not None
    certificate = tracker_date(trial.certificate)
    results_due = completion + relativedelta(years=1) + relativedelta(days=30) < today and (
        certificate is None or completion + relativedelta(years=3) + relativedelta(days=30) < today
    )
    due = completion + (relativedelta(years=3) if certificate else relativedelta(days=365))

    def late(effective: date, grace: bool = False) -> int:
        days = max((effective - due).days, 0)
        return 0 if grace and days - 30 <= 0 else days

    reported = tracker_date(trial.results_submitted)
    qa = sorted((tracker_date(day), cancelled) for day, cancelled in trial.qa)
    original = qa[0][0] if qa else None
    cancelled, restart = False, None
    for day, was_cancelled in reversed(qa):
        if was_cancelled:
            cancelled = True
            break
        restart = day
    days_late = 0
    if results_due and reported is not None:
        days_late = late(reported)
    elif results_due:
        if original is not None:
            days_late = late(original)
        if restart is not None:
            days_late = late(restart)
        elif cancelled:
            days_late = late(today, grace=True)
        if original is None:
            days_late = late(today, grace=True)
    if not results_due:
        status = "reported" if reported is not None else "ongoing"
    elif reported is not None:
        status = "reported-late" if days_late else "reported"
    elif original is not None:
        in_review = "overdue-cancelled" if cancelled and restart is None else "reported-late"
        status = in_review if days_late else "reported"
    else:
        status = "overdue" if days_late else "ongoing"
    return {
        "category": "ACT" if act else "pACT",
        "results_due": results_due,
        "due_date": due.isoformat(),
        "status": status,
        "overdue": status == "overdue",
        "days_late": days_late or None,
    }


_PHASES = {
    "Phase 1/Phase 2": ["PHASE1", "PHASE2"],
    "Phase 2/Phase 3": ["PHASE2", "PHASE3"],
    "N/A": ["NA"],
    "Early Phase 1": ["EARLY_PHASE1"],
}
_YES_NO = {"Yes": True, "No": False, None: None}


def _partial(text: str | None) -> str | None:
    """The record's partial-date form of a tracker date string."""
    if text is None:
        return None
    if "," in text:
        return datetime.strptime(text, "%B %d, %Y").date().isoformat()
    return datetime.strptime(text, "%B %Y").strftime("%Y-%m")


def to_record(trial: Trial) -> tuple[dict[str, Any], SubmissionLog]:
    status_module: dict[str, Any] = {
        "overallStatus": trial.status.upper(),
        "startDateStruct": {"date": _partial(trial.start), "type": "ACTUAL"},
    }
    if trial.pcd:
        status_module["primaryCompletionDateStruct"] = {"date": _partial(trial.pcd), "type": "ESTIMATED"}
    if trial.cd:
        status_module["completionDateStruct"] = {"date": _partial(trial.cd), "type": "ESTIMATED"}
    if trial.certificate:
        status_module["dispFirstSubmitDate"] = _partial(trial.certificate)
    oversight = {
        k: _YES_NO[v]
        for k, v in (("isFdaRegulatedDrug", trial.fda_drug), ("isFdaRegulatedDevice", trial.fda_device))
        if v is not None
    }
    record = {
        "protocolSection": {
            "identificationModule": {"nctId": trial.nct_id} if trial.nct_id else {},
            "statusModule": status_module,
            "designModule": {
                "studyType": trial.study_type.upper(),
                "phases": _PHASES.get(trial.phase, [trial.phase.upper().replace(" ", "")]),
                "designInfo": {"primaryPurpose": trial.purpose.upper().replace(" ", "_")},
            },
            "oversightModule": oversight,
            "armsInterventionsModule": {
                "interventions": [{"type": t.upper().replace(" ", "_")} for t in trial.interventions]
            },
            "contactsLocationsModule": {"locations": [{"country": c} for c in trial.countries]},
        }
    }
    if trial.results_submitted:
        # Posted results: ClinicalTrials.gov shows the first submission day.
        status_module["resultsFirstSubmitDate"] = _partial(trial.results_submitted)
    submissions: tuple[Submission, ...] = tuple(
        filed("ctgov", "results", _partial(day) or "", cancelled=was_cancelled)
        for day, was_cancelled in trial.qa
    )
    return record, SubmissionLog(submissions=submissions)


def engine_view(trial: Trial) -> dict[str, Any]:
    record, submissions = to_record(trial)
    today = date.fromisoformat(trial.today)
    [verdict] = [v for v in evaluate(record, submissions, today) if v.rule == "us.fdaaa.results"]
    if not verdict.applies:
        return {"category": None}
    flagged = (
        not record["protocolSection"]["statusModule"].get("resultsFirstSubmitDate")
        and not submissions.submissions
        and verdict.tracker_flag_date is not None
        and (today >= verdict.tracker_flag_date)
    )
    assert flagged == (verdict.details["tracker_status"] == "overdue"), (
        "flag date and tracker status disagree"
    )
    return {
        "category": verdict.details["act"],
        "results_due": verdict.details["tracker_results_due"],
        "due_date": verdict.details["tracker_due_date"],
        "status": verdict.details["tracker_status"],
        "overdue": flagged,
        "days_late": verdict.details["tracker_days_late"],
    }


TABLE = [
    Trial("act_overdue", "March 1, 2018", "June 30, 2020", "2021-08-01"),
    Trial("act_in_grace_period", "March 1, 2018", "June 30, 2020", "2021-07-30"),
    Trial("act_first_day_flagged", "March 1, 2018", "June 30, 2020", "2021-07-31"),
    Trial(
        "act_reported_on_time",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        results_submitted="June 1, 2021",
    ),
    Trial(
        "act_reported_late",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        results_submitted="September 15, 2021",
    ),
    Trial("start_exactly_on_cutoff", "January 18, 2017", "January 18, 2019", "2020-03-01"),
    Trial(
        "start_day_before_cutoff_no_us_site",
        "January 17, 2017",
        "January 18, 2019",
        "2020-03-01",
        countries=("France",),
    ),
    Trial(
        "pact_with_us_territory",
        "May 2015",
        "March 2018",
        "2019-06-01",
        fda_drug=None,
        fda_device=None,
        countries=("Guam",),
    ),
    Trial(
        "pact_completed_before_cutoff",
        "May 2015",
        "January 17, 2017",
        "2019-06-01",
        fda_drug=None,
        fda_device=None,
    ),
    Trial(
        "device_feasibility",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        purpose="Device Feasibility",
        interventions=("Device",),
        fda_drug="No",
        fda_device="Yes",
    ),
    Trial("withdrawn", "March 1, 2018", "June 30, 2020", "2022-01-01", status="Withdrawn"),
    Trial("phase_1", "March 1, 2018", "June 30, 2020", "2022-01-01", phase="Phase 1"),
    Trial("phase_1_2", "March 1, 2018", "June 30, 2020", "2022-01-01", phase="Phase 1/Phase 2"),
    Trial("not_fda_regulated", "March 1, 2018", "June 30, 2020", "2022-01-01", fda_drug="No"),
    Trial("anticipated_pcd_in_future", "March 1, 2024", "December 31, 2026", "2026-06-01"),
    Trial(
        "certificate_within_three_years",
        "March 1, 2018",
        "June 30, 2020",
        "2023-07-30",
        certificate="June 1, 2021",
    ),
    Trial(
        "certificate_after_three_years",
        "March 1, 2018",
        "June 30, 2020",
        "2023-08-01",
        certificate="June 1, 2021",
    ),
    Trial(
        "late_certificate_still_shields",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        certificate="September 1, 2021",
    ),
    Trial("partial_pcd_month", "March 2018", "June 2020", "2021-07-31"),
    Trial("partial_pcd_month_day_before_flag", "March 2018", "June 2020", "2021-07-30"),
    Trial("completion_date_fallback", "March 1, 2018", None, "2021-08-01", cd="June 30, 2020"),
    Trial("leap_day_completion", "March 1, 2018", "February 29, 2020", "2021-04-01"),
    Trial("leap_day_completion_edge", "March 1, 2018", "February 29, 2020", "2021-03-31"),
    Trial(
        "na_phase_device",
        "March 1, 2018",
        "June 30, 2020",
        "2021-08-01",
        phase="N/A",
        interventions=("Device",),
        fda_drug="No",
        fda_device="Yes",
    ),
    Trial("observational", "March 1, 2018", "June 30, 2020", "2022-01-01", study_type="Observational"),
    Trial(
        "pre_2017_fda_regulated_drug_without_us_site",
        "May 2016",
        "March 2018",
        "2019-06-01",
        countries=("France",),
        interventions=("Behavioral",),
    ),
    Trial(
        "pre_2017_unflagged_without_us_site",
        "May 2016",
        "March 2018",
        "2019-06-01",
        fda_drug=None,
        fda_device=None,
        countries=("France",),
    ),
    Trial(
        "pre_2017_unflagged_marked_unregulated_in_january_2017",
        "May 2015",
        "March 2018",
        "2019-06-01",
        fda_drug=None,
        fda_device=None,
        nct_id="NCT03008096",
        jan2017_fda_regulated="false",
    ),
    Trial(
        "pre_2017_unflagged_in_the_snapshot_as_regulated",
        "May 2015",
        "March 2018",
        "2019-06-01",
        fda_drug=None,
        fda_device=None,
        nct_id="NCT01275365",
        jan2017_fda_regulated="true",
    ),
    Trial(
        "certificate_days_late_count_from_the_certified_due_date",
        "March 1, 2018",
        "June 30, 2020",
        "2023-09-15",
        certificate="June 1, 2021",
    ),
    Trial(
        "results_in_qc_submitted_on_time",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        qa=(("June 1, 2021", False),),
    ),
    Trial(
        "results_in_qc_submitted_late",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        qa=(("September 15, 2021", False),),
    ),
    Trial(
        "results_in_qc_cancelled",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        qa=(("June 1, 2021", False), ("July 1, 2021", True)),
    ),
    Trial(
        "results_in_qc_resubmitted_after_a_cancellation",
        "March 1, 2018",
        "June 30, 2020",
        "2022-01-01",
        qa=(("June 1, 2021", True), ("October 1, 2021", False)),
    ),
]


def test_equivalence_table_covers_at_least_fifteen_trials_of_each_kind():
    verdicts = [oracle(t)["category"] for t in TABLE]

    assert len(TABLE) >= 15
    assert {"ACT", "pACT", None} <= set(verdicts)
    assert sum(oracle(t).get("overdue", False) for t in TABLE) >= 4


@pytest.mark.parametrize("trial", TABLE, ids=[t.name for t in TABLE])
def test_engine_judges_like_the_fdaaa_trialstracker(trial):
    assert engine_view(trial) == oracle(trial)


def test_oracle_date_parsing_defaults_a_month_to_its_last_day():
    assert (tracker_date("February 2024"), calendar.isleap(2024)) == (date(2024, 2, 29), True)
