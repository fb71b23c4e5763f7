"""Layer 4: consistency across the results modules and with the registered protocol.

PRS checks IDs and IDREFs within one upload (RRSUploadSchema.xsd note 2; the generic rule
``rule.unknown_results_group`` reports a reference to no group) and NLM QC returns
"inconsistencies within participant flow, measures, analyses or the AE module, or with other parts of the
record" as Major Comments (prsinfo.clinicaltrials.gov/MajorComments.html). One function per rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from registries.ctgov.checks._support import (
    AE_PATH as _AE,
)
from registries.ctgov.checks._support import (
    BASELINE_PATH as _BASELINE,
)
from registries.ctgov.checks._support import (
    FLOW_PATH as _FLOW,
)
from registries.ctgov.checks._support import (
    MEASURES_PATH as _MEASURES,
)
from registries.ctgov.checks._support import (
    PROTOCOL,
    RESULTS,
    SOURCE_RESULTS_CONSISTENCY,
    count,
    finding,
    items,
    module,
    normal_title,
    text,
)
from registries.enums import Severity, Stage
from registries.findings import Finding

Path = tuple[str | int, ...]
Check = Callable[[dict[str, Any], Stage], Iterator[Finding]]


STARTED = "STARTED"
COMPLETED = "COMPLETED"
# API v2 derives "NOT COMPLETED" from STARTED minus COMPLETED; it is not a milestone the sponsor enters.
_DERIVED_MILESTONES = frozenset({"NOT COMPLETED", "NOT_COMPLETED"})


def _group_ids(groups: Any) -> set[str]:
    return {group["id"] for _, group in items(groups) if isinstance(group.get("id"), str)}


def _indexed_measures(record: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    return items(module(record, RESULTS, "outcomeMeasuresModule").get("outcomeMeasures"))


def _milestone_counts(milestone: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """groupId -> (count, index of the achievement)."""
    counts: dict[str, tuple[int, int]] = {}
    for index, entry in items(milestone.get("achievements")):
        value = count(entry.get("numSubjects"))
        if isinstance(entry.get("groupId"), str) and value is not None:
            counts[entry["groupId"]] = (value, index)
    return counts


def milestones_do_not_grow(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR: within a period no milestone counts more participants than STARTED, and a period does not
    start with more participants than the previous period completed."""
    flow = module(record, RESULTS, "participantFlowModule")
    previous_completed: dict[str, tuple[int, int]] | None = None
    for p_index, period in items(flow.get("periods")):
        milestones = list(items(period.get("milestones")))
        by_type = {text(m.get("type")).upper(): (i, m) for i, m in milestones}
        started_entry = by_type.get(STARTED)
        started = _milestone_counts(started_entry[1]) if started_entry else {}
        period_path = (*_FLOW, "periods", p_index, "milestones")
        for m_index, milestone in milestones:
            kind = text(milestone.get("type"))
            if kind.upper() in (STARTED, *_DERIVED_MILESTONES):
                continue
            for group_id, (value, a_index) in _milestone_counts(milestone).items():
                if group_id in started and value > started[group_id][0]:
                    yield finding(
                        Severity.ERROR,
                        "ctgov.flow.milestone_grows",
                        (*period_path, m_index, "achievements", a_index, "numSubjects"),
                        f"Milestone {kind!r} counts {value} in group {group_id!r}, more than the "
                        f"{started[group_id][0]} who started the period {text(period.get('title'))!r}.",
                        stage,
                        SOURCE_RESULTS_CONSISTENCY,
                    )
        if previous_completed is not None and started_entry is not None:
            for group_id, (value, a_index) in started.items():
                if group_id in previous_completed and value > previous_completed[group_id][0]:
                    yield finding(
                        Severity.ERROR,
                        "ctgov.flow.milestone_grows",
                        (*period_path, started_entry[0], "achievements", a_index, "numSubjects"),
                        f"Period {text(period.get('title'))!r} starts {value} in group {group_id!r}, "
                        f"more than the {previous_completed[group_id][0]} who completed the previous period.",
                        stage,
                        SOURCE_RESULTS_CONSISTENCY,
                    )
        completed_entry = by_type.get(COMPLETED)
        previous_completed = _milestone_counts(completed_entry[1]) if completed_entry else None


