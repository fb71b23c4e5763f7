"""Content-Security-Policy (django-csp): scripts and styles only from this site, nothing inline. The
Django admin works under it as is: the pages it renders carry no inline script, event handler or style
attribute, so the policy needs neither nonces nor 'unsafe-inline'."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from submissions import domain
from submissions.enums import FilingState, Role, Stage
from tests.submissions import factories


class _InlineFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts, on* handlers,
    style attributes and <style> blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in_inline_script = True
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.blocked.append(f"<{tag} {name}={value!r}>")
            if name == "href" and (value or "").lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} href=javascript:>")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.blocked.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def _blocked(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.blocked


def test_every_response_carries_a_policy_without_inline_script_or_style(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert (directives["script-src"], directives["style-src"], directives["object-src"]) == (
        "'self'",
        "'self'",
        "'none'",
    )
    assert (directives["frame-ancestors"], "unsafe-inline" in policy, "unsafe-eval" in policy) == (
        "'none'",
        False,
        False,
    )


@pytest.fixture
def signed_in(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.IN_REVIEW, people)
    user = people[Role.APPROVER]
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client, filing


def test_the_admin_pages_have_nothing_the_policy_would_block(signed_in, trial):
    client, filing = signed_in
    pages = {
        "/admin/login/": Client().get("/admin/login/"),
        "index": client.get("/admin/"),
        "trial list": client.get(reverse("admin:submissions_trial_changelist")),
        "trial page": client.get(reverse("admin:submissions_trial_change", args=[trial.pk])),
        "add trial": client.get(reverse("admin:submissions_trial_add")),
        "save record": client.get(reverse("admin:submissions_trial_save_record", args=[trial.pk])),
        "filing page": client.get(reverse("admin:submissions_filing_change", args=[filing.pk])),
        "approval form": client.post(
            reverse("admin:submissions_filing_changelist"),
            {"action": "approve", "_selected_action": [filing.pk]},
        ),
        "audit list": client.get(reverse("admin:submissions_auditevent_changelist")),
        "deadline list": client.get(reverse("admin:submissions_deadline_changelist")),
    }
    found = {name: _blocked(page.content.decode()) for name, page in pages.items()}
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    assert found == {name: [] for name in pages}


def test_the_django_admin_templates_have_no_inline_script():
    # The admin's own templates, as installed: what a future page of it would render.
    from pathlib import Path

    import django.contrib.admin

    templates = Path(django.contrib.admin.__file__).parent / "templates"
    inline = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", path.read_text(encoding="utf-8")
        )
        or re.search(r"\son[a-z]+=|\sstyle=", path.read_text(encoding="utf-8"))
    ]
    assert inline == []
