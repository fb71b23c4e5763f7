"""Import: upload a ClinicalTrials.gov record (API v2 JSON, one study or many; PRS XML; the retired
public XML) and read the importer's report, study by study."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from registries.importers import import_formats
from submissions.domain.imports import ImportReport, import_trials
from submissions.errors import DomainError
from submissions.web import forms as web_forms
from submissions.web.access import current_organization, current_roles, member_view

FORMAT_LABELS = {
    "ctgov-v2": "ClinicalTrials.gov API v2 JSON (one study, a download of many, or an API page)",
    "ctgov-prs-xml": "ClinicalTrials.gov PRS XML",
    "ctgov-public-xml": "ClinicalTrials.gov public XML (retired format)",
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A study as ClinicalTrials.gov publishes it: API v2 JSON, PRS XML or the public XML.",
        error_messages={"required": "Choose the file to import."},
    )
    fmt = forms.ChoiceField(
        label="Format", required=False, help_text="Leave on automatic unless it guesses wrong."
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["fmt"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Automatic")] + [(fmt, FORMAT_LABELS.get(fmt, fmt)) for fmt in import_formats()]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.MAX_RECORD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; files up to {limit:,} bytes can be imported. Split a "
                "download of many studies into smaller files.",
                code="import.too_large",
            )
        return upload


def _record_counts(report: ImportReport) -> tuple[int, int] | None:
    """Errors and warnings of the record checks on the imported version (what the author fixes next)."""
    if report.trial is None or report.trial.head is None:
        return None
    severities = Counter(item.get("severity") for item in report.trial.head.findings or [])
    return severities["error"], severities["warning"]


@member_view
def import_page(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    if organization is None:
        raise Http404
    can_import = "author" in current_roles(request)
    if request.method != "POST":
        return render(request, "web/import.html", {"form": ImportForm(), "can_import": can_import})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "web/import.html", {"form": form, "can_import": can_import}, status=400)
    upload = form.cleaned_data["file"]
    # Read once, bounded: clean_file refused anything larger than the limit.
    data = upload.read(settings.MAX_RECORD_BYTES + 1)
    try:
        reports = import_trials(
            data,
            form.cleaned_data["fmt"] or None,
            organization=organization,
            actor=request.user,
            source=upload.name or "upload",
        )
    except DomainError as error:
        web_forms.add_domain_error(form, error)
        status = 403 if error.code == "role.required" else 400
        return render(request, "web/import.html", {"form": form, "can_import": can_import}, status=status)
    context = {
        "form": ImportForm(),
        "can_import": can_import,
        "reports": [(report, _record_counts(report)) for report in reports],
        "imported": sum(1 for report in reports if not report.refused),
        "refused": sum(1 for report in reports if report.refused),
    }
    return render(request, "web/import.html", context)
