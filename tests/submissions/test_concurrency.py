"""Two people transitioning one filing at the same moment: exactly one wins (PostgreSQL only)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from submissions import domain
from submissions.enums import FilingState, Role, Stage
from submissions.errors import DomainError
from submissions.models import Filing
from tests.submissions import factories


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_of_one_filing_exactly_one_wins(trial, people):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks between connections; SQLite serialises the whole database")
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
