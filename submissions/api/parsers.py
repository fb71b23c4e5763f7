"""Request body parsers of the API: JSON read by a bounded reader, as JSON and as JSON Merge Patch.

``read_json`` is the one seam through which every request body passes. It refuses what a hostile client
might send to exhaust or confuse the server (deep nesting, NaN and Infinity, huge numbers, lone surrogates,
NUL characters, duplicate keys), each with its own code, so the client learns exactly what was wrong.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100


class JsonProblem(ParseError):
    """A body that is not acceptable JSON; ``code`` names what was wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.problem_code = code


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # RFC 8259 section 4: names SHOULD be unique; two readers may keep different duplicates.
            raise JsonProblem("json.duplicate_key", f"The member {key!r} appears twice in one object.")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise JsonProblem("json.non_finite_number", f"{name} is not a JSON number (RFC 8259 section 6).")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonProblem("json.number_too_large", f"A number has more than {MAX_NUMBER_DIGITS} digits.")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise JsonProblem("json.number_too_large", f"A number has more than {MAX_NUMBER_DIGITS} digits.")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JsonProblem("json.number_too_large", f"The number {text[:20]}… is too large to represent.")
    return value


def _depth_exceeded(text: str) -> bool:
    # Counted before parsing: Python's recursive decoder would otherwise hit its recursion limit.
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _check_strings(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise JsonProblem("json.nul_character", "A string contains the NUL character (\\u0000).")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise JsonProblem(
                    "json.lone_surrogate", "A string contains a lone UTF-16 surrogate (\\ud800-\\udfff)."
                ) from None


def read_json(body: bytes) -> Any:
    """The JSON value of ``body`` (UTF-8, RFC 8259), or ``JsonProblem`` naming what is wrong with it."""
    if len(body) > settings.API_MAX_BODY_BYTES:
        raise JsonProblem("request.too_large", "The body is larger than this server accepts.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonProblem("json.not_utf8", f"The body is not UTF-8 (byte {exc.start}).") from None
    if text.startswith("\ufeff"):
        raise JsonProblem("json.byte_order_mark", "The body starts with a byte order mark; send plain UTF-8.")
    if not text.strip():
        raise JsonProblem("json.empty", "The body is empty; send a JSON document.")
    if _depth_exceeded(text):
        raise JsonProblem("json.too_deep", f"The document nests deeper than {MAX_DEPTH} levels.")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_integer,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        raise JsonProblem(
            "json.malformed",
            f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.",
        ) from None
    _check_strings(value)
    return value


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return read_json(stream.read() if stream is not None else b"")


class MergePatchParser(BoundedJSONParser):
    """RFC 7396: ``application/merge-patch+json``."""

    media_type = "application/merge-patch+json"
