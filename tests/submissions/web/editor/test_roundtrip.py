"""Every module of the complete record renders as a form that, posted back unchanged, saves nothing new."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from submissions.models import Trial
from submissions.web.editor.formtree import parse_module
from submissions.web.editor.modules import module_value, modules
from tests.submissions.web.editor.conftest import form_values

MODULES = [module.slug for module in modules()]


@pytest.mark.parametrize("slug", MODULES)
def test_module_form_posted_back_unchanged_gives_the_same_module(
    slug: str, editor_trial: Trial, author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given the complete record's module as the editor renders it
    module = next(module for module in modules() if module.slug == slug)
    url = reverse("web:editor:module", kwargs={"trial_pk": editor_trial.pk, "module": slug})
    page = author_client.get(url)
    assert page.status_code == 200
    # when the browser's values are read back
    parsed = parse_module(module, form_values(page.content.decode()))
    # then they are exactly the stored module, with its types
    assert parsed.errors == {}
    assert parsed.value == module_value(complete_record, module)
