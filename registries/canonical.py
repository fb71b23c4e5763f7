"""The canonical serialization of a record, and the version name derived from it (DESIGN section 3).

A record version is named by the SHA-256 of this serialization, so two saves of the same content are
the same version wherever and whenever they happen.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(record: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8 (non-ASCII kept as is)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_sha256(record: Any) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()
