"""The admin works in a real browser under the Content-Security-Policy: Chromium (Debian's, driven by
chromedriver over the W3C WebDriver protocol) signs in, opens the lifecycle pages and uses the change
list's script, and reports no policy violation in its console."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from submissions import domain
from submissions.enums import Role, Stage
from tests.submissions import factories

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


class WebDriver:
    """Just enough of the W3C WebDriver protocol for these tests (no Selenium in the project)."""

    def __init__(self, base: str) -> None:
        self.base = base
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = f"/session/{answer['sessionId']}"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 - a local chromedriver
            self.base + path,
            data=json.dumps(body or {}).encode() if method == "POST" else None,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.loads(response.read())["value"]

    def get(self, url: str) -> None:
        self._call("POST", f"{self.session}/url", {"url": url})

    def find(self, css: str) -> str:
        element = self._call("POST", f"{self.session}/element", {"using": "css selector", "value": css})
        return str(next(iter(element.values())))

    def type(self, css: str, text: str) -> None:
        self._call("POST", f"{self.session}/element/{self.find(css)}/value", {"text": text})

    def click(self, css: str) -> None:
        self._call("POST", f"{self.session}/element/{self.find(css)}/click")

    def selected(self, css: str) -> bool:
        return bool(self._call("GET", f"{self.session}/element/{self.find(css)}/selected"))

    def title(self) -> str:
        return str(self._call("GET", f"{self.session}/title"))

    def console(self) -> list[str]:
        entries = self._call("POST", f"{self.session}/se/log", {"type": "browser"})
        return [entry["message"] for entry in entries]

    def quit(self) -> None:
        self._call("DELETE", self.session)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Chromium and chromedriver are not installed (CI installs Debian's)")
    port = _free_port()
    driver_process = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base + "/status", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        driver = WebDriver(base)
        yield driver
        driver.quit()
    finally:
        driver_process.terminate()
        driver_process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_the_admin_signs_in_and_runs_its_scripts_with_no_policy_violation(browser, live_server, sample_dir):
    # given a sponsor with a trial and a filing, and an author who may use the admin
    org = factories.make_org()
    people = factories.make_people(org)
    trial = factories.make_trial(org, people[Role.AUTHOR], factories.complete_record(sample_dir))
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    author = people[Role.AUTHOR]
    author.is_staff = True
    author.save()
    # when they sign in and open the lifecycle pages
    browser.get(live_server.url + "/admin/login/")
    browser.type("#id_username", author.username)
    browser.type("#id_password", factories.PASSWORD)
    browser.click("input[type=submit]")
    titles = []
    for url in (
        reverse("admin:index"),
        reverse("admin:submissions_trial_change", args=[trial.pk]),
        reverse("admin:submissions_filing_change", args=[filing.pk]),
        reverse("admin:submissions_trial_add"),
        reverse("admin:submissions_filing_changelist"),
    ):
        browser.get(live_server.url + url)
        titles.append(browser.title())
    # and tick "select all" on the filing list, which the admin's actions.js handles
    browser.click("#action-toggle")
    row_ticked = browser.selected("input.action-select")
    # then every page opened, the admin's script ran, and the console names no policy violation
    violations = [line for line in browser.console() if "Content Security Policy" in line]
    assert (titles[0].split(" | ")[0], "Log in" in " ".join(titles), row_ticked, violations) == (
        "Site administration",
        False,
        True,
        [],
    )
