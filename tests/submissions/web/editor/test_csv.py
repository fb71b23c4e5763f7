"""The results tables as CSV: export, import into the form, and a bad file's message."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registries.importers import import_record
from submissions.models import Trial
from submissions.web.editor import grids
from submissions.web.editor.formtree import parse_module
from submissions.web.editor.modules import module_value
from tests.submissions.web.editor.conftest import LARGEST_BULK_SAMPLE, form_values

TABLES = list(grids.TABLE_MODULES)


def table_url(trial: Trial, table: str) -> str:
    return reverse("web:editor:table_csv", kwargs={"trial_pk": trial.pk, "table": table})


def upload(client: Client, trial: Trial, table: str, text: str) -> Any:
    assert trial.head is not None
    return client.post(
        table_url(trial, table),
        {
            "csv_file": SimpleUploadedFile(f"{table}.csv", text.encode(), "text/csv"),
            "_base": trial.head.sha256,
        },
    )


@pytest.mark.parametrize("table", TABLES)
def test_a_results_table_exported_and_imported_gives_the_same_table(
    table: str, editor_trial: Trial, author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given the table downloaded as CSV
    found = grids.table_by_slug(table)
    assert found is not None
    exported = author_client.get(table_url(editor_trial, table))
    assert exported.status_code == 200
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported["Content-Disposition"] == f'attachment; filename="PROT-1-{table}.csv"'
    # when it is uploaded again unchanged
    response = upload(author_client, editor_trial, table, exported.content.decode())
    # then the form holds exactly the stored table, shown as unsaved, and nothing was saved yet
    assert response.status_code == 200
    html = response.content.decode()
    assert "review the table below and save to keep it" in html
    parsed = parse_module(found.module, form_values(html))
    assert parsed.errors == {}
    assert parsed.value == module_value(complete_record, found.module)
    assert editor_trial.versions.count() == 1


def test_csv_rows_are_one_object_each_parents_first(complete_record: dict[str, Any]) -> None:
    # given the adverse events table of the complete record
    table = grids.table_by_slug("adverseEventsModule")
    assert table is not None
    events = complete_record["resultsSection"]["adverseEventsModule"]
    # when exported
    rows = list(csv.DictReader(io.StringIO(grids.export_csv(table, events))))
    # then the module row comes first, each serious event is followed by its counts per group
    assert rows[0]["part"] == "module"
    first_event = next(row for row in rows if row["part"] == "seriousEvents")
    after = rows[rows.index(first_event) + 1]
    assert (first_event["index"], first_event["term"]) == ("1", events["seriousEvents"][0]["term"])
    assert (after["part"], after["index"], after["groupId"], after["numAffected"]) == (
        "seriousEvents.stats",
        "1.1",
        events["seriousEvents"][0]["stats"][0]["groupId"],
        str(events["seriousEvents"][0]["stats"][0]["numAffected"]),
    )


def test_a_bad_cell_is_named_by_row_and_column_and_changes_nothing(
    editor_trial: Trial, author_client: Client, complete_record: dict[str, Any]
) -> None:
    # given the adverse events CSV with words where a count belongs
    exported = author_client.get(table_url(editor_trial, "adverseEventsModule")).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    column = rows[0].index("numAffected")
    target = next(number for number, row in enumerate(rows) if row[0] == "seriousEvents.stats")
    rows[target][column] = "several"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    head = editor_trial.head
    # when it is imported
    response = upload(author_client, editor_trial, "adverseEventsModule", out.getvalue())
    # then the message names the spreadsheet row and the column, and the form keeps the stored table
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        f"Nothing was imported: Row {target + 1}, column &#x27;numAffected&#x27;: "
        "Enter a whole number (digits only), not &#x27;several&#x27;."
    ) in html
    table = grids.table_by_slug("adverseEventsModule")
    assert table is not None
    assert parse_module(table.module, form_values(html)).value == module_value(complete_record, table.module)
    editor_trial.refresh_from_db()
    assert editor_trial.head == head


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("part,index,colour\r\n", "Row 1, column 'colour': Unknown column"),
        (
            "part,index,title\r\nperiods.milestones,1.1,\r\n",
            "Row 2, column 'index': Index 1.1 has no parent row",
        ),
        (
            "part,index,title\r\nperiods,2,Second\r\n",
            "Row 2, column 'index': Expected index 1 next in 'periods'.",
        ),
        (
            "part,index,title\r\nperiods,1.2,X\r\n",
            "Row 2, column 'index': Index '1.2' must be 1 positive number",
        ),
        ("part,index,title\r\nflows,1,X\r\n", "Row 2, column 'part': Unknown part 'flows'"),
        ("part,index,numSubjects\r\nmodule,,3\r\n", "Row 2, column 'numSubjects': A 'module' row has no"),
        ("", "The file is empty"),
    ],
)
def test_malformed_flow_csv_says_where(text: str, message: str) -> None:
    table = grids.table_by_slug("participantFlowModule")
    assert table is not None
    with pytest.raises(grids.CsvImportError) as caught:
        grids.import_csv(table, text.encode())
    assert str(caught.value).startswith(message)


def test_a_file_that_is_not_utf8_is_refused() -> None:
    table = grids.table_by_slug("baselineCharacteristicsModule")
    assert table is not None
    with pytest.raises(grids.CsvImportError) as caught:
        grids.import_csv(table, "part,index,title\r\nmeasures,1,Âge\r\n".encode("latin-1"))
    assert (caught.value.code, str(caught.value)) == (
        "csv.not_utf8",
        "The file is not UTF-8 text; save it as CSV UTF-8.",
    )


def test_viewer_cannot_import(editor_trial: Trial, people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["viewer"])
    response = upload(client, editor_trial, "participantFlowModule", "part,index\r\nmodule,\r\n")
    assert response.status_code == 403
    assert "Only the trial&#x27;s authors can import a table." in response.content.decode()


@pytest.mark.shared_specs
@pytest.mark.parametrize("table", TABLES)
def test_the_largest_real_records_tables_survive_csv(registry_specs: Path, table: str) -> None:
    # given the results of the largest real record in the shared samples
    record = import_record("ctgov-v2", (registry_specs / LARGEST_BULK_SAMPLE).read_bytes()).record
    found = grids.table_by_slug(table)
    assert found is not None
    stored = module_value(record, found.module)
    # when a table goes out as CSV and comes back
    again = grids.import_csv(found, grids.export_csv(found, stored).encode())
    # then it is the same table
    assert again == stored
