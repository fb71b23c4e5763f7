"""Pure-Python registry library: record -> findings, record -> payload, payload -> findings, and
registry formats -> record. Never imports Django (a test enforces it)."""

from __future__ import annotations

from importlib import import_module

from registries.base import Registry
from registries.findings import RegistryError

# code -> "module:attribute". Loaded on first use so the CLI starts fast and one registry's import
# cost is not paid by another's users.
_ADAPTERS: dict[str, str] = {
    "record": "registries.record:ADAPTER",
    "ctgov": "registries.ctgov.adapter:ADAPTER",
    "ctis": "registries.ctis.adapter:ADAPTER",
    "eudract": "registries.eudract.adapter:ADAPTER",
    "isrctn": "registries.isrctn.adapter:ADAPTER",
    "who": "registries.who.adapter:ADAPTER",
}


def registry_codes() -> list[str]:
    return sorted(_ADAPTERS)


def get_registry(code: str) -> Registry:
    try:
        target = _ADAPTERS[code]
    except KeyError:
        raise RegistryError(
            "registry.unknown",
            f"Unknown registry {code!r}; known registries: {', '.join(registry_codes())}.",
        ) from None
    module_name, _, attribute = target.partition(":")
    adapter: Registry = getattr(import_module(module_name), attribute)
    return adapter
