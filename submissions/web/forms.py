"""The staff application's forms: they check what a person typed; the domain decides what is allowed.

A ``DomainError`` whose code names a field is shown at that field (``FIELD_OF_ERROR``), the rest above
the form; what was typed stays in the form either way.
"""

from __future__ import annotations

from typing import Any

from django import forms

from registries import registry_codes
from submissions import checks
from submissions.enums import REGISTRY_IDENTIFIERS, STAGES, RegistryOutcome, Role, Stage, SubmissionMethod
from submissions.errors import DomainError

# Domain error codes that concern one field of the form that caused them.
FIELD_OF_ERROR: dict[str, str] = {
    "signature.bad_password": "password",
    "signature.printed_name_required": "printed_name",
    "signature.printed_name_mismatch": "printed_name",
    "signature.meaning_mismatch": "meaning",
    "signature.name_not_verified": "printed_name",
    "signature.locked": "password",
    "account.full_name_required": "full_name",
    "registry.identifier_missing": "identifier",
    "registry.identifier_invalid": "identifier",
    "registry.identifier_conflict": "identifier",
    "registry.comments_required": "comments",
    "registry.not_targeted": "registry",
    "registry.no_pending_submission": "registry",
    "registry.unknown_outcome": "outcome",
    "submission.unknown_method": "method",
    "filing.no_registry": "target_registries",
    "filing.unknown_registry": "target_registries",
    "filing.stage_not_supported": "target_registries",
    "filing.unknown_stage": "stage",
    "filing.already_open": "stage",
    "filing.stage_not_accepted": "stage",
    "filing.update_already_open": "stage",
    "filing.unknown_kind": "kind",
    "membership.unknown_role": "roles",
    "membership.email_invalid": "email",
    "trial.reference_taken": "reference",
}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refusal at the field it concerns (or above the form), with its code for support."""
    name = FIELD_OF_ERROR.get(error.code)
    target = name if name in form.fields else None
    form.add_error(target, forms.ValidationError(error.message, code=error.code))


class SubmitForReviewForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Comment for the reviewer",
        help_text="Optional: what changed and what to look at.",
    )


class ReturnToAuthorForm(forms.Form):
    remarks = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment for the author",
        help_text="Say what must change before this can be approved.",
        error_messages={
            "required": "Say what the author must change; the comment is kept in the audit trail."
        },
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why the approval is voided",
        error_messages={"required": "Give the reason the approval is voided."},
    )


class StartCorrectionsForm(forms.Form):
    pass


class MarkSubmittedForm(forms.Form):
    method = forms.ChoiceField(choices=SubmissionMethod.choices, label="How it was sent")
    submitted_on = forms.DateField(
        required=False,
        label="Sent on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for now.",
    )


class RegistryResponseForm(forms.Form):
    registry = forms.ChoiceField(label="Registry")
    outcome = forms.ChoiceField(
        choices=[
            (RegistryOutcome.ACCEPTED, "Accepted"),
            (RegistryOutcome.RETURNED, "Returned with comments"),
        ],
        label="Answer",
        widget=forms.RadioSelect,
    )
    identifier = forms.CharField(
        required=False,
        max_length=40,
        label="Identifier issued",
        help_text="NCT number (NCT01234567), EU CT number (2024-123456-12-00) or ISRCTN (ISRCTN12345678).",
    )
    response = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Registry's message",
        help_text="As received, e.g. the PRS release notice.",
    )
    comments = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Review comments returned",
        help_text="Needed when the registry returned the filing; they start the correction deadline.",
    )

    def __init__(self, *args: Any, registries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registry"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, checks.registry_name(code)) for code in registries]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == RegistryOutcome.RETURNED and not (data.get("comments") or "").strip():
            self.add_error("comments", "Paste the registry's review comments; a return needs them.")
        return data

    def identifiers(self) -> dict[str, str]:
        code = self.cleaned_data["registry"]
        value = (self.cleaned_data.get("identifier") or "").strip()
        if code in REGISTRY_IDENTIFIERS and value:
            return {REGISTRY_IDENTIFIERS[code][0]: value}
        return {}


class OpenFilingForm(forms.Form):
    stage = forms.ChoiceField(choices=[(stage, Stage(stage).label) for stage in STAGES], label="Stage")
    target_registries = forms.MultipleChoiceField(
        label="Target registries",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one registry to file to."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_registries"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, checks.registry_name(code)) for code in registry_codes()]


class SignForm(forms.Form):
    printed_name = forms.CharField(max_length=200, label="Your full name (printed name)")
    meaning = forms.CharField(
        max_length=500,
        label="Meaning of the signature",
        widget=forms.TextInput(attrs={"readonly": "readonly"}),
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Re-entering it signs (21 CFR 11.200).",
    )
    record_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    first_name = forms.CharField(max_length=150, required=False, label="First name")
    last_name = forms.CharField(max_length=150, required=False, label="Last name")
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Roles",
        error_messages={"required": "Give the person at least one role."},
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Roles",
        required=False,
    )


class VerifyNameForm(forms.Form):
    full_name = forms.CharField(
        max_length=200,
        label="Full name as on their ID",
        help_text="The name they sign under (21 CFR 11.100(b)); checked against an identity document.",
        error_messages={"required": "Type the person's full name as on their ID."},
    )
