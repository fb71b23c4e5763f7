"""Plain-language checks of a lay summary (CTR 536/2014 Art. 37(4) and Annex V): every section present,
readability per section and overall, long sentences, unexplained technical terms and numbers.

Pure Python (no Django). The target grade and sentence limit are parameters: the organization's
settings choose them (the EU expert group's guidance asks for text a layperson understands and leaves
the measure to the sponsor: Summaries of Clinical Trial Results for Laypersons, version 2, 5 February
2018, sections 5 to 7 and Annex 3, "Examples of readability tests by country").
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # textstat 0.7.4 reads its word lists through pkg_resources, which warns on import. Later
    # textstat releases either download NLTK data at run time (0.7.10+: this must run offline) or
    # install a top-level ``tests`` package that shadows ours (0.7.7 to 0.7.9), hence the pin.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    from textstat.textstat import textstatistics

from registries.enums import LAY_SUMMARY_SECTIONS, Severity, Stage
from registries.findings import Finding, pointer

DEFAULT_TARGET_GRADE = 8
DEFAULT_SENTENCE_WORD_LIMIT = 25

GUIDANCE = "EU expert group, Summaries of Clinical Trial Results for Laypersons, v2 (5 February 2018)"
SOURCE_SECTIONS = "Regulation (EU) 536/2014 Art. 37(4) and Annex V (all ten items)"
SOURCE_READABILITY = f"{GUIDANCE}, section 6 and Annex 3 (readability tests by country)"
SOURCE_SENTENCES = f"{GUIDANCE}, section 5 (short sentences)"
SOURCE_TERMS = (
    f"{GUIDANCE}, sections 5 and 6 (explain technical terms); term list registries/laysummary/terms.json"
)
SOURCE_NUMBERS = f"{GUIDANCE}, section 7 (numeracy: give frequencies with percentages, avoid decimals)"

TERMS_FILE = Path(__file__).with_name("terms.json")

# A sentence ends at ., ! or ? followed by space and an upper-case letter, a digit or a quote, or at a
# line break (Markdown lists and headings). "e.g." and "i.e." are not ends.
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<=[.!?])\s+(?=[\"'“(\[A-ZÀ-ÖØ-Þ0-9])|\n+")
_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)|[*_`]+", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%|\bper ?cent\b|\bProzent\b", re.IGNORECASE)
_FREQUENCY = re.compile(
    r"\b\d[\d,.]*\s+(?:out of|of|in|von|aus)\s+(?:every\s+|the\s+)?\d[\d,.]*\b", re.IGNORECASE
)
_DECIMAL = re.compile(r"(?<![\d.])\d+[.,]\d+(?![\d.,]*\d)")


@dataclass(frozen=True, slots=True)
class LanguageFormulas:
    """The readability formulas textstat offers for one language (its ``set_lang`` adjusts Flesch's
    constants: Amstad for German, Fernández Huerta for Spanish, Kandel and Moles for French...)."""

    language: str
    reading_ease: bool
    # The formula giving a school grade, or "" when textstat has none for the language.
    grade: str
    smog: bool


_FORMULAS: dict[str, LanguageFormulas] = {
    "en": LanguageFormulas("en", reading_ease=True, grade="flesch_kincaid_grade", smog=True),
    # Wiener Sachtextformel (Bamberger and Vanecek 1984) gives a German school grade.
    "de": LanguageFormulas("de", reading_ease=True, grade="wiener_sachtextformel", smog=False),
    # Crawford (1989) gives years of schooling for Spanish.
    "es": LanguageFormulas("es", reading_ease=True, grade="crawford", smog=False),
    "fr": LanguageFormulas("fr", reading_ease=True, grade="", smog=False),
    "it": LanguageFormulas("it", reading_ease=True, grade="", smog=False),
    "nl": LanguageFormulas("nl", reading_ease=True, grade="", smog=False),
    "ru": LanguageFormulas("ru", reading_ease=True, grade="", smog=False),
}


@dataclass(frozen=True, slots=True)
class Scores:
    """Readability of one text. ``None`` where the language has no such formula or the text is empty."""

    words: int
    sentences: int
    reading_ease: float | None
    grade: float | None
    smog: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "reading_ease": self.reading_ease,
            "grade": self.grade,
            "smog": self.smog,
        }


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence that pulls a section's scores down, and why."""

    section: str
    text: str
    words: int
    grade: float | None
    too_long: bool
    too_hard: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "text": self.text,
            "words": self.words,
            "grade": self.grade,
            "too_long": self.too_long,
            "too_hard": self.too_hard,
        }


@dataclass(frozen=True, slots=True)
class LaySummaryReport:
    """Everything the checks found in one lay summary: scores for the page, findings for the stage."""

    language: str
    target_grade: float
    sentence_word_limit: int
    overall: Scores
    sections: dict[str, Scores]
    hard_sentences: list[Sentence]
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "target_grade": self.target_grade,
            "sentence_word_limit": self.sentence_word_limit,
            "overall": self.overall.as_dict(),
            "sections": {name: scores.as_dict() for name, scores in self.sections.items()},
            "hard_sentences": [s.as_dict() for s in self.hard_sentences],
            "findings": [f.as_dict() for f in self.findings],
        }


