"""What every browser test does on a page: a screenshot and an axe-core check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.submissions.web.browser.conftest import AXE

SERIOUS = {"serious", "critical"}


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, as 'rule: target' lines."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern
    # (a script tag would be refused, as it should be).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation.get("impact") in SERIOUS:
            for node in violation["nodes"]:
                found.append(f"{violation['id']}: {' '.join(node['target'])}")
    return found


def check_page(page: Any, folder: Path, name: str) -> list[str]:
    """Screenshot the page as ``name``.png and return its serious accessibility violations."""
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    return serious_violations(page)
