"""Shared test configuration.

Tests that read the official schemas or real records from ../shared/registry-specs use the
``registry_specs`` fixture: it skips with a reason when the folder is absent, and fails instead when
REQUIRE_SHARED_SPECS=1 (as CI sets it), so a missing folder can never turn the suite silently green.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from registries import specs


def _require_shared_specs() -> bool:
    return os.environ.get("REQUIRE_SHARED_SPECS", "") == "1"


@pytest.fixture(scope="session")
def registry_specs() -> Path:
    directory = specs.schema_dir()
    if not directory.is_dir():
        message = f"registry specs folder {directory} is absent (set REGISTRY_SCHEMA_DIR)"
        if _require_shared_specs():
            pytest.fail(message + " and REQUIRE_SHARED_SPECS=1 demands it")
        pytest.skip(message)
    return directory


@pytest.fixture(scope="session")
def sample_dir(registry_specs: Path) -> Path:
    return registry_specs / "samples"


def shared_sample_paths(pattern: str) -> list[Path]:
    """Sample files for parametrisation at collection time (empty when the folder is absent; the
    ``registry_specs`` fixture then skips or fails the test with its reason)."""
    return sorted((specs.schema_dir() / "samples").glob(pattern))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A local HTTP server for tests of downloads (this machine has no internet, and tests never use
    it): yields the folder it serves and its base URL."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _own_audit_anchor_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Anchors describe one database: each test's database starts empty, so each test gets its own file.
    from django.conf import settings

    before = getattr(settings, "AUDIT_ANCHOR_PATH", None)
    settings.AUDIT_ANCHOR_PATH = tmp_path_factory.mktemp("anchors") / "audit-anchors.jsonl"
    yield
    settings.AUDIT_ANCHOR_PATH = before


@pytest.fixture(scope="session", autouse=True)
def _flush_lifts_append_only_triggers() -> Iterator[None]:
    # Here, not in tests/submissions, so that a transactional test anywhere in the suite can flush.
    # Transactional tests (django_db(transaction=True)) end with `flush`: TRUNCATE on PostgreSQL,
    # DELETE on SQLite, both refused by the append-only triggers. The test database lifts them inside
    # the flush's own transaction, as a DBA would; the application never does.
    from django.db import connections

    from tests.submissions.dba import append_only_lifted

    operations = type(connections["default"].ops)
    flush = operations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        with append_only_lifted(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "execute_sql_flush", execute_sql_flush)
        yield
