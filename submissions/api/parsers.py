"""Request body parsers of the API: JSON read by the bounded reader ``registries.jsonread``, as JSON and
as JSON Merge Patch.

Every request body passes through ``read_json``, which refuses what a hostile client might send to exhaust
or confuse the server (oversized bodies, deep nesting, NaN and Infinity, out-of-range numbers, lone
surrogates, NUL characters, duplicate keys), each with its own ``json.*`` code, so the client learns
exactly what was wrong.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from registries import jsonread
from registries.findings import RegistryError


class JsonProblem(ParseError):
    """A body that is not acceptable JSON; ``code`` names what was wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.problem_code = code
        # Too many bytes is 413 (RFC 9110 section 15.5.14), whatever the bytes are.
        if code == "json.too_large":
            self.status_code = 413


def read_json(body: bytes) -> Any:
    """The JSON value of ``body``, or ``JsonProblem`` naming what is wrong with it."""
    if not body.strip():
        raise JsonProblem("json.empty", "The body is empty; send a JSON document.")
    try:
        return jsonread.read_json(body, max_bytes=settings.API_MAX_BODY_BYTES)
    except RegistryError as exc:
        raise JsonProblem(exc.code, exc.message) from None


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return read_json(stream.read() if stream is not None else b"")


class MergePatchParser(BoundedJSONParser):
    """RFC 7396: ``application/merge-patch+json``."""

    media_type = "application/merge-patch+json"


class RawBodyParser(BaseParser):
    """The body's bytes as sent, for operations that hand a whole document to a domain reader (the import
    reads JSON through ``registries.jsonread`` and XML through ``registries.xmlsafe`` itself)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read() if stream is not None else b""


class RawJSONParser(RawBodyParser):
    media_type = "application/json"


class RawXMLParser(RawBodyParser):
    media_type = "application/xml"


class RawTextXMLParser(RawBodyParser):
    media_type = "text/xml"
