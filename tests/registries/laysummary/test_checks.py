"""Plain-language checks of a lay summary: sections, readability, sentences, terms, numbers."""

from __future__ import annotations

from registries.enums import LAY_SUMMARY_SECTIONS, Severity, Stage
from registries.findings import Finding
from registries.laysummary.checks import (
    SOURCE_NUMBERS,
    SOURCE_SECTIONS,
    SOURCE_SENTENCES,
    SOURCE_TERMS,
    check_lay_summary,
    lay_summary_findings,
    score,
    split_sentences,
    terms_for,
)

SECTIONS = "/laySummaries/2/sections"
PLAIN = "We tested a new pill. It helped people sleep. Most people felt fine."


def summary(language: str = "en", **sections: str) -> dict[str, object]:
    texts = {name: PLAIN for name in LAY_SUMMARY_SECTIONS}
    texts.update(sections)
    return {"language": language, "title": "A trial", "sections": texts}


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.pointer) for f in findings]


def test_plain_complete_summary_has_no_findings() -> None:
    report = check_lay_summary(summary())

    assert report.findings == []
    assert report.hard_sentences == []


def test_missing_and_blank_sections_are_errors_naming_the_section() -> None:
    given = summary()
    del given["sections"]["population"]  # type: ignore[attr-defined]
    given["sections"]["overallResults"] = "   "  # type: ignore[index]

    report = check_lay_summary(given, index=2)

    assert [(f.severity, f.code, f.pointer, f.source) for f in report.findings] == [
        (
            Severity.ERROR,
            "laysummary.section_missing",
            "/laySummaries/2/sections/population",
            SOURCE_SECTIONS,
        ),
        (
            Severity.ERROR,
            "laysummary.section_missing",
            "/laySummaries/2/sections/overallResults",
            SOURCE_SECTIONS,
        ),
    ]
    assert {f.stage for f in report.findings} == {Stage.LAY_SUMMARY}


def test_english_scores_use_flesch_kincaid_and_smog() -> None:
    scores = score(PLAIN, "en-GB")

    assert (scores.words, scores.sentences) == (13, 3)
    assert (scores.reading_ease or 0) > 80
    assert (scores.grade or 99) < 4
    assert scores.smog is not None


def test_german_uses_its_own_formulas_and_no_smog() -> None:
    scores = score("Wir haben eine neue Tablette getestet. Sie hat geholfen.", "de-AT")

    assert scores.smog is None
    assert scores.grade is not None
    assert scores.reading_ease is not None


def test_language_without_formula_gets_a_note_and_no_scores() -> None:
    report = check_lay_summary(summary(language="fi"))

    assert codes(report.findings) == [("laysummary.readability_unscored", "/laySummaries/0/language")]
    assert report.overall.grade is None


def test_hard_section_is_above_target_and_its_sentence_is_highlighted() -> None:
    hard = (
        "Participants demonstrated substantially heterogeneous physiological characteristics. "
        "It helped people sleep."
    )

    report = check_lay_summary(summary(generalInformation=hard), target_grade=8)

    assert codes(report.findings) == [
        ("laysummary.grade_above_target", "/laySummaries/0/sections/generalInformation")
    ]
    assert [(s.section, s.text, s.too_hard, s.too_long) for s in report.hard_sentences] == [
        (
            "generalInformation",
            "Participants demonstrated substantially heterogeneous physiological characteristics.",
            True,
            False,
        )
    ]


def test_target_grade_is_a_parameter() -> None:
    hard = "Participants demonstrated substantially heterogeneous physiological characteristics."

    report = check_lay_summary(summary(generalInformation=hard), target_grade=50)

    assert report.findings == []


def test_sentence_over_the_limit_is_a_warning_with_its_length() -> None:
    long = " ".join(["We"] + ["saw"] * 11) + "."

    report = check_lay_summary(summary(population=long), sentence_word_limit=10, target_grade=99)

    assert [(f.code, f.source, f.details) for f in report.findings] == [
        ("laysummary.sentence_too_long", SOURCE_SENTENCES, {"sentence": long, "words": 12})
    ]


def test_unexplained_term_is_reported_once_at_its_first_use() -> None:
    text = "Some people got a placebo. The placebo group did well."

    report = check_lay_summary(summary(investigationalProducts=text, overallResults="The placebo was fine."))

    assert [(f.code, f.pointer, f.source, f.details) for f in report.findings] == [
        (
            "laysummary.term_unexplained",
            "/laySummaries/0/sections/investigationalProducts",
            SOURCE_TERMS,
            {"term": "placebo", "sentence": "Some people got a placebo."},
        )
    ]


def test_term_explained_in_brackets_or_in_the_next_sentence_is_fine() -> None:
    brackets = "Some people got a placebo (a dummy pill with no medicine in it)."
    next_sentence = "The trial was randomised. This means a computer chose each group by chance."

    report = check_lay_summary(summary(investigationalProducts=brackets, generalInformation=next_sentence))

    assert report.findings == []


def test_spelling_variants_count_as_the_same_term() -> None:
    report = check_lay_summary(summary(generalInformation="The trial was randomized."))

    assert [(f.code, f.details["term"]) for f in report.findings] == [
        ("laysummary.term_unexplained", "randomised")
    ]


def test_term_list_is_maintained_per_language() -> None:
    english = [spellings[0] for spellings in terms_for("en-US")]

    assert {"randomised", "placebo", "adverse event", "p-value", "efficacy"} <= set(english)
    assert terms_for("de")[0][0] == "randomisiert"
    assert terms_for("xx") == []


def test_percentage_needs_its_frequency_and_decimals_get_a_note() -> None:
    bare = "About 20% of people slept better."
    framed = "20 out of 100 people (20%) slept better."
    decimal = "They slept 1.5 hours more."

    report = check_lay_summary(summary(overallResults=f"{bare} {framed} {decimal}"))

    assert [(f.severity, f.code, f.source, f.details) for f in report.findings] == [
        (Severity.WARNING, "laysummary.percentage_without_frequency", SOURCE_NUMBERS, {"sentence": bare}),
        (Severity.NOTE, "laysummary.decimal_number", SOURCE_NUMBERS, {"sentence": decimal}),
    ]


def test_markdown_markers_do_not_count_and_list_items_are_sentences() -> None:
    assert split_sentences("## Results\n- *Most* people slept.\n- Some did not") == [
        "Results",
        "Most people slept.",
        "Some did not",
    ]


def test_record_without_an_english_summary_is_an_error() -> None:
    record = {"laySummaries": [summary(language="de")]}

    findings = lay_summary_findings(record)

    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.ERROR, "laysummary.english_missing", "/laySummaries")
    ]


def test_record_without_lay_summaries_has_no_lay_findings() -> None:
    assert lay_summary_findings({"protocolSection": {}}) == []
