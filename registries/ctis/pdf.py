"""The summary of results (CTR Annex IV, sections A to F) as a PDF for upload to CTIS.

Rendered from the CTIS JSON document (``registries.ctis.document``), so the PDF and the structured
payload say the same thing. Every value is escaped; the file is tagged PDF/UA-1 with fixed metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from registries.ctis.document import Record, summary_of_results, trial_information
from registries.ctis.vocab import EEA_COUNTRY_NAMES
from registries.pdf import css, document, escape, paragraphs, render_pdf


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "") -> str:
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="number">{escape(cell)}</td>' if isinstance(cell, int) else f"<td>{escape(cell)}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    if not body:
        return ""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{caption_html}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: Iterable[tuple[str, Any]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs if v not in (None, "", []))
    return f"<dl>{items}</dl>" if items else ""


def _date(struct: Any) -> str:
    if not isinstance(struct, dict):
        return ""
    return f"{struct.get('date', '')} ({str(struct.get('type', '')).lower()})"


def _group_titles(groups: Any) -> dict[str, str]:
    return {str(g.get("id")): str(g.get("title", g.get("id"))) for g in groups or [] if isinstance(g, dict)}


def _section_a(trial: dict[str, Any], part: dict[str, Any]) -> str:
    ids = trial.get("otherIdentifiers") or {}
    paediatric = trial.get("paediatric") or {}
    stage = part.get("analysisStage") or {}
    general = part.get("generalInformation") or {}
    population = part.get("population") or {}
    html = ["<h2>A. Trial information</h2>", "<h3>A.1-A.3 Identification and sponsor</h3>"]
    html.append(
        _facts(
            [
                ("EU trial number", trial.get("euCtNumber")),
                ("EudraCT number", trial.get("eudractNumber")),
                ("Full title", trial.get("fullTitle")),
                ("Public title", trial.get("publicTitle")),
                ("Sponsor protocol code", trial.get("sponsorProtocolCode")),
                ("ClinicalTrials.gov number", ids.get("nctNumber")),
                ("ISRCTN", ids.get("isrctn")),
                ("WHO universal trial number", ids.get("whoUtn")),
                ("Sponsor", (trial.get("sponsor") or {}).get("name")),
            ]
        )
    )
    html.append("<h3>A.4 Paediatric regulatory details</h3>")
    html.append(
        _facts(
            [
                ("Paediatric trial", _yes_no(paediatric.get("paediatricTrial"))),
                ("Part of a paediatric investigation plan", _yes_no(paediatric.get("partOfPip"))),
                ("PIP decision number", paediatric.get("pipNumber")),
                ("Paediatric Regulation Article 46 study", _yes_no(paediatric.get("article46"))),
            ]
        )
    )
    html.append("<h3>A.5 Result analysis stage</h3>")
    html.append(
        _facts(
            [
                ("Analysis stage", str(stage.get("stage", "")).capitalize() or None),
                ("End of trial in the EU/EEA", _date(stage.get("endOfTrialInEuEea")) or None),
                ("Global end of trial", _date(stage.get("globalEndOfTrial")) or None),
            ]
        )
    )
    html.append(
        _table(
            ["Intermediate analysis date", "Description"],
            [
                (a.get("analysisDate", ""), a.get("description", ""))
                for a in stage.get("intermediateAnalyses") or []
            ],
        )
    )
    html.append("<h3>A.6 General information</h3>")
    html.append(
        _facts(
            [
                ("Actual start date", _date(general.get("actualStartDate")) or None),
                ("Phase", ", ".join(_PHASES.get(p, p) for p in general.get("phases") or [])),
            ]
        )
    )
    html.append(paragraphs(general.get("mainObjective")))
    html.append("<h3>A.7 Population of subjects</h3>")
    html.append(
        _table(
            ["Country", "Participants"],
            [
                (_country(c["country"]), c["count"])
                for key in ("perMemberState", "perOtherEeaState", "perThirdCountry")
                for c in population.get(key) or []
            ],
            "Participants per country",
        )
    )
    html.append(
        _facts(
            [
                ("In the EU/EEA", population.get("inEuEea")),
                ("In third countries", population.get("inThirdCountries")),
                ("Total", population.get("total")),
            ]
        )
    )
    html.append(
        _table(
            ["Age category", "Participants"],
            [(a["category"], a["count"]) for a in population.get("byAgeCategory") or []],
        )
    )
    sex = population.get("bySex") or {}
    html.append(_table(["Sex", "Participants"], [(k.capitalize(), v) for k, v in sex.items()]))
    return "".join(html)


# API v2 phase codes as words.
_PHASES = {
    "EARLY_PHASE1": "Early phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "NA": "Not applicable",
}


def _country(code: str) -> str:
    """An EU/EEA state by name and code; another country by its ISO code."""
    name = EEA_COUNTRY_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _yes_no(value: Any) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _section_b(flow: dict[str, Any]) -> str:
    titles = _group_titles(flow.get("groups"))
    html = [
        "<h2>B. Subject disposition</h2>",
        paragraphs(flow.get("recruitmentDetails")),
        paragraphs(flow.get("preAssignmentDetails")),
    ]
    for period in flow.get("periods") or []:
        rows = []
        for milestone in period.get("milestones") or []:
            values = {a.get("groupId"): a.get("numSubjects", "") for a in milestone.get("achievements") or []}
            rows.append([milestone.get("type", "")] + [values.get(g, "") for g in titles])
        for reason in period.get("dropWithdraws") or []:
            values = {a.get("groupId"): a.get("numSubjects", "") for a in reason.get("reasons") or []}
            rows.append([f"Not completed: {reason.get('type', '')}"] + [values.get(g, "") for g in titles])
        html.append(_table(["Milestone", *titles.values()], rows, str(period.get("title", ""))))
    return "".join(html)


def _measure_table(measure: dict[str, Any], titles: dict[str, str]) -> str:
    rows = []
    for item in measure.get("classes") or []:
        for category in item.get("categories") or []:
            label = " / ".join(str(x) for x in (item.get("title"), category.get("title")) if x) or "-"
            values = {}
            for m in category.get("measurements") or []:
                spread = m.get("spread")
                low, high = m.get("lowerLimit"), m.get("upperLimit")
                value = str(m.get("value", ""))
                if spread:
                    value += f" ({spread})"
                elif low or high:
                    value += f" ({low} to {high})"
                values[m.get("groupId")] = value
            rows.append([label] + [values.get(g, "") for g in titles])
    unit = measure.get("unitOfMeasure", "")
    param = str(measure.get("paramType", "")).replace("_", " ").lower()
    dispersion = str(measure.get("dispersionType", "")).replace("_", " ").lower()
    caption = f"{measure.get('title', '')} ({param}{', ' + dispersion if dispersion else ''}; {unit})"
    return _table(["", *titles.values()], rows, caption)


def _section_c(baseline: dict[str, Any]) -> str:
    titles = _group_titles(baseline.get("groups"))
    html = ["<h2>C. Baseline characteristics</h2>", paragraphs(baseline.get("populationDescription"))]
    html += [_measure_table(m, titles) for m in baseline.get("measures") or [] if isinstance(m, dict)]
    return "".join(html)


def _section_d(endpoints: dict[str, Any]) -> str:
    html = ["<h2>D. End points</h2>"]
    for number, outcome in enumerate(endpoints.get("outcomeMeasures") or [], start=1):
        titles = _group_titles(outcome.get("groups"))
        kind = str(outcome.get("type", "")).capitalize()
        html.append(f"<h3>D.{number} {escape(kind)} end point: {escape(outcome.get('title', ''))}</h3>")
        html.append(paragraphs(outcome.get("description")))
        html.append(
            _facts(
                [
                    ("Time frame", outcome.get("timeFrame")),
                    ("Population", outcome.get("populationDescription")),
                ]
            )
        )
        html.append(_measure_table(outcome, titles))
        rows = [
            (
                ", ".join(titles.get(g, g) for g in a.get("groupIds") or []),
                a.get("statisticalMethod", ""),
                a.get("paramType", ""),
                a.get("paramValue", ""),
                f"{a.get('ciPctValue', '')}% CI {a.get('ciLowerLimit', '')} to {a.get('ciUpperLimit', '')}"
                if a.get("ciPctValue")
                else "",
                a.get("pValue", ""),
            )
            for a in outcome.get("analyses") or []
        ]
        html.append(
            _table(
                ["Comparison", "Method", "Parameter", "Estimate", "Confidence interval", "P-value"],
                rows,
                "Statistical analyses",
            )
        )
    return "".join(html)


def _section_e(events: dict[str, Any]) -> str:
    groups = [g for g in events.get("eventGroups") or [] if isinstance(g, dict)]
    titles = _group_titles(groups)
    html = [
        "<h2>E. Adverse events</h2>",
        _facts(
            [
                ("Time frame", events.get("timeFrame")),
                ("Assessment", events.get("description")),
                ("Frequency threshold for non-serious events (%)", events.get("frequencyThreshold")),
            ]
        ),
    ]
    html.append(
        _table(
            ["Reporting group", "Serious: affected / at risk", "Non-serious: affected / at risk", "Deaths"],
            [
                (
                    g.get("title", ""),
                    f"{g.get('seriousNumAffected', '')} / {g.get('seriousNumAtRisk', '')}",
                    f"{g.get('otherNumAffected', '')} / {g.get('otherNumAtRisk', '')}",
                    f"{g.get('deathsNumAffected', '')} / {g.get('deathsNumAtRisk', '')}",
                )
                for g in groups
            ],
            "Adverse event reporting groups",
        )
    )
    for key, caption in (
        ("seriousEvents", "Serious adverse events"),
        ("otherEvents", "Non-serious adverse events"),
    ):
        rows = []
        for event in events.get(key) or []:
            stats = {s.get("groupId"): s for s in event.get("stats") or []}
            rows.append(
                [event.get("organSystem", ""), event.get("term", "")]
                + [
                    f"{stats[g].get('numAffected', '')} / {stats[g].get('numAtRisk', '')}"
                    if g in stats
                    else ""
                    for g in titles
                ]
            )
        html.append(_table(["System organ class", "Term", *titles.values()], rows, caption))
    return "".join(html)


def _section_f(additional: dict[str, Any]) -> str:
    html = ["<h2>F. Additional information</h2>"]
    for key, caption in (
        ("globalSubstantialModifications", "Global substantial modifications"),
        ("globalInterruptions", "Global interruptions and restarts"),
    ):
        rows = [
            (e.get("date", ""), e.get("description", ""), e.get("restartDate", ""))
            for e in additional.get(key) or []
        ]
        html.append(
            _table(["Date", "Description", "Restart"], rows, caption) or f"<p>{escape(caption)}: none.</p>"
        )
    if additional.get("limitationsAndCaveats"):
        html.append("<h3>Limitations and caveats</h3>" + paragraphs(additional["limitationsAndCaveats"]))
    return "".join(html)


def summary_of_results_html(record: Record, *, page_size: str = "A4") -> str:
    trial = trial_information(record)
    summary = summary_of_results(record)
    title = "Summary of clinical trial results"
    number = trial.get("euCtNumber") or trial.get("sponsorProtocolCode") or ""
    heading = f"<h1>{escape(title)}: {escape(number)}</h1>"
    body = (
        heading
        + _section_a(trial, summary["A_trialInformation"])
        + _section_b(summary["B_subjectDisposition"])
        + _section_c(summary["C_baselineCharacteristics"])
        + _section_d(summary["D_endPoints"])
        + _section_e(summary["E_adverseEvents"])
        + _section_f(summary["F_additionalInformation"])
    )
    return document(title=title, language="en", body=body, style=css(page_size))


def render_summary_of_results_pdf(record: Record, *, page_size: str = "A4") -> bytes:
    """Annex IV sections A to F as a tagged PDF (PDF/UA-1, fonts embedded, fixed metadata)."""
    return render_pdf(summary_of_results_html(record, page_size=page_size))
