"""Forms of the admin pages that create trials, save record versions and open filings.

A form only reads and checks what the person typed; every write and every rule of the domain is the
domain function's (a refusal comes back as a ``DomainError`` the page shows with its code).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet

from deadlines.config import DEFAULT_CONFIG, ORGANIZATION_SETTINGS
from registries import registry_codes
from registries.findings import RegistryError
from registries.jsonread import read_json
from submissions import checks
from submissions.enums import Stage
from submissions.models import Organization


def parse_record_json(raw: bytes | str, max_bytes: int | None = None) -> Any:
    """The JSON value in ``raw``, read by the one bounded reader (``registries.jsonread.read_json``,
    limit ``settings.MAX_RECORD_BYTES``); otherwise a ``ValidationError`` whose code is the reader's
    (``json.too_deep``, ``json.not_a_number`` ...) and whose message starts with it."""
    try:
        return read_json(raw, max_bytes=max_bytes or settings.MAX_RECORD_BYTES)
    except RegistryError as error:
        raise forms.ValidationError(f"({error.code}) {error.message}", code=error.code) from None


class RecordInputForm(forms.Form):
    """A canonical record, as an uploaded JSON file or as pasted JSON text (one of the two)."""

    record_required = True

    record_file = forms.FileField(
        label="Record JSON file",
        required=False,
        help_text="A canonical record (schemas/README.md), for example one downloaded from the trial's page.",
    )
    record_text = forms.CharField(
        label="Or paste the record JSON",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80, "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The JSON reader refuses NUL with the code every other entry point gives (json.nul_character).
        text = self.fields["record_text"]
        text.validators = [v for v in text.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("record_file")
        text = data.get("record_text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Give the record either as a file or as pasted text, not both.")
        if upload:
            limit = settings.MAX_RECORD_BYTES
            try:
                # One byte past the limit is enough for the reader to refuse it.
                data["record"] = parse_record_json(upload.read(limit + 1), limit)
            except forms.ValidationError as error:
                self.add_error("record_file", error)
        elif text.strip():
            try:
                data["record"] = parse_record_json(text)
            except forms.ValidationError as error:
                self.add_error("record_text", error)
        elif self.record_required:
            raise forms.ValidationError("Upload the record JSON file or paste the record.")
        else:
            data["record"] = None
        return data


class TrialCreateForm(RecordInputForm):
    """A new trial: the organization, the sponsor's protocol reference, the title and, optionally, its
    first record version."""

    record_required = False

    organization = forms.ModelChoiceField(queryset=Organization.objects.none())
    reference = forms.CharField(
        label="Sponsor's protocol reference", max_length=100, help_text="Unique within the organization."
    )
    title = forms.CharField(max_length=500)

    field_order = ["organization", "reference", "title", "record_file", "record_text"]

    def __init__(
        self,
        *args: Any,
        member_of: QuerySet[Organization],
        may_create_in: list[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        # Offered: the organizations where the user may create a trial. Accepted: any they belong to, so a
        # role taken away after the page was shown is refused by the domain with its code, not hidden.
        field.queryset = member_of
        field.widget.choices = [("", "---------"), *((org.pk, str(org)) for org in may_create_in)]
        if len(may_create_in) == 1:
            field.initial = may_create_in[0].pk


class RecordSaveForm(RecordInputForm):
    """A new version of the trial's record, saved against the version that was the head when the form
    was shown (``base_sha256``) so a concurrent save is a conflict, not an overwrite."""

    base_sha256 = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)


def _registry_choices() -> list[tuple[str, str]]:
    return [(code, f"{checks.registry_name(code)} ({code})") for code in registry_codes()]


class OpenFilingForm(forms.Form):
    """A draft filing of one stage for one or more registries."""

    stage = forms.ChoiceField(choices=Stage.choices)
    target_registries = forms.MultipleChoiceField(
        label="Target registries",
        choices=_registry_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each registry must take a filing of the chosen stage. Pre-filled with the registries the "
        "record calls for; leave all unticked to have them derived from the record for the chosen stage.",
    )


class DeadlineSettingsForm(forms.Form):
    """One optional field per window the law leaves open; a blank field keeps the guidance's default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in sorted(ORGANIZATION_SETTINGS):
            self.fields[name] = forms.IntegerField(
                required=False,
                min_value=0,
                help_text=f"Default {getattr(DEFAULT_CONFIG, name)} "
                "(docs/deadlines.md, Organization settings).",
            )
