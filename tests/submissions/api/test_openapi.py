"""The OpenAPI document is the contract: the committed file is what the code generates, and the docs
pages are served from packaged assets (no CDN)."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.test import Client

COMMITTED = Path(__file__).resolve().parents[3] / "submissions" / "api" / "openapi.yaml"


def test_committed_schema_is_what_the_code_generates(tmp_path: Path) -> None:
    # given the schema generated from the code now
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated))
    # then it is the committed one
    # (regenerate: python manage.py spectacular --file submissions/api/openapi.yaml)
    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_swagger_ui_and_redoc_load_their_assets_from_this_server(admin_client: Client) -> None:
    # when a person opens the two documentation pages
    swagger = admin_client.get("/api/v1/docs").content.decode()
    redoc = admin_client.get("/api/v1/redoc").content.decode()
    # then every script they load is served by this application (drf-spectacular-sidecar), none by a CDN
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in swagger,
        "cdn" in swagger,
    ) == (
        True,
        False,
    )
    assert ("/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in redoc, "cdn" in redoc) == (
        True,
        False,
    )
