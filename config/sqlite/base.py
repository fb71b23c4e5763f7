"""SQLite with a writer lock that is handed over at once: the embedded default's database engine.

Every transaction begins with ``BEGIN IMMEDIATE`` (config/settings.py), so two web workers that both
write take turns. SQLite makes the one that has to wait sleep in growing steps (1, 2, 5, 10 ... 100 ms
in its default busy handler), whatever the holder is doing, so the waiter usually wakes well after the
lock is free. Under a CTMS sync loop that was more than half of a worker's time (bench/api_load.py on
SQLite, sampled with py-spy). Here a transaction first takes an exclusive ``flock`` on a file next to the
database, checking again every half millisecond, and releases it when the transaction ends.

The file lock only schedules the writers: SQLite's own locking still guards the data. A lock still held
after the busy timeout (``OPTIONS["timeout"]``) fails the same way SQLite would ("database is locked").
An in-memory database has no file to lock and goes without.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_POLL_SECONDS = 0.0005


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _writer_locked = False

    def _writer_lock_descriptor(self) -> int | None:
        if self._writer_fd is None:
            name = str(self.settings_dict.get("NAME") or "")
            if not name or self.is_in_memory_db():
                return None
            self._writer_fd = os.open(f"{name}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
        return self._writer_fd

    def _take_writer_lock(self) -> None:
        descriptor = self._writer_lock_descriptor()
        if descriptor is None:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        give_up = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= give_up:
                    raise OperationalError(
                        f"database is locked (another transaction held the writer lock for {timeout:g} s)"
                    ) from None
                time.sleep(_POLL_SECONDS)
                continue
            self._writer_locked = True
            return

    def _release_writer_lock(self) -> None:
        if self._writer_locked and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writer_locked = False

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private, not in the stubs
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
