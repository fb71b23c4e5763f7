"""Roster import: row-level errors, nothing saved when any row is wrong, no personal data."""

from __future__ import annotations

import copy

import pytest

from submissions.audit import verify_chain
from submissions.domain import letters as domain_letters
from submissions.enums import AuditEventType, Role
from submissions.errors import DomainError
from submissions.letters.models import Participant
from submissions.letters.roster import RosterError, RowError
from submissions.letters.wording import wording_for
from submissions.models import AuditEvent
from tests.submissions import factories
from tests.submissions.letters.factories import add_sites, csv_bytes, letters_record, make_letters_trial


@pytest.fixture
def trial(org, people):
    trial = make_letters_trial(org, people)
    add_sites(trial, people)
    return trial


def roster(trial):
    return sorted(
        Participant.objects.filter(trial=trial).values_list(
            "subject_id", "site__code", "language", "arm", "wants_results"
        )
    )


def test_import_creates_participants_and_one_audit_event(trial, people):
    data = csv_bytes("P-001,S01,en,,yes", "P-002,S02,DE,,no")

    result = domain_letters.import_roster(trial, data, actor=people[Role.AUTHOR])

    assert (result.created, result.updated) == (2, 0)
    assert roster(trial) == [("P-001", "S01", "en", "", True), ("P-002", "S02", "de", "", False)]
    event = AuditEvent.objects.filter(event_type=AuditEventType.ROSTER_IMPORTED).get()
    assert (event.data["rows"], event.data["created"], event.data["updated"]) == (2, 2, 0)
    assert verify_chain()[1] is None


def test_reimport_updates_by_subject_id(trial, people):
    domain_letters.import_roster(trial, csv_bytes("P-001,S01,en,,yes"), actor=people[Role.AUTHOR])

    result = domain_letters.import_roster(trial, csv_bytes("P-001,S02,en,,no"), actor=people[Role.AUTHOR])

    assert (result.created, result.updated) == (0, 1)
    assert roster(trial) == [("P-001", "S02", "en", "", False)]


def test_every_wrong_row_is_named_and_nothing_is_saved(trial, people):
    data = csv_bytes(
        "P-001,S01,en,,yes",
        "P-002,S99,en,,yes",
        "P-003,S01,fr,,yes",
        "P-001,S01,en,,yes",
        "P-004,S01,en,Placebo,yes",
        "P-005,S01,en,,maybe",
    )

    with pytest.raises(RosterError) as raised:
        domain_letters.import_roster(trial, data, actor=people[Role.AUTHOR])

    assert [(e.row, e.column, e.code) for e in raised.value.errors] == [
        (3, "site", "roster.site_unknown"),
        (4, "language", "roster.language_unknown"),
        (5, "subject_id", "roster.subject_duplicate"),
        (6, "arm", "roster.arm_while_blinded"),
        (7, "wants_results", "roster.flag_invalid"),
    ]
    assert raised.value.errors[2].message == "subject id “P-001” is already on row 2"
    assert raised.value.code == "roster.invalid"
    assert roster(trial) == []
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ROSTER_IMPORTED).exists()


def test_arm_is_checked_against_the_record_once_unblinded(trial, people):
    domain_letters.set_trial_letters(trial, unblinded=True, actor=people[Role.APPROVER])
    data = csv_bytes("P-001,S01,en,Placebo,yes", "P-002,S01,en,Sugar pill,yes")

    with pytest.raises(RosterError) as raised:
        domain_letters.import_roster(trial, data, actor=people[Role.AUTHOR])

    assert raised.value.errors == [
        RowError(3, "arm", "roster.arm_unknown", "unknown arm “Sugar pill” (arms: Placebo, Trelanoxib 40 mg)")
    ]


def test_wrong_encoding_names_the_row(trial, people):
    data = "subject_id,site,language,arm,wants_results\nP-001,S01,en,,yes\nP-ü02,S01,en,,yes\n".encode(
        "latin-1"
    )

    with pytest.raises(RosterError) as raised:
        domain_letters.import_roster(trial, data, actor=people[Role.AUTHOR])

    assert [(e.row, e.code) for e in raised.value.errors] == [(3, "roster.encoding")]
    assert "0xfc is not UTF-8" in raised.value.errors[0].message


def test_a_name_column_is_refused(trial, people):
    data = csv_bytes("P-001,S01,en,,yes,Jane Doe", header="subject_id,site,language,arm,wants_results,name")

    with pytest.raises(RosterError) as raised:
        domain_letters.import_roster(trial, data, actor=people[Role.AUTHOR])

    assert [(e.row, e.code) for e in raised.value.errors] == [(1, "roster.columns")]
    assert "unknown: name" in raised.value.errors[0].message


def test_viewer_cannot_import_and_outsider_learns_nothing(trial, people, org):
    outsider = factories.make_user("outsider", org=factories.make_org("Sponsor B"), roles=(Role.ADMIN,))

    with pytest.raises(DomainError) as viewer:
        domain_letters.import_roster(trial, csv_bytes("P-001,S01,en,,yes"), actor=people[Role.VIEWER])
    with pytest.raises(DomainError) as other:
        domain_letters.import_roster(trial, csv_bytes("P-001,S01,en,,yes"), actor=outsider)

    assert (viewer.value.code, other.value.code) == ("role.required", "org.not_member")
    assert roster(trial) == []


def test_a_trial_once_unblinded_cannot_be_blinded_again(trial, people):
    domain_letters.set_trial_letters(trial, unblinded=True, actor=people[Role.APPROVER])

    with pytest.raises(DomainError) as raised:
        domain_letters.set_trial_letters(trial, unblinded=False, actor=people[Role.APPROVER])

    assert raised.value.code == "letters.already_unblinded"


def test_a_language_with_a_lay_summary_but_no_letter_wording_is_refused_on_its_row(org, people):
    record = letters_record()
    finnish = copy.deepcopy(record["laySummaries"][-1])
    finnish["language"] = "fi"
    record["laySummaries"].append(finnish)
    trial = factories.make_trial(org, people[Role.AUTHOR], record, reference="LET-FI")
    add_sites(trial, people)

    with pytest.raises(RosterError) as raised:
        domain_letters.import_roster(
            trial, csv_bytes("P-001,S01,en,,yes", "P-002,S01,fi,,yes"), actor=people[Role.AUTHOR]
        )

    assert raised.value.errors == [
        RowError(
            3,
            "language",
            "roster.language_no_letter_wording",
            "letters cannot be written in “fi” yet (letter languages: de, en, es, fr, it, nl)",
        )
    ]
    assert roster(trial) == []


@pytest.mark.parametrize("language", ["fr", "es", "it", "nl"])
def test_the_new_letter_languages_have_every_phrase_english_has(language):
    english, other = wording_for("en"), wording_for(language)

    assert other is not None
    assert english is not None
    assert (sorted(other), sorted(other["sections"])) == (sorted(english), sorted(english["sections"]))
    assert "{arm}" in other["your_arm"]
    assert all(isinstance(value, str) and value.strip() for key, value in other.items() if key != "sections")
