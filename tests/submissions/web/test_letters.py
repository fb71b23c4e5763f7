"""Letter settings of the organization and letter sites of a trial: who may change what, bad input that
changes nothing, and another organization's trial that answers 404."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from submissions.domain import letters as domain_letters
from submissions.enums import AuditEventType, Role
from submissions.letters.models import LetterSettings, Site, TrialLetters
from submissions.models import AuditEvent, Organization, Trial


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 12), (0, 90, 156)).save(buffer, "PNG")
    return buffer.getvalue()


def _settings_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "target_grade": "7",
        "sentence_word_limit": "20",
        "brand_colour": "#005A9C",
        "page_size": "letter",
    }
    data.update(changes)
    return data


def _settings(org: Organization) -> tuple[Any, ...]:
    found = LetterSettings.objects.filter(organization=org).first()
    if found is None:
        return ()
    return (
        found.target_grade,
        found.sentence_word_limit,
        found.brand_colour,
        found.page_size,
        bytes(found.logo_png),
    )


def _events(event_type: str) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


def _errors(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


# The organization's letter settings.


def test_admin_saves_grade_limit_colour_page_size_and_logo(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    logo = _png()

    response = as_user(people[Role.ADMIN]).post(
        "/letter-settings/", _settings_post(logo=SimpleUploadedFile("logo.png", logo, "image/png"))
    )

    assert (response.status_code, response["Location"]) == (302, "/letter-settings/")
    assert _settings(org) == (7, 20, "#005a9c", "letter", logo)
    assert _events(AuditEventType.LETTER_SETTINGS_CHANGED) == 1
    assert domain_letters.pdf_branding(org).logo_png == logo


def test_admin_removes_the_logo(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    domain_letters.set_letter_settings(org, actor=people[Role.ADMIN], logo_png=_png())

    as_user(people[Role.ADMIN]).post("/letter-settings/", _settings_post(remove_logo="on"))

    assert _settings(org) == (7, 20, "#005a9c", "letter", b"")


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.APPROVER, Role.VIEWER])
def test_only_an_admin_changes_the_settings(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization, role: str
) -> None:
    response = as_user(people[role]).post("/letter-settings/", _settings_post())

    assert response.status_code == 403
    assert _settings(org) in ((), (8, 25, "#1f4e79", "A4", b""))
    assert _events(AuditEventType.LETTER_SETTINGS_CHANGED) == 0


def test_members_see_the_settings_without_the_form(
    as_user: Callable[[User], Client], people: dict[str, User]
) -> None:
    response = as_user(people[Role.VIEWER]).get("/letter-settings/")

    assert response.status_code == 200
    assert b"Only an organization admin can change these settings." in response.content
    assert b'name="brand_colour"' not in response.content


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"brand_colour": "red"},
            {"brand_colour": ["Give the colour as # and six hexadecimal digits, for example #1f4e79."]},
        ),
        (
            {"logo": SimpleUploadedFile("logo.gif", b"GIF89a....", "image/gif")},
            {"logo": ["The file is not a PNG image; save the logo as PNG and upload it again."]},
        ),
        ({"target_grade": "25"}, {"target_grade": ["Ensure this value is less than or equal to 20."]}),
        (
            {"page_size": "A5"},
            {"page_size": ["Select a valid choice. A5 is not one of the available choices."]},
        ),
        (
            {"logo": SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "image/png")},
            {"logo": ["The logo is 585 KB; the limit is 512 KB."]},
        ),
    ],
    ids=["colour", "not-png", "grade", "page-size", "too-large"],
)
def test_bad_settings_get_a_specific_error_and_change_nothing(
    as_user: Callable[[User], Client],
    people: dict[str, User],
    org: Organization,
    changes: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    response = as_user(people[Role.ADMIN]).post("/letter-settings/", _settings_post(**changes))

    assert (response.status_code, _errors(response)) == (400, errors)
    assert _settings(org) == ()
    assert _events(AuditEventType.LETTER_SETTINGS_CHANGED) == 0


# A trial's letter sites.


def _sites(trial: Trial) -> list[tuple[str, str, str]]:
    return list(Site.objects.filter(trial=trial).order_by("code").values_list("code", "name", "contact"))


def _add(code: str = "S01", name: str = "Leeds Clinic", contact: str = "0113 000 0000") -> dict[str, str]:
    return {"form": "add", "add-code": code, "add-name": name, "add-contact": contact}


def test_author_adds_a_site_and_sees_it_listed(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    client = as_user(people[Role.AUTHOR])

    response = client.post(f"/trials/{web_trial.pk}/letter-sites/", _add())
    page = client.get(f"/trials/{web_trial.pk}/letter-sites/")

    assert (response.status_code, response["Location"]) == (302, f"/trials/{web_trial.pk}/letter-sites/")
    assert _sites(web_trial) == [("S01", "Leeds Clinic", "0113 000 0000")]
    assert b'<tr id="site-S01">' in page.content
    assert _events(AuditEventType.LETTER_SITE_ADDED) == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REVIEWER, Role.APPROVER])
def test_a_role_that_may_not_add_sites_gets_403_and_nothing_is_added(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial, role: str
) -> None:
    response = as_user(people[role]).post(f"/trials/{web_trial.pk}/letter-sites/", _add())

    assert response.status_code == 403
    assert _sites(web_trial) == []


def test_a_used_code_is_refused_at_its_field(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    client = as_user(people[Role.AUTHOR])
    client.post(f"/trials/{web_trial.pk}/letter-sites/", _add())

    response = client.post(f"/trials/{web_trial.pk}/letter-sites/", _add(name="Another"))

    assert response.status_code == 400
    assert {k: list(v) for k, v in response.context["add_form"].errors.items()} == {
        "code": ["The trial already has a site “S01”."]
    }
    assert _sites(web_trial) == [("S01", "Leeds Clinic", "0113 000 0000")]


def test_a_site_without_contact_is_refused_at_its_field(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    response = as_user(people[Role.AUTHOR]).post(f"/trials/{web_trial.pk}/letter-sites/", _add(contact=""))

    assert response.status_code == 400
    assert {k: list(v) for k, v in response.context["add_form"].errors.items()} == {
        "contact": ["Give the site's contact for participants."]
    }
    assert _sites(web_trial) == []


def test_author_changes_a_sites_name_and_contact(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    site = domain_letters.add_letter_site(
        web_trial, code="S01", name="Leeds", contact="old", actor=people[Role.AUTHOR]
    )

    response = as_user(people[Role.AUTHOR]).post(
        f"/trials/{web_trial.pk}/letter-sites/",
        {
            "form": "change",
            "site": site.pk,
            f"site{site.pk}-name": "Leeds Clinic",
            f"site{site.pk}-contact": "new",
        },
    )

    assert response.status_code == 302
    assert _sites(web_trial) == [("S01", "Leeds Clinic", "new")]
    event = AuditEvent.objects.get(event_type=AuditEventType.LETTER_SITE_CHANGED)
    assert event.data == {"site": "S01", "changed": ["name", "contact"]}


def test_an_empty_site_name_is_refused_and_changes_nothing(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    site = domain_letters.add_letter_site(
        web_trial, code="S01", name="Leeds", contact="old", actor=people[Role.AUTHOR]
    )

    response = as_user(people[Role.AUTHOR]).post(
        f"/trials/{web_trial.pk}/letter-sites/",
        {"form": "change", "site": site.pk, f"site{site.pk}-name": "  ", f"site{site.pk}-contact": "new"},
    )

    assert response.status_code == 400
    assert _sites(web_trial) == [("S01", "Leeds", "old")]
    assert _events(AuditEventType.LETTER_SITE_CHANGED) == 0


def test_another_organizations_trial_and_site_answer_404(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial, other_trial: Trial
) -> None:
    theirs = Site.objects.create(trial=other_trial, code="Z01", name="Zebra site", contact="secret")
    client = as_user(people[Role.ADMIN])

    answers = [
        client.get(f"/trials/{other_trial.pk}/letter-sites/").status_code,
        client.post(f"/trials/{other_trial.pk}/letter-sites/", _add()).status_code,
        client.post(
            f"/trials/{web_trial.pk}/letter-sites/",
            {
                "form": "change",
                "site": theirs.pk,
                f"site{theirs.pk}-name": "Mine",
                f"site{theirs.pk}-contact": "x",
            },
        ).status_code,
    ]

    assert answers == [404, 404, 404]
    assert _sites(other_trial) == [("Z01", "Zebra site", "secret")]


def test_approver_turns_the_public_results_page_on_and_an_author_may_not(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    form = {"form": "trial", "trial-public_results_page": "on"}

    refused = as_user(people[Role.AUTHOR]).post(f"/trials/{web_trial.pk}/letter-sites/", form)
    after_refusal = TrialLetters.objects.filter(trial=web_trial).exists()
    done = as_user(people[Role.APPROVER]).post(f"/trials/{web_trial.pk}/letter-sites/", form)

    assert (refused.status_code, after_refusal, done.status_code) == (403, False, 302)
    assert TrialLetters.objects.values_list("unblinded", "public_results_page").get(trial=web_trial) == (
        False,
        True,
    )


def test_blinding_an_unblinded_trial_again_is_refused_at_its_field(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    domain_letters.set_trial_letters(web_trial, unblinded=True, actor=people[Role.APPROVER])

    response = as_user(people[Role.APPROVER]).post(f"/trials/{web_trial.pk}/letter-sites/", {"form": "trial"})

    assert response.status_code == 400
    assert {k: list(v) for k, v in response.context["trial_form"].errors.items()} == {
        "unblinded": ["The trial is unblinded; it cannot be blinded again."]
    }
    assert TrialLetters.objects.get(trial=web_trial).unblinded is True


def test_trial_page_links_to_the_lay_summary_letters_and_letter_sites(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    page = as_user(people[Role.VIEWER]).get(f"/trials/{web_trial.pk}/").content.decode()

    assert [
        f'href="/letters/trials/{web_trial.pk}/lay-summary/"' in page,
        f'href="/letters/trials/{web_trial.pk}/letters/"' in page,
        f'href="/trials/{web_trial.pk}/letter-sites/"' in page,
    ] == [True, True, True]


def test_letters_page_links_to_the_letter_sites(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    page = as_user(people[Role.AUTHOR]).get(f"/letters/trials/{web_trial.pk}/letters/").content.decode()

    assert f'<a href="/trials/{web_trial.pk}/letter-sites/">Add or change sites</a>' in page
