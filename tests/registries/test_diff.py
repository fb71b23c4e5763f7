from registries.diff import Change, ChangeKind, diff_records


def test_diff_records_of_equal_records_is_empty_whatever_the_key_order() -> None:
    # given the same record with its keys in another order
    before = {"a": 1, "b": {"c": [1, 2], "d": None}}
    after = {"b": {"d": None, "c": [1, 2]}, "a": 1}

    # when they are compared, then nothing changed
    assert diff_records(before, after) == []


def test_diff_records_names_added_removed_and_changed_values_by_json_pointer() -> None:
    # given a status that changed, a condition added, a keyword removed and a new module
    before = {
        "protocolSection": {
            "statusModule": {"overallStatus": "RECRUITING"},
            "conditionsModule": {"conditions": ["Asthma"], "keywords": ["lung", "child"]},
        }
    }
    after = {
        "protocolSection": {
            "statusModule": {"overallStatus": "COMPLETED"},
            "conditionsModule": {"conditions": ["Asthma", "COPD"], "keywords": ["lung"]},
            "oversightModule": {"isFdaRegulatedDrug": True},
        }
    }

    # when they are compared
    changes = diff_records(before, after)

    # then each change is listed once, in sorted key order and array order
    assert changes == [
        Change("/protocolSection/conditionsModule/conditions/1", ChangeKind.ADDED, None, "COPD"),
        Change("/protocolSection/conditionsModule/keywords/1", ChangeKind.REMOVED, "child", None),
        Change("/protocolSection/oversightModule", ChangeKind.ADDED, None, {"isFdaRegulatedDrug": True}),
        Change("/protocolSection/statusModule/overallStatus", ChangeKind.CHANGED, "RECRUITING", "COMPLETED"),
    ]


def test_diff_records_escapes_tilde_and_slash_in_pointers() -> None:
    # given keys holding the two characters RFC 6901 escapes
    before = {"a/b": 1, "m~n": 2}
    after = {"a/b": 3, "m~n": 4}

    # when compared, then the pointers use ~1 and ~0
    assert [change.pointer for change in diff_records(before, after)] == ["/a~1b", "/m~0n"]


def test_diff_records_reports_a_changed_type_as_one_change_at_its_place() -> None:
    # given an object that became an array, and a number that became a string
    before = {"x": {"y": 1}, "n": 1}
    after = {"x": [1], "n": "1"}

    # when compared, then each is one change with the whole values
    assert diff_records(before, after) == [
        Change("/n", ChangeKind.CHANGED, 1, "1"),
        Change("/x", ChangeKind.CHANGED, {"y": 1}, [1]),
    ]


def test_diff_records_tells_apart_what_the_version_hash_tells_apart() -> None:
    # given values Python finds equal but whose canonical JSON (hence version hash) differs
    before = {"count": 1, "flag": 1}
    after = {"count": 1.0, "flag": True}

    # when compared, then both are changes
    assert diff_records(before, after) == [
        Change("/count", ChangeKind.CHANGED, 1, 1.0),
        Change("/flag", ChangeKind.CHANGED, 1, True),
    ]


def test_diff_records_distinguishes_an_added_null_from_no_change() -> None:
    # given a key added with a JSON null, and a whole root replaced
    assert diff_records({}, {"a": None}) == [Change("/a", ChangeKind.ADDED, None, None)]
    assert diff_records(1, 2) == [Change("", ChangeKind.CHANGED, 1, 2)]


def test_change_as_dict_is_plain_json() -> None:
    change = Change("/a", ChangeKind.REMOVED, [1], None)

    assert change.as_dict() == {"pointer": "/a", "kind": "removed", "before": [1], "after": None}


def test_diff_records_is_deterministic_across_calls() -> None:
    # given two records with many keys
    before = {f"k{i}": i for i in range(50)}
    after = {f"k{i}": i + (i % 3 == 0) for i in reversed(range(50))}

    # when compared twice, then the same list comes back
    assert diff_records(before, after) == diff_records(dict(reversed(before.items())), after)


def test_diff_records_compares_records_deeper_than_the_recursion_limit() -> None:
    # given two records nested 5,000 levels deep that differ at the bottom
    def nested(leaf: int) -> dict[str, object]:
        value: dict[str, object] = {"leaf": leaf}
        for _level in range(5_000):
            value = {"a": value}
        return value

    # when compared, then the one change is found at its full pointer
    changes = diff_records(nested(1), nested(2))
    assert [(change.pointer, change.kind, change.before, change.after) for change in changes] == [
        ("/a" * 5_000 + "/leaf", ChangeKind.CHANGED, 1, 2)
    ]


def test_diff_records_reports_a_container_turned_scalar_without_serializing_it() -> None:
    assert diff_records({"x": {"y": [1]}}, {"x": None}) == [
        Change("/x", ChangeKind.CHANGED, {"y": [1]}, None)
    ]
