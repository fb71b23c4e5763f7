"""A corpus of hostile JSON documents, generated here (never stored), each with the code it must get.

Every entry point that reads JSON (registries.jsonread.read_json, the record forms, both CLIs) is tested
against the same corpus, so a new entry point cannot forget a case.
"""

from __future__ import annotations

from registries.enums import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH


def nested(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    """``depth`` containers, one inside the other, around a record-like object."""
    return (opener * depth + closer * depth).encode()


def nested_record(depth: int) -> bytes:
    """A record object whose ``x`` member holds arrays ``depth`` levels deep in total."""
    return b'{"schemaVersion": "1.0", "x": ' + nested(depth - 1) + b"}"


def _record_with(member: bytes) -> bytes:
    return b'{"schemaVersion": "1.0", "x": ' + member + b"}"


def corpus(max_bytes: int) -> dict[str, tuple[bytes, str]]:
    """Name -> (document, the code it must be refused with), for a size limit of ``max_bytes``."""
    padding = b" " * max_bytes
    return {
        "too_large": (b"{}" + padding, "json.too_large"),
        "too_deep_arrays": (nested_record(MAX_JSON_DEPTH + 1), "json.too_deep"),
        "too_deep_objects": (
            b'{"a":' * (MAX_JSON_DEPTH + 1) + b"{}" + b"}" * (MAX_JSON_DEPTH + 1),
            "json.too_deep",
        ),
        "deeper_than_the_interpreter": (nested_record(100_000), "json.too_deep"),
        "nan": (_record_with(b"NaN"), "json.not_a_number"),
        "infinity": (_record_with(b"Infinity"), "json.not_a_number"),
        "minus_infinity": (_record_with(b"-Infinity"), "json.not_a_number"),
        "beyond_float_range": (_record_with(b"1e400"), "json.number_out_of_range"),
        "beyond_float_range_negative": (_record_with(b"-1.5E+999"), "json.number_out_of_range"),
        "integer_too_long": (_record_with(b"9" * (MAX_INTEGER_DIGITS + 1)), "json.integer_too_long"),
        "integer_beyond_python": (_record_with(b"7" * 5000), "json.integer_too_long"),
        "lone_high_surrogate": (_record_with(b'"a\\ud800b"'), "json.lone_surrogate"),
        "lone_low_surrogate": (_record_with(b'"\\udc00"'), "json.lone_surrogate"),
        "reversed_surrogates": (_record_with(b'"\\udc00\\ud800"'), "json.lone_surrogate"),
        "surrogate_in_key": (b'{"\\uD83D": 1}', "json.lone_surrogate"),
        "nul_escape": (_record_with(b'"a\\u0000b"'), "json.nul_character"),
        "nul_in_key": (b'{"\\u0000": 1}', "json.nul_character"),
        "raw_nul": (b'{"a": 1}\x00', "json.nul_character"),
        "duplicate_key": (b'{"schemaVersion": "1.0", "a": 1, "a": 2}', "json.duplicate_key"),
        "duplicate_key_nested": (_record_with(b'[{"b": 1, "b": 1}]'), "json.duplicate_key"),
        "invalid_utf8": (b'{"a": "\xff\xfe"}', "json.invalid_utf8"),
        "truncated": (b'{"schemaVersion": "1.0", ', "json.malformed"),
        "not_json": (b"<study/>", "json.malformed"),
    }
