"""What changed between two versions of a record, in the units registries update by.

ClinicalTrials.gov PRS takes a partial upload of whole modules (ProtocolRecordSchema.xsd,
``partial_upload="true"``), so an update filing needs to know which API v2 modules differ.
"""

from __future__ import annotations

from typing import Any

# The record sections whose children are API v2 modules.
MODULE_SECTIONS = ("protocolSection", "resultsSection", "documentSection")


def changed_modules(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Names of the modules (e.g. ``statusModule``, ``adverseEventsModule``) that were added, removed or
    changed between ``previous`` and ``current``, sorted. Sections outside the API v2 modules (EU, UK,
    WHO, lay summaries) are not modules and are not reported."""
    changed: set[str] = set()
    for section in MODULE_SECTIONS:
        before = previous.get(section) or {}
        after = current.get(section) or {}
        for name in before.keys() | after.keys():
            if before.get(name) != after.get(name):
                changed.add(name)
    return sorted(changed)
