"""What CTIS demands of the record, as findings at the record's JSON Pointers.

Sources: Regulation (EU) No 536/2014 (CTR) Art. 37 (end of trial, summary of results) and Annexes IV
(summary of results) and V (lay summary); Paediatric Regulation (EC) No 1901/2006 Art. 46(1).
Each check reads the record defensively: a record that breaks the record schema elsewhere still gets
every CTIS finding about the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from registries.ctis.document import baseline_measure
from registries.ctis.vocab import (
    CODE,
    CTIS_LAUNCH,
    EEA_COUNTRY_NAMES,
    END_OF_TRIAL_NOTICE_DAYS,
    PAEDIATRIC_RESULTS_MONTHS,
    UNDER_18_CATEGORIES,
    eea_code_for_name,
)
from registries.dates import add_months
from registries.enums import Severity, Stage
from registries.findings import Finding

Record = dict[str, Any]
_EU_CT = re.compile(r"^(\d{4})-\d{6}-\d{2}-\d{2}$")
_ART_37 = "Regulation (EU) No 536/2014 Art. 37"
_ANNEX_IV = "Regulation (EU) No 536/2014 Annex IV"
_EU = "/euSection"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _full_date(value: Any) -> dt.date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Collector:
    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.findings: list[Finding] = []

    def add(
        self, severity: Severity, code: str, pointer: str, message: str, source: str, **details: Any
    ) -> None:
        self.findings.append(Finding(severity, code, pointer, message, CODE, self.stage, source, details))


def check_record(record: Record, stage: Stage) -> list[Finding]:
    found = _Collector(stage)
    eu = _dict(record.get("euSection"))
    _eu_ct_number(found, eu)
    _member_states(found, record, eu)
    _paediatric_eligibility(found, record, eu)
    if stage in (Stage.RESULTS, Stage.LAY_SUMMARY):
        if not eu.get("euCtNumber"):
            found.add(
                Severity.ERROR,
                "ctis.eu_ct_number_missing",
                f"{_EU}/euCtNumber",
                "Enter the EU trial number CTIS issued for this trial; results and lay summaries are filed "
                "against it.",
                "Regulation (EU) No 536/2014 Art. 5(1), Art. 81",
            )
        if not [s for s in _list(record.get("laySummaries")) if isinstance(s, dict)]:
            found.add(
                Severity.ERROR,
                "ctis.lay_summary_missing",
                "/laySummaries",
                "Add a lay summary (Annex V); CTIS takes it together with the summary of results.",
                f"{_ART_37}(4), Annex V",
            )
    if stage is Stage.RESULTS:
        total = _participants(found, record, eu)
        _ages_and_sex(found, record, eu, total)
        _end_of_trial(found, eu)
        _paediatric_results(found, eu)
        _analysis_stage(found, eu)
    return found.findings


def _eu_ct_number(found: _Collector, eu: dict[str, Any]) -> None:
    number = eu.get("euCtNumber")
    if number is None:
        return
    match = _EU_CT.match(number) if isinstance(number, str) else None
    if match is None:
        found.add(
            Severity.ERROR,
            "ctis.eu_ct_number_format",
            f"{_EU}/euCtNumber",
            f"{number!r} is not an EU trial number; CTIS issues them as YYYY-NNNNNN-NN-NN "
            "(e.g. 2022-500014-26-00). A EudraCT number (YYYY-NNNNNN-NN) goes in eudractNumber.",
            "Regulation (EU) No 536/2014 Art. 81; CTIS",
        )
    elif int(match.group(1)) < CTIS_LAUNCH.year:
        found.add(
            Severity.ERROR,
            "ctis.eu_ct_number_year",
            f"{_EU}/euCtNumber",
            f"EU trial number {number} starts with {match.group(1)}, before CTIS issued its first numbers "
            "(31 January 2022); check it is not another registry's number.",
            "Regulation (EU) No 536/2014 Art. 99",
        )


def _member_states(found: _Collector, record: Record, eu: dict[str, Any]) -> None:
    states = _list(eu.get("memberStates"))
    if not states:
        found.add(
            Severity.ERROR,
            "ctis.member_states_missing",
            f"{_EU}/memberStates",
            "List the member states concerned; CTIS authorises and follows the trial per member state.",
            "Regulation (EU) No 536/2014 Art. 2(2)(12), Art. 5(1)",
        )
    seen: set[str] = set()
    for index, state in enumerate(states):
        country = _dict(state).get("country")
        pointer = f"{_EU}/memberStates/{index}/country"
        if not isinstance(country, str):
            continue
        if country not in EEA_COUNTRY_NAMES:
            found.add(
                Severity.ERROR,
                "ctis.member_state_not_eea",
                pointer,
                f"{country} is not an EU or EEA state; CTIS knows member states concerned only.",
                "Regulation (EU) No 536/2014 Art. 2(2)(12)",
            )
        elif country in seen:
            found.add(
                Severity.ERROR,
                "ctis.member_state_duplicate",
                pointer,
                f"{EEA_COUNTRY_NAMES[country]} is listed twice as a member state concerned; keep one entry.",
                "Regulation (EU) No 536/2014 Art. 2(2)(12)",
            )
        seen.add(country)
    if not states:
        return
    locations = _list(
        _dict(_dict(record.get("protocolSection")).get("contactsLocationsModule")).get("locations")
    )
    reported: set[str] = set()
    for index, location in enumerate(locations):
        name = _dict(location).get("country")
        code = eea_code_for_name(name) if isinstance(name, str) else None
        if code and code not in seen and code not in reported:
            reported.add(code)
            found.add(
                Severity.ERROR,
                "ctis.site_country_not_concerned",
                f"/protocolSection/contactsLocationsModule/locations/{index}/country",
                f"The trial has a site in {name}, which is not among the member states concerned; add it "
                "(an additional member state needs its own application in CTIS) or correct the site.",
                "Regulation (EU) No 536/2014 Art. 5(1), Art. 14",
            )


def _enrolment(record: Record) -> int | None:
    info = _dict(_dict(_dict(record.get("protocolSection")).get("designModule")).get("enrollmentInfo"))
    count = info.get("count")
    return count if isinstance(count, int) and info.get("type") == "ACTUAL" else None


def _participants(found: _Collector, record: Record, eu: dict[str, Any]) -> int | None:
    entries = [e for e in _list(eu.get("participantsByCountry")) if isinstance(e, dict)]
    if not entries:
        found.add(
            Severity.ERROR,
            "ctis.participants_by_country_missing",
            f"{_EU}/participantsByCountry",
            "Give the actual number of participants in each country (member states and third "
            "countries); Annex IV A.7 asks per member state, for the EU and for third countries.",
            f"{_ANNEX_IV} A.7",
        )
        return _enrolment(record)
    counted = {e.get("country") for e in entries}
    for index, state in enumerate(_list(eu.get("memberStates"))):
        country = _dict(state).get("country")
        if isinstance(country, str) and country not in counted:
            found.add(
                Severity.ERROR,
                "ctis.participants_member_state_missing",
                f"{_EU}/memberStates/{index}/country",
                f"Give the number of participants in {EEA_COUNTRY_NAMES.get(country, country)} under "
                "participantsByCountry (0 if none were included there).",
                f"{_ANNEX_IV} A.7",
            )
    total = sum(e["count"] for e in entries if isinstance(e.get("count"), int))
    enrolment = _enrolment(record)
    if enrolment is not None and total != enrolment:
        found.add(
            Severity.ERROR,
            "ctis.participants_total_mismatch",
            f"{_EU}/participantsByCountry",
            f"The participants per country add up to {total}, but the actual enrolment is {enrolment}; "
            "the two must agree.",
            f"{_ANNEX_IV} A.7",
            total=total,
            enrolment=enrolment,
        )
    # The age categories are compared with the actual enrolment when there is one, so one wrong
    # country count is reported once, not again as an age mismatch.
    return enrolment if enrolment is not None else total


def _ages_and_sex(found: _Collector, record: Record, eu: dict[str, Any], total: int | None) -> None:
    ages = eu.get("ageGroupBreakdown")
    if not isinstance(ages, dict) or not ages:
        found.add(
            Severity.ERROR,
            "ctis.age_breakdown_missing",
            f"{_EU}/ageGroupBreakdown",
            "Give the actual participants per Annex IV age category (in utero to 85 years and over).",
            f"{_ANNEX_IV} A.7",
        )
    else:
        summed = sum(v for v in ages.values() if isinstance(v, int))
        if total is not None and summed != total:
            found.add(
                Severity.ERROR,
                "ctis.age_breakdown_total_mismatch",
                f"{_EU}/ageGroupBreakdown",
                f"The age categories add up to {summed}, but {total} participants were included.",
                f"{_ANNEX_IV} A.7",
                total=total,
                age_total=summed,
            )
        under_18 = sum(ages.get(key) or 0 for key in UNDER_18_CATEGORIES if isinstance(ages.get(key), int))
        if under_18 and eu.get("paediatric") is False:
            found.add(
                Severity.ERROR,
                "ctis.paediatric_flag_contradicts_ages",
                f"{_EU}/paediatric",
                f"{under_18} participants were under 18, so this is a paediatric trial; set paediatric to "
                "true (its results are due in 6 months).",
                "Regulation (EC) No 1901/2006 Art. 2, Art. 46(1)",
            )
    for topic, code, words in (
        ("age", "ctis.baseline_age_missing", "age"),
        ("sex", "ctis.baseline_sex_missing", "sex (gender)"),
    ):
        if baseline_measure(record, topic) is None:
            found.add(
                Severity.ERROR,
                code,
                "/resultsSection/baselineCharacteristicsModule/measures",
                f"Add a baseline characteristic on {words}; Annex IV C makes age and gender mandatory.",
                f"{_ANNEX_IV} C",
            )


def _member_state_entries(eu: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for index, state in enumerate(_list(eu.get("memberStates"))):
        yield f"{_EU}/memberStates/{index}", str(_dict(state).get("country")), _dict(state)


def _end_of_trial(found: _Collector, eu: dict[str, Any]) -> None:
    interim = eu.get("resultsAnalysisStage") == "INTERIM"
    state_ends: list[dt.date] = []
    for base, country, state in _member_state_entries(eu):
        pointer = f"{base}/endOfTrialDateStruct"
        struct = _dict(state.get("endOfTrialDateStruct"))
        name = EEA_COUNTRY_NAMES.get(country, country)
        if not struct.get("date"):
            if not interim:
                found.add(
                    Severity.ERROR,
                    "ctis.end_of_trial_member_state_missing",
                    pointer,
                    f"Give the end of the trial in {name}; a final summary of results follows the end of "
                    "the trial in every member state concerned.",
                    f"{_ART_37}(1), (4)",
                )
            continue
        _actual(found, struct, pointer, interim)
        end = _full_date(struct.get("date"))
        if end is not None:
            state_ends.append(end)
            notified = _full_date(state.get("endOfTrialNotifiedDate"))
            if notified is not None and (notified - end).days > END_OF_TRIAL_NOTICE_DAYS:
                found.add(
                    Severity.WARNING,
                    "ctis.end_of_trial_notified_late",
                    f"{base}/endOfTrialNotifiedDate",
                    f"The end of the trial in {name} ({end}) was notified on {notified}, "
                    f"{(notified - end).days} days later; CTR Art. 37(1) allows 15.",
                    f"{_ART_37}(1)",
                )
    eu_pointer = f"{_EU}/endOfTrialInAllMemberStatesDateStruct"
    global_pointer = f"{_EU}/globalEndOfTrialDateStruct"
    eu_struct = _dict(eu.get("endOfTrialInAllMemberStatesDateStruct"))
    global_struct = _dict(eu.get("globalEndOfTrialDateStruct"))
    for struct, pointer, code, words in (
        (eu_struct, eu_pointer, "ctis.end_of_trial_eu_missing", "in all member states concerned"),
        (
            global_struct,
            global_pointer,
            "ctis.end_of_trial_global_missing",
            "globally (third countries included)",
        ),
    ):
        if not struct.get("date"):
            if not interim:
                found.add(
                    Severity.ERROR,
                    code,
                    pointer,
                    f"Give the date the trial ended {words}; Annex IV A.5 reports it and the results "
                    "deadline counts from it.",
                    f"{_ART_37}(2)-(4); {_ANNEX_IV} A.5",
                )
        else:
            _actual(found, struct, pointer, interim)
    eu_end, global_end = _full_date(eu_struct.get("date")), _full_date(global_struct.get("date"))
    every_state_ended = bool(state_ends) and len(state_ends) == len(_list(eu.get("memberStates")))
    if eu_end is not None and every_state_ended and eu_end != max(state_ends):
        found.add(
            Severity.ERROR,
            "ctis.end_of_trial_eu_not_last",
            f"{eu_pointer}/date",
            f"The end of the trial in all member states ({eu_end}) must be the last member state's end "
            f"({max(state_ends)}).",
            f"{_ART_37}(2)",
        )
    if eu_end is not None and global_end is not None and global_end < eu_end:
        found.add(
            Severity.ERROR,
            "ctis.end_of_trial_global_before_eu",
            f"{global_pointer}/date",
            f"The global end of the trial ({global_end}) cannot come before its end in the EU ({eu_end}).",
            f"{_ART_37}(3)",
        )


def _actual(found: _Collector, struct: dict[str, Any], pointer: str, interim: bool) -> None:
    if not interim and struct.get("type") == "ESTIMATED":
        found.add(
            Severity.ERROR,
            "ctis.end_of_trial_not_actual",
            f"{pointer}/type",
            "A final summary of results reports actual end-of-trial dates; this one is still anticipated.",
            f"{_ART_37}(1)-(4)",
        )


def _paediatric_eligibility(found: _Collector, record: Record, eu: dict[str, Any]) -> None:
    eligibility = _dict(_dict(record.get("protocolSection")).get("eligibilityModule"))
    ages = _list(eligibility.get("stdAges"))
    if eu.get("paediatric") is False and "CHILD" in ages:
        found.add(
            Severity.WARNING,
            "ctis.paediatric_flag_contradicts_eligibility",
            f"{_EU}/paediatric",
            "The eligibility criteria admit children (stdAges has CHILD) but the trial is marked not "
            "paediatric; a paediatric trial reports results in 6 months.",
            "Regulation (EC) No 1901/2006 Art. 2, Art. 46(1)",
        )


def _paediatric_results(found: _Collector, eu: dict[str, Any]) -> None:
    if "paediatric" not in eu:
        found.add(
            Severity.ERROR,
            "ctis.paediatric_flag_missing",
            f"{_EU}/paediatric",
            "Say whether the trial included participants under 18: it decides whether results are due in "
            "6 months or in 12.",
            f"{_ART_37}(4); Regulation (EC) No 1901/2006 Art. 46(1)",
        )
    if not (eu.get("paediatric") or eu.get("article46")):
        return
    end = _full_date(_dict(eu.get("endOfTrialInAllMemberStatesDateStruct")).get("date"))
    planned = _full_date(_dict(eu.get("lateResultsJustification")).get("plannedSubmissionDate"))
    if end is not None and planned is not None:
        due = add_months(end, PAEDIATRIC_RESULTS_MONTHS)
        if planned > due:
            found.add(
                Severity.WARNING,
                "ctis.paediatric_results_after_6_months",
                f"{_EU}/lateResultsJustification/plannedSubmissionDate",
                f"Results of a paediatric trial are due 6 months after the end of the trial ({due}); the "
                f"planned submission on {planned} is later.",
                "Regulation (EC) No 1901/2006 Art. 46(1); Commission guideline 2012/C 302/03",
                due=due.isoformat(),
            )


def _analysis_stage(found: _Collector, eu: dict[str, Any]) -> None:
    stage = eu.get("resultsAnalysisStage")
    if stage is None:
        found.add(
            Severity.ERROR,
            "ctis.analysis_stage_missing",
            f"{_EU}/resultsAnalysisStage",
            "Say whether this summary reports an intermediate (INTERIM) or the FINAL analysis.",
            f"{_ANNEX_IV} A.5",
        )
    analyses = _list(eu.get("intermediateAnalyses"))
    if stage == "INTERIM" and not analyses:
        found.add(
            Severity.ERROR,
            "ctis.intermediate_analysis_missing",
            f"{_EU}/intermediateAnalyses",
            "An interim summary reports an intermediate analysis the protocol plans; add it with its date.",
            f"{_ART_37}(8); {_ANNEX_IV} A.5",
        )
    for index, analysis in enumerate(analyses):
        if not _dict(analysis).get("analysisDate"):
            found.add(
                Severity.ERROR,
                "ctis.intermediate_analysis_date_missing",
                f"{_EU}/intermediateAnalyses/{index}/analysisDate",
                "Give the date of the intermediate analysis; its summary of results is due one year later.",
                f"{_ART_37}(8)",
            )
