"""The trial page: actions by role and state from the workflow's own conditions, findings, deadlines;
forged and invalid posts refused with the reason at the field."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from submissions import domain
from submissions.enums import FilingState, RegistryOutcome, Stage
from submissions.models import AuditEvent, Filing, Trial
from tests.submissions import factories
from tests.submissions.web.pages import head_of


def _buttons(body: str) -> list[str]:
    """Enabled action buttons and links of the filings section, in page order."""
    section = body.split('id="filings-heading"', 1)[1].split('id="findings-heading"', 1)[0]
    found = re.findall(
        r'<button type="submit"[^>]*>([^<]+)</button>|<a class="button" href="[^"]+"[^>]*>([^<]+)</a>',
        section,
    )
    return [
        html.unescape(first or second) for first, second in found if (first or second) != "Open the filing"
    ]


def _disabled(body: str) -> list[str]:
    return re.findall(r"<button type=\"button\" disabled[^>]*>([^<]+)</button>", body)


@pytest.fixture
def draft(web_trial: Trial, people: dict[str, User]) -> Filing:
    return domain.open_filing(
        web_trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"]
    )


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("author", FilingState.DRAFT, ["Submit for review"]),
        ("reviewer", FilingState.DRAFT, []),
        ("viewer", FilingState.IN_REVIEW, []),
        ("reviewer", FilingState.IN_REVIEW, ["Return to author"]),
        ("approver", FilingState.IN_REVIEW, ["Return to author", "Approve and sign"]),
        ("author", FilingState.APPROVED, ["Mark as submitted"]),
        ("approver", FilingState.APPROVED, ["Mark as submitted", "Reopen (void the approval)"]),
        ("author", FilingState.SUBMITTED, ["Record the registry's answer"]),
        ("author", FilingState.RETURNED, ["Start corrections"]),
    ],
)
def test_each_role_sees_only_the_actions_it_may_take_now(
    as_user: Callable[[User], Client],
    people: dict[str, User],
    draft: Filing,
    role: str,
    state: str,
    expected: list[str],
) -> None:
    factories.drive(draft, state, people)

    body = as_user(people[role]).get(f"/trials/{draft.trial_id}/").content.decode()

    assert _buttons(body) == expected


def test_submitter_sees_approve_disabled_with_the_conditions_sentence(
    as_user: Callable[[User], Client], people: dict[str, User], org: Any, draft: Filing
) -> None:
    both = factories.make_user("both", org=org, roles=("author", "approver"))
    domain.submit_for_review(draft, actor=both)

    body = as_user(both).get(f"/trials/{draft.trial_id}/").content.decode()

    assert _disabled(body) == ["Approve and sign"]
    assert "The approver must be a different person" in body


def test_submit_is_disabled_with_the_reason_while_the_record_has_errors(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial, complete_record: dict
) -> None:
    broken = copy.deepcopy(complete_record)
    del broken["protocolSection"]["identificationModule"]["briefTitle"]
    domain.save_record(web_trial, broken, base_sha256=head_of(web_trial).sha256, actor=people["author"])
    domain.open_filing(web_trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"])

    body = as_user(people["author"]).get(f"/trials/{web_trial.pk}/").content.decode()

    assert _disabled(body) == ["Submit for review"]
    assert "has error findings for its stage" in body
    assert "/protocolSection/identificationModule/briefTitle" in body


def test_findings_are_grouped_by_stage_then_registry(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    body = as_user(people["author"]).get(f"/trials/{draft.trial_id}/").content.decode()

    section = body.split('id="findings-heading"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<h3>([^<]+)</h3>", section) == ["Registration"]
    assert re.findall(r"<summary>([^:<]+):", section) == [
        "Every registry (record checks)",
        "ClinicalTrials.gov",
    ]


def test_deadlines_that_apply_are_listed_with_their_source_and_the_rest_folded(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    applying = web_trial.deadlines.filter(current=True, applies=True).order_by("pk").first()
    folded = web_trial.deadlines.filter(current=True, applies=False).count()

    body = as_user(people["viewer"]).get(f"/trials/{web_trial.pk}/").content.decode()

    assert applying is not None
    assert f'<span class="source">{applying.source}</span>' in body
    assert f"{folded} rules that do not apply" in body


def test_submit_for_review_keeps_the_comment_in_the_audit_trail(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    response = as_user(people["author"]).post(
        f"/filings/{draft.pk}/submit_for_review/",
        {f"f{draft.pk}-submit_for_review-comment": "Please check arms."},
    )

    draft.refresh_from_db()
    event = AuditEvent.objects.filter(filing=draft).order_by("-pk").first()
    assert (response.status_code, draft.state) == (302, FilingState.IN_REVIEW)
    assert event is not None
    assert event.data["comment"] == "Please check arms."


def test_forged_post_by_a_person_without_the_role_is_refused(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    response = as_user(people["viewer"]).post(f"/filings/{draft.pk}/submit_for_review/", {})

    draft.refresh_from_db()
    assert (response.status_code, draft.state) == (403, FilingState.DRAFT)
    assert "you need the author role" in response.content.decode()


def test_another_organizations_trial_and_filing_answer_404(
    as_user: Callable[[User], Client], people: dict[str, User], other_trial: Trial
) -> None:
    filing = domain.open_filing(
        other_trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=other_trial.created_by
    )
    client = as_user(people["author"])

    statuses = [
        client.get(f"/trials/{other_trial.pk}/").status_code,
        client.post(f"/filings/{filing.pk}/submit_for_review/", {}).status_code,
        client.get(f"/filings/{filing.pk}/approve/").status_code,
        client.post(f"/trials/{other_trial.pk}/filings/", {}).status_code,
    ]

    assert statuses == [404, 404, 404, 404]


def test_return_without_a_comment_is_refused_at_the_field(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.IN_REVIEW, people)

    response = as_user(people["reviewer"]).post(f"/filings/{draft.pk}/return_to_author/", {})

    draft.refresh_from_db()
    assert (response.status_code, draft.state) == (400, FilingState.IN_REVIEW)
    assert "Say what the author must change" in response.content.decode()


def test_registry_answer_with_a_bad_identifier_is_refused_at_its_field_keeping_what_was_typed(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.SUBMITTED, people)
    prefix = f"f{draft.pk}-record_response"

    response = as_user(people["author"]).post(
        f"/filings/{draft.pk}/record_response/",
        {
            f"{prefix}-registry": "ctgov",
            f"{prefix}-outcome": RegistryOutcome.ACCEPTED,
            f"{prefix}-identifier": "NCT123",
            f"{prefix}-response": "Released on 2 Jan.",
        },
    )

    body = response.content.decode()
    draft.refresh_from_db()
    assert (response.status_code, draft.state) == (409, FilingState.SUBMITTED)
    assert re.search(r'name="' + prefix + r'-identifier"[^>]*value="NCT123"', body)
    assert "&#x27;NCT123&#x27; is not a valid nct_id" in body
    assert "Released on 2 Jan." in body


def test_registry_return_needs_its_comments(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.SUBMITTED, people)
    prefix = f"f{draft.pk}-record_response"

    response = as_user(people["author"]).post(
        f"/filings/{draft.pk}/record_response/",
        {f"{prefix}-registry": "ctgov", f"{prefix}-outcome": RegistryOutcome.RETURNED},
    )

    assert response.status_code == 400
    assert "a return needs them" in response.content.decode()


def test_registry_acceptance_with_its_identifier_accepts_the_filing(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.SUBMITTED, people)
    prefix = f"f{draft.pk}-record_response"

    response = as_user(people["author"]).post(
        f"/filings/{draft.pk}/record_response/",
        {
            f"{prefix}-registry": "ctgov",
            f"{prefix}-outcome": "accepted",
            f"{prefix}-identifier": "NCT05594173",
        },
    )

    draft.refresh_from_db()
    draft.trial.refresh_from_db()
    assert (response.status_code, draft.state, draft.trial.state) == (302, FilingState.ACCEPTED, "registered")


def test_open_filing_without_registry_says_so_at_the_field(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    response = as_user(people["author"]).post(
        f"/trials/{web_trial.pk}/filings/", {"open-stage": "registration"}
    )

    assert response.status_code == 400
    assert "Choose at least one registry to file to." in response.content.decode()


def test_filings_are_numbered_per_trial(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    domain.open_filing(draft.trial, Stage.RESULTS, target_registries=["ctgov"], actor=people["author"])

    body = as_user(people["author"]).get(f"/trials/{draft.trial_id}/").content.decode()

    assert re.findall(r"<h3>(Filing \d+: [^<]+?)\s*<span", body) == [
        "Filing 1: Registration",
        "Filing 2: Results",
    ]


def test_mark_submitted_with_a_bad_date_keeps_the_method_chosen(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.APPROVED, people)
    prefix = f"f{draft.pk}-mark_submitted"

    response = as_user(people["author"]).post(
        f"/filings/{draft.pk}/mark_submitted/",
        {f"{prefix}-method": "email", f"{prefix}-submitted_on": "31/02/2027"},
    )

    body = response.content.decode()
    draft.refresh_from_db()
    assert (response.status_code, draft.state) == (400, FilingState.APPROVED)
    assert "Enter a valid date." in body
    assert '<option value="email" selected>' in body


def test_reopen_needs_a_reason(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.APPROVED, people)

    response = as_user(people["approver"]).post(f"/filings/{draft.pk}/reopen/", {})

    draft.refresh_from_db()
    assert (response.status_code, draft.state) == (400, FilingState.APPROVED)
    assert "Give the reason the approval is voided." in response.content.decode()


def test_a_stale_action_says_what_happened_instead_of_failing(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    # Two reviewers had the page open; the first returned the filing, the second one's return arrives late.
    factories.drive(draft, FilingState.IN_REVIEW, people)
    domain.return_to_author(draft, actor=people["reviewer"], remarks="First.")

    response = as_user(people["approver"]).post(
        f"/filings/{draft.pk}/return_to_author/", {f"f{draft.pk}-return_to_author-remarks": "Second."}
    )

    assert response.status_code == 409
    assert (
        "The filing is draft; return to author is only possible from: in_review." in response.content.decode()
    )


def test_returned_filing_shows_the_comments_and_their_correction_deadline(
    as_user: Callable[[User], Client], people: dict[str, User], draft: Filing
) -> None:
    factories.drive(draft, FilingState.RETURNED, people)
    domain.recompute_deadlines(draft.trial, reason="manual")
    correction = draft.trial.deadlines.get(current=True, applies=True, rule_code="us.prs.correction")

    body = as_user(people["author"]).get(f"/trials/{draft.trial_id}/").content.decode()

    assert "Comments: Fix X." in body
    assert correction.due_date is not None
    assert f"Corrections due {correction.due_date:%-d %b %Y}" in body
