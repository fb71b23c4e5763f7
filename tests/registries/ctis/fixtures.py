"""The complete synthetic record (phase 3, two EU member states, US and UK sites, full results)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COMPLETE_RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"


def complete_trial() -> dict[str, Any]:
    """A fresh copy of ``tests/fixtures/records/complete.json``."""
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record
