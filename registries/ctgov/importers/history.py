"""The filings a ClinicalTrials.gov record shows: its registry history, read from the dates it publishes.

ClinicalTrials.gov dates (Data Element Definitions, "Study Record Dates" and "Results Dates"; public
XML schema notes of 2018-05-09 on ``pending_results``):

- ``studyFirstSubmitDate`` / ``resultsFirstSubmitDate``: the day the first version reached PRS review.
- ``studyFirstSubmitQcDate`` / ``resultsFirstSubmitQcDate``: the submission day of the version that
  passed quality-control review. Later than the first submission, it shows that the earlier versions were
  returned with QC comments (the day of that return is not published).
- ``studyFirstPostDateStruct`` / ``resultsFirstPostDateStruct``: the day the accepted version was posted.
- While results are in QC review and not yet posted, API v2 shows the review cycles in
  ``derivedSection.miscInfoModule.submissionTracking.submissionInfos`` (``releaseDate``: submitted;
  ``resetDate``: returned with QC comments; ``unreleaseDate``: withdrawn by the sponsor) and the first
  submission day in ``estimatedResultsFirstSubmitDate``; the retired public XML in ``pending_results``
  (``submitted``, ``returned``, ``submission_canceled``).

ClinicalTrials.gov posts registration and protocol summary as one record, so the registration's history
is the protocol summary's too (``submissions.domain.imports`` files both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from registries.enums import HistoryOutcome, Stage
from registries.importers import RegistryFiling

REGISTRY = "ctgov"
# ClinicalTrials.gov posts registration and protocol summary as one record: a registration filing counts
# for both stages.
STAGES_OF_HISTORY: dict[str, tuple[str, ...]] = {
    Stage.REGISTRATION.value: (Stage.REGISTRATION.value, Stage.PROTOCOL_SUMMARY.value),
    Stage.RESULTS.value: (Stage.RESULTS.value,),
}
_STATUS = "/protocolSection/statusModule"


@dataclass(frozen=True, slots=True)
class ReviewCycle:
    """One release of results to PRS review and how it ended (neither returned nor cancelled: still in
    review). A cancellation's day may be unknown (public XML: "Unknown" before 2018-05-08)."""

    submitted_on: str
    returned: bool = False
    returned_on: str | None = None
    cancelled: bool = False
    cancelled_on: str | None = None
    source: str = ""


def _day(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("date")
    if isinstance(value, str) and len(value) == 10:
        return value
    return None


def _first_cycle(
    stage: Stage, submitted: str | None, passed_qc: str | None, posted: str | None, source: str
) -> list[RegistryFiling]:
    if submitted is None:
        return []
    outcome = HistoryOutcome.ACCEPTED if posted else HistoryOutcome.PENDING
    if passed_qc and passed_qc > submitted:
        return [
            RegistryFiling(REGISTRY, stage, submitted, HistoryOutcome.RETURNED, None, source),
            RegistryFiling(REGISTRY, stage, passed_qc, outcome, posted, source),
        ]
    return [RegistryFiling(REGISTRY, stage, submitted, outcome, posted, source)]


def _results_from_cycles(
    cycles: Iterable[ReviewCycle], passed_qc: str | None, posted: str | None
) -> list[RegistryFiling]:
    filings: list[RegistryFiling] = []
    for cycle in sorted(cycles, key=lambda c: c.submitted_on):
        if posted and cycle.submitted_on > posted:
            # A release after the results were posted is an update of posted results, not their
            # first reporting; the record's update dates carry it.
            continue
        responded: str | None
        if cycle.returned or cycle.returned_on:
            outcome, responded = HistoryOutcome.RETURNED, cycle.returned_on
        elif cycle.cancelled or cycle.cancelled_on:
            outcome, responded = HistoryOutcome.CANCELLED, cycle.cancelled_on
        elif posted and (passed_qc is None or cycle.submitted_on == passed_qc):
            outcome, responded = HistoryOutcome.ACCEPTED, posted
        else:
            outcome, responded = HistoryOutcome.PENDING, None
        filings.append(
            RegistryFiling(REGISTRY, Stage.RESULTS, cycle.submitted_on, outcome, responded, cycle.source)
        )
    return filings


def registry_history(
    status: Mapping[str, Any],
    cycles: Iterable[ReviewCycle] = (),
    estimated_results_submit: str | None = None,
    *,
    status_source: str = _STATUS,
    estimate_source: str = "",
) -> list[RegistryFiling]:
    """The registration and results filings a record's dates show, oldest first.

    ``status`` is the record's statusModule; ``cycles`` the results review cycles of a submission not yet
    posted; ``estimated_results_submit`` the first results submission day of such a one.
    """
    history = _first_cycle(
        Stage.REGISTRATION,
        _day(status.get("studyFirstSubmitDate")),
        _day(status.get("studyFirstSubmitQcDate")),
        _day(status.get("studyFirstPostDateStruct")),
        status_source,
    )
    passed_qc = _day(status.get("resultsFirstSubmitQcDate"))
    posted = _day(status.get("resultsFirstPostDateStruct"))
    results = _results_from_cycles(cycles, passed_qc, posted)
    if not results:
        results = _first_cycle(
            Stage.RESULTS, _day(status.get("resultsFirstSubmitDate")), passed_qc, posted, status_source
        )
    if not results and estimated_results_submit:
        results = [
            RegistryFiling(
                REGISTRY,
                Stage.RESULTS,
                estimated_results_submit,
                HistoryOutcome.PENDING,
                None,
                estimate_source,
            )
        ]
    return history + results


__all__ = ["STAGES_OF_HISTORY", "ReviewCycle", "registry_history"]
