"""Stored records that predate the bounded JSON reader, read and shown without an exception.

Before ``registries.jsonread`` bounded the depth of a record (64 levels), a record nested up to about 900
levels could be saved; every page that loaded it then answered 500, because Python's JSON decoder and
encoder count each level against the interpreter's recursion limit (1,000 frames), and a page is already
some hundred frames deep when it reads the row. Such a value was written by a request, so it decodes and
encodes where the stack is empty: in a fresh thread, which has its own recursion count.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import models

from registries.canonical import canonical_json

_Result = TypeVar("_Result")


def with_fresh_stack(function: Callable[[], _Result]) -> _Result:
    """``function()`` run in a new thread, whose recursion count starts at zero; its exception, if any,
    is raised here."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fresh-stack") as pool:
        return pool.submit(function).result()


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` that a deep legacy record does not break; still raises ``RecursionError`` for a
    value deeper than any request could have stored."""
    try:
        return json.dumps(value, **options)
    except RecursionError:
        return with_fresh_stack(lambda: json.dumps(value, **options))


def canonical(value: Any) -> bytes:
    """``registries.canonical.canonical_json`` that a deep legacy record does not break."""
    try:
        return canonical_json(value)
    except RecursionError:
        return with_fresh_stack(lambda: canonical_json(value))


class RecordContentField(models.JSONField):
    """A JSON column whose legacy deep values still load (see the module docstring)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        try:
            return super().from_db_value(value, expression, connection)
        except RecursionError:
            return with_fresh_stack(
                lambda: super(RecordContentField, self).from_db_value(value, expression, connection)
            )

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        # The column is a plain JSON column: the difference is only in reading it, so no migration.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
