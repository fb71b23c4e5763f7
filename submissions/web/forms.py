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
    "letters.site_code_required": "code",
    "letters.site_code_taken": "code",
    "letters.site_name_required": "name",
    "letters.already_unblinded": "unblinded",
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


# Lay summaries and letters (issue 12): the organization's letter settings and a trial's letter sites.

# A logo is printed about 18 mm high; 512 KB is far more than a sharp PNG of that size needs, and keeps a
# mistaken photo upload out of every PDF.
LOGO_MAX_BYTES = 512 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class LetterSettingsForm(forms.Form):
    target_grade = forms.IntegerField(
        min_value=1,
        max_value=20,
        label="Target reading grade",
        help_text="Lay summaries scoring above this Flesch-Kincaid grade get a finding (1 to 20; 8 suits "
        "most adults).",
    )
    sentence_word_limit = forms.IntegerField(
        min_value=5,
        max_value=80,
        label="Longest sentence, in words",
        help_text="Sentences longer than this get a finding (5 to 80).",
    )
    brand_colour = forms.RegexField(
        regex=r"^#[0-9a-fA-F]{6}$",
        max_length=7,
        label="Brand colour",
        help_text="Headings of the PDFs, as #RRGGBB (for example #1f4e79). Keep it dark enough to read on "
        "white.",
        error_messages={"invalid": "Give the colour as # and six hexadecimal digits, for example #1f4e79."},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    page_size = forms.ChoiceField(
        choices=[("A4", "A4"), ("letter", "US Letter")],
        label="Page size",
        help_text="Of the lay-summary PDFs and the letters.",
    )
    logo = forms.FileField(
        required=False,
        label="Logo (PNG)",
        help_text="Printed above the title of every PDF. PNG only, at most 512 KB. Leave empty to keep the "
        "current one.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                f"The logo is {upload.size // 1024} KB; the limit is {LOGO_MAX_BYTES // 1024} KB.",
                code="letters.logo_too_large",
            )
        content: bytes = upload.read()
        if not content.startswith(PNG_SIGNATURE):
            raise forms.ValidationError(
                "The file is not a PNG image; save the logo as PNG and upload it again.",
                code="letters.logo_not_png",
            )
        return content

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is not None and data.get("remove_logo") and data.get("logo"):
            self.add_error("remove_logo", "Either upload a new logo or remove the current one, not both.")
        return data or {}


class LetterSiteForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        label="Site code",
        help_text="As the roster names the site (for example S01).",
        error_messages={"required": "Give the site a code."},
    )
    name = forms.CharField(max_length=200, label="Name participants know it by")
    contact = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How participants reach the site",
        help_text="The site's phone, e-mail and address: printed in every letter. Never a person's own.",
        error_messages={"required": "Give the site's contact for participants."},
    )


class LetterSiteChangeForm(LetterSiteForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The code names the site in rosters and in the letter zip; it does not change.
        del self.fields["code"]


class TrialLettersForm(forms.Form):
    unblinded = forms.BooleanField(
        required=False,
        label="The trial is unblinded",
        help_text="Letters then tell each participant their arm. Once set it cannot be undone.",
    )
    public_results_page = forms.BooleanField(
        required=False,
        label="Publish the public results page",
        help_text="Shown without sign-in once the lay-summary filing is accepted.",
    )
