"""The import page: upload a ClinicalTrials.gov file, read the importer's report; bad files change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from submissions.models import Organization, Trial


def test_author_imports_a_real_record_and_reads_the_report(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization, sample_dir: Path
) -> None:
    sample = sample_dir / "ctgov-v2-NCT05594173.json"

    response = as_user(people["author"]).post(
        "/import/", {"file": SimpleUploadedFile(sample.name, sample.read_bytes(), "application/json")}
    )

    body = response.content.decode()
    trial = Trial.objects.get(organization=org)
    assert response.status_code == 200
    assert "1 imported, 0 refused" in body
    assert f'href="/trials/{trial.pk}/"' in body
    assert trial.identifiers["ctgov"]["nct_id"] == "NCT05594173"


def test_a_malformed_file_is_refused_at_the_field_and_changes_nothing(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    response = as_user(people["author"]).post(
        "/import/", {"file": SimpleUploadedFile("broken.json", b'{"protocolSection": ', "application/json")}
    )

    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert Trial.objects.filter(organization=org).exists() is False


def test_a_file_over_the_limit_is_refused_before_reading(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization, settings: object
) -> None:
    settings.MAX_RECORD_BYTES = 100  # type: ignore[attr-defined]

    response = as_user(people["author"]).post(
        "/import/", {"file": SimpleUploadedFile("big.json", b"{" + b" " * 200 + b"}", "application/json")}
    )

    assert response.status_code == 400
    assert "files up to 100 bytes can be imported" in response.content.decode()
    assert Trial.objects.filter(organization=org).exists() is False


def test_no_file_says_so_at_the_field(as_user: Callable[[User], Client], people: dict[str, User]) -> None:
    response = as_user(people["author"]).post("/import/", {"fmt": "ctgov-prs-xml"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose the file to import." in body
    assert '<option value="ctgov-prs-xml" selected>' in body


def test_a_forged_import_by_a_reviewer_is_refused(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization, sample_dir: Path
) -> None:
    sample = sample_dir / "ctgov-v2-NCT05594173.json"
    client = as_user(people["reviewer"])

    page = client.get("/import/").content.decode()
    response = client.post("/import/", {"file": SimpleUploadedFile(sample.name, sample.read_bytes())})

    assert "Importing trials needs the author role" in page
    assert response.status_code == 403
    assert Trial.objects.filter(organization=org).exists() is False
