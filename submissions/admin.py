"""The Django admin: every model, scoped to the user's organizations, read-only except through actions.

State never changes by editing a field: each transition is an admin action calling its domain function,
and a refusal shows the condition's code and sentence. Someone else's object answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import get_valid_filename
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from registries.canonical import canonical_json
from submissions import checks, domain, scoping, storedjson
from submissions.enums import REGISTRY_IDENTIFIERS, RecomputeReason, RegistryOutcome, Role, Stage
from submissions.errors import DomainError
from submissions.forms import DeadlineSettingsForm, OpenFilingForm, RecordSaveForm, TrialCreateForm
from submissions.letters.models import (
    Letter,
    LetterJob,
    LetterSettings,
    Participant,
    Site,
    SitePack,
    TrialLetters,
)
from submissions.models import (
    AuditEvent,
    Deadline,
    DeadlineHistory,
    DeadlineReminder,
    ESignature,
    Filing,
    Membership,
    Organization,
    Payload,
    RecordVersion,
    RegistrySubmission,
    Trial,
    VerifiedName,
)


def _is_member(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.memberships.exists()))


class OrganizationScopedAdmin(admin.ModelAdmin):
    """Shows members only the rows of their organizations; anything else answers 404."""

    # The name of the ``submissions.scoping`` function that lists what a user may see.
    scope: str

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = getattr(scoping, self.scope)(request.user)
        return queryset

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Another organization's object must look exactly like one that does not exist (DESIGN section 7);
        # Django's default for a missing object is a redirect to the index with a message, which would
        # still tell the two apart from a 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object.")
        return obj

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_member(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_member(request)


class ScopedAdmin(OrganizationScopedAdmin):
    """Read-only for everyone: writes go only through the admin actions calling domain functions."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _run(
    request: HttpRequest, modeladmin: admin.ModelAdmin[Any], objects: Any, call: Callable[[Any], Any]
) -> None:
    """Call the domain function for each object, reporting each success or refusal (with its code)."""
    for obj in objects:
        try:
            call(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: refused ({error.code}) {error.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{obj}: done.", messages.SUCCESS)


def _form_page(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    form: forms.Form,
    action: str,
    title: str,
    submit_label: str,
    explanation: str = "",
    summary: str = "",
    record_sha256: str = "",
) -> TemplateResponse:
    if record_sha256 and "record_sha256" in form.fields and not form.is_bound:
        form.fields["record_sha256"].initial = record_sha256
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "target": ", ".join(str(obj) for obj in queryset),
        "queryset": queryset,
        "form": form,
        "action": action,
        "submit_label": submit_label,
        "explanation": explanation,
        "summary": summary,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/submissions/action_form.html", context)


def _confirmed(form_class: type[forms.Form], request: HttpRequest) -> forms.Form:
    """The action's form, bound to the POST only once the user sent it from the form page."""
    return form_class(request.POST if request.POST.get("confirm") else None)


def _act_on_form(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    form: forms.Form,
    call: Callable[[Any, dict[str, Any]], Any],
    **page: Any,
) -> TemplateResponse | None:
    """Call the domain function with the form's data for each object once the form is valid; until then
    show the form page (``page`` holds its action, title, submit label and explanation)."""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        _run(request, modeladmin, queryset, lambda obj: call(obj, data))
        return None
    return _form_page(modeladmin, request, queryset, form=form, **page)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Kept in the audit trail.")


class ApprovalForm(forms.Form):
    """21 CFR 11.200(a)(1): both signature components, re-entered at signing."""

    printed_name = forms.CharField(
        label="Your full name", max_length=200, help_text="Exactly as verified by your organization's admin."
    )
    password = forms.CharField(label="Your password", widget=forms.PasswordInput, strip=False)
    confirm_meaning = forms.BooleanField(label="I sign with this meaning")
    # The hash of the version the approver was shown: approval refuses any other (record.stale_base).
    record_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class VerifiedNameForm(forms.Form):
    full_name = forms.CharField(max_length=200, help_text="As on the identity document you checked.")


class RegistryResponseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(c.value, c.label) for c in RegistryOutcome if c != RegistryOutcome.PENDING]
    )
    identifier = forms.CharField(
        required=False, help_text="The identifier the registry issued (NCT number, EU CT number, ISRCTN)."
    )
    response = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comments = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="The registry's review comments."
    )


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    scope = "organizations_for"
    list_display = ["name", "slug", "two_factor_required", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    # Written only by the actions below, through the domain (validated and audited).
    readonly_fields = ["deadline_settings", "two_factor_required"]
    actions = ["change_deadline_settings", "require_two_factor", "stop_requiring_two_factor"]

    @admin.action(description="Require a second factor of approvers and admins")
    def require_two_factor(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda org: domain.set_two_factor_required(org, required=True, actor=request.user),
        )

    @admin.action(description="Stop requiring a second factor")
    def stop_requiring_two_factor(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda org: domain.set_two_factor_required(org, required=False, actor=request.user),
        )

    @admin.action(description="Change deadline settings")
    def change_deadline_settings(
        self, request: HttpRequest, queryset: QuerySet[Organization]
    ) -> TemplateResponse | None:
        return _act_on_form(
            self,
            request,
            queryset,
            _confirmed(DeadlineSettingsForm, request),
            lambda organization, data: domain.set_deadline_settings(
                organization,
                {name: value for name, value in data.items() if value is not None},
                actor=request.user,
            ),
            action="change_deadline_settings",
            title="Deadline settings",
            submit_label="Save settings",
            explanation="Only the windows where the law leaves a choice; blank keeps the default.",
        )


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    scope = "memberships_for"
    list_display = ["user", "organization", "role", "created_at"]
    # RelatedOnly: the filter lists the organizations of the rows the user may see, never all of them.
    list_filter = ["role", ("organization", admin.RelatedOnlyFieldListFilter)]
    actions = ["verify_signer_name"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    @admin.action(description="Verify the member's full name (for e-signatures)")
    def verify_signer_name(
        self, request: HttpRequest, queryset: QuerySet[Membership]
    ) -> TemplateResponse | None:
        if queryset.values("user").distinct().count() != 1:
            self.message_user(request, "Verify one person's name at a time.", messages.ERROR)
            return None
        return _act_on_form(
            self,
            request,
            queryset[:1],
            _confirmed(VerifiedNameForm, request),
            lambda membership, data: domain.verify_signer_name(
                membership.organization, membership.user, full_name=data["full_name"], actor=request.user
            ),
            action="verify_signer_name",
            title="Verify the signer's full name",
            submit_label="Verify",
            explanation="21 CFR 11.100(b): verify the person's identity against an identity document before "
            "they may sign. They will sign only under exactly this name.",
        )


class NoAddInline(admin.TabularInline):
    """An inline listing the existing rows, with neither blank rows to add nor delete boxes."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(NoAddInline):
    """An inline members of the organization may read and nobody may edit."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_member(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RecordVersionInline(ReadOnlyInline):
    model = RecordVersion
    fields = readonly_fields = ("sha256", "schema_version", "created_by", "created_at")
    show_change_link = True


class FilingInline(ReadOnlyInline):
    model = Filing
    fields = readonly_fields = ("stage", "kind", "state", "target_registries", "pinned_version")
    show_change_link = True


@admin.display(description="Satisfied by")
def satisfied_by(deadline: Deadline) -> str:
    """The filing that met the duty (linked), or the record field that shows it."""
    reference = deadline.satisfied_by or {}
    if deadline.satisfied_by_filing_id is not None:
        return format_html(
            '<a href="{}">filing #{}</a>: {} {} sent {}',
            reverse("admin:submissions_filing_change", args=[deadline.satisfied_by_filing_id]),
            deadline.satisfied_by_filing_id,
            reference.get("registry", ""),
            reference.get("stage", ""),
            reference.get("submitted_on", ""),
        )
    if reference.get("source") == "record":
        return format_html("record {} ({})", reference.get("pointer", ""), reference.get("date") or "no date")
    if reference.get("source") == "submission":
        return format_html(
            "{} {} sent {}", reference.get("registry"), reference.get("stage"), reference.get("submitted_on")
        )
    return "—"


class DeadlineInline(ReadOnlyInline):
    """The trial's current deadlines: the duties that apply first, soonest due first; then the rules
    that do not apply, so a reader sees what is due without scrolling past twenty "not applicable" rows."""

    model = Deadline
    fields = readonly_fields = (
        "rule_code",
        "subject",
        "applies",
        "due_date",
        "tracker_flag_date",
        "status",
        "days_late",
        "satisfied_by_display",
    )
    show_change_link = True
    verbose_name_plural = "deadlines"

    @admin.display(description="Satisfied by")
    def satisfied_by_display(self, deadline: Deadline) -> str:
        return satisfied_by(deadline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Deadline]:
        return (
            super()
            .get_queryset(request)
            .filter(current=True)
            .select_related("trial")
            .order_by("-applies", F("due_date").asc(nulls_last=True), "rule_code", "subject")
        )


# Who may create a trial (``domain.create_trial``): the organizations offered on the "Add trial" page.
TRIAL_CREATOR_ROLES = (Role.AUTHOR, Role.ADMIN)
# How many findings of a newly saved version are listed in the confirmation; the rest are on its page.
FINDINGS_SHOWN = 5


def _refused(request: HttpRequest, error: DomainError) -> None:
    """Show a domain refusal on the page; outside one's organizations the object does not exist."""
    if error.code == "org.not_member":
        raise Http404("No such object.")
    messages.error(request, f"Refused ({error.code}) {error.message}")


@admin.register(Trial)
class TrialAdmin(ScopedAdmin):
    """Trials: created, their record saved and filings opened through forms calling the domain."""

    scope = "trials_for"
    list_display = ["reference", "title", "organization", "state", "updated_at"]
    list_filter = ["state", ("organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "title"]
    readonly_fields = [
        "organization",
        "reference",
        "title",
        "state",
        "head",
        "identifiers",
        "created_by",
        "created_at",
    ]
    inlines = [DeadlineInline, FilingInline, RecordVersionInline]
    actions = ["withdraw", "recompute_deadlines"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # The page is open to every member; whether they may create a trial in the organization they
        # choose is the domain's to decide (``role.required``).
        return _is_member(request)

    def get_urls(self) -> list[URLPattern]:
        def view(function: Callable[..., HttpResponse], suffix: str, name: str) -> URLPattern:
            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(function),
                name=f"submissions_trial_{name}",
            )

        return [
            view(self.record_download_view, "record/download", "record_download"),
            view(self.save_record_view, "record", "save_record"),
            view(self.open_filing_view, "open-filing", "open_filing"),
            *super().get_urls(),
        ]

    def _trial(self, request: HttpRequest, object_id: str) -> Trial:
        """The trial, if it belongs to one of the user's organizations (404 otherwise)."""
        trial = (
            self.get_queryset(request).select_related("organization", "head").filter(pk=object_id).first()
            if object_id.isdigit()
            else None
        )
        if trial is None:
            raise Http404("No such trial.")
        return trial

    def _form_page(
        self,
        request: HttpRequest,
        form: Any,
        *,
        title: str,
        submit_label: str,
        trial: Trial | None = None,
        explanation: str = "",
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "trial": trial,
            "form": form,
            "submit_label": submit_label,
            "explanation": explanation,
        }
        # A form sent with input that cannot be used (malformed or hostile JSON...) is a client error.
        status = 400 if form.is_bound and form.errors else 200
        return TemplateResponse(request, "admin/submissions/trial_form.html", context, status=status)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Create a trial through ``domain.create_trial`` (never the model form's save)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        member_of = scoping.organizations_for(request.user).order_by("name")
        may_create_in = [
            org for org in member_of if scoping.roles_of(request.user, org) & set(TRIAL_CREATOR_ROLES)
        ]
        form = TrialCreateForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            member_of=member_of,
            may_create_in=may_create_in,
        )
        if not may_create_in and request.method != "POST":
            messages.warning(
                request, "You hold no author or organization admin role, which creating a trial needs."
            )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                trial = domain.create_trial(
                    data["organization"],
                    reference=data["reference"],
                    title=data["title"],
                    actor=request.user,
                    record=data["record"],
                )
            except DomainError as error:
                _refused(request, error)
            else:
                messages.success(request, f"Trial {trial.reference} created.")
                if trial.head is not None:
                    messages.info(request, f"Its first record version is {trial.head.sha256}.")
                return HttpResponseRedirect(reverse("admin:submissions_trial_change", args=[trial.pk]))
        return self._form_page(
            request,
            form,
            title="Add trial",
            submit_label="Create the trial",
            explanation="The trial starts as a draft. Its record may be added now or saved later.",
        )

    def save_record_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Save a new record version through ``domain.save_record``, against the head shown on the form."""
        trial = self._trial(request, object_id)
        if request.method == "POST":
            form = RecordSaveForm(request.POST, request.FILES)
        else:
            form = RecordSaveForm(initial={"base_sha256": trial.head.sha256 if trial.head else ""})
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                result = domain.save_record(
                    trial, data["record"], base_sha256=data["base_sha256"] or None, actor=request.user
                )
            except DomainError as error:
                _refused(request, error)
            else:
                self._report_save(request, result)
                return HttpResponseRedirect(reverse("admin:submissions_trial_change", args=[trial.pk]))
        head = trial.head
        return self._form_page(
            request,
            form,
            title="Save a new record version",
            submit_label="Save the version",
            trial=trial,
            explanation=(
                f"The current version is {head.sha256}; if someone saves another before you, yours is "
                "refused and you reload the record."
                if head
                else "The trial has no record yet."
            ),
        )

    def _report_save(self, request: HttpRequest, result: domain.SaveResult) -> None:
        errors = [f for f in result.findings if f.get("severity") == "error"]
        warnings = [f for f in result.findings if f.get("severity") == "warning"]
        if result.created:
            summary = f"Saved record version {result.version.sha256}"
        else:
            summary = f"Record version {result.version.sha256} is the current version again"
        messages.success(request, f"{summary}: {len(errors)} errors, {len(warnings)} warnings.")
        for finding in [*errors, *warnings][:FINDINGS_SHOWN]:
            messages.warning(
                request,
                f"{finding.get('severity')} {finding.get('code')} at {finding.get('pointer') or '/'}: "
                f"{finding.get('message')}",
            )
        for filing in result.update_filings:
            messages.info(
                request,
                format_html(
                    'The change opened update filing <a href="{}">#{} ({})</a>.',
                    reverse("admin:submissions_filing_change", args=[filing.pk]),
                    filing.pk,
                    filing.get_stage_display(),
                ),
            )

    def open_filing_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Open a draft filing through ``domain.open_filing``; on success, go to the filing's page."""
        trial = self._trial(request, object_id)
        derived, _notes = checks.derived_targets(
            trial.head.content if trial.head else None, Stage.REGISTRATION
        )
        form = OpenFilingForm(
            request.POST if request.method == "POST" else None,
            initial={"stage": Stage.REGISTRATION, "target_registries": derived},
        )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                filing = domain.open_filing(
                    trial,
                    data["stage"],
                    target_registries=data["target_registries"] or None,
                    actor=request.user,
                )
            except DomainError as error:
                _refused(request, error)
            else:
                messages.success(request, f"Filing #{filing.pk} opened as a draft.")
                return HttpResponseRedirect(reverse("admin:submissions_filing_change", args=[filing.pk]))
        return self._form_page(request, form, title="Open a filing", submit_label="Open", trial=trial)

    def record_download_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The head version's record as canonical JSON, to edit and save again."""
        trial = self._trial(request, object_id)
        if trial.head is None:
            raise Http404("The trial has no record yet.")
        response = HttpResponse(storedjson.canonical(trial.head.content), content_type="application/json")
        name = f"{get_valid_filename(trial.reference) or 'trial'}-{trial.head.sha256[:12]}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description="Recompute deadlines now")
    def recompute_deadlines(self, request: HttpRequest, queryset: QuerySet[Trial]) -> None:
        _run(
            request,
            self,
            queryset,
            lambda trial: domain.recompute_deadlines(
                trial, reason=RecomputeReason.MANUAL, actor=request.user
            ),
        )

    @admin.action(description="Withdraw the selected trials")
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Trial]) -> TemplateResponse | None:
        return _act_on_form(
            self,
            request,
            queryset,
            _confirmed(ReasonForm, request),
            lambda trial, data: domain.withdraw_trial(trial, actor=request.user, reason=data["reason"]),
            action="withdraw",
            title="Withdraw",
            submit_label="Withdraw",
        )


@admin.register(RecordVersion)
class RecordVersionAdmin(ScopedAdmin):
    scope = "record_versions_for"
    list_display = ["trial", "sha256", "schema_version", "created_by", "created_at"]
    readonly_fields = [
        "trial",
        "sha256",
        "signatures",
        "schema_version",
        "based_on",
        "record",
        "findings",
        "created_by",
        "created_at",
    ]
    exclude = ["content"]

    @admin.display(description="content")
    def record(self, version: RecordVersion) -> str:
        # Through storedjson: a deep record stored before depth was bounded still renders.
        return format_html("<pre>{}</pre>", storedjson.dumps(version.content, indent=2, ensure_ascii=False))

    @admin.display(description="Signed as")
    def signatures(self, version: RecordVersion) -> str:
        """21 CFR 11.50: every signature over this version, with its manifestation."""
        signed = ESignature.objects.filter(filing__trial_id=version.trial_id, record_sha256=version.sha256)
        return _manifestations(signed)


class RegistrySubmissionInline(ReadOnlyInline):
    model = RegistrySubmission
    fields = readonly_fields = (
        "registry",
        "method",
        "submitted_at",
        "submitted_by",
        "outcome",
        "identifiers",
        "comments",
    )
    show_change_link = True


def _manifestations(signatures: Any) -> str:
    rows = [(signature.manifestation, signature.signature_hash) for signature in signatures]
    if not rows:
        return "—"
    return format_html_join("", "<div>{} (signature {})</div>", rows)


def _approval_summary_html(filing: Filing) -> str:
    """The pinned version's hash, what it is compared with, who wrote it, and the field-by-field diff."""
    summary = domain.approval_summary(filing)
    if summary.version is None:
        return "No record version yet."
    pinned = "pinned at submission for review" if summary.pinned else "the current head (not pinned yet)"
    if summary.baseline_filing is not None:
        base = format_html(
            "{} as accepted in filing #{} ({})",
            summary.baseline_sha256,
            summary.baseline_filing.pk,
            summary.baseline_filing,
        )
    else:
        base = format_html("{}", "nothing accepted yet: every field is new")
    authors = ", ".join(user.get_full_name() or user.get_username() for user in summary.authors) or "—"
    rows = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
        (
            (change.pointer or "/", change.kind, _short_json(change.before), _short_json(change.after))
            for change in summary.changes[:DIFF_ROWS_SHOWN]
        ),
    )
    more = len(summary.changes) - DIFF_ROWS_SHOWN
    return format_html(
        "<p>Version <code>{}</code> ({}).</p><p>Compared with: {}.</p><p>Written by: {}.</p>"
        "<p>{} change(s){}.</p><table><thead><tr><th>Field</th><th>Change</th><th>Before</th><th>After</th>"
        "</tr></thead><tbody>{}</tbody></table>",
        summary.version_sha256,
        pinned,
        base,
        authors,
        len(summary.changes),
        f"; the first {DIFF_ROWS_SHOWN} shown" if more > 0 else "",
        rows,
    )


# The approval page lists this many changes; the full list is on the web application's review page.
DIFF_ROWS_SHOWN = 200
# Long values are cut for the table (the record download has them whole).
DIFF_VALUE_CHARS = 300


def _short_json(value: Any) -> str:
    if value is None:
        return ""
    # storedjson: a deep value stored before depth was bounded still renders.
    text = storedjson.canonical(value).decode("utf-8")
    return text if len(text) <= DIFF_VALUE_CHARS else text[:DIFF_VALUE_CHARS] + "…"


@admin.register(Filing)
class FilingAdmin(ScopedAdmin):
    scope = "filings_for"
    list_display = ["trial", "stage", "kind", "state", "target_registries", "updated_at"]
    list_filter = ["state", "stage", "kind"]
    readonly_fields = [
        "trial",
        "stage",
        "kind",
        "state",
        "target_registries",
        "approval_summary",
        "pinned_version",
        "signature_manifestation",
        "payload_downloads",
        "submitted_for_review_by",
        "submitted_for_review_at",
        "approved_by",
        "approved_at",
        "accepted_at",
        "created_by",
        "created_at",
    ]
    inlines = [RegistrySubmissionInline]
    actions = [
        "submit_for_review",
        "return_to_author",
        "approve",
        "reopen",
        "mark_submitted",
        "start_corrections",
    ]

    @admin.display(description="Under review")
    def approval_summary(self, filing: Filing) -> str:
        return _approval_summary_html(filing)

    @admin.display(description="Signature")
    def signature_manifestation(self, filing: Filing) -> str:
        return filing.signature.manifestation if filing.signature else "—"

    def get_urls(self) -> list[URLPattern]:
        manifest = path(
            "<path:object_id>/manifest/",
            self.admin_site.admin_view(self.manifest_view),
            name="submissions_filing_manifest",
        )
        return [manifest, *super().get_urls()]

    def manifest_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The approval's manifest (signature manifestation and payload hashes) as JSON."""
        filing = self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        manifest = domain.approval_manifest(filing) if filing is not None else None
        if filing is None or manifest is None:
            raise Http404("No such approval.")
        response = HttpResponse(canonical_json(manifest), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="filing-{filing.pk}-manifest.json"'
        return response

    @method_decorator(sensitive_post_parameters("password"))
    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The approval action posts the signer's password to the changelist: never in an error report.
        return super().changelist_view(request, extra_context)

    @admin.display(description="Payloads")
    def payload_downloads(self, filing: Filing) -> str:
        payloads = filing.payloads.select_related("signature").order_by("-created_at", "registry")
        if not payloads:
            return "—"
        listed = format_html_join(
            "",
            '<div><a href="{}">{}</a> ({}, sha256 {}){}; {}</div>',
            (
                (
                    reverse("admin:submissions_payload_download", args=[p.pk]),
                    p.file_name,
                    p.media_type,
                    p.sha256,
                    " — current approval" if p.signature_id == filing.signature_id else "",
                    p.signature.manifestation,
                )
                for p in payloads
            ),
        )
        if filing.signature_id is None:
            return listed
        return format_html(
            '{}<div><a href="{}">Manifest of the current approval (JSON)</a></div>',
            listed,
            reverse("admin:submissions_filing_manifest", args=[filing.pk]),
        )

    @admin.action(description="Submit for review")
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Filing]) -> None:
        _run(request, self, queryset, lambda filing: domain.submit_for_review(filing, actor=request.user))

    @admin.action(description="Return to author")
    def return_to_author(self, request: HttpRequest, queryset: QuerySet[Filing]) -> TemplateResponse | None:
        return _act_on_form(
            self,
            request,
            queryset,
            _confirmed(ReasonForm, request),
            lambda filing, data: domain.return_to_author(filing, actor=request.user, remarks=data["reason"]),
            action="return_to_author",
            title="Return to author",
            submit_label="Return",
        )

    @admin.action(description="Approve and sign")
    @method_decorator(sensitive_variables())
    def approve(self, request: HttpRequest, queryset: QuerySet[Filing]) -> TemplateResponse | None:
        # sensitive_variables(): no frame under this one (form data, the password) reaches a report.
        if queryset.count() != 1:
            self.message_user(
                request, "Approve one filing at a time: each signature covers one filing.", messages.ERROR
            )
            return None
        filing = queryset.get()
        meaning = domain.signature_meaning(filing)
        summary = domain.approval_summary(filing)
        form = _confirmed(ApprovalForm, request)
        form.fields["confirm_meaning"].help_text = meaning
        return _act_on_form(
            self,
            request,
            queryset,
            form,
            lambda filing, data: domain.approve_filing(
                filing,
                actor=request.user,
                password=data["password"],
                printed_name=data["printed_name"],
                meaning=meaning,
                record_sha256=data["record_sha256"],
            ),
            action="approve",
            title="Approve and sign",
            submit_label="Sign",
            explanation=f"Meaning of this signature: {meaning}. You sign record version "
            f"{summary.version_sha256}, pinned when the filing was submitted for review; its changes are "
            "listed below (21 CFR 11.50).",
            summary=_approval_summary_html(filing),
            record_sha256=summary.version_sha256 or "",
        )

    @admin.action(description="Reopen (void the approval)")
    def reopen(self, request: HttpRequest, queryset: QuerySet[Filing]) -> TemplateResponse | None:
        return _act_on_form(
            self,
            request,
            queryset,
            _confirmed(ReasonForm, request),
            lambda filing, data: domain.reopen_filing(filing, actor=request.user, reason=data["reason"]),
            action="reopen",
            title="Reopen",
            submit_label="Reopen",
        )

    @admin.action(description="Mark as submitted to the registries")
    def mark_submitted(self, request: HttpRequest, queryset: QuerySet[Filing]) -> None:
        _run(request, self, queryset, lambda filing: domain.mark_submitted(filing, actor=request.user))

    @admin.action(description="Start corrections")
    def start_corrections(self, request: HttpRequest, queryset: QuerySet[Filing]) -> None:
        _run(request, self, queryset, lambda filing: domain.start_corrections(filing, actor=request.user))


