"""Template helpers of the staff application: links into the record editor, dates as registries show them."""

from __future__ import annotations

from datetime import date

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def field_url(trial_pk: int, pointer: str) -> str:
    """The editor page showing the field a JSON Pointer names (the editor redirects to its module)."""
    base = reverse("web:editor:field", kwargs={"trial_pk": trial_pk})
    return f"{base}?{urlencode({'pointer': pointer})}"


@register.simple_tag
def editor_url(trial_pk: int) -> str:
    return reverse("web:editor:index", kwargs={"trial_pk": trial_pk})


@register.filter
def days_from(due: date | None, today: date) -> int | None:
    """Days from ``today`` to ``due`` (negative when late)."""
    if due is None:
        return None
    return (due - today).days


@register.filter
def registry_name(code: str) -> str:
    """A registry's name for people (``ctgov`` -> ClinicalTrials.gov); an unknown code as it is."""
    from registries import registry_codes
    from submissions import checks

    return checks.registry_name(code) if code in registry_codes() else code


@register.filter
def registry_names(codes: list[str]) -> str:
    return ", ".join(registry_name(code) for code in codes)