def _participant_denom(holder: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    for index, denom in items(holder.get("denoms")):
        if text(denom.get("units")).casefold() in ("participants", ""):
            return index, denom
    return None


def _baseline_total(baseline: dict[str, Any]) -> tuple[int, Path] | None:
    """The overall number of baseline participants: the "Total" group when there is one (API v2 adds it
    for more than one arm), else the only group."""
    found = _participant_denom(baseline)
    if found is None:
        return None
    d_index, denom = found
    groups = {
        text(group.get("id")): normal_title(group.get("title")) for _, group in items(baseline.get("groups"))
    }
    counts = list(items(denom.get("counts")))
    for c_index, entry in counts:
        if groups.get(text(entry.get("groupId"))) == "total" or len(counts) == 1:
            value = count(entry.get("value"))
            if value is not None:
                return value, (*_BASELINE, "denoms", d_index, "counts", c_index, "value")
    return None


def started_matches_baseline(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING: the number who started the first period equals the overall number of baseline participants,
    unless the baseline analysis population description explains the difference."""
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    if text(baseline.get("populationDescription")):
        return
    total = _baseline_total(baseline)
    first_period = next(items(module(record, RESULTS, "participantFlowModule").get("periods")), None)
    if total is None or first_period is None:
        return
    started = next(
        (m for _, m in items(first_period[1].get("milestones")) if text(m.get("type")).upper() == STARTED),
        None,
    )
    if started is None:
        return
    counts = _milestone_counts(started)
    if len(counts) != sum(1 for _ in items(started.get("achievements"))):
        return  # an unreadable count makes the total unknowable
    started_total = sum(value for value, _ in counts.values())
    if started_total != total[0]:
        yield finding(
            Severity.WARNING,
            "ctgov.flow.started_vs_baseline",
            total[1],
            f"{started_total} participants started the first period but the baseline counts {total[0]}; "
            "explain the difference in the baseline analysis population description.",
            stage,
            SOURCE_RESULTS_CONSISTENCY,
        )


def _group_sizes(record: dict[str, Any]) -> dict[str, int]:
    """Participants per arm/group title: the number who started the first period, or failing that the
    baseline count. Modules name the same arm with different IDs (FG000, BG000, OG000), so the title is
    the key."""
    sizes: dict[str, int] = {}
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    titles = {
        text(group.get("id")): normal_title(group.get("title")) for _, group in items(baseline.get("groups"))
    }
    found = _participant_denom(baseline)
    if found is not None:
        for _, entry in items(found[1].get("counts")):
            value = count(entry.get("value"))
            title = titles.get(text(entry.get("groupId")))
            if value is not None and title and title != "total":
                sizes[title] = value
    flow = module(record, RESULTS, "participantFlowModule")
    titles = {
        text(group.get("id")): normal_title(group.get("title")) for _, group in items(flow.get("groups"))
    }
    first_period = next(items(flow.get("periods")), None)
    if first_period is not None:
        for _, milestone in items(first_period[1].get("milestones")):
            if text(milestone.get("type")).upper() == STARTED:
                for group_id, (value, _) in _milestone_counts(milestone).items():
                    title = titles.get(group_id)
                    if title:
                        sizes[title] = max(value, sizes.get(title, 0))
    return sizes


def analyzed_within_group_size(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING: an outcome group never analyses more participants than its arm enrolled (matched by
    title to the participant flow and baseline groups)."""
    sizes = _group_sizes(record)
    if not sizes:
        return
    for o_index, measure in _indexed_measures(record):
        titles = {
            text(group.get("id")): normal_title(group.get("title"))
            for _, group in items(measure.get("groups"))
        }
        found = _participant_denom(measure)
        if found is None:
            continue
        d_index, denom = found
        for c_index, entry in items(denom.get("counts")):
            value = count(entry.get("value"))
            size = sizes.get(titles.get(text(entry.get("groupId"))) or "")
            if value is not None and size is not None and value > size:
                yield finding(
                    Severity.WARNING,
                    "ctgov.outcome.analyzed_exceeds_group",
                    (*_MEASURES, o_index, "denoms", d_index, "counts", c_index, "value"),
                    f"Outcome measure {text(measure.get('title'))!r} analyses {value} in group "
                    f"{entry.get('groupId')!r}, more than the {size} participants in that arm.",
                    stage,
                    SOURCE_RESULTS_CONSISTENCY,
                )


_GROUP_PAIRS = (
    ("deathsNumAffected", "deathsNumAtRisk", "deaths"),
    ("seriousNumAffected", "seriousNumAtRisk", "participants with serious adverse events"),
    ("otherNumAffected", "otherNumAtRisk", "participants with other adverse events"),
)
_EVENT_TOTAL = {"seriousEvents": "seriousNumAffected", "otherEvents": "otherNumAffected"}


def ae_affected_within_at_risk(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR: per group and per event, participants affected never exceed participants at risk, and no
    single event affects more participants than the group total for its table."""
    adverse = module(record, RESULTS, "adverseEventsModule")
    totals: dict[str, dict[str, int]] = {}
    for g_index, group in items(adverse.get("eventGroups")):
        group_name = text(group.get("title")) or text(group.get("id"))
        totals[text(group.get("id"))] = {
            k: v for k in _EVENT_TOTAL.values() if (v := count(group.get(k))) is not None
        }
        for affected_key, at_risk_key, label in _GROUP_PAIRS:
            affected, at_risk = count(group.get(affected_key)), count(group.get(at_risk_key))
            if affected is not None and at_risk is not None and affected > at_risk:
                yield finding(
                    Severity.ERROR,
                    "ctgov.ae.affected_exceeds_at_risk",
                    (*_AE, "eventGroups", g_index, affected_key),
                    f"Group {group_name!r} reports {affected} {label} out of {at_risk} at risk; "
                    "affected cannot exceed at risk.",
                    stage,
                    SOURCE_RESULTS_CONSISTENCY,
                )
    for kind, total_key in _EVENT_TOTAL.items():
        for e_index, event in items(adverse.get(kind)):
            for s_index, stats in items(event.get("stats")):
                affected, at_risk = count(stats.get("numAffected")), count(stats.get("numAtRisk"))
                path = (*_AE, kind, e_index, "stats", s_index, "numAffected")
                term = text(event.get("term"))
                if affected is not None and at_risk is not None and affected > at_risk:
                    yield finding(
                        Severity.ERROR,
                        "ctgov.ae.affected_exceeds_at_risk",
                        path,
                        f"Adverse event {term!r} affects {affected} of {at_risk} at risk in group "
                        f"{stats.get('groupId')!r}; affected cannot exceed at risk.",
                        stage,
                        SOURCE_RESULTS_CONSISTENCY,
                    )
                    continue
                group_total = totals.get(text(stats.get("groupId")), {}).get(total_key)
                if affected is not None and group_total is not None and affected > group_total:
                    yield finding(
                        Severity.ERROR,
                        "ctgov.ae.event_exceeds_group_total",
                        path,
                        f"Adverse event {term!r} affects {affected} in group {stats.get('groupId')!r}, "
                        f"more than the {group_total} the group reports as affected in total.",
                        stage,
                        SOURCE_RESULTS_CONSISTENCY,
                    )


def serious_not_also_other(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING [NLM Major Comments: serious adverse events not reported separately]: the other adverse
    event table excludes events already reported as serious (same term and organ system)."""
    adverse = module(record, RESULTS, "adverseEventsModule")
    serious = {
        (normal_title(event.get("term")), normal_title(event.get("organSystem")))
        for _, event in items(adverse.get("seriousEvents"))
    }
    for e_index, event in items(adverse.get("otherEvents")):
        key = (normal_title(event.get("term")), normal_title(event.get("organSystem")))
        if key[0] and key in serious:
            yield finding(
                Severity.WARNING,
                "ctgov.ae.serious_also_other",
                (*_AE, "otherEvents", e_index, "term"),
                f"Adverse event {text(event.get('term'))!r} is reported both as serious and as other; "
                "keep serious events in the serious table only, unless other occurrences were not serious.",
                stage,
                f"{SOURCE_RESULTS_CONSISTENCY}; NLM Major Comments: serious adverse events not reported "
                "separately",
            )


_REGISTERED_KIND = {
    "PRIMARY": "primaryOutcomes",
    "SECONDARY": "secondaryOutcomes",
    "OTHER_PRE_SPECIFIED": "otherOutcomes",
}


def outcomes_match_registration(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING: every reported primary, secondary and other pre-specified outcome measure was registered
    under the same type and title (NLM Major Comments: inconsistency with other parts of the record). The
    converse, a registered outcome without results, is ``results_content.registered_outcomes_reported``."""
    outcomes = module(record, PROTOCOL, "outcomesModule")
    registered = {
        kind: {normal_title(o.get("measure")): index for index, o in items(outcomes.get(kind))}
        for kind in _REGISTERED_KIND.values()
    }
    for o_index, measure in _indexed_measures(record):
        kind = _REGISTERED_KIND.get(text(measure.get("type")))
        if kind is None:
            continue
        title = normal_title(measure.get("title"))
        if title not in registered[kind]:
            yield finding(
                Severity.WARNING,
                "ctgov.outcome.not_registered",
                (*_MEASURES, o_index, "title"),
                f"Reported {measure.get('type')} outcome {text(measure.get('title'))!r} does not match "
                f"any registered {measure.get('type')} outcome title; make the results title and type match "
                "the protocol section.",
                stage,
                SOURCE_RESULTS_CONSISTENCY,
            )


CONSISTENCY_CHECKS: tuple[Check, ...] = (
    milestones_do_not_grow,
    started_matches_baseline,
    analyzed_within_group_size,
    ae_affected_within_at_risk,
    serious_not_also_other,
    outcomes_match_registration,
)


def check_consistency(record: dict[str, Any], stage: Stage) -> list[Finding]:
    """Layer 4: the results consistency rules. A record without results yields nothing."""
    out: list[Finding] = []
    if not isinstance(record, dict) or not isinstance(record.get(RESULTS), dict):
        return out
    for check in CONSISTENCY_CHECKS:
        out.extend(check(record, stage))
    return out
