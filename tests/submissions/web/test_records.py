"""History, payloads (preview, download, signed package) and the trial's deadlines page."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registries.cli import main as registries_cli
from submissions import domain
from submissions.enums import FilingState, Stage
from submissions.models import Filing, Trial
from tests.submissions import factories
from tests.submissions.web.pages import head_of, signature_of


@pytest.fixture
def approved(web_trial: Trial, people: dict[str, User]) -> Filing:
    filing = domain.open_filing(
        web_trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"]
    )
    return factories.drive(filing, FilingState.APPROVED, people)


def test_history_lists_every_version_with_author_and_the_audit_trail_newest_first(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    first = head_of(web_trial)
    domain.save_record(
        web_trial, factories.changed(first.content), base_sha256=first.sha256, actor=people["author2"]
    )
    web_trial.refresh_from_db()

    body = as_user(people["viewer"]).get(f"/trials/{web_trial.pk}/history/").content.decode()

    assert body.index(head_of(web_trial).sha256) < body.index(first.sha256)
    assert ("Author2 Tester" in body, "Author Tester" in body) == (True, True)
    assert body.index("Record version saved") < body.index("Trial created")


def test_payload_download_is_byte_for_byte_what_the_cli_builds(
    as_user: Callable[[User], Client], people: dict[str, User], approved: Filing, tmp_path: Path
) -> None:
    payload = approved.payloads_current.get()
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(head_of(approved.trial).content), encoding="utf-8")
    built = tmp_path / "built.xml"
    registries_cli(
        ["build", str(record_file), "--registry", "ctgov", "--stage", "registration", "-o", str(built)]
    )

    response = as_user(people["viewer"]).get(f"/trials/{approved.trial_id}/payloads/{payload.pk}/download/")

    assert response.content == built.read_bytes()
    assert response["Content-Disposition"] == f'attachment; filename="{payload.file_name}"'


def test_payload_preview_is_indented_xml(
    as_user: Callable[[User], Client], people: dict[str, User], approved: Filing
) -> None:
    payload = approved.payloads_current.get()

    body = (
        as_user(people["viewer"]).get(f"/trials/{approved.trial_id}/payloads/{payload.pk}/").content.decode()
    )

    assert "\n  &lt;" in body


def test_signed_package_holds_the_payloads_and_a_manifest_of_their_hashes(
    as_user: Callable[[User], Client], people: dict[str, User], approved: Filing
) -> None:
    payload = approved.payloads_current.get()

    response = as_user(people["viewer"]).get(
        f"/trials/{approved.trial_id}/filings/{approved.pk}/signed-package/"
    )

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert sorted(archive.namelist()) == sorted(["manifest.json", f"ctgov/{payload.file_name}"])
    assert archive.read(f"ctgov/{payload.file_name}") == bytes(payload.content)
    assert manifest["payloads"][0]["sha256"] == payload.sha256
    assert manifest["record_sha256"] == signature_of(approved).record_sha256


def test_draft_filing_shows_an_unsigned_preview(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    domain.open_filing(web_trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"])

    body = as_user(people["author"]).get(f"/trials/{web_trial.pk}/payloads/").content.decode()

    assert "(unsigned preview)" in body
    assert "Download the signed package" not in body


def test_another_organizations_payloads_answer_404(
    as_user: Callable[[User], Client], people: dict[str, User], approved: Filing, other_trial: Trial
) -> None:
    payload = approved.payloads_current.get()
    outsider = factories.make_user("outsider", org=other_trial.organization, roles=("author",))
    client = as_user(outsider)

    statuses = [
        client.get(f"/trials/{approved.trial_id}/payloads/").status_code,
        client.get(f"/trials/{approved.trial_id}/payloads/{payload.pk}/download/").status_code,
        client.get(f"/trials/{approved.trial_id}/filings/{approved.pk}/signed-package/").status_code,
        client.get(f"/trials/{approved.trial_id}/history/").status_code,
        client.get(f"/trials/{approved.trial_id}/deadlines/").status_code,
    ]

    assert statuses == [404, 404, 404, 404, 404]


def test_deadlines_page_lists_each_applying_deadline_with_its_source(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    sources = set(web_trial.deadlines.filter(current=True, applies=True).values_list("source", flat=True))

    body = as_user(people["viewer"]).get(f"/trials/{web_trial.pk}/deadlines/").content.decode()

    assert sources
    assert all(f"<td>{source}</td>" in body for source in sources)


def test_diff_of_two_versions_shows_the_changed_field_side_by_side(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    first = head_of(web_trial)
    domain.save_record(
        web_trial, factories.changed(first.content), base_sha256=first.sha256, actor=people["author"]
    )
    web_trial.refresh_from_db()

    body = (
        as_user(people["viewer"])
        .get(f"/trials/{web_trial.pk}/history/diff/?a={first.sha256}&b={head_of(web_trial).sha256}")
        .content.decode()
    )

    title = first.content["protocolSection"]["identificationModule"]["briefTitle"]
    rows = re.findall(r'<tr class="(\w+)">\s*<th scope="row"><a href="[^"]*">([^<]+)</a>', body)
    assert rows == [("changed", "/protocolSection/identificationModule/briefTitle")]
    assert f'<td class="removed">{title}</td>' in body
    assert f'<td class="added">{title} (amended)</td>' in body


def test_changes_since_the_last_accepted_filing(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    factories.complete_stage(web_trial, Stage.REGISTRATION, people, ["ctgov"])
    web_trial.refresh_from_db()
    head = head_of(web_trial)
    domain.save_record(
        web_trial, factories.changed(head.content), base_sha256=head.sha256, actor=people["author"]
    )

    body = (
        as_user(people["viewer"])
        .get(f"/trials/{web_trial.pk}/history/diff/?a=accepted&b=head")
        .content.decode()
    )

    assert "What changed since the last accepted filing" in body
    assert re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', body) == [
        "/protocolSection/identificationModule/briefTitle"
    ]