def base_language(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag: "de-AT" -> "de"."""
    return tag.split("-", 1)[0].lower()


def plain_text(text: str) -> str:
    """The words of a section without Markdown markers, so they do not count as words or sentences."""
    return _MARKDOWN.sub("", text)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(plain_text(text)) if s and s.strip()]


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def score(text: str, language: str) -> Scores:
    """textstat's scores for ``text`` with the formulas of ``language`` (a BCP 47 tag)."""
    sentences = split_sentences(text)
    words = count_words(text)
    formulas = _FORMULAS.get(base_language(language))
    if not words or formulas is None:
        return Scores(words=words, sentences=len(sentences), reading_ease=None, grade=None, smog=None)
    # One instance per call: textstat's module-level object keeps the language as global state.
    stats = textstatistics()
    stats.set_lang(formulas.language)
    # Our own sentence split (Markdown lines, abbreviations) joined so textstat counts the same sentences.
    joined = " ".join(s if s[-1] in ".!?" else s + "." for s in sentences)
    reading_ease = round(float(stats.flesch_reading_ease(joined)), 1) if formulas.reading_ease else None
    grade = round(float(_grade(stats, formulas.grade, joined)), 1) if formulas.grade else None
    # SMOG is defined on at least 30 sentences (McLaughlin 1969); textstat answers 0 below 3.
    smog = round(float(stats.smog_index(joined)), 1) if formulas.smog and len(sentences) >= 3 else None
    return Scores(words=words, sentences=len(sentences), reading_ease=reading_ease, grade=grade, smog=smog)


def _grade(stats: textstatistics, formula: str, text: str) -> float:
    if formula == "wiener_sachtextformel":
        # Variant 1, the one for prose (Bamberger and Vanecek 1984).
        return float(stats.wiener_sachtextformel(text, 1))
    return float(getattr(stats, formula)(text))


@cache
def _term_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TERMS_FILE.read_text(encoding="utf-8"))
    return data


def terms_for(language: str) -> list[list[str]]:
    """The maintained term list for a language: each entry is the spellings of one term."""
    terms: list[list[str]] = _term_data()["terms"].get(base_language(language), [])
    return terms


