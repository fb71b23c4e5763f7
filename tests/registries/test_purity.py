"""registries/, deadlines/ and schemas/ stay pure Python: no Django, no web app (DESIGN section 2)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PURE_PACKAGES = ("registries", "deadlines", "schemas")
FORBIDDEN = frozenset({"django", "rest_framework", "submissions", "config", "django_fsm", "celery"})


def _imported_roots(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.append((node.lineno, node.module.split(".")[0]))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.append((node.lineno, node.args[0].value.split(".")[0]))
    return roots


def _python_files() -> list[Path]:
    return sorted(p for package in PURE_PACKAGES for p in (REPO / package).rglob("*.py"))


def test_pure_packages_contain_python_files() -> None:
    assert len([p for p in _python_files() if p.is_relative_to(REPO / "registries")]) >= 10


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_pure_module_imports_nothing_from_django_or_the_web_app(path: Path) -> None:
    forbidden = [(line, root) for line, root in _imported_roots(path) if root in FORBIDDEN]

    assert forbidden == []


def test_ast_scan_would_catch_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "import os\nfrom django.conf import settings\n"
        "import importlib\nimportlib.import_module('submissions.models')\n"
    )

    assert [(line, root) for line, root in _imported_roots(module) if root in FORBIDDEN] == [
        (2, "django"),
        (4, "submissions"),
    ]


_IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import registries
names = sorted(
    m.name for m in pkgutil.walk_packages(registries.__path__, "registries.")
    if not m.name.endswith("__main__")
)
for name in names:
    importlib.import_module(name)
roots = {"django", "rest_framework", "submissions", "config"}
leaked = sorted(m for m in sys.modules if m.split(".")[0] in roots)
print(json.dumps({"modules": names, "leaked": leaked}))
"""


def test_importing_every_registries_module_loads_no_django() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "registries.ctgov.importers.api_v2" in report["modules"]
    assert report["leaked"] == []
