"""The one way untrusted JSON is read: bounded in size, depth and numbers, with one code per refusal.

Every entry point that takes JSON from outside (the record forms and uploads, ``python -m registries``,
``python -m deadlines``, the ClinicalTrials.gov API v2 importer, the REST API and the web editor) calls
``read_json``. What it accepts can be stored in PostgreSQL ``jsonb`` and SQLite alike, hashed, checked
against the schema and rendered without an exception; what it refuses is named by a stable code:

- ``json.too_large``: more bytes than the limit (``MAX_RECORD_BYTES``, default 20 MB). A complete real
  record with results is a few hundred kilobytes.
- ``json.invalid_utf8``: bytes that are not UTF-8 (RFC 8259 section 8.1 requires it).
- ``json.malformed``: not JSON at all; the message names line and column.
- ``json.too_deep``: containers nested deeper than ``MAX_JSON_DEPTH``. Schema validation, hashing and
  rendering recurse once or more per level, so a record nested ~1,000 deep exhausts Python's recursion
  limit in each of them; the deepest real ClinicalTrials.gov record is 11 levels deep.
- ``json.not_a_number``: ``NaN``, ``Infinity``, ``-Infinity``: not JSON (RFC 8259 section 6), and refused
  by PostgreSQL ``jsonb``.
- ``json.number_out_of_range``: a number beyond the double range (``1e400``), which Python reads as
  infinity and writes back as ``Infinity``.
- ``json.integer_too_long``: an integer of more than ``MAX_INTEGER_DIGITS`` digits; Python refuses to
  convert more than 4,300 digits (CVE-2020-10735) and no record field holds more than a count.
- ``json.lone_surrogate``: a ``\\ud800``-style escape without its pair: not a character, so it cannot be
  encoded as UTF-8 (RFC 8259 section 8.2).
- ``json.nul_character``: NUL (``\\u0000``) anywhere, which PostgreSQL text and ``jsonb`` cannot hold.
- ``json.duplicate_key``: one key twice in an object; RFC 8259 section 4 leaves the meaning open, and
  silently keeping the last value would lose the first.

Pure Python; never imports Django.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any, TypeVar

from registries.enums import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH, MAX_RECORD_BYTES
from registries.findings import RegistryError

# A ``\u`` escape naming NUL or a surrogate. Whether it is an escape or text (``\\u0000`` is an escaped
# backslash followed by the letters u0000) depends on the backslashes before it, counted per match:
# a look-behind in the pattern would make the scan try every position (16 ms on a 180 KB record).
_SUSPECT_ESCAPE = re.compile(r"\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_LOW_SURROGATE_ESCAPE = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_TOO_LONG_INTEGER = 10**MAX_INTEGER_DIGITS
_Value = TypeVar("_Value")


def configured_max_bytes() -> int:
    """The size limit for the command-line tools: the ``MAX_RECORD_BYTES`` environment variable (the
    same variable the web application reads), else the default."""
    raw = os.environ.get("MAX_RECORD_BYTES", "").strip()
    if not raw:
        return MAX_RECORD_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise RegistryError(
            "config.invalid", f"MAX_RECORD_BYTES={raw!r} is not a whole number of bytes."
        ) from None
    if value < 1:
        raise RegistryError("config.invalid", f"MAX_RECORD_BYTES must be at least 1, not {value}.")
    return value


def _too_large(max_bytes: int) -> RegistryError:
    return RegistryError(
        "json.too_large", f"The JSON is larger than {max_bytes} bytes, the most accepted (MAX_RECORD_BYTES)."
    )


def _refuse_constant(name: str) -> Any:
    raise RegistryError("json.not_a_number", f"{name} is not a JSON number (RFC 8259 section 6).")


def _read_int(digits: str) -> int:
    count = len(digits.lstrip("-"))
    if count > MAX_INTEGER_DIGITS:
        raise RegistryError(
            "json.integer_too_long",
            f"An integer has {count} digits; at most {MAX_INTEGER_DIGITS} are accepted.",
        )
    return int(digits)


def _read_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise RegistryError(
            "json.number_out_of_range",
            f"The number {shown} is beyond the range of a double-precision number.",
        )
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise RegistryError(
                    "json.duplicate_key", f"The key {key[:100]!r} appears twice in one object."
                )
            seen.add(key)
    return document


def _refuse_deep(value: Any, max_depth: int) -> None:
    # Level by level rather than recursively, so that checking a deep value cannot itself exhaust the
    # recursion limit; the parser builds plain dicts and lists only (three times faster than isinstance).
    level = [value]
    depth = 1
    while level:
        if depth > max_depth:
            raise RegistryError(
                "json.too_deep", f"The JSON nests objects and arrays more than {max_depth} levels deep."
            )
        below: list[Any] = []
        for node in level:
            children = node.values() if type(node) is dict else node
            below.extend([child for child in children if type(child) is dict or type(child) is list])
        level = below
        depth += 1


def _refuse_bad_escapes(text: str) -> None:
    # Decoded UTF-8 holds no surrogate and the JSON grammar no raw control character inside a string,
    # so NUL and surrogates can only arrive as ``\u`` escapes: looking at those is enough.
    if "\\u" not in text:
        return
    paired_low_at = -1
    for match in _SUSPECT_ESCAPE.finditer(text):
        if _escaped_backslash(text, match.start()):
            continue
        code_point = int(match.group(1), 16)
        if code_point == 0:
            raise RegistryError(
                "json.nul_character", "The JSON holds a NUL character (\\u0000), which cannot be stored."
            )
        escape_at = match.end() - 6
        if 0xD800 <= code_point <= 0xDBFF and _LOW_SURROGATE_ESCAPE.match(text, match.end()):
            paired_low_at = match.end()
            continue
        if 0xDC00 <= code_point <= 0xDFFF and escape_at == paired_low_at:
            continue
        raise RegistryError(
            "json.lone_surrogate",
            f"The JSON holds the escape \\u{match.group(1)}, half of a UTF-16 surrogate pair without the "
            "other half: not a character.",
        )


def _escaped_backslash(text: str, at: int) -> bool:
    """Whether the backslash at ``at`` is the second half of an escaped backslash: an odd number of
    backslashes directly before it."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def read_json(
    data: bytes | bytearray | str, *, max_bytes: int = MAX_RECORD_BYTES, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """The JSON value in ``data`` (UTF-8 bytes, a leading byte-order mark allowed, or text).

    Raises ``RegistryError`` with one of the codes in this module's docstring; nothing else for any
    input. The limits are checked before the work they bound: size before decoding, depth and
    numbers while parsing.
    """
    if isinstance(data, bytes | bytearray):
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RegistryError(
                "json.invalid_utf8", f"The JSON is not UTF-8 text: invalid byte at offset {exc.start}."
            ) from None
    else:
        text = data
        if len(text) > max_bytes:
            raise _too_large(max_bytes)
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise RegistryError(
                "json.lone_surrogate",
                f"The text holds a lone surrogate (U+{ord(text[exc.start]):04X}) at character {exc.start}: "
                "not a character.",
            ) from None
        if size > max_bytes:
            raise _too_large(max_bytes)
        text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise RegistryError("json.nul_character", "The JSON holds a NUL character, which cannot be stored.")
    try:
        # The number hooks cost a Python call per number (about half the reading time of a 20 MB record,
        # bench/hostile_input.py) and are what makes the refusals exact.
        value = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_refuse_constant,
            parse_int=_read_int,
            parse_float=_read_float,
        )
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise RegistryError("json.malformed", f"The input is not valid JSON: {exc.msg} at {where}.") from None
    except RecursionError:
        # The C scanner guards its own recursion; a document that reaches the interpreter's limit is far
        # deeper than any limit we accept.
        raise RegistryError(
            "json.too_deep", f"The JSON nests objects and arrays more than {max_depth} levels deep."
        ) from None
    if isinstance(value, dict | list):
        _refuse_deep(value, max_depth)
    _refuse_bad_escapes(text)
    return value


