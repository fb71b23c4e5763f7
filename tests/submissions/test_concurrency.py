"""People acting on one trial or filing at the same moment: exactly one wins, the others get the coded
conflict, on PostgreSQL (row locks) and on SQLite (immediate transactions, busy timeout; see
config/settings.py), never a "database is locked" error."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from submissions import domain
from submissions.enums import FilingState, Role, Stage
from submissions.errors import DomainError
from submissions.models import Filing, Trial
from tests.submissions import factories


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_of_one_filing_exactly_one_wins(trial, people):
    # given a filing in review, loaded separately by the reviewer and by the approver
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.IN_REVIEW, people)
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def act(name: str, call: Any) -> None:
        try:
            copy = Filing.objects.get(pk=filing.pk)
            barrier.wait()
            call(copy)
            outcomes[name] = "won"
        except DomainError as error:
            outcomes[name] = error.code
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=act,
            args=("return", lambda f: domain.return_to_author(f, actor=people[Role.REVIEWER], remarks="No")),
        ),
        threading.Thread(target=act, args=("approve", lambda f: factories.sign(f, people[Role.APPROVER]))),
    ]
    # when both act at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one won and the other was told the filing changed underneath it
    filing.refresh_from_db()
    assert sorted(outcomes.values()) == ["filing.concurrent_change", "won"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    assert filing.state == {"return": FilingState.DRAFT, "approve": FilingState.APPROVED}[winner]
    from submissions.audit import verify_chain

    assert verify_chain()[1] is None


SAVERS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_saves_against_one_base_exactly_one_wins(trial, people, record):
    # given a trial whose head eight people loaded, each with a change of their own
    base = trial.head.sha256
    barrier = threading.Barrier(SAVERS)
    outcomes: dict[int, str] = {}

    def save(number: int) -> None:
        changed = factories.changed(record)
        changed["protocolSection"]["identificationModule"]["briefTitle"] += f" {number}"
        try:
            copy = Trial.objects.get(pk=trial.pk)
            barrier.wait()
            domain.save_record(copy, changed, base_sha256=base, actor=people[Role.AUTHOR])
            outcomes[number] = "won"
        except DomainError as error:
            outcomes[number] = error.code
        except Exception as error:
            outcomes[number] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(SAVERS)]
    # when all eight save at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one won, seven were told the record changed since they opened it, and the head is the winner's
    trial.refresh_from_db()
    winner = next(number for number, outcome in outcomes.items() if outcome == "won")
    assert sorted(outcomes.values()) == ["record.stale_base"] * (SAVERS - 1) + ["won"]
    assert (
        trial.head.based_on.sha256,
        trial.head.content["protocolSection"]["identificationModule"]["briefTitle"].endswith(f" {winner}"),
    ) == (base, True)
