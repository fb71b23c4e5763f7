"""Factories for roster and letter tests: a trial with English and German lay summaries, two arms
("Trelanoxib 40 mg", "Placebo") and two sites."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.models import User

from registries.enums import LAY_SUMMARY_SECTIONS
from submissions.domain import letters as domain_letters
from submissions.enums import Role, Stage
from submissions.letters.models import Site
from submissions.models import Organization, Trial
from tests.submissions import factories

GERMAN = {
    "language": "de",
    "audience": "ADULT",
    "title": "Was diese Studie gefunden hat",
    "sections": {name: f"Abschnitt {name} in einfachen Worten." for name in LAY_SUMMARY_SECTIONS},
}


def letters_record() -> dict[str, Any]:
    record = factories.fixture_record()
    record["laySummaries"].append(copy.deepcopy(GERMAN))
    return record


def make_letters_trial(org: Organization, people: dict[str, User], *, reference: str = "LET-1") -> Trial:
    return factories.make_trial(org, people[Role.AUTHOR], letters_record(), reference=reference)


def disclose(trial: Trial, people: dict[str, User]) -> None:
    """Every stage accepted by our record registry, up to the lay summary."""
    for stage in Stage.values:
        factories.complete_stage(trial, stage, people, ["record"])


def add_sites(trial: Trial, people: dict[str, User]) -> list[Site]:
    author = people[Role.AUTHOR]
    return [
        domain_letters.add_letter_site(
            trial, code="S01", name="Leeds Clinic", contact="0113 000 0000, leeds@example.org", actor=author
        ),
        domain_letters.add_letter_site(
            trial, code="S02", name="Klinik Wien", contact="+43 1 000 00, wien@example.org", actor=author
        ),
    ]


def csv_bytes(*rows: str, header: str = "subject_id,site,language,arm,wants_results") -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode("utf-8")