def check_value(value: _Value, *, max_depth: int = MAX_JSON_DEPTH) -> _Value:
    """Refuse a value already in memory (a record handed to a domain function by code rather than read
    from text) that ``read_json`` would have refused: the same codes, except size, which only text has.

    Domain functions call it before storing, so that a caller that skipped ``read_json`` cannot store
    what PostgreSQL or SQLite would refuse (NaN, NUL) or what no page could render (depth). Returns
    ``value`` unchanged.
    """
    if _plainly_acceptable(value, max_depth):
        return value
    return _check_node_by_node(value, max_depth=max_depth)


def _plainly_acceptable(value: Any, max_depth: int) -> bool:
    """True when ``value`` certainly passes ``check_value``; False when it may not, and the node-by-node
    walk must say exactly why (or accept it after all).

    A record is checked on every save, and the exact walk (isinstance chains, one text check per
    string) took 10 ms of a 180 KB record (bench/api_put_profile.py). Here each node costs one type
    lookup, and the text checks run once over all keys and strings joined; any type other than the
    plain JSON ones (a subclass, a set) sends the value to the exact walk.
    """
    if type(value) is not dict and type(value) is not list:
        return False
    texts: list[str] = []
    level: list[Any] = [value]
    for _depth in range(max_depth):
        below: list[Any] = []
        for node in level:
            if type(node) is dict:
                texts.extend(node)  # the keys; one that is not text makes the join below fail
                children: Any = node.values()
            else:
                children = node
            for child in children:
                kind = type(child)
                if kind is str:
                    texts.append(child)
                elif kind is dict or kind is list or kind is tuple:
                    below.append(child)
                elif kind is int:
                    if not -_TOO_LONG_INTEGER < child < _TOO_LONG_INTEGER:
                        return False
                elif kind is float:
                    if child - child != 0.0:  # NaN and the infinities
                        return False
                elif kind is not bool and child is not None:
                    return False
        if not below:
            break
        level = below
    else:
        return False  # deeper than max_depth
    try:
        joined = "".join(texts)
    except TypeError:
        return False
    if "\x00" in joined:
        return False
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def _check_node_by_node(value: _Value, *, max_depth: int) -> _Value:
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            _check_text(node)
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int):
            if abs(node) >= _TOO_LONG_INTEGER:
                raise RegistryError(
                    "json.integer_too_long", f"An integer has more than {MAX_INTEGER_DIGITS} digits."
                )
        elif isinstance(node, float):
            if math.isnan(node):
                _refuse_constant("NaN")
            if math.isinf(node):
                _refuse_constant("Infinity" if node > 0 else "-Infinity")
        elif isinstance(node, dict | list | tuple):
            if depth + 1 > max_depth:
                raise RegistryError(
                    "json.too_deep", f"The JSON nests objects and arrays more than {max_depth} levels deep."
                )
            if isinstance(node, dict):
                for key in node:
                    if not isinstance(key, str):
                        raise RegistryError("json.malformed", f"An object key is not text: {key!r}.")
                    _check_text(key)
                stack.extend((child, depth + 1) for child in node.values())
            else:
                stack.extend((child, depth + 1) for child in node)
        else:
            raise RegistryError("json.malformed", f"A {type(node).__name__} is not a JSON value.")
    return value


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise RegistryError("json.nul_character", "The JSON holds a NUL character, which cannot be stored.")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise RegistryError(
                "json.lone_surrogate",
                f"The text holds a lone surrogate (U+{ord(text[exc.start]):04X}): not a character.",
            ) from None
