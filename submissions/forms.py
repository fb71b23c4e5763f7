"""Forms of the admin pages that create trials, save record versions and open filings.

A form only reads and checks what the person typed; every write and every rule of the domain is the
domain function's (a refusal comes back as a ``DomainError`` the page shows with its code).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet

from registries import registry_codes
from submissions import checks
from submissions.enums import Stage
from submissions.models import Organization

# Nothing is saved from a record this large pasted or uploaded through a form; a complete real record
# (results included) is a few hundred kilobytes.
MAX_RECORD_BYTES = 20 * 1024 * 1024


def parse_record_json(raw: bytes | str, source: str) -> Any:
    """The JSON value in ``raw``; a ``ValidationError`` naming ``source`` and the line and column of the
    first syntax error otherwise."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The {source} is not UTF-8 text (byte {exc.start + 1} cannot be decoded).",
                code="record_encoding",
            ) from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            f"The {source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            code="record_json",
        ) from None


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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("record_file")
        text = data.get("record_text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Give the record either as a file or as pasted text, not both.")
        if upload:
            if upload.size > MAX_RECORD_BYTES:
                self.add_error("record_file", f"The file is larger than {MAX_RECORD_BYTES} bytes.")
                return data
            try:
                data["record"] = parse_record_json(upload.read(), "file")
            except forms.ValidationError as error:
                self.add_error("record_file", error)
        elif text.strip():
            try:
                data["record"] = parse_record_json(text, "pasted text")
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
        help_text="Each registry must take a filing of the chosen stage.",
    )
