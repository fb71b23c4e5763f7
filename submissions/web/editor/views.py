"""The record editor's pages. Views stay thin: the form comes from ``formtree``, findings from
``submissions.checks``, and the only write is ``submissions.domain.trials.save_record``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registries.diff import diff_records
from submissions.domain.trials import save_record
from submissions.enums import FilingState, Role, TrialState
from submissions.errors import DomainError
from submissions.models import RecordVersion, Trial
from submissions.scoping import roles_of, trials_for
from submissions.web.editor import findings as editor_findings
from submissions.web.editor import grids
from submissions.web.editor.formtree import (
    add_row,
    anchor_pointer,
    field_id,
    parse_module,
    remove_row,
    render_module,
)
from submissions.web.editor.modules import (
    Module,
    module_by_slug,
    module_for_pointer,
    module_value,
    modules,
    with_module,
)

# A results module of a large trial posts thousands of inputs (the outcome measures of the largest real
# record in the shared samples, NCT01978912, post about 2,800), above Django's default of 1,000 fields
# per request, which stays in force everywhere else. The byte size of a request stays bounded by
# DATA_UPLOAD_MAX_MEMORY_SIZE, so this raises only the count, deliberately and only for the editor.
EDITOR_MAX_FIELDS = 50_000


def editor_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read a urlencoded editor form with ``EDITOR_MAX_FIELDS`` instead of the site-wide limit, then let
    Django's CSRF check run exactly as the middleware would have (it is deferred until the body has
    been read with the editor's limit, because the middleware reads it with the site-wide one)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            try:
                pairs = parse_qsl(
                    request.body.decode(request.encoding or "utf-8", errors="replace"),
                    keep_blank_values=True,
                    max_num_fields=EDITOR_MAX_FIELDS,
                )
            except ValueError:
                raise TooManyFieldsSent(
                    f"The editor takes at most {EDITOR_MAX_FIELDS} fields in one request."
                ) from None
            post = QueryDict(mutable=True)
            for key, value in pairs:
                post.appendlist(key, value)
            post._mutable = False
            request._post = post  # type: ignore[attr-defined]
        return protected(request, *args, **kwargs)

    exempted: Callable[..., HttpResponse] = csrf_exempt(wrapper)
    return exempted


@dataclass
class Editing:
    """One person's view of one trial's record in the editor."""

    trial: Trial
    roles: set[str]
    stage: str
    registries: list[str]
    base: RecordVersion | None
    record: dict[str, Any]
    can_edit: bool
    in_review: bool = False


def _editing(request: HttpRequest, trial_pk: int, *, posted: bool = False) -> Editing:
    """The trial (404 outside the person's organizations) and the version being edited: the head for a
    page being opened; for a posted form, the version it was opened on (``_base``, empty when the trial
    had none), so that a save over a newer head is a conflict."""
    trial = get_object_or_404(trials_for(request.user).select_related("head", "organization"), pk=trial_pk)
    roles = roles_of(request.user, trial.organization)
    base: RecordVersion | None = trial.head
    if posted:
        base_sha = str(request.POST.get("_base", ""))
        base = trial.versions.filter(sha256=base_sha).first() if base_sha else None
        if base_sha and base is None:
            raise Http404("No such record version of this trial.")
    # While a filing is in review its pinned version must stay what the approver signs (save_record
    # refuses with record.in_review), so the page offers no save.
    in_review = trial.filings.filter(state=FilingState.IN_REVIEW).exists()
    stage = editor_findings.stage_for(trial, request.GET.get("stage") or request.POST.get("_stage"))
    return Editing(
        trial=trial,
        roles=roles,
        stage=stage,
        registries=editor_findings.target_registries(trial, stage),
        base=base,
        record=_content(base),
        in_review=in_review,
        can_edit=Role.AUTHOR in roles and trial.state != TrialState.WITHDRAWN and not in_review,
    )


def _content(base: RecordVersion | None) -> dict[str, Any]:
    if base is None:
        return editor_findings.empty_record()
    # A stored version that is not an object (written around save_record) is edited as an empty one;
    # its findings say what is wrong with it.
    return base.content if isinstance(base.content, dict) else {}


def _posted(request: HttpRequest) -> list[tuple[str, str]]:
    """Every posted (name, value) pair, repeated names included (the ticked boxes of a list)."""
    return [(key, str(value)) for key, values in request.POST.lists() for value in values]


def _module(slug: str) -> Module:
    module = module_by_slug(slug)
    if module is None:
        raise Http404("No such module in the record editor.")
    return module


def _module_url(trial: Trial, module: Module, stage: str | None = None) -> str:
    url = reverse("web:editor:module", kwargs={"trial_pk": trial.pk, "module": module.slug})
    return f"{url}?{urlencode({'stage': stage})}" if stage else url


def _page(
    request: HttpRequest,
    editing: Editing,
    module: Module,
    value: Any,
    *,
    record: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    dirty: bool = False,
    refusal: str = "",
    notice: str = "",
    conflict: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The module page showing ``value`` (the stored module, or what the person typed) with the findings
    on ``record`` (the stored record with that module merged in)."""
    checked = record if record is not None else editing.record
    all_findings = editor_findings.findings_for(checked, editing.stage, editing.registries)
    context = _context(editing, module, value, all_findings, errors or {})
    context.update(
        dirty=dirty, refusal=refusal, notice=notice, conflict=conflict, saved=request.GET.get("saved", "")
    )
    return render(request, "web/editor/module.html", context, status=status)


def _context(
    editing: Editing, module: Module, value: Any, all_findings: list[dict[str, Any]], errors: dict[str, str]
) -> dict[str, Any]:
    mine = [f for f in all_findings if module_for_pointer(str(f.get("pointer", ""))) == module]
    rendered = render_module(
        module,
        value,
        findings=mine,
        errors=errors,
        readonly=not editing.can_edit,
        registry_names=editor_findings.registry_names(),
    )
    trial = editing.trial
    return {
        "trial": trial,
        "module": module,
        "editing": editing,
        "form_html": mark_safe(rendered.html),  # noqa: S308 - every piece is escaped in formtree
        "nav": editor_findings.navigation(trial, all_findings, module, editing.stage),
        "panel": editor_findings.panel(rendered.placed, all_findings, module),
        "errors": errors,
        "error_count": len(errors),
        "error_items": [
            {
                "id": field_id(pointer),
                "label": pointer[len(module.pointer) :].lstrip("/") or module.label,
                "message": text,
            }
            for pointer, text in errors.items()
        ],
        "stages": editor_findings.stage_choices(),
        "check_url": reverse("web:editor:check", kwargs={"trial_pk": trial.pk, "module": module.slug}),
        "action_url": reverse("web:editor:module", kwargs={"trial_pk": trial.pk, "module": module.slug}),
        "base_sha": editing.base.sha256 if editing.base else "",
        "csv_tables": editor_findings.csv_tables(trial, module),
    }


@login_required
@require_GET
def index(request: HttpRequest, trial_pk: int) -> HttpResponse:
    """The editor opens at the first module."""
    editing = _editing(request, trial_pk)
    return HttpResponseRedirect(_module_url(editing.trial, modules()[0], request.GET.get("stage")))


@login_required
@require_GET
def field_redirect(request: HttpRequest, trial_pk: int) -> HttpResponse:
    """``?pointer=/protocolSection/designModule/phases`` -> the module page holding that field, at the
    field's id (``formtree.field_id``). A finding's pointer is all the trial page needs to link here."""
    editing = _editing(request, trial_pk)
    pointer = request.GET.get("pointer", "")
    module = module_for_pointer(pointer)
    if module is None:
        return HttpResponseRedirect(_module_url(editing.trial, modules()[0], request.GET.get("stage")))
    anchor = anchor_pointer(module, module_value(editing.record, module), pointer)
    return HttpResponseRedirect(
        f"{_module_url(editing.trial, module, request.GET.get('stage'))}#{field_id(anchor)}"
    )


@login_required
@editor_form
@require_http_methods(["GET", "POST"])
def module_page(request: HttpRequest, trial_pk: int, module: str) -> HttpResponse:
    """GET: the module's form. POST: add or remove a row (shown again, nothing saved) or save."""
    current = _module(module)
    if request.method == "GET":
        editing = _editing(request, trial_pk)
        return _page(request, editing, current, module_value(editing.record, current))
    editing = _editing(request, trial_pk, posted=True)
    parsed = parse_module(current, _posted(request))
    typed_record = with_module(editing.record, current, parsed.value)
    if "_add" in request.POST or "_remove" in request.POST:
        parsed = parse_module(current, _posted(request), keep_rows=True)
        value = (
            add_row(parsed.value, current, request.POST["_add"])
            if "_add" in request.POST
            else remove_row(parsed.value, current, request.POST["_remove"])
        )
        return _page(request, editing, current, value, record=typed_record, errors=parsed.errors, dirty=True)
    if parsed.errors:
        return _page(
            request,
            editing,
            current,
            parsed.value,
            record=typed_record,
            errors=parsed.errors,
            dirty=True,
            refusal=f"Nothing was saved: {_count(len(parsed.errors))} to correct.",
            status=422,
        )
    try:
        result = save_record(
            editing.trial,
            typed_record,
            base_sha256=editing.base.sha256 if editing.base else None,
            actor=request.user,
        )
    except DomainError as error:
        if error.code == "org.not_member":
            raise Http404("No such trial.") from None
        if error.code == "record.stale_base":
            return _conflict(request, trial_pk, current, parsed.value)
        return _page(
            request,
            editing,
            current,
            parsed.value,
            record=typed_record,
            dirty=True,
            refusal=f"Nothing was saved: {error.message}",
            status=_REFUSAL_STATUS.get(error.code, 422),
        )
    url = _module_url(editing.trial, current, request.POST.get("_stage"))
    separator = "&" if "?" in url else "?"
    return HttpResponseRedirect(f"{url}{separator}{urlencode({'saved': result.version.sha256[:12]})}")


# How a refused save answers: a missing role is forbidden, a withdrawn trial a conflict with its state;
# anything else the domain refuses is about the values sent (e.g. the bounded reader's codes).
_REFUSAL_STATUS = {"role.required": 403, "trial.withdrawn": 409, "record.in_review": 409}


def _count(number: int) -> str:
    return f"{number} field{'' if number == 1 else 's'}"


def _readable(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1)


def _conflict(request: HttpRequest, trial_pk: int, module: Module, typed: Any) -> HttpResponse:
    """Someone saved the record since this person opened it: show what they typed against the current
    head, field by field, and offer to save theirs over it (based on the current head now, so a second
    save is a deliberate choice, never a silent overwrite)."""
    editing = _editing(request, trial_pk)
    current_value = module_value(editing.record, module)
    changes = [
        {
            "pointer": module.pointer + change.pointer,
            "yours": _readable(change.after),
            "current": _readable(change.before),
        }
        for change in diff_records(current_value, typed)
    ]
    return _page(
        request,
        editing,
        module,
        typed,
        record=with_module(editing.record, module, typed),
        dirty=True,
        refusal=(
            "Not saved: someone else saved this record after you opened it. Your values are still in the "
            "form; compare them with the current version below, then save again to replace it, or reload "
            "the page to start from the current version."
        ),
        conflict=changes,
        status=409,
    )


@login_required
@editor_form
@require_POST
def check(request: HttpRequest, trial_pk: int, module: str) -> HttpResponse:
    """The findings partial for the module as typed (htmx, on every change): the record the form was
    opened on with this module replaced. Nothing is saved."""
    current = _module(module)
    editing = _editing(request, trial_pk, posted=True)
    parsed = parse_module(current, _posted(request))
    typed_record = with_module(editing.record, current, parsed.value)
    all_findings = editor_findings.findings_for(typed_record, editing.stage, editing.registries)
    context = _context(editing, current, parsed.value, all_findings, parsed.errors)
    return render(request, "web/editor/_check.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def table_csv(request: HttpRequest, trial_pk: int, table: str) -> HttpResponse:
    """GET: a results table as CSV (the stored version). POST: a CSV upload read into the module's form,
    shown for review and saved only with the form's own save button; a bad file changes nothing and
    says which row and column is wrong."""
    found = grids.table_by_slug(table)
    if found is None:
        raise Http404("No such results table.")
    if request.method == "GET":
        editing = _editing(request, trial_pk)
        response = HttpResponse(
            grids.export_csv(found, module_value(editing.record, found.module)),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"{editing.trial.reference}-{found.slug}.csv".replace('"', "")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    editing = _editing(request, trial_pk, posted=True)
    stored = module_value(editing.record, found.module)
    if not editing.can_edit:
        return _page(
            request,
            editing,
            found.module,
            stored,
            refusal="Only the trial's authors can import a table.",
            status=403,
        )
    upload = request.FILES.get("csv_file")
    if upload is None:
        return _page(
            request, editing, found.module, stored, refusal="Choose a CSV file to import.", status=422
        )
    if upload.size is not None and upload.size > grids.MAX_CSV_BYTES:
        return _page(
            request,
            editing,
            found.module,
            stored,
            refusal=f"Nothing was imported: the file is larger than {grids.MAX_CSV_BYTES // 2**20} MB.",
            status=422,
        )
    try:
        imported = grids.import_csv(found, upload.read(grids.MAX_CSV_BYTES + 1))
    except grids.CsvImportError as error:
        return _page(
            request, editing, found.module, stored, refusal=f"Nothing was imported: {error}", status=422
        )
    return _page(
        request,
        editing,
        found.module,
        imported,
        record=with_module(editing.record, found.module, imported),
        dirty=True,
        notice=f"Imported {upload.name}: review the table below and save to keep it.",
    )
