"""The embedded default's SQLite engine (config/sqlite/base.py): a transaction takes a file lock next to
the database first, so a second writer waits for it and gets it as soon as it is free, or fails as SQLite
would once the busy timeout has passed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from config.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker: Any) -> Any:
    # These tests open their own database files, not the test database pytest-django guards.
    with django_db_blocker.unblock():
        yield


def _wrapper(name: str, timeout: float = 5) -> DatabaseWrapper:
    settings: dict[str, Any] = {
        **connection.settings_dict,
        "ENGINE": "config.sqlite",
        "NAME": name,
        "OPTIONS": {"timeout": timeout, "transaction_mode": "IMMEDIATE"},
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=f"lock-test-{name}")


def _begin(wrapper: DatabaseWrapper) -> None:
    # As transaction.atomic begins one: BEGIN IMMEDIATE, after the file lock.
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(wrapper: DatabaseWrapper) -> None:
    wrapper.commit()
    wrapper.set_autocommit(True)


def test_a_second_writer_waits_for_the_first_and_then_goes_on(tmp_path: Path) -> None:
    database = str(tmp_path / "db.sqlite3")
    first = _wrapper(database)
    events: list[str] = []
    _begin(first)
    first.cursor().execute("CREATE TABLE t (n INTEGER)")

    def writer() -> None:
        second = _wrapper(database)  # a connection belongs to the thread that made it
        _begin(second)
        events.append("second began")
        second.cursor().execute("INSERT INTO t VALUES (2)")
        _end(second)
        second.close()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(timeout=0.3)  # still waiting: the first holds the lock
    events.append("first commits")
    _end(first)
    thread.join(timeout=10)
    rows = first.cursor().execute("SELECT n FROM t").fetchall()
    first.close()
    assert (events, rows, Path(f"{database}.writer-lock").exists()) == (
        ["first commits", "second began"],
        [(2,)],
        True,
    )


def test_a_writer_gives_up_after_the_busy_timeout_as_sqlite_would(tmp_path: Path) -> None:
    database = str(tmp_path / "db.sqlite3")
    first, second = _wrapper(database), _wrapper(database, timeout=0.2)
    _begin(first)
    try:
        with pytest.raises(OperationalError, match=r"database is locked \(another transaction held"):
            _begin(second)
        # Nothing is left half-begun: once the first is done, the second begins and commits normally.
        _end(first)
        _begin(second)
        _end(second)
    finally:
        first.close()
        second.close()


def test_a_rolled_back_transaction_frees_the_lock(tmp_path: Path) -> None:
    database = str(tmp_path / "db.sqlite3")
    first, second = _wrapper(database), _wrapper(database, timeout=0.2)
    _begin(first)
    first.rollback()
    first.set_autocommit(True)
    _begin(second)
    _end(second)
    first.close()
    second.close()
    assert not second._writer_locked


def test_an_in_memory_database_needs_no_lock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    memory = _wrapper(":memory:")
    _begin(memory)
    memory.cursor().execute("SELECT 1")
    _end(memory)
    memory.close()
    assert list(tmp_path.iterdir()) == []
