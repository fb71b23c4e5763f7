"""The newcomer's journey in a real browser: an author files a trial, a reviewer returns it with a
comment, the author resubmits, an approver signs (once with a wrong password, keeping the form), and the
downloaded payload is byte for byte what `python -m registries build` makes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from registries.cli import main as registries_cli
from submissions import domain
from submissions.enums import FilingState, RecomputeReason
from submissions.models import Filing, Organization
from tests.submissions import factories
from tests.submissions.web.browser.pages import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """One person's browser session."""

    def __init__(self, chromium: Any, base_url: str, user: User) -> None:
        self.context = chromium.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.page.goto("/sign-in/")
        self.page.get_by_label("Username").fill(user.get_username())
        self.page.get_by_label("Password").fill(factories.PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"{base_url}/")

    def close(self) -> None:
        self.context.close()


def test_author_reviewer_and_approver_take_a_trial_to_a_signed_payload(
    chromium: Any,
    live_server: Any,
    screenshots: Path,
    org: Organization,
    people: dict[str, User],
    complete_record: dict[str, Any],
    tmp_path: Path,
) -> None:
    trial = factories.make_trial(org, people["author"], complete_record, reference="JOURNEY-1")
    domain.recompute_deadlines(trial, reason=RecomputeReason.MANUAL)
    violations: dict[str, list[str]] = {}

    # The author opens a registration filing and submits it for review.
    author = Person(chromium, live_server.url, people["author"])
    page = author.page
    violations["dashboard"] = check_page(page, screenshots, "dashboard")
    page.get_by_role("link", name="JOURNEY-1").click()
    page.get_by_text("Open a filing").click()
    page.get_by_label("ClinicalTrials.gov").check()
    page.get_by_role("button", name="Open the filing").click()
    violations["trial"] = check_page(page, screenshots, "trial")
    page.get_by_label("Comment for the reviewer").fill("First registration, please check the arms.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()

    # The reviewer returns it with a comment.
    reviewer = Person(chromium, live_server.url, people["reviewer"])
    page = reviewer.page
    page.goto(f"/trials/{trial.pk}/")
    page.get_by_role("button", name="Return to author").click()  # without a comment: refused at the field
    expect(page.get_by_text("Say what the author must change")).to_be_visible()
    page.get_by_label("Comment for the author").fill("Add the sponsor's contact.")
    page.get_by_role("button", name="Return to author").click()
    expect(page.get_by_text("Returned to the author with your comment.")).to_be_visible()

    # The author sees the comment, and resubmits.
    page = author.page
    page.goto(f"/trials/{trial.pk}/")
    expect(page.get_by_text("“Add the sponsor's contact.”")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()

    # The approver signs: first with a wrong password (the form stays), then with the right one.
    approver = Person(chromium, live_server.url, people["approver"])
    page = approver.page
    page.goto(f"/trials/{trial.pk}/")
    page.get_by_role("link", name="Approve and sign").click()
    page.get_by_role("dialog").get_by_label("Your password").wait_for()  # the e-signature dialog is open
    violations["approve"] = check_page(page, screenshots, "approve")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.get_by_text("The password is not correct; nothing was signed.")).to_be_visible()
    expect(page.get_by_label("Your full name (printed name)")).to_have_value("Approver Tester")
    page.get_by_label("Your password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.get_by_text("Approved and signed; the payloads are built")).to_be_visible()

    # The author downloads the payload: the bytes the registry CLI builds from the signed version.
    page = author.page
    page.goto(f"/trials/{trial.pk}/payloads/")
    violations["payloads"] = check_page(page, screenshots, "payloads")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download", exact=True).click()
    downloaded = Path(download_info.value.path()).read_bytes()
    filing = Filing.objects.get(trial=trial)
    assert filing.state == FilingState.APPROVED
    assert filing.pinned_version is not None
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(filing.pinned_version.content), encoding="utf-8")
    built = tmp_path / "built.xml"
    registries_cli(
        ["build", str(record_file), "--registry", "ctgov", "--stage", "registration", "-o", str(built)]
    )
    assert downloaded == built.read_bytes()

    for name, url in [
        ("history", f"/trials/{trial.pk}/history/"),
        ("diff", f"/trials/{trial.pk}/history/diff/?a=accepted&b=head"),
        ("deadlines", f"/trials/{trial.pk}/deadlines/"),
        ("compliance", "/compliance/"),
        ("people", "/people/"),
    ]:
        page.goto(url)
        violations[name] = check_page(page, screenshots, name)
    for person in (author, reviewer, approver):
        person.close()

    assert violations == {name: [] for name in violations}


def test_sign_in_page_is_accessible_on_a_tablet(
    chromium: Any, live_server: Any, screenshots: Path, db: None
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 820, "height": 1180}, bypass_csp=True
    )
    page = context.new_page()
    page.goto("/sign-in/")

    violations = check_page(page, screenshots, "sign-in-tablet")
    context.close()

    assert violations == []
