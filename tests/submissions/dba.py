"""What a database administrator can do and the application cannot: lift the append-only triggers
(``submissions/migrations/0003_append_only_triggers.py``) for the length of one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from submissions.models import AuditEvent, DeadlineHistory

APPEND_ONLY_TABLES = (AuditEvent._meta.db_table, DeadlineHistory._meta.db_table)


def installed_triggers(connection: BaseDatabaseWrapper) -> set[tuple[str, str]]:
    """(table, trigger) of every user trigger on the append-only tables, read from the catalog."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY(%s)",
                [list(APPEND_ONLY_TABLES)],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                list(APPEND_ONLY_TABLES),
            )
        return {(table, name) for table, name in cursor.fetchall()}


@contextmanager
def append_only_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Disable (PostgreSQL, as the table owner) or drop and re-create (SQLite) the append-only triggers
    inside one transaction; on an error the transaction's rollback restores them."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = [connection.ops.quote_name(table) for table in APPEND_ONLY_TABLES]
            # ALTER TABLE refuses while deferred foreign-key checks of this transaction are pending
            # (Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED): run them now, then
            # defer again as declared.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                list(APPEND_ONLY_TABLES),
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            yield
            for _name, sql in triggers:
                cursor.execute(sql)
