"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on the audit trail and the deadline history.

21 CFR 11.10(e) asks for audit trails that cannot be altered. The ORM already refuses to rewrite these
rows (``submissions.models.ImmutableModel``); these triggers make the database refuse too, so raw SQL, a
database console, another program sharing the database or a bug below the ORM cannot rewrite or remove
an event either. Both raise an integrity error naming the table and "append-only".

What they protect against: any UPDATE or DELETE of a row (PostgreSQL and SQLite) and TRUNCATE
(PostgreSQL; SQLite has none, and a whole-table DELETE fires the row trigger). INSERT stays open.

What they do not protect against: whoever may change the schema. A table owner or superuser can
``ALTER TABLE ... DISABLE TRIGGER`` or ``DROP TRIGGER`` (SQLite: anyone who can write the file). There is
deliberately no switch inside the triggers (such as a session setting): a switch is one statement any
connected role could run, while lifting a trigger takes ownership of the table and is logged as DDL.
When the triggers were lifted and an audit event changed, the hash chain still shows it:
``python manage.py verify_audit_log`` names the first broken link.

Consequences: ``manage.py flush`` is refused on PostgreSQL (and on SQLite once rows exist), as it should be
for a system holding regulated records. The test suite lifts the triggers inside the flush transaction of
transactional tests (``tests/submissions/conftest.py``). SQLite rebuilds a table for most ALTERs
(create, copy, drop, rename) and the drop takes its triggers with it: a later migration altering either
table must install the triggers again (``test_append_only_triggers_are_installed`` fails otherwise).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Models whose rows are evidence written once.
APPEND_ONLY_MODELS = ("AuditEvent", "DeadlineHistory")

_PG_FUNCTION = "submissions_refuse_append_only_change"


def _message(table: str, operation: str) -> str:
    return f"{table} is append-only (21 CFR 11.10(e)): {operation} refused"


def _tables(apps: Any) -> list[str]:
    return [apps.get_model("submissions", name)._meta.db_table for name in APPEND_ONLY_MODELS]


def _postgresql_install(schema_editor: Any, tables: list[str]) -> None:
    # SQLSTATE 23000 (integrity_constraint_violation) so both databases raise django.db.IntegrityError.
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only (21 CFR 11.10(e)): % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = '23000';
        END
        $$
        """,
        # No parameters: the RAISE format's % placeholders go to PostgreSQL as written.
        params=None,
    )
    for table in tables:
        quoted = schema_editor.quote_name(table)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {quoted} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
        )


def _postgresql_remove(schema_editor: Any, tables: list[str]) -> None:
    for table in tables:
        quoted = schema_editor.quote_name(table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {quoted}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {quoted}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")


def _sqlite_install(schema_editor: Any, tables: list[str]) -> None:
    for table in tables:
        quoted = schema_editor.quote_name(table)
        for operation in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {quoted} "
                f"BEGIN SELECT RAISE(ABORT, '{_message(table, operation)}'); END"
            )


def _sqlite_remove(schema_editor: Any, tables: list[str]) -> None:
    for table in tables:
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")


def install(apps: Any, schema_editor: Any) -> None:
    """Create the triggers for the database the migration runs on."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql_install(schema_editor, _tables(apps))
    elif vendor == "sqlite":
        _sqlite_install(schema_editor, _tables(apps))
    else:
        raise NotImplementedError(f"No append-only triggers written for the {vendor} database.")


def remove(apps: Any, schema_editor: Any) -> None:
    """Drop the triggers (reverse migration)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql_remove(schema_editor, _tables(apps))
    elif vendor == "sqlite":
        _sqlite_remove(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_deadlines"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
