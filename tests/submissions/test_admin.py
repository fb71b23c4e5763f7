"""The admin as a whole."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin


def test_every_model_of_the_app_has_an_admin():
    models = apps.get_app_config("submissions").get_models()
    assert [model.__name__ for model in models if model not in admin.site._registry] == []