@admin.register(RegistrySubmission)
class RegistrySubmissionAdmin(ScopedAdmin):
    scope = "submissions_for"
    list_display = ["filing", "registry", "method", "submitted_at", "outcome", "responded_at"]
    list_filter = ["outcome", "registry"]
    readonly_fields = [
        "filing",
        "registry",
        "payload",
        "method",
        "submitted_at",
        "submitted_by",
        "outcome",
        "responded_at",
        "response",
        "identifiers",
        "comments",
    ]
    actions = ["record_response"]

    @admin.action(description="Record the registry's response")
    def record_response(
        self, request: HttpRequest, queryset: QuerySet[RegistrySubmission]
    ) -> TemplateResponse | None:

        def record(submission: RegistrySubmission, data: dict[str, Any]) -> Any:
            name = REGISTRY_IDENTIFIERS.get(submission.registry, ("", ""))[0]
            identifiers = {name: data["identifier"]} if name and data["identifier"] else {}
            return domain.record_registry_response(
                submission.filing,
                submission.registry,
                actor=request.user,
                outcome=data["outcome"],
                identifiers=identifiers,
                response=data["response"],
                comments=data["comments"],
            )

        return _act_on_form(
            self,
            request,
            queryset,
            _confirmed(RegistryResponseForm, request),
            record,
            action="record_response",
            title="Registry response",
            submit_label="Record",
        )


