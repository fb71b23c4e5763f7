from registries.changes import changed_modules


def test_changed_modules_names_changed_added_and_removed_modules() -> None:
    # given a record whose status changed, whose results gained adverse events and lost more info
    previous = {
        "protocolSection": {
            "statusModule": {"overallStatus": "RECRUITING"},
            "designModule": {"phases": ["NA"]},
        },
        "resultsSection": {"moreInfoModule": {"limitationsAndCaveats": {"description": "Small"}}},
    }
    current = {
        "protocolSection": {
            "statusModule": {"overallStatus": "COMPLETED"},
            "designModule": {"phases": ["NA"]},
        },
        "resultsSection": {"adverseEventsModule": {"frequencyThreshold": "5"}},
    }

    # when the changes are listed, then every changed module and only those are named
    assert changed_modules(previous, current) == ["adverseEventsModule", "moreInfoModule", "statusModule"]


def test_changed_modules_ignores_sections_that_are_not_modules() -> None:
    previous = {"protocolSection": {}, "laySummaries": [], "euSection": {"paediatric": False}}
    current = {"protocolSection": {}, "laySummaries": [{"language": "en"}], "euSection": {"paediatric": True}}

    assert changed_modules(previous, current) == []
