"""The admin as a whole."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.test import Client

from submissions.enums import Role
from submissions.letters.models import Site
from tests.submissions import factories


def test_every_model_of_the_app_has_an_admin():
    models = apps.get_app_config("submissions").get_models()
    assert [model.__name__ for model in models if model not in admin.site._registry] == []


def test_every_model_of_the_letters_app_has_an_admin():
    models = apps.get_app_config("letters").get_models()
    assert [model.__name__ for model in models if model not in admin.site._registry] == []


def test_letters_admin_pages_show_only_the_members_trials(org, people, record):
    # given a site of our trial and one of another sponsor's trial
    ours = factories.make_trial(org, people[Role.AUTHOR], record, reference="OURS-1")
    other = factories.make_org("Sponsor B")
    crew = factories.make_people(other, prefix="b-")
    theirs = factories.make_trial(other, crew[Role.AUTHOR], record, reference="B-1")
    mine = Site.objects.create(trial=ours, code="S01", name="Ours", contact="x")
    secret = Site.objects.create(trial=theirs, code="Z01", name="Theirs", contact="y")
    user = people[Role.ADMIN]
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)

    listing = client.get("/admin/letters/site/")
    answers = [
        client.get(f"/admin/letters/site/{mine.pk}/change/").status_code,
        client.get(f"/admin/letters/site/{secret.pk}/change/").status_code,
    ]

    assert (listing.status_code, b"Ours" in listing.content, b"Theirs" in listing.content) == (
        200,
        True,
        False,
    )
    assert answers == [200, 404]
