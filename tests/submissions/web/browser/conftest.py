"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a downloaded browser)
against pytest-django's live server, with axe-core (npm) checking each page's accessibility.

Without Chromium or axe-core the tests skip with the reason, unless REQUIRE_BROWSER=1 (CI), where they fail.
Screenshots go to var/screenshots/ (gitignored); the path is printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[4]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER", "") == "1":
        pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 demands the browser tests run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One Chromium per test module; Playwright stops with it, so later modules run as usual."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is absent (install Debian's chromium package)")
    if not AXE.exists():
        _unavailable(f"{AXE} is absent (run `npm ci` at the repository root)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse the
    # tests' own (synchronous) setup and checks as if they came from async code.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOTS}")
    return SCREENSHOTS
