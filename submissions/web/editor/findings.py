"""Which findings the editor shows: every target registry's findings for one stage, on the record as the
author is typing it, counted per module and listed beside their fields."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from django.urls import reverse

from registries import registry_codes
from registries.checks import GENERIC_REGISTRY
from registries.schema import RECORD_SCHEMA_VERSION
from submissions import checks, storedjson
from submissions.enums import CLOSED_FILING_STATES, STAGES, Stage
from submissions.models import Trial
from submissions.web.editor import grids
from submissions.web.editor.formtree import SEVERITY_LABELS, field_id
from submissions.web.editor.modules import Module, module_for_pointer, modules
from submissions.workflow import trial_reached

_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def empty_record() -> dict[str, Any]:
    """What a trial without any saved version starts from in the editor."""
    return {"schemaVersion": RECORD_SCHEMA_VERSION, "protocolSection": {}}


def stage_for(trial: Trial, requested: str | None) -> str:
    """The stage whose findings are shown: the one asked for, else the stage of the trial's open filing,
    else the first stage the trial has not reached."""
    if requested in STAGES:
        return str(requested)
    open_stages = {
        stage
        for stage in trial.filings.exclude(state__in=CLOSED_FILING_STATES).values_list("stage", flat=True)
    }
    for stage in STAGES:
        if stage in open_stages:
            return stage
    for stage in STAGES:
        if not trial_reached(trial, stage):
            return stage
    return STAGES[-1]


def target_registries(trial: Trial, stage: str) -> list[str]:
    """The registries the trial's filings of ``stage`` go to; every registry when it has none yet (an
    author sees all registries' demands before choosing). Only registries that know the stage."""
    chosen: set[str] = set()
    for targets in trial.filings.filter(stage=stage).values_list("target_registries", flat=True):
        chosen.update(targets or ())
    known = registry_codes()
    codes = sorted(chosen & set(known)) if chosen else known
    return [code for code in codes if stage in checks.registry_stages(code)]


@cache
def registry_names() -> dict[str, str]:
    names = {code: checks.registry_name(code) for code in registry_codes()}
    # The record schema, the stage profiles and the generic rules speak for every registry at once.
    names[GENERIC_REGISTRY] = "Every registry"
    return names


# Findings depend only on the record's content, the stage and the registries' code, so within one process
# they are kept per content hash: moving between module pages does not check the same record again.
_RECENT: OrderedDict[tuple[str, str, tuple[str, ...]], list[dict[str, Any]]] = OrderedDict()
_RECENT_SIZE = 32
_RECENT_LOCK = threading.Lock()


def findings_for(record: dict[str, Any], stage: str, registries: list[str]) -> list[dict[str, Any]]:
    """Every target registry's findings on ``record`` for ``stage``, errors first."""
    key = (hashlib.sha256(storedjson.canonical(record)).hexdigest(), stage, tuple(registries))
    with _RECENT_LOCK:
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return list(_RECENT[key])
    found = [finding.as_dict() for finding in checks.stage_findings(record, stage, registries)]
    ordered = sorted(found, key=lambda finding: _SEVERITY_ORDER.get(str(finding.get("severity")), 3))
    with _RECENT_LOCK:
        _RECENT[key] = ordered
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    return list(ordered)


def stage_choices() -> list[tuple[str, str]]:
    return [(stage, Stage(stage).label) for stage in STAGES]


def navigation(
    trial: Trial, all_findings: list[dict[str, Any]], current: Module, stage: str
) -> list[dict[str, Any]]:
    """The module list: groups of modules, each with its URL and its count of findings by severity."""
    counts: dict[str, dict[str, int]] = {}
    for finding in all_findings:
        module = module_for_pointer(str(finding.get("pointer", "")))
        if module is not None:
            by_severity = counts.setdefault(module.slug, {})
            severity = str(finding.get("severity"))
            by_severity[severity] = by_severity.get(severity, 0) + 1
    groups: list[dict[str, Any]] = []
    for module in modules():
        if not groups or groups[-1]["label"] != module.group:
            groups.append({"label": module.group, "modules": []})
        url = reverse("web:editor:module", kwargs={"trial_pk": trial.pk, "module": module.slug})
        module_counts = counts.get(module.slug, {})
        groups[-1]["modules"].append(
            {
                "slug": module.slug,
                "label": module.label,
                "url": f"{url}?stage={stage}",
                "current": module == current,
                "errors": module_counts.get("error", 0),
                "warnings": module_counts.get("warning", 0),
                "notes": module_counts.get("note", 0),
                "total": sum(module_counts.values()),
            }
        )
    return groups


def panel(
    placed: list[tuple[dict[str, Any], str]], all_findings: list[dict[str, Any]], module: Module
) -> dict[str, Any]:
    """The findings column of a module page: this module's findings, each linking to the field it is
    shown at, and those about the record as a whole (no module holds them)."""
    names = registry_names()

    def item(finding: dict[str, Any], target: str) -> dict[str, Any]:
        severity = str(finding.get("severity", "note"))
        return {
            "severity": severity,
            "severity_label": SEVERITY_LABELS.get(severity, severity),
            "registry": names.get(str(finding.get("registry", "")), str(finding.get("registry", ""))),
            "code": finding.get("code", ""),
            "message": finding.get("message", ""),
            "pointer": finding.get("pointer", ""),
            "source": finding.get("source", ""),
            "target": target,
        }

    record_wide = [
        item(finding, field_id(str(finding.get("pointer", ""))))
        for finding in all_findings
        if module_for_pointer(str(finding.get("pointer", ""))) is None
    ]
    items = [item(finding, target) for finding, target in placed]
    return {
        "items": items,
        "record_wide": record_wide,
        "errors": sum(1 for entry in items if entry["severity"] == "error"),
        "warnings": sum(1 for entry in items if entry["severity"] == "warning"),
    }


def csv_tables(trial: Trial, module: Module) -> list[dict[str, str]]:
    """The results tables of ``module`` that can be exported and imported as CSV."""
    return [
        {
            "slug": table.slug,
            "label": table.label,
            "url": reverse("web:editor:table_csv", kwargs={"trial_pk": trial.pk, "table": table.slug}),
        }
        for table in grids.tables_of(module)
    ]
