"""Fixtures for the record editor: a trial holding the repository's complete record, and a reader that
collects a rendered form's values the way a browser submits them."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from submissions.models import Organization, Trial
from tests.submissions import factories

# The largest real record in the shared samples: 10 outcome measures with many categories.
LARGEST_BULK_SAMPLE = "samples-bulk/ctgov-v2/NCT01978912.json"


class FormValues(HTMLParser):
    """The (name, value) pairs a browser would submit for the form with ``form_id``: text and hidden
    inputs, ticked checkboxes, the selected option of each select, text areas without the one newline
    HTML drops after the opening tag. Buttons are left out (no button was pressed)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth = 0
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.option: list[str] | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.ids: set[str] = set()
        self.disabled_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("text", "hidden") or (kind == "checkbox" and "checked" in attributes):
                self.pairs.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = (name, [])
        elif tag == "option" and self.select is not None:
            self.select[1].append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, options = self.select
            chosen = [value for value, selected in options if selected] or [options[0][0]]
            self.pairs.append((name, chosen[0]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, chunks = self.textarea
            text = "".join(chunks)
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)


def form_values(html: str, form_id: str = "editor-form") -> list[tuple[str, str]]:
    reader = FormValues(form_id)
    reader.feed(html)
    return reader.pairs


def element_ids(html: str) -> set[str]:
    reader = FormValues("")
    reader.feed(html)
    return reader.ids


def encode(pairs: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    return urlencode(pairs)


def post_form(client: Client, url: str, pairs: list[tuple[str, str]]) -> Any:
    return client.post(url, data=encode(pairs), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def editor_trial(org: Organization, people: dict[str, User], complete_record: dict[str, Any]) -> Trial:
    return factories.make_trial(org, people["author"], complete_record)


@pytest.fixture
def author_client(people: dict[str, User]) -> Client:
    client = Client()
    client.force_login(people["author"])
    return client