@admin.register(Payload)
class PayloadAdmin(ScopedAdmin):
    scope = "payloads_for"
    list_display = ["file_name", "filing", "registry", "media_type", "sha256", "created_at"]
    readonly_fields = [
        "filing",
        "signature_manifestation",
        "record_version",
        "registry",
        "stage",
        "download",
        "media_type",
        "file_name",
        "schema_version",
        "sha256",
        "findings",
        "created_at",
    ]
    exclude = ["content"]

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<path:object_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name="submissions_payload_download",
        )
        return [download, *super().get_urls()]

    @admin.display(description="Signature")
    def signature_manifestation(self, payload: Payload) -> str:
        return payload.signature.manifestation

    @admin.display(description="Content")
    def download(self, payload: Payload) -> str:
        url = reverse("admin:submissions_payload_download", args=[payload.pk])
        return format_html(
            '<a href="{}">Download {}</a> ({} bytes)', url, payload.file_name, len(payload.content)
        )

    def download_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The payload's bytes as stored at approval, with their media type (404 outside one's
        organizations)."""
        payload = self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        if payload is None:
            raise Http404("No such payload.")
        response = HttpResponse(bytes(payload.content), content_type=payload.media_type)
        response["Content-Disposition"] = f'attachment; filename="{payload.file_name}"'
        return response


@admin.register(ESignature)
class ESignatureAdmin(ScopedAdmin):
    scope = "signatures_for"
    # The manifestation, not the fields apart: name, date and time with its zone, meaning (21 CFR 11.50).
    list_display = ["filing", "manifestation"]
    readonly_fields = [
        "manifestation",
        "filing",
        "signer",
        "printed_name",
        "signed_at",
        "meaning",
        "record_sha256",
        "payload_sha256s",
        "signature_hash",
    ]


@admin.register(VerifiedName)
class VerifiedNameAdmin(ScopedAdmin):
    """Signing names verified by the organization's admins (set through the Membership action)."""

    scope = "verified_names_for"
    list_display = ["full_name", "user", "verified_by", "verified_at"]
    readonly_fields = ["user", "full_name", "organization", "verified_by", "verified_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    scope = "audit_events_for"
    list_display = ["pk", "created_at", "event_type", "actor", "trial", "filing"]
    list_filter = ["event_type"]
    readonly_fields = [
        "organization",
        "actor",
        "event_type",
        "trial",
        "filing",
        "data",
        "created_at",
        "prev_hash",
        "hash",
    ]


class DeadlineHistoryInline(ReadOnlyInline):
    model = DeadlineHistory
    fields = readonly_fields = (
        "computed_on",
        "reason",
        "status",
        "applies",
        "due_date",
        "tracker_flag_date",
        "days_late",
        "current",
        "recorded_at",
    )


@admin.register(DeadlineHistory)
class DeadlineHistoryAdmin(ScopedAdmin):
    """Every recorded change of a verdict, across the organization's trials (append-only)."""

    scope = "deadline_history_for"
    list_display = ["deadline", "computed_on", "reason", "status", "due_date", "days_late", "recorded_at"]
    list_filter = ["reason", "status"]
    list_select_related = ["deadline", "deadline__trial"]
    search_fields = ["deadline__trial__reference", "deadline__rule_code"]
    readonly_fields = [*DeadlineHistoryInline.fields, "deadline"]


@admin.register(Deadline)
class DeadlineAdmin(ScopedAdmin):
    scope = "deadlines_for"
    list_display = [
        "trial",
        "rule_code",
        "subject",
        "jurisdiction",
        "status",
        "due_date",
        "tracker_flag_date",
        "days_late",
        "current",
    ]
    list_filter = ["status", "jurisdiction", "current"]
    list_select_related = ["trial"]
    search_fields = ["trial__reference", "rule_code", "subject"]
    readonly_fields = [
        "trial",
        "rule_code",
        "subject",
        "title",
        "jurisdiction",
        "source",
        "rule_version",
        "applies",
        "why",
        "status",
        "due_date",
        "tracker",
        "tracker_flag_date",
        "days_late",
        "satisfied_by_display",
        "satisfied_by",
        "defaulted_dates",
        "findings",
        "details",
        "current",
        "computed_on",
        "updated_at",
    ]
    exclude = ["satisfied_by_filing"]
    inlines = [DeadlineHistoryInline]

    @admin.display(description="Satisfied by")
    def satisfied_by_display(self, deadline: Deadline) -> str:
        return satisfied_by(deadline)


def scoped_shortcut(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's ``r/<content type>/<id>/`` shortcut, answering one and the same 404 for an object
    that does not exist, one of another organization and one without a page: Django's own tells them
    apart by its message, which would reveal that another tenant's object exists."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type is not None else None
    model_admin = admin.site._registry.get(model) if model is not None else None
    if not request.user.is_authenticated or not isinstance(model_admin, OrganizationScopedAdmin):
        raise Http404("No such object.")
    obj = model_admin.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
    url = getattr(obj, "get_absolute_url", None)
    if obj is None or url is None:
        raise Http404("No such object.")
    return HttpResponseRedirect(url())


# The REST API's objects (keys, webhooks, jobs) have their admin pages in a module of their own.
from submissions import admin_api  # noqa: E402, F401


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ScopedAdmin):
    """Reminder e-mails sent, one row per deadline, due date and offset (each is sent once)."""

    scope = "deadline_reminders_for"
    list_display = ["deadline", "due_date", "days_before", "sent_at"]


# Participant rosters and result letters (issue 12). Read-only like the rest: settings, sites, rosters and
# jobs are written through ``submissions.domain.letters`` (the web pages call it). The PDFs, the logo and
# the zip are left out of the pages: the letters pages download them.


class LettersScopedAdmin(ScopedAdmin):
    """Rows of the trials (or organizations) the member may see, found through ``scope_path``."""

    scope = "trials_for"
    # The lookup from the model to its Trial (or Organization, with scope "organizations_for").
    scope_path: str = "trial"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = getattr(scoping, self.scope)(request.user)
        return self.model._default_manager.filter(**{f"{self.scope_path}__in": visible})


@admin.register(LetterSettings)
class LetterSettingsAdmin(LettersScopedAdmin):
    scope = "organizations_for"
    scope_path = "organization"
    list_display = ["organization", "target_grade", "sentence_word_limit", "brand_colour", "page_size"]
    readonly_fields = ("organization", "target_grade", "sentence_word_limit", "brand_colour", "page_size")
    fields = readonly_fields


@admin.register(TrialLetters)
class TrialLettersAdmin(LettersScopedAdmin):
    list_display = ["trial", "unblinded", "public_results_page"]
    readonly_fields = ["trial", "unblinded", "public_results_page"]


@admin.register(Site)
class LetterSiteAdmin(LettersScopedAdmin):
    list_display = ["trial", "code", "name"]
    readonly_fields = ["trial", "code", "name", "contact"]


@admin.register(Participant)
class ParticipantAdmin(LettersScopedAdmin):
    list_display = ["trial", "subject_id", "site", "language", "arm", "wants_results"]
    list_filter = ["wants_results", "language"]
    readonly_fields = ["trial", "subject_id", "site", "language", "arm", "wants_results"]


@admin.register(LetterJob)
class LetterJobAdmin(LettersScopedAdmin):
    list_display = ["pk", "trial", "state", "total", "done", "failed", "created_at", "finished_at"]
    list_filter = ["state"]
    readonly_fields = (
        "trial",
        "record_version",
        "state",
        "total",
        "done",
        "failed",
        "error",
        "started_by",
        "created_at",
        "finished_at",
    )
    fields = readonly_fields


@admin.register(Letter)
class LetterAdmin(LettersScopedAdmin):
    scope_path = "job__trial"
    list_display = ["job", "participant", "sha256", "error"]
    readonly_fields = ("job", "participant", "sha256", "error")
    fields = readonly_fields


@admin.register(SitePack)
class SitePackAdmin(LettersScopedAdmin):
    scope_path = "job__trial"
    list_display = ["job", "site", "letters"]
    readonly_fields = ("job", "site", "letters")
    fields = readonly_fields
