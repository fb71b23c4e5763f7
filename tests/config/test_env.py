from pathlib import Path

import pytest

from config.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_path, env_rate


def test_env_bool_reads_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False


def test_env_bool_refuses_a_value_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG")


def test_env_int_and_list_fall_back_to_defaults_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNT", raising=False)
    monkeypatch.delenv("HOSTS", raising=False)
    assert (env_int("COUNT", 3), env_list("HOSTS", ["a"])) == (3, ["a"])


def test_env_int_refuses_non_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfiguredEnv, match="COUNT='ten' is not an integer"):
        env_int("COUNT", 1)


def test_env_list_splits_and_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_env_path_resolves_user_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPECS", str(tmp_path / "x" / ".." / "specs"))
    assert env_path("SPECS", Path("/nowhere")) == tmp_path / "specs"


@pytest.mark.parametrize("value", ["1200/min", "20/s", "50000/day", " 5/hour "])
def test_env_rate_reads_a_count_per_period(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RATE", value)
    assert env_rate("RATE", "1/s") == value.strip()


@pytest.mark.parametrize("value", ["1200", "0/min", "ten/min", "5/fortnight", "5 / min"])
def test_env_rate_refuses_what_a_rate_limit_cannot_read(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    # Read at start-up, not per request: a bad value would otherwise fail every API call with a 500.
    monkeypatch.setenv("RATE", value)
    with pytest.raises(ImproperlyConfiguredEnv, match=r"is not a rate: .* e\.g\. 1200/min"):
        env_rate("RATE", "1/s")
