"""Typed helpers for reading settings from the environment.

Settings come from the environment so that one code base serves the embedded demo, CI and production;
each helper fails loudly on a value it cannot read instead of guessing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredEnv(RuntimeError):
    """An environment variable is missing or cannot be read as the type the setting needs."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


# A request rate for Django REST framework's throttles: a count, a slash and a period ("1200/min",
# "20/s", "50000/day"). DRF reads only the period's first letter, so it would take "5/months" as five a
# minute; only the usual spellings are accepted here, so that a typo cannot change the limit silently.
_RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if not _RATE.fullmatch(value.strip()):
        raise ImproperlyConfiguredEnv(
            f"{name}={value!r} is not a rate: give a number of requests per second, minute, hour or day, "
            "e.g. 1200/min"
        )
    return value.strip()
