"""The newcomer's journey in a real browser: an author files a trial, a reviewer returns it with a
comment, the author resubmits, an approver signs (once with a wrong password, keeping the form), and the
downloaded payload is byte for byte what `python -m registries build` makes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from lxml import etree
from playwright.sync_api import expect

from registries import get_registry
from registries.cli import main as registries_cli
from registries.enums import Stage as RegistryStage
from registries.importers import import_record
from registries.xmlsafe import parse_xml
from submissions.enums import FilingState
from submissions.models import Filing, Organization, Trial
from tests.submissions import factories
from tests.submissions.web.browser.pages import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """One person's browser session."""

    def __init__(self, chromium: Any, base_url: str, user: User) -> None:
        self.context = chromium.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        self.page = self.context.new_page()
        # Whatever the Content-Security-Policy refuses is reported on the console: the pages need none of it.
        self.refused: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.refused.append(f"{message.text} at {message.location.get('url')}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        self.page.goto("/sign-in/")
        self.page.get_by_label("Username").fill(user.get_username())
        self.page.get_by_label("Password").fill(factories.PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"{base_url}/")

    def close(self) -> None:
        self.context.close()


def _draft_prs_xml(sample_dir: Path) -> bytes:
    """A real record (NCT05594173) as the PRS XML a sponsor would upload, with its brief title not yet
    written: what an author starts from, with one error finding to fix."""
    record = import_record("ctgov-v2", (sample_dir / "ctgov-v2-NCT05594173.json").read_bytes()).record
    root = parse_xml(get_registry("ctgov").build(record, RegistryStage.REGISTRATION).content)
    title = root.find(".//brief_title")
    assert title is not None
    parent = title.getparent()
    assert parent is not None
    parent.remove(title)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_author_reviewer_and_approver_take_a_trial_to_a_signed_payload(
    chromium: Any,
    live_server: Any,
    screenshots: Path,
    org: Organization,
    people: dict[str, User],
    sample_dir: Path,
    tmp_path: Path,
) -> None:
    violations: dict[str, list[str]] = {}

    # The author imports a real record and reads the importer's report.
    author = Person(chromium, live_server.url, people["author"])
    page = author.page
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File to import").set_input_files(
        files=[
            {
                "name": "15-9431.10-prs.xml",
                "mimeType": "application/xml",
                "buffer": _draft_prs_xml(sample_dir),
            }
        ]
    )
    # Chosen, not detected: automatic detection takes a PRS study_collection for the public XML.
    page.get_by_label("Format").select_option("ctgov-prs-xml")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Import report: 1 imported, 0 refused")).to_be_visible()
    expect(page.get_by_text("1 error", exact=True)).to_be_visible()
    violations["import"] = check_page(page, screenshots, "import")
    trial = Trial.objects.get(organization=org)
    page.get_by_role("link", name=trial.reference).click()

    # The author opens a registration filing and sees the finding that stops it going to review.
    page.get_by_text("Open a filing").click()
    page.get_by_label("ClinicalTrials.gov").check()
    page.get_by_role("button", name="Open the filing").click()
    finding = page.get_by_role("link", name="/protocolSection/identificationModule/briefTitle")
    expect(finding).to_be_visible()
    expect(page.get_by_role("button", name="Submit for review")).to_be_disabled()
    violations["trial"] = check_page(page, screenshots, "trial")

    # The author follows the finding to its field in the editor, types the title and saves.
    finding.click()
    field = page.locator(f"[id='{page.url.split('#', 1)[1]}']")
    expect(field).to_be_visible()
    violations["editor"] = check_page(page, screenshots, "editor")
    field.fill("Chewing and Oral Processing of Solid Food")
    page.get_by_role("button", name="Save as a new version").click()
    page.goto(f"/trials/{trial.pk}/")
    expect(finding).to_have_count(0)

    # The author submits it for review with a comment.
    page.goto("/")
    violations["dashboard"] = check_page(page, screenshots, "dashboard")
    page.goto(f"/trials/{trial.pk}/")
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
    refused = {
        name: person.refused
        for name, person in (("author", author), ("reviewer", reviewer), ("approver", approver))
    }
    for person in (author, reviewer, approver):
        person.close()

    assert violations == {name: [] for name in violations}
    assert refused == {"author": [], "reviewer": [], "approver": []}


def test_sign_in_page_is_accessible_on_a_tablet(
    chromium: Any, live_server: Any, screenshots: Path, db: None
) -> None:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 820, "height": 1180})
    page = context.new_page()
    page.goto("/sign-in/")

    violations = check_page(page, screenshots, "sign-in-tablet")
    context.close()

    assert violations == []
