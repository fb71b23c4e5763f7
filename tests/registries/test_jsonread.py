"""registries.jsonread.read_json: what it accepts, and one stable code for each hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registries.enums import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH, MAX_RECORD_BYTES
from registries.findings import RegistryError
from registries.jsonread import check_value, configured_max_bytes, read_json
from tests import hostile
from tests.conftest import shared_sample_paths

LIMIT = 256 * 1024
CORPUS = hostile.corpus(LIMIT)


def _code(data: bytes | str, **limits: int) -> str:
    try:
        read_json(data, **limits)
    except RegistryError as error:
        return error.code
    return "accepted"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_document_is_refused_with_its_own_code(name: str) -> None:
    document, expected = CORPUS[name]

    assert _code(document, max_bytes=LIMIT) == expected


# Text is already decoded, so only bytes can be invalid UTF-8.
@pytest.mark.parametrize("name", sorted(set(CORPUS) - {"invalid_utf8"}))
def test_hostile_text_gets_the_same_code_as_hostile_bytes(name: str) -> None:
    document, expected = CORPUS[name]

    assert _code(document.decode("utf-8"), max_bytes=LIMIT) == expected


def test_text_with_a_lone_surrogate_character_is_refused() -> None:
    assert _code('{"a": "\ud800"}') == "json.lone_surrogate"


def test_limits_are_inclusive() -> None:
    deepest = hostile.nested_record(MAX_JSON_DEPTH)
    longest = b'{"n": -' + b"9" * MAX_INTEGER_DIGITS + b"}"

    assert (_code(deepest), _code(longest), _code(b"[]", max_bytes=2), _code(b"[ ]", max_bytes=2)) == (
        "accepted",
        "accepted",
        "accepted",
        "json.too_large",
    )


def test_size_counts_utf8_bytes_of_text() -> None:
    text = '["' + "é" * 10 + '"]'  # 14 characters, 24 bytes

    assert (_code(text, max_bytes=23), _code(text, max_bytes=24)) == ("json.too_large", "accepted")


def test_what_is_not_hostile_reads_as_json_does() -> None:
    text = (
        '\ufeff{"a": [1, -2.5, 1e-400, 1E+300, true, null], "b": "\\ud83d\\ude00 \\\\u0000 \\\\ud800",'
        ' "c": {"d": "\\u00e9\\u0041"}}'
    )

    assert read_json(text.encode()) == json.loads(text.removeprefix("\ufeff"))


def test_an_escaped_backslash_before_u_is_text_not_an_escape() -> None:
    assert read_json(b'["\\\\u0000", "\\\\\\\\ud800"]') == ["\\u0000", "\\\\ud800"]


def test_the_message_of_malformed_json_names_line_and_column() -> None:
    with pytest.raises(RegistryError) as caught:
        read_json(b'{\n  "a": 1,\n}')

    assert caught.value.as_dict() == {
        "code": "json.malformed",
        "message": "The input is not valid JSON: Expecting property name enclosed in double quotes "
        "at line 3, column 1.",
        "pointer": "",
    }


@pytest.mark.shared_specs
@pytest.mark.parametrize(
    "path", shared_sample_paths("*.json") + sorted(shared_sample_paths("../samples-bulk/ctgov-v2/*.json"))
)
def test_every_real_record_reads_as_json_does(registry_specs: Path, path: Path) -> None:
    data = path.read_bytes()

    value = read_json(data)

    assert check_value(value) == json.loads(data)


def test_cli_size_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAX_RECORD_BYTES", raising=False)
    default = configured_max_bytes()
    monkeypatch.setenv("MAX_RECORD_BYTES", "1000")
    configured = configured_max_bytes()
    monkeypatch.setenv("MAX_RECORD_BYTES", "lots")

    with pytest.raises(RegistryError) as caught:
        configured_max_bytes()

    assert (default, configured, caught.value.code) == (MAX_RECORD_BYTES, 1000, "config.invalid")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({1: "a"}, "json.malformed"),
        ({"a": {1, 2}}, "json.malformed"),
        ([-(10**MAX_INTEGER_DIGITS)], "json.integer_too_long"),
        ({"\x00": 1}, "json.nul_character"),
        ({"\ud800": 1}, "json.lone_surrogate"),
        ([float("-inf")], "json.not_a_number"),
    ],
    ids=["int_key", "set", "negative_long_integer", "nul_key", "surrogate_key", "minus_infinity"],
)
def test_a_value_in_memory_is_refused_with_the_readers_codes(value: object, code: str) -> None:
    with pytest.raises(RegistryError) as caught:
        check_value(value)

    assert caught.value.code == code


def test_a_value_in_memory_at_the_depth_limit_is_accepted() -> None:
    deepest = json.loads(hostile.nested(MAX_JSON_DEPTH))

    longest = [10**MAX_INTEGER_DIGITS - 1, 1.5, None, True]

    assert (check_value(deepest), check_value(longest)) == (deepest, longest)