def _term_pattern(spellings: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so "serious adverse event" is not read as "adverse event".
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _explained(sentence: str, start: int, end: int, next_sentence: str, language: str) -> bool:
    data = _term_data()
    lang = base_language(language)
    after = sentence[end:].lower()
    before = sentence[:start].lower().rstrip()
    if any(marker in after for marker in data["explanation_markers"].get(lang, [])):
        return True
    if any(before.endswith(word) for word in data["introducers"].get(lang, [])):
        return True
    following = next_sentence.lower()
    return any(following.startswith(opening) for opening in data["next_sentence_explains"].get(lang, []))


def _unexplained_terms(
    sections: dict[str, str], language: str, base: tuple[str | int, ...]
) -> Iterable[Finding]:
    """One finding per term whose first use is not explained (later uses may rely on the first)."""
    ordered = [(name, split_sentences(sections[name])) for name in LAY_SUMMARY_SECTIONS if sections.get(name)]
    for spellings in terms_for(language):
        pattern = _term_pattern(spellings)
        first = next(
            (
                (name, sentences, i, match)
                for name, sentences in ordered
                for i, sentence in enumerate(sentences)
                for match in [pattern.search(sentence)]
                if match
            ),
            None,
        )
        if first is None:
            continue
        name, sentences, i, match = first
        following = sentences[i + 1] if i + 1 < len(sentences) else ""
        if _explained(sentences[i], match.start(), match.end(), following, language):
            continue
        yield Finding(
            severity=Severity.WARNING,
            code="laysummary.term_unexplained",
            pointer=pointer(*base, "sections", name),
            message=(
                f"“{match.group(0)}” is a technical term; explain it in plain words where it is first "
                "used (for example in brackets, or “this means …” in the next sentence)."
            ),
            source=SOURCE_TERMS,
            details={"term": spellings[0], "sentence": sentences[i]},
        )


def _number_findings(name: str, text: str, base: tuple[str | int, ...]) -> Iterable[Finding]:
    for sentence in split_sentences(text):
        if _PERCENT.search(sentence) and not _FREQUENCY.search(sentence):
            yield Finding(
                severity=Severity.WARNING,
                code="laysummary.percentage_without_frequency",
                pointer=pointer(*base, "sections", name),
                message=(
                    "Give a percentage with the numbers it comes from, such as “15 out of 100 people (15%)”."
                ),
                source=SOURCE_NUMBERS,
                details={"sentence": sentence},
            )
        decimal = _DECIMAL.search(sentence)
        if decimal:
            yield Finding(
                severity=Severity.NOTE,
                code="laysummary.decimal_number",
                pointer=pointer(*base, "sections", name),
                message=f"Round “{decimal.group(0)}” to a whole number unless readers need the decimals.",
                source=SOURCE_NUMBERS,
                details={"sentence": sentence},
            )


def check_lay_summary(
    summary: dict[str, Any],
    *,
    index: int = 0,
    target_grade: float = DEFAULT_TARGET_GRADE,
    sentence_word_limit: int = DEFAULT_SENTENCE_WORD_LIMIT,
) -> LaySummaryReport:
    """Check one ``laySummaries[index]`` entry of a record. Missing or blank sections are errors (Annex V
    asks for all ten); readability above ``target_grade``, long sentences, unexplained terms and numbers
    are warnings or notes for the author to weigh."""
    tag = summary.get("language")
    language = tag if isinstance(tag, str) else ""
    raw_sections = summary.get("sections")
    sections: dict[str, str] = {}
    if isinstance(raw_sections, dict):
        sections = {k: v for k, v in raw_sections.items() if isinstance(v, str)}
    base: tuple[str | int, ...] = ("laySummaries", index)
    findings: list[Finding] = []
    for name in LAY_SUMMARY_SECTIONS:
        if not sections.get(name, "").strip():
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="laysummary.section_missing",
                    pointer=pointer(*base, "sections", name),
                    message=f"The Annex V section “{name}” is missing or blank.",
                    stage=Stage.LAY_SUMMARY,
                    source=SOURCE_SECTIONS,
                )
            )
    present = {name: sections[name] for name in LAY_SUMMARY_SECTIONS if sections.get(name, "").strip()}
    section_scores = {name: score(text, language) for name, text in present.items()}
    overall = score("\n".join(present.values()), language)
    if overall.words and base_language(language) not in _FORMULAS:
        findings.append(
            Finding(
                severity=Severity.NOTE,
                code="laysummary.readability_unscored",
                pointer=pointer(*base, "language"),
                message=f"No readability formula is available for “{language}”; have a lay reader test it.",
                source=SOURCE_READABILITY,
            )
        )
    for name, scores in section_scores.items():
        if scores.grade is not None and scores.grade > target_grade:
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code="laysummary.grade_above_target",
                    pointer=pointer(*base, "sections", name),
                    message=(
                        f"This section reads at grade {scores.grade:g}; the target is {target_grade:g}. "
                        "Use shorter sentences and everyday words."
                    ),
                    source=SOURCE_READABILITY,
                    details={"grade": scores.grade, "target": target_grade},
                )
            )
    hard: list[Sentence] = []
    formulas = _FORMULAS.get(base_language(language))
    for name, text in present.items():
        for sentence in split_sentences(text):
            words = count_words(sentence)
            grade = score(sentence, language).grade if formulas and formulas.grade else None
            too_long = words > sentence_word_limit
            too_hard = grade is not None and grade > target_grade
            if too_long or too_hard:
                hard.append(Sentence(name, sentence, words, grade, too_long, too_hard))
            if too_long:
                findings.append(
                    Finding(
                        severity=Severity.WARNING,
                        code="laysummary.sentence_too_long",
                        pointer=pointer(*base, "sections", name),
                        message=f"A sentence has {words} words (limit {sentence_word_limit}): split it.",
                        source=SOURCE_SENTENCES,
                        details={"sentence": sentence, "words": words},
                    )
                )
        findings.extend(_number_findings(name, text, base))
    findings.extend(_unexplained_terms(present, language, base))
    hard.sort(key=lambda s: (-(s.grade or 0), -s.words))
    findings = [
        Finding(f.severity, f.code, f.pointer, f.message, f.registry, Stage.LAY_SUMMARY, f.source, f.details)
        for f in findings
    ]
    return LaySummaryReport(
        language=language,
        target_grade=target_grade,
        sentence_word_limit=sentence_word_limit,
        overall=overall,
        sections=section_scores,
        hard_sentences=hard,
        findings=findings,
    )


def lay_summary_findings(
    record: dict[str, Any],
    *,
    target_grade: float = DEFAULT_TARGET_GRADE,
    sentence_word_limit: int = DEFAULT_SENTENCE_WORD_LIMIT,
) -> list[Finding]:
    """The findings of every lay summary in the record, and an error when none is in English: our
    product rule (issue 12), as the English summary is the reference that translations follow."""
    summaries = record.get("laySummaries") if isinstance(record, dict) else None
    if not isinstance(summaries, list):
        return []
    findings: list[Finding] = []
    languages = []
    for i, summary in enumerate(summaries):
        if not isinstance(summary, dict):
            continue
        report = check_lay_summary(
            summary, index=i, target_grade=target_grade, sentence_word_limit=sentence_word_limit
        )
        languages.append(base_language(report.language))
        findings.extend(report.findings)
    if languages and "en" not in languages:
        findings.append(
            Finding(
                severity=Severity.ERROR,
                code="laysummary.english_missing",
                pointer=pointer("laySummaries"),
                message="Add an English lay summary; other languages are translations of it.",
                stage=Stage.LAY_SUMMARY,
                source="Product rule (issue 12): an English lay summary is required",
            )
        )
    return findings
