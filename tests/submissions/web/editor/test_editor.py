"""The record editor's pages: saving, refusals, conflicts, findings on change, rows, permissions."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from registries.canonical import record_sha256
from registries.schema import RECORD_SCHEMA_VERSION, record_schema
from submissions import domain
from submissions.models import Organization, Trial
from submissions.web.editor.formtree import field_id, parse_module
from submissions.web.editor.modules import module_by_slug
from tests.submissions import factories
from tests.submissions.web.editor.conftest import element_ids, form_values, post_form

IDENTIFICATION = "identificationModule"
TITLE = "/protocolSection/identificationModule/briefTitle"
NCT = "/protocolSection/identificationModule/nctId"
ENROLMENT = "/protocolSection/designModule/enrollmentInfo/count"


def module_url(trial: Trial, slug: str) -> str:
    return reverse("web:editor:module", kwargs={"trial_pk": trial.pk, "module": slug})


def check_url(trial: Trial, slug: str) -> str:
    return reverse("web:editor:check", kwargs={"trial_pk": trial.pk, "module": slug})


def opened(client: Client, trial: Trial, slug: str) -> list[tuple[str, str]]:
    page = client.get(module_url(trial, slug))
    assert page.status_code == 200
    return form_values(page.content.decode())


def replaced(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    assert any(key == name for key, _ in pairs), name
    return [(key, value if key == name else old) for key, old in pairs]


def test_posting_a_module_unchanged_saves_no_new_version(editor_trial: Trial, author_client: Client) -> None:
    # given every module form as the author opened it
    head = editor_trial.head
    assert head is not None
    for slug in (
        "identificationModule",
        "baselineCharacteristicsModule",
        "outcomeMeasuresModule",
        "laySummaries",
    ):
        # when it is saved unchanged
        response = post_form(
            author_client, module_url(editor_trial, slug), opened(author_client, editor_trial, slug)
        )
        # then the head is still the same version
        assert response.status_code == 302, slug
        editor_trial.refresh_from_db()
        assert editor_trial.head == head
        assert editor_trial.versions.count() == 1


def test_editing_a_field_saves_a_new_version_with_only_that_change(
    editor_trial: Trial, author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given the identification form
    pairs = opened(author_client, editor_trial, IDENTIFICATION)
    # when the author changes the brief title and saves
    response = post_form(
        author_client, module_url(editor_trial, IDENTIFICATION), replaced(pairs, TITLE, "A shorter title")
    )
    # then the new head is the old record with that one field changed, based on the old head
    editor_trial.refresh_from_db()
    expected = copy.deepcopy(complete_record)
    expected["protocolSection"]["identificationModule"]["briefTitle"] = "A shorter title"
    assert editor_trial.head is not None
    assert editor_trial.head.content == expected
    assert editor_trial.head.sha256 == record_sha256(expected)
    assert editor_trial.head.based_on is not None
    assert editor_trial.head.based_on.sha256 == record_sha256(complete_record)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{module_url(editor_trial, IDENTIFICATION)}?stage=registration&saved={editor_trial.head.sha256[:12]}"
    )


def test_emptying_a_field_removes_its_key(
    editor_trial: Trial, author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given the identification form with the acronym emptied
    pairs = replaced(
        opened(author_client, editor_trial, IDENTIFICATION), TITLE.replace("briefTitle", "acronym"), ""
    )
    # when saved
    post_form(author_client, module_url(editor_trial, IDENTIFICATION), pairs)
    # then the record has no acronym at all (not an empty string)
    editor_trial.refresh_from_db()
    assert editor_trial.head is not None
    expected = copy.deepcopy(complete_record)
    del expected["protocolSection"]["identificationModule"]["acronym"]
    assert editor_trial.head.content == expected


def test_a_value_of_the_wrong_type_is_refused_at_its_field_and_everything_typed_survives(
    editor_trial: Trial, author_client: Client
) -> None:
    # given the design form with a new title elsewhere... and enrolment typed as words
    pairs = replaced(opened(author_client, editor_trial, "designModule"), ENROLMENT, "about forty")
    pairs = replaced(pairs, "/protocolSection/designModule/designInfo/maskingInfo/whoMasked", "PARTICIPANT")
    head = editor_trial.head
    # when the author saves
    response = post_form(author_client, module_url(editor_trial, "designModule"), pairs)
    # then nothing is saved, the message sits at the field, and the typed values are in the form again
    assert response.status_code == 422
    editor_trial.refresh_from_db()
    assert editor_trial.head == head
    html = response.content.decode()
    enrolment_id = field_id(ENROLMENT)
    assert f'<p class="field-error" id="{enrolment_id}-error" role="alert">' in html
    assert "Enter a whole number (digits only), not &#x27;about forty&#x27;." in html
    again = dict(form_values(html))
    assert again[ENROLMENT] == "about forty"
    assert again["/protocolSection/designModule/designInfo/maskingInfo/whoMasked"] == "PARTICIPANT"
    assert 'id="editor-dirty" role="status">' in html


def test_a_partial_date_accepts_year_month_or_day_and_refuses_other_forms(
    editor_trial: Trial, author_client: Client
) -> None:
    # given the status form
    module = module_by_slug("statusModule")
    assert module is not None
    pairs = opened(author_client, editor_trial, "statusModule")
    start = "/protocolSection/statusModule/startDateStruct/date"
    # when dates of each precision, and one in another format, are parsed
    results = {
        text: parse_module(module, replaced(pairs, start, text)) for text in ("2027", "2027-03", "2027-03-15")
    }
    wrong = parse_module(module, replaced(pairs, start, "15/03/2027"))
    # then the three partial dates are kept as typed and the other one gets a message at the field
    assert {
        text: (parsed.value["startDateStruct"]["date"], parsed.errors) for text, parsed in results.items()
    } == {
        "2027": ("2027", {}),
        "2027-03": ("2027-03", {}),
        "2027-03-15": ("2027-03-15", {}),
    }
    assert wrong.errors == {start: "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2027-01-15)."}


def test_a_stale_save_is_refused_with_the_conflicting_fields_and_keeps_what_was_typed(
    editor_trial: Trial, author_client: Client, people: dict[str, User], complete_record: dict[str, Any]
) -> None:
    # given the author opened the form, then a colleague saved another title
    pairs = opened(author_client, editor_trial, IDENTIFICATION)
    theirs = copy.deepcopy(complete_record)
    theirs["protocolSection"]["identificationModule"]["briefTitle"] = "Their title"
    head = domain.save_record(
        editor_trial, theirs, base_sha256=record_sha256(complete_record), actor=people["author2"]
    ).version
    # when the author saves their own title on the old base
    response = post_form(
        author_client, module_url(editor_trial, IDENTIFICATION), replaced(pairs, TITLE, "My title")
    )
    # then it is refused as a conflict, shows both values, keeps theirs in the form, based on the new head
    assert response.status_code == 409
    editor_trial.refresh_from_db()
    assert editor_trial.head == head
    html = response.content.decode()
    assert "someone else saved this record after you opened it" in html
    assert (
        f'<tr><th scope="row"><code>{TITLE}</code></th><td class="diff-yours">My title</td>'
        '<td class="diff-current">Their title</td></tr>'
    ) in html
    again = dict(form_values(html))
    assert again[TITLE] == "My title"
    assert again["_base"] == head.sha256
    # and saving again now is a deliberate replacement of the current version
    post_form(author_client, module_url(editor_trial, IDENTIFICATION), form_values(html))
    editor_trial.refresh_from_db()
    assert editor_trial.head is not None
    assert editor_trial.head.content["protocolSection"]["identificationModule"]["briefTitle"] == "My title"
    assert editor_trial.head.based_on == head


def test_check_on_change_shows_the_finding_of_a_mutated_field_and_drops_it_once_fixed(
    editor_trial: Trial, author_client: Client
) -> None:
    # given the identification form
    pairs = opened(author_client, editor_trial, IDENTIFICATION)
    head = editor_trial.head
    # when the NCT number is typed wrongly, then corrected
    broken = author_client.post(check_url(editor_trial, IDENTIFICATION), dict(replaced(pairs, NCT, "NCT123")))
    fixed = author_client.post(
        check_url(editor_trial, IDENTIFICATION), dict(replaced(pairs, NCT, "NCT01234567"))
    )
    # then the first answer carries the pattern finding, linked to the field, and the second does not
    assert broken.status_code == 200
    broken_html = broken.content.decode()
    assert f'data-target="{field_id(NCT)}" data-pointer="{NCT}"' in broken_html
    assert "record.pattern" in broken_html
    assert "does not match the NCT number format" in broken_html
    assert 'id="editor-nav"' in broken_html
    assert 'hx-swap-oob="true"' in broken_html
    fixed_html = fixed.content.decode()
    assert f'data-pointer="{NCT}"' not in fixed_html
    assert "No findings in this module." in fixed_html
    # and nothing was saved by either check
    editor_trial.refresh_from_db()
    assert editor_trial.head == head
    assert editor_trial.versions.count() == 1


def test_the_module_page_shows_a_stored_finding_beside_its_field_and_counts_it_in_the_list(
    org: Organization, people: dict[str, User], complete_record: dict[str, Any], author_client: Client
) -> None:
    # given a trial whose NCT number breaks the record schema
    record = copy.deepcopy(complete_record)
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT123"
    trial = factories.make_trial(org, people["author"], record, reference="PROT-NCT")
    # when the identification page opens
    html = author_client.get(module_url(trial, IDENTIFICATION)).content.decode()
    # then the finding is inside the field's block and the module list counts one error
    field_block = html.split(f'data-pointer="{NCT}">', 1)[1].split('<div class="field', 1)[0]
    assert "does not match the NCT number format" in field_block
    nav = html.split('id="editor-nav"', 1)[1].split("</nav>", 1)[0]
    identification_item = nav.split("Identification</a>", 1)[1].split("</li>", 1)[0]
    assert '<span class="count count-error" title="Error findings">1 error</span>' in identification_item


def test_add_and_remove_row_show_the_form_again_without_saving(
    editor_trial: Trial, author_client: Client
) -> None:
    # given the arms form with two arm groups
    arms = "/protocolSection/armsInterventionsModule/armGroups"
    pairs = opened(author_client, editor_trial, "armsInterventionsModule")
    count = len({key.split("/")[4] for key, _ in pairs if key.startswith(arms + "/")})
    # when the author adds a row, then removes the first one
    added = post_form(
        author_client, module_url(editor_trial, "armsInterventionsModule"), [*pairs, ("_add", arms)]
    )
    added_ids = element_ids(added.content.decode())
    removed = post_form(
        author_client,
        module_url(editor_trial, "armsInterventionsModule"),
        [*form_values(added.content.decode()), ("_remove", f"{arms}/0")],
    )
    removed_ids = element_ids(removed.content.decode())
    # then the form has one empty row more, then one row fewer; nothing was saved
    assert field_id(f"{arms}/{count}/label") in added_ids
    assert field_id(f"{arms}/{count + 1}/label") not in added_ids
    assert field_id(f"{arms}/{count - 1}/label") in removed_ids
    assert field_id(f"{arms}/{count}/label") not in removed_ids
    assert editor_trial.versions.count() == 1


def test_field_route_redirects_to_the_module_at_the_field(editor_trial: Trial, author_client: Client) -> None:
    # given a finding's pointer deep inside a results table
    pointer = "/resultsSection/adverseEventsModule/seriousEvents/0/stats/1/numAffected"
    # when the trial page's link is followed
    response = author_client.get(
        reverse("web:editor:field", kwargs={"trial_pk": editor_trial.pk}), {"pointer": pointer}
    )
    # then it lands on the adverse events page at that input, which exists there
    target = f"{module_url(editor_trial, 'adverseEventsModule')}#{field_id(pointer)}"
    assert (response.status_code, response["Location"]) == (302, target)
    page = author_client.get(module_url(editor_trial, "adverseEventsModule"))
    assert field_id(pointer) in element_ids(page.content.decode())
    assert field_id(pointer) == "f-resultsSection-adverseEventsModule-seriousEvents-0-stats-1-numAffected"


def test_viewer_sees_a_read_only_form_and_a_forged_save_is_refused(
    editor_trial: Trial, people: dict[str, User], author_client: Client
) -> None:
    # given a viewer and a reviewer of the trial's organization
    pairs = replaced(opened(author_client, editor_trial, IDENTIFICATION), TITLE, "Forged")
    for role in ("viewer", "reviewer", "admin"):
        client = Client()
        client.force_login(people[role])
        # when they open the page and post a save anyway
        page = client.get(module_url(editor_trial, IDENTIFICATION)).content.decode()
        forged = post_form(client, module_url(editor_trial, IDENTIFICATION), pairs)
        # then the form is read only, and the domain refuses the save
        assert '<fieldset disabled class="readonly">' in page, role
        assert 'name="_save"' not in page
        assert "only the trial's authors can change the record" in page
        assert forged.status_code == 403
        assert "To save the record you need the author role" in forged.content.decode()
    editor_trial.refresh_from_db()
    assert editor_trial.versions.count() == 1


def test_another_organizations_trial_answers_404_everywhere(
    editor_trial: Trial, author_client: Client, people: dict[str, User]
) -> None:
    # given an author of another sponsor
    other = factories.make_org("Sponsor B")
    outsider = factories.make_user("outsider", org=other, roles=("author",))
    client = Client()
    client.force_login(outsider)
    pairs = opened(author_client, editor_trial, IDENTIFICATION)
    kwargs = {"trial_pk": editor_trial.pk}
    # when they reach for the first trial's editor in every way
    responses = {
        "index": client.get(reverse("web:editor:index", kwargs=kwargs)).status_code,
        "field": client.get(reverse("web:editor:field", kwargs=kwargs), {"pointer": TITLE}).status_code,
        "page": client.get(module_url(editor_trial, IDENTIFICATION)).status_code,
        "save": post_form(client, module_url(editor_trial, IDENTIFICATION), pairs).status_code,
        "check": client.post(check_url(editor_trial, IDENTIFICATION), dict(pairs)).status_code,
        "csv": client.get(
            reverse("web:editor:table_csv", kwargs={**kwargs, "table": "adverseEventsModule"})
        ).status_code,
    }
    # then the trial does not exist for them
    assert responses == dict.fromkeys(responses, 404)
    editor_trial.refresh_from_db()
    assert editor_trial.versions.count() == 1


def test_signed_out_visitor_is_sent_to_sign_in(editor_trial: Trial) -> None:
    url = module_url(editor_trial, IDENTIFICATION)
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{resolve_url(settings.LOGIN_URL)}?next={url}",
    )


def test_unknown_module_answers_404(editor_trial: Trial, author_client: Client) -> None:
    assert author_client.get(module_url(editor_trial, "noSuchModule")).status_code == 404


def test_editor_forms_still_need_the_csrf_token(editor_trial: Trial, people: dict[str, User]) -> None:
    # given a client that enforces CSRF like a browser session would
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["author"])
    pairs = [(key, value) for key, value in opened(client, editor_trial, IDENTIFICATION)]
    without_token = [(key, value) for key, value in pairs if key != "csrfmiddlewaretoken"]
    # when the form is posted without its token, then with it
    refused = post_form(client, module_url(editor_trial, IDENTIFICATION), replaced(without_token, TITLE, "X"))
    accepted = post_form(client, module_url(editor_trial, IDENTIFICATION), replaced(pairs, TITLE, "X"))
    # then only the one with the token is saved
    assert (refused.status_code, accepted.status_code) == (403, 302)


@pytest.mark.parametrize("stage", ["registration", "results"])
def test_the_stage_chosen_is_kept_through_the_form(
    editor_trial: Trial, author_client: Client, stage: str
) -> None:
    page = author_client.get(module_url(editor_trial, IDENTIFICATION), {"stage": stage}).content.decode()
    assert dict(form_values(page))["_stage"] == stage


def test_several_ticked_boxes_are_all_kept(editor_trial: Trial, author_client: Client) -> None:
    # given the design form with a second phase ticked
    phases = "/protocolSection/designModule/phases"
    pairs = [*opened(author_client, editor_trial, "designModule"), (phases, "PHASE2")]
    # when saved
    post_form(author_client, module_url(editor_trial, "designModule"), pairs)
    # then both phases are in the record, in the schema's order
    editor_trial.refresh_from_db()
    assert editor_trial.head is not None
    assert editor_trial.head.content["protocolSection"]["designModule"]["phases"] == ["PHASE2", "PHASE3"]


def test_text_the_bounded_reader_refuses_is_refused_at_its_field(
    editor_trial: Trial, author_client: Client
) -> None:
    # given a title holding a NUL character, which no database stores
    pairs = replaced(opened(author_client, editor_trial, IDENTIFICATION), TITLE, "Bad\x00title")
    # when saved
    response = post_form(author_client, module_url(editor_trial, IDENTIFICATION), pairs)
    # then the message is the reader's, at the title, and nothing is saved
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="{field_id(TITLE)}-error" role="alert">The JSON holds a NUL character' in html
    assert editor_trial.versions.count() == 1


def test_an_endless_number_is_refused_at_its_field_not_a_server_error(
    editor_trial: Trial, author_client: Client
) -> None:
    pairs = replaced(opened(author_client, editor_trial, "designModule"), ENROLMENT, "9" * 5000)
    response = post_form(author_client, module_url(editor_trial, "designModule"), pairs)
    assert response.status_code == 422
    assert (
        f'id="{field_id(ENROLMENT)}-error" role="alert">Enter a number of at most'
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("pointer", "anchor"),
    [
        (
            "/protocolSection/armsInterventionsModule/armGroups/9/label",
            "/protocolSection/armsInterventionsModule/armGroups",
        ),
        ("/protocolSection/designModule/phases/0", "/protocolSection/designModule/phases"),
        ("/protocolSection/identificationModule/notInTheSchema", "/protocolSection/identificationModule"),
    ],
)
def test_field_route_lands_on_the_nearest_place_the_form_shows(
    editor_trial: Trial, author_client: Client, pointer: str, anchor: str
) -> None:
    # given a pointer to a row that does not exist, a ticked box, or a key the form cannot show
    response = author_client.get(
        reverse("web:editor:field", kwargs={"trial_pk": editor_trial.pk}), {"pointer": pointer}
    )
    # then the link lands on the element holding it, which the page has
    location = response["Location"]
    assert location.endswith(f"#{field_id(anchor)}")
    page = author_client.get(location.split("#")[0]).content.decode()
    assert field_id(anchor) in element_ids(page)


def test_a_trial_without_a_record_starts_from_an_empty_one(
    org: Organization, people: dict[str, User], author_client: Client
) -> None:
    # given a trial created without any record version
    trial = domain.create_trial(org, reference="NEW-1", title="New trial", actor=people["author"])
    pairs = opened(author_client, trial, IDENTIFICATION)
    assert dict(pairs)["_base"] == ""
    # when the author types a title and saves
    post_form(author_client, module_url(trial, IDENTIFICATION), replaced(pairs, TITLE, "First title"))
    # then the first version holds just that
    trial.refresh_from_db()
    assert trial.head is not None
    assert trial.head.content == {
        "schemaVersion": RECORD_SCHEMA_VERSION,
        "protocolSection": {"identificationModule": {"briefTitle": "First title"}},
    }


def test_a_withdrawn_trials_record_is_read_only_and_a_save_is_refused_keeping_the_values(
    editor_trial: Trial, author_client: Client, people: dict[str, User]
) -> None:
    # given the author had the form open when the trial was withdrawn
    pairs = replaced(opened(author_client, editor_trial, IDENTIFICATION), TITLE, "Typed before withdrawal")
    domain.withdraw_trial(editor_trial, actor=people["approver"], reason="Sponsor stopped the programme.")
    # when the author saves, and opens the page again
    refused = post_form(author_client, module_url(editor_trial, IDENTIFICATION), pairs)
    page = author_client.get(module_url(editor_trial, IDENTIFICATION)).content.decode()
    # then the save is refused with the domain's reason, the typed value stays, and the page is read only
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Nothing was saved: The trial has been withdrawn; its record can no longer change." in html
    assert dict(form_values(html))[TITLE] == "Typed before withdrawal"
    assert "the trial is withdrawn, so its record can no longer change." in page
    assert '<fieldset disabled class="readonly">' in page


def test_adverse_events_are_a_table_with_a_column_group_per_event_group(
    editor_trial: Trial, author_client: Client
) -> None:
    # given the adverse events page of the complete record (groups EG000 and EG001)
    html = author_client.get(module_url(editor_trial, "adverseEventsModule")).content.decode()
    # then the serious events table has one column group per event group, and each count of the first
    # event is an input named by its pointer, beside the hidden group it belongs to
    serious = html.split('<caption class="visually-hidden">Serious events</caption>', 1)[1].split(
        "</table>", 1
    )[0]
    columns = len(record_schema()["$defs"]["EventStats"]["properties"]) - 1  # all but groupId
    assert f'<th scope="colgroup" colspan="{columns}">EG000: Trelanoxib 40 mg</th>' in serious
    assert f'<th scope="colgroup" colspan="{columns}">EG001: Placebo</th>' in serious
    first = "/resultsSection/adverseEventsModule/seriousEvents/0/stats/1"
    assert f'<input type="hidden" name="{first}/groupId" value="EG001">' in serious
    assert (
        f'<input type="text" id="{field_id(first + "/numAffected")}" name="{first}/numAffected" value="0" '
        'class="number" inputmode="numeric" size="8" aria-label="Affected, EG001: Placebo, row 1">'
    ) in serious


def test_a_count_typed_for_a_group_without_one_adds_it_and_a_wrong_one_is_shown_at_its_cell(
    org: Organization, people: dict[str, User], complete_record: dict[str, Any], author_client: Client
) -> None:
    # given a serious event with counts for EG000 only
    record = copy.deepcopy(complete_record)
    event = record["resultsSection"]["adverseEventsModule"]["seriousEvents"][0]
    event["stats"] = event["stats"][:1]
    trial = factories.make_trial(org, people["author"], record, reference="PROT-AE")
    pairs = opened(author_client, trial, "adverseEventsModule")
    new_cell = "/resultsSection/adverseEventsModule/seriousEvents/0/stats/+EG001/numAffected"
    # when the author types words there, then a number
    wrong = post_form(
        author_client, module_url(trial, "adverseEventsModule"), replaced(pairs, new_cell, "none")
    )
    right = post_form(author_client, module_url(trial, "adverseEventsModule"), replaced(pairs, new_cell, "3"))
    # then the words are refused at the cell the new row now has, and the number adds the group's row
    assert wrong.status_code == 422
    stored = "/resultsSection/adverseEventsModule/seriousEvents/0/stats/1/numAffected"
    wrong_html = wrong.content.decode()
    assert f'id="{field_id(stored)}-error" role="alert">Enter a whole number' in wrong_html
    assert dict(form_values(wrong_html))[stored] == "none"
    assert right.status_code == 302
    trial.refresh_from_db()
    assert trial.head is not None
    assert trial.head.content["resultsSection"]["adverseEventsModule"]["seriousEvents"][0]["stats"] == [
        event["stats"][0],
        {"groupId": "EG001", "numAffected": 3},
    ]


def test_a_form_opened_before_the_first_version_conflicts_with_one_saved_meanwhile(
    org: Organization, people: dict[str, User], author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given an author opened the form of a trial without a record, then a colleague saved one
    trial = domain.create_trial(org, reference="NEW-2", title="New trial", actor=people["author"])
    pairs = opened(author_client, trial, IDENTIFICATION)
    theirs = domain.save_record(trial, complete_record, base_sha256=None, actor=people["author2"]).version
    # when the author saves
    response = post_form(author_client, module_url(trial, IDENTIFICATION), replaced(pairs, TITLE, "Mine"))
    # then it is a conflict, not an overwrite of the colleague's record
    assert response.status_code == 409
    trial.refresh_from_db()
    assert trial.head == theirs


def test_an_analysis_ticks_the_groups_it_compares_among_its_measures_groups(
    editor_trial: Trial, author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given the first analysis of the first outcome measure compares OG000 and OG001
    groups = "/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/analyses/0/groupIds"
    pairs = opened(author_client, editor_trial, "outcomeMeasuresModule")
    assert [value for key, value in pairs if key == groups] == ["", "OG000", "OG001"]
    # when the author unticks OG001 and saves
    post_form(
        author_client,
        module_url(editor_trial, "outcomeMeasuresModule"),
        [(key, value) for key, value in pairs if (key, value) != (groups, "OG001")],
    )
    # then the analysis names only OG000
    editor_trial.refresh_from_db()
    assert editor_trial.head is not None
    measure = editor_trial.head.content["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    assert measure["analyses"][0]["groupIds"] == ["OG000"]


def test_while_a_filing_is_in_review_the_form_is_read_only_and_a_save_is_refused(
    editor_trial: Trial, author_client: Client, people: dict[str, User]
) -> None:
    # given the author had the form open when a filing went into review
    pairs = replaced(opened(author_client, editor_trial, IDENTIFICATION), TITLE, "Typed during review")
    filing = domain.open_filing(
        editor_trial, stage="registration", target_registries=["record"], actor=people["author"]
    )
    domain.submit_for_review(filing, actor=people["author"])
    # when the author saves, and opens the page again
    refused = post_form(author_client, module_url(editor_trial, IDENTIFICATION), pairs)
    page = author_client.get(module_url(editor_trial, IDENTIFICATION)).content.decode()
    # then the domain's refusal is shown with the typed value kept, and the page offers no save
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Nothing was saved: The record cannot change while a filing is in review" in html
    assert dict(form_values(html))[TITLE] == "Typed during review"
    assert "a filing is in review, so the record stays as submitted" in page
    assert 'name="_save"' not in page
