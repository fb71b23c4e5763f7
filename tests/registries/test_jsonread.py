"""registries.jsonread.read_json: what it accepts, and one stable code for each hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registries.enums import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH, MAX_RECORD_BYTES
from registries.findings import RegistryError
from registries.jsonread import _check_node_by_node, check_value, configured_max_bytes, read_json
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


def _outcome(check: object, value: object) -> str:
    try:
        check(value)  # type: ignore[operator]
    except RegistryError as error:
        return error.code
    return "accepted"


# Values near every refusal: long integers, NaN and infinities, NUL and lone surrogates in keys and
# strings, keys that are not text, tuples, sets, subclasses, and nesting around the depth limit.
_NEAR_REFUSAL = [
    10**MAX_INTEGER_DIGITS,
    10**MAX_INTEGER_DIGITS - 1,
    -(10**MAX_INTEGER_DIGITS),
    float("nan"),
    float("inf"),
    float("-inf"),
    1.5,
    "\x00",
    "a\ud800",
    "\udc00",
    "\\u0000",
    "é",
    frozenset({1}),
    True,
    None,
]
_SCALARS = st.sampled_from(_NEAR_REFUSAL) | st.integers(-5, 5)
_KEYS = st.sampled_from(["k", "\x00", "\ud800", "ü", 1, "", "kk"])
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=3)
    ),
    max_leaves=10,
)
_CONTAINERS = st.lists(_VALUES, min_size=1, max_size=3) | st.dictionaries(
    _KEYS, _VALUES, min_size=1, max_size=3
)


@pytest.mark.parametrize("near", _NEAR_REFUSAL, ids=repr)
def test_the_quick_check_agrees_with_the_walk_on_each_value_near_a_refusal(near: object) -> None:
    values = [[near], {"a": [1, {"b": near}]}, {"k": "ok", "deep": [[[near]]]}]

    assert [_outcome(check_value, value) for value in values] == [
        _outcome(lambda v: _check_node_by_node(v, max_depth=MAX_JSON_DEPTH), value) for value in values
    ]


@settings(max_examples=500, deadline=None)
@given(value=_CONTAINERS, max_depth=st.integers(min_value=0, max_value=4))
def test_the_quick_check_of_a_value_in_memory_agrees_with_the_node_by_node_walk(
    value: object, max_depth: int
) -> None:
    assert _outcome(lambda v: check_value(v, max_depth=max_depth), value) == _outcome(
        lambda v: _check_node_by_node(v, max_depth=max_depth), value
    )
