from io import StringIO

from django.core.management import call_command

from submissions.diagram import doc_path, state_machines_markdown
from submissions.enums import FilingState, TrialState


def test_committed_state_diagram_matches_the_code():
    assert doc_path().read_text(encoding="utf-8") == state_machines_markdown()


def test_state_diagram_check_passes_on_the_committed_file():
    out = StringIO()
    call_command("state_diagram", "--check", stdout=out)
    assert out.getvalue() == f"{doc_path()} is up to date.\n"


def test_diagram_names_every_state():
    text = state_machines_markdown()
    assert [state for state in [*TrialState.values, *FilingState.values] if f" {state}" not in text] == []
