"""Where the official registry schemas and sample records live.

They are data we read, never copies in this repository (DESIGN section 5). The directory comes from
the REGISTRY_SCHEMA_DIR environment variable, or from the Django setting of the same name through
``configure``; the fallback is the shared folder beside the checkout, which is what the test suite uses.
"""

from __future__ import annotations

import os
from pathlib import Path

_DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "registry-specs"
_configured: Path | None = None


def configure(directory: str | Path) -> None:
    global _configured
    _configured = Path(directory)


def schema_dir() -> Path:
    if _configured is not None:
        return _configured
    env = os.environ.get("REGISTRY_SCHEMA_DIR")
    return Path(env).expanduser().resolve() if env else _DEFAULT


def spec_path(*parts: str) -> Path:
    """Path of one file under the schema directory (it may not exist: callers report that as a finding)."""
    return schema_dir().joinpath(*parts)
