"""Parsing posted fields back into a module: types, empty inputs, rows, and where messages go."""

from __future__ import annotations

from submissions.web.editor.formtree import enum_label, field_id, module_node, parse_module
from submissions.web.editor.modules import Module, module_by_slug

EVENTS = "/resultsSection/adverseEventsModule"


def events_module() -> Module:
    module = module_by_slug("adverseEventsModule")
    assert module is not None
    return module


def test_values_keep_their_schema_types() -> None:
    pairs = [
        (f"{EVENTS}/frequencyThreshold", "5"),
        (f"{EVENTS}/eventGroups/0/id", "EG000"),
        (f"{EVENTS}/eventGroups/0/deathsNumAffected", " 2 "),
        (f"{EVENTS}/seriousEvents/0/term", "Nausea"),
        (f"{EVENTS}/seriousEvents/0/assessmentType", "SYSTEMATIC_ASSESSMENT"),
        (f"{EVENTS}/seriousEvents/0/stats/0/numAtRisk", "10"),
    ]
    parsed = parse_module(events_module(), pairs)
    assert parsed.errors == {}
    assert parsed.value == {
        "frequencyThreshold": "5",
        "eventGroups": [{"id": "EG000", "deathsNumAffected": 2}],
        "seriousEvents": [
            {"term": "Nausea", "assessmentType": "SYSTEMATIC_ASSESSMENT", "stats": [{"numAtRisk": 10}]}
        ],
    }


def test_empty_rows_disappear_and_messages_follow_their_row() -> None:
    # given a first row left empty and a second one with a count in words
    pairs = [
        (f"{EVENTS}/eventGroups/0/id", ""),
        (f"{EVENTS}/eventGroups/0/title", " "),
        (f"{EVENTS}/eventGroups/1/id", "EG001"),
        (f"{EVENTS}/eventGroups/1/seriousNumAtRisk", "ten"),
    ]
    # when parsed
    parsed = parse_module(events_module(), pairs)
    # then the second row is now the first, and so is the message's place
    assert parsed.value == {"eventGroups": [{"id": "EG001", "seriousNumAtRisk": "ten"}]}
    assert parsed.errors == {
        f"{EVENTS}/eventGroups/0/seriousNumAtRisk": "Enter a whole number (digits only), not 'ten'."
    }


def test_an_unknown_enum_code_and_a_boolean_that_is_not_yes_or_no_are_refused() -> None:
    module = module_by_slug("oversightModule")
    assert module is not None
    oversight = "/protocolSection/oversightModule"
    parsed = parse_module(
        module, [(f"{oversight}/oversightHasDmc", "maybe"), (f"{oversight}/isUsExport", "false")]
    )
    assert parsed.value == {"oversightHasDmc": "maybe", "isUsExport": False}
    assert parsed.errors == {f"{oversight}/oversightHasDmc": "Choose Yes or No (true or false)."}


def test_text_areas_keep_their_lines_but_not_the_browsers_carriage_returns() -> None:
    module = module_by_slug("descriptionModule")
    assert module is not None
    parsed = parse_module(
        module, [("/protocolSection/descriptionModule/briefSummary", "First line.\r\nSecond.")]
    )
    assert parsed.value == {"briefSummary": "First line.\nSecond."}


def test_fields_outside_the_module_are_ignored() -> None:
    parsed = parse_module(
        events_module(), [("/protocolSection/identificationModule/briefTitle", "X"), ("_base", "")]
    )
    assert (parsed.value, parsed.errors) == (None, {})


def test_labels_come_from_the_schema_names_unless_a_hint_says_better() -> None:
    events = module_node(events_module())
    groups = next(prop for prop in events.properties if prop.name == "eventGroups")
    assert groups.items is not None
    assert [column.label for column in groups.items.properties][:4] == [
        "ID",
        "Title",
        "Description",
        "Deaths: affected",
    ]
    assert (enum_label("PHASE2"), enum_label("NOT_YET_RECRUITING")) == ("Phase 2", "Not yet recruiting")


def test_field_ids_are_the_pointer_made_safe_for_html_and_css() -> None:
    assert field_id("/protocolSection/armsInterventionsModule/armGroups/0/label") == (
        "f-protocolSection-armsInterventionsModule-armGroups-0-label"
    )


def test_the_hints_put_what_the_sponsor_states_before_the_dates_the_registry_sets() -> None:
    module = module_by_slug("statusModule")
    assert module is not None
    names = [prop.name for prop in module_node(module).properties]
    assert names[:3] == ["overallStatus", "whyStopped", "statusVerifiedDate"]
    assert names.index("completionDateStruct") < names.index("studyFirstSubmitDate")
    assert sorted(names) == sorted(
        [
            "overallStatus",
            "whyStopped",
            "statusVerifiedDate",
            "startDateStruct",
            "firstParticipantEnrolledDateStruct",
            "firstUsParticipantEnrolledDateStruct",
            "primaryCompletionDateStruct",
            "completionDateStruct",
            "lastKnownStatus",
            "delayedPosting",
            "expandedAccessInfo",
            "resultsWaived",
            "studyFirstSubmitDate",
            "studyFirstSubmitQcDate",
            "studyFirstPostDateStruct",
            "resultsFirstSubmitDate",
            "resultsFirstSubmitQcDate",
            "resultsFirstPostDateStruct",
            "dispFirstSubmitDate",
            "dispFirstSubmitQcDate",
            "dispFirstPostDateStruct",
            "lastUpdateSubmitDate",
            "lastUpdatePostDateStruct",
        ]
    )
