"""The API's request and response shapes. Requests refuse members they do not know; timestamps are UTC
ISO 8601 with ``Z``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from submissions.domain import letters as domain_letters
from submissions.enums import (
    ApiKeyAccess,
    DeadlineStatus,
    FilingState,
    Stage,
    SubmissionMethod,
    TrialState,
    UpsertOutcome,
    WebhookEvent,
)
from submissions.models import (
    AuditEvent,
    Deadline,
    Filing,
    Job,
    Payload,
    RecordVersion,
    Trial,
    WebhookDelivery,
    WebhookEndpoint,
)


def utc(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


class UtcDateTimeField(serializers.DateTimeField):
    def to_representation(self, value: Any) -> Any:
        return utc(value)


class StrictSerializer(serializers.Serializer):
    """Refuses members it does not declare: a misspelt field is an error, never silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail("Unknown field.", code="unknown_field")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class RecordField(serializers.JSONField):
    """A canonical record (schemas/record/v1/record.schema.json): a JSON object."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError("The record must be a JSON object.", code="not_an_object")
        return data


# --- findings and problems --------------------------------------------------------------------------------
class FindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["error", "warning", "note"])
    code = serializers.CharField()
    pointer = serializers.CharField(allow_blank=True, help_text="RFC 6901 JSON Pointer into the record.")
    message = serializers.CharField()
    registry = serializers.CharField(required=False, allow_blank=True)
    stage = serializers.CharField(required=False, allow_null=True)
    source = serializers.CharField(required=False, allow_blank=True)  # type: ignore[assignment]
    details = serializers.DictField(required=False)


class ProblemErrorSerializer(serializers.Serializer):
    pointer = serializers.CharField(allow_blank=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    instance = serializers.CharField(required=False)
    findings = FindingSerializer(many=True, required=False)
    errors = ProblemErrorSerializer(many=True, required=False)  # type: ignore[assignment]


# --- trials and records -------------------------------------------------------------------------------------
class TrialSerializer(serializers.ModelSerializer):
    organization: Any = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    record_sha256 = serializers.SerializerMethodField()
    created_at = UtcDateTimeField(read_only=True)
    updated_at = UtcDateTimeField(read_only=True)

    class Meta:
        model = Trial
        fields = [
            "id",
            "organization",
            "reference",
            "title",
            "state",
            "record_sha256",
            "identifiers",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_record_sha256(self, trial: Trial) -> str | None:
        return trial.head.sha256 if trial.head_id and trial.head else None


class TrialCreateSerializer(StrictSerializer):
    reference = serializers.CharField(max_length=100, help_text="The sponsor's protocol id.")
    title = serializers.CharField(max_length=500)
    record = RecordField(required=False)
    organization = serializers.SlugField(required=False, help_text="Sessions only: which organization.")


class WithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class RecordVersionSerializer(serializers.ModelSerializer):
    based_on = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = RecordVersion
        fields = ["sha256", "schema_version", "based_on", "created_by", "created_at", "findings"]
        read_only_fields = fields

    def get_based_on(self, version: RecordVersion) -> str | None:
        return version.based_on.sha256 if version.based_on_id and version.based_on else None


class ChangeSerializer(serializers.Serializer):
    pointer = serializers.CharField(allow_blank=True, help_text="RFC 6901 JSON Pointer into the record.")
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class VersionDiffSerializer(serializers.Serializer):
    # ``from`` is a keyword: declared through the fields mapping below.
    to = serializers.CharField()
    changes = ChangeSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {"from": serializers.CharField(), **fields}


class RecordSaveResultSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    created = serializers.BooleanField(help_text="False when the record equals an existing version.")
    findings = FindingSerializer(many=True)
    update_filings = serializers.ListField(child=serializers.IntegerField())


# --- bulk, jobs, import, check, build -----------------------------------------------------------------------
class BulkItemSerializer(StrictSerializer):
    reference = serializers.CharField(max_length=100)
    record = RecordField()
    title = serializers.CharField(max_length=500, required=False)


class BulkUpsertSerializer(StrictSerializer):
    items = serializers.ListField(child=serializers.JSONField(), min_length=1)


class UpsertResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    reference = serializers.CharField(allow_blank=True)
    outcome = serializers.ChoiceField(choices=UpsertOutcome.choices)
    trial_id = serializers.IntegerField(allow_null=True)
    record_sha256 = serializers.CharField(allow_null=True)
    problem = serializers.DictField(allow_null=True)
    findings = FindingSerializer(many=True)


class BulkUpsertResultSerializer(serializers.Serializer):
    results = UpsertResultSerializer(many=True)


class ImportRefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    pointer = serializers.CharField(allow_blank=True, required=False)
    problems = serializers.ListField(child=serializers.DictField(), required=False)


class ImportReportSerializer(serializers.Serializer):
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="Where in the input the study was (e.g. input[3])."
    )
    format = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "refused"])
    trial_id = serializers.IntegerField(allow_null=True)
    trial_url = serializers.CharField(allow_null=True)
    reference = serializers.CharField(allow_blank=True)
    nct_id = serializers.CharField(allow_blank=True)
    state = serializers.CharField(allow_blank=True)
    findings_by_severity = serializers.DictField(child=serializers.IntegerField())
    findings = FindingSerializer(many=True)
    dropped = serializers.ListField(child=serializers.CharField())
    history = serializers.ListField(child=serializers.DictField())
    filed = serializers.IntegerField()
    refusal = ImportRefusalSerializer(allow_null=True)


class ImportResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = ImportReportSerializer(many=True)


class JobSerializer(serializers.ModelSerializer):
    created_at = UtcDateTimeField(read_only=True)
    started_at = UtcDateTimeField(read_only=True)
    finished_at = UtcDateTimeField(read_only=True)
    results = UpsertResultSerializer(many=True, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "total",
            "done",
            "results",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CheckSerializer(StrictSerializer):
    record = serializers.DictField(help_text="A canonical record.")
    stage = serializers.ChoiceField(choices=Stage.choices)
    # A plain string: the registry list grows, and the contract should not change with it (422 if unknown).
    registry = serializers.CharField(required=False, max_length=30, help_text="A registry code, e.g. ctgov.")


class CheckResultSerializer(serializers.Serializer):
    findings = FindingSerializer(many=True)


class BuildSerializer(StrictSerializer):
    record = serializers.DictField(help_text="A canonical record.")
    stage = serializers.ChoiceField(choices=Stage.choices)
    registry = serializers.CharField(max_length=30, help_text="A registry code, e.g. ctgov.")


class BuiltPayloadSerializer(serializers.Serializer):
    registry = serializers.CharField()
    stage = serializers.CharField()
    media_type = serializers.CharField()
    file_name = serializers.CharField()
    schema_version = serializers.CharField(allow_blank=True)
    sha256 = serializers.CharField()
    content = serializers.CharField(help_text="The payload as text (UTF-8).")
    findings = FindingSerializer(many=True)


# --- filings ------------------------------------------------------------------------------------------------
class FilingSerializer(serializers.ModelSerializer):
    trial: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    pinned_sha256 = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=FilingState.choices, read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    updated_at = UtcDateTimeField(read_only=True)
    submitted_for_review_at = UtcDateTimeField(read_only=True)
    approved_at = UtcDateTimeField(read_only=True)
    accepted_at = UtcDateTimeField(read_only=True)
    transitions = serializers.SerializerMethodField()

    class Meta:
        model = Filing
        fields = [
            "id",
            "trial",
            "stage",
            "kind",
            "state",
            "target_registries",
            "pinned_sha256",
            "submitted_for_review_at",
            "approved_at",
            "accepted_at",
            "created_at",
            "updated_at",
            "transitions",
        ]
        read_only_fields = fields

    def get_pinned_sha256(self, filing: Filing) -> str | None:
        return filing.pinned_version.sha256 if filing.pinned_version_id and filing.pinned_version else None

    def get_transitions(self, filing: Filing) -> list[str]:
        from submissions.api.transitions import available

        return available(filing)


class FilingCreateSerializer(StrictSerializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    target_registries = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1)
    kind = serializers.ChoiceField(choices=["initial", "update"], default="initial")


class SignatureSerializer(StrictSerializer):
    """The e-signature of an approval (21 CFR 11.50 / 11.200): the signer re-enters their password."""

    username = serializers.CharField(
        required=False, help_text="The signer; required with an API key, else the signed-in person."
    )
    password = serializers.CharField(style={"input_type": "password"})
    printed_name = serializers.CharField(max_length=200)
    meaning = serializers.CharField(max_length=500)
    record_sha256 = serializers.CharField(required=False, max_length=64)


class TransitionSerializer(StrictSerializer):
    """The body of a transition; each transition reads only the members it documents."""

    remarks = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    signature = SignatureSerializer(required=False)
    method = serializers.ChoiceField(choices=SubmissionMethod.choices, required=False)
    registry = serializers.CharField(required=False, max_length=30)
    identifiers = serializers.DictField(child=serializers.CharField(max_length=100), required=False)
    response = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class PayloadSerializer(serializers.ModelSerializer):
    created_at = UtcDateTimeField(read_only=True)
    record_sha256 = serializers.CharField(source="record_version.sha256", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Payload
        fields = [
            "id",
            "filing",
            "registry",
            "stage",
            "media_type",
            "file_name",
            "schema_version",
            "sha256",
            "record_sha256",
            "findings",
            "created_at",
        ]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer):
    # A plain string: new event types arrive with new features without changing the contract.
    event_type = serializers.CharField(read_only=True, help_text="Dotted event type, e.g. filing.approved.")
    actor = serializers.SerializerMethodField()
    created_at = UtcDateTimeField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "event_type", "actor", "trial", "filing", "data", "created_at", "hash"]
        read_only_fields = fields

    def get_actor(self, event: AuditEvent) -> str | None:
        return event.actor.get_username() if event.actor_id and event.actor else None


class DeadlineSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=DeadlineStatus.choices, read_only=True)
    trial_reference = serializers.CharField(source="trial.reference", read_only=True)
    updated_at = UtcDateTimeField(read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "trial",
            "trial_reference",
            "rule_code",
            "subject",
            "jurisdiction",
            "title",
            "source",
            "applies",
            "why",
            "status",
            "due_date",
            "tracker",
            "tracker_flag_date",
            "days_late",
            "satisfied_by_filing",
            "computed_on",
            "updated_at",
        ]
        read_only_fields = fields


# --- webhooks and keys --------------------------------------------------------------------------------------
class WebhookEndpointSerializer(serializers.ModelSerializer):
    created_at = UtcDateTimeField(read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "active", "created_at"]
        read_only_fields = fields


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: keep it to verify signatures.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(StrictSerializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    created_at = UtcDateTimeField(read_only=True)
    delivered_at = UtcDateTimeField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "replay_of",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class WhoAmISerializer(serializers.Serializer):
    organizations = serializers.ListField(child=serializers.CharField())
    user = serializers.CharField()
    access = serializers.ChoiceField(choices=[*ApiKeyAccess.values, "session"])
    key_prefix = serializers.CharField(allow_null=True)


TRIAL_STATES = TrialState.values


# Letter jobs (issue 12 item 5): participant result letters generated in the background.


class LetterSitePackSerializer(serializers.Serializer):
    site = serializers.CharField(source="site.code", help_text="The site's code, as the roster names it.")
    name = serializers.CharField(source="site.name")
    letters = serializers.IntegerField(help_text="How many letters the site's PDF holds.")
    download = serializers.SerializerMethodField(help_text="The site's print-ready PDF of all its letters.")

    def get_download(self, pack: Any) -> str:
        job = pack.job
        return f"/api/v1/trials/{job.trial_id}/letter-jobs/{job.pk}/sites/{pack.site.code}.pdf"


class FailedLetterSerializer(serializers.Serializer):
    subject_id = serializers.CharField(source="participant.subject_id")
    error = serializers.CharField(help_text="Why this participant's letter could not be made.")


class LetterJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=domain_letters.LetterJobState.choices, help_text="Queued, running, or how it ended."
    )
    total = serializers.IntegerField(help_text="Letters to make: participants who asked for results.")
    done = serializers.IntegerField(help_text="Letters made so far.")
    failed = serializers.IntegerField(help_text="Letters that could not be made (see failures).")
    error = serializers.CharField(help_text="Why the whole job failed, if it did; empty otherwise.")
    record_sha256 = serializers.CharField(
        source="record_version.sha256", help_text="The approved record version the letters carry."
    )
    created_at = UtcDateTimeField()
    finished_at = UtcDateTimeField(allow_null=True)
    archive = serializers.SerializerMethodField(help_text="The zip of every letter, once the job has ended.")
    sites = serializers.SerializerMethodField()
    failures = serializers.SerializerMethodField()

    def get_archive(self, job: Any) -> str | None:
        # The list defers the zip's bytes; a finished job always has its zip (jobs.py builds it last).
        if job.finished_at is None:
            return None
        return f"/api/v1/trials/{job.trial_id}/letter-jobs/{job.pk}/letters.zip"

    @extend_schema_field(LetterSitePackSerializer(many=True))
    def get_sites(self, job: Any) -> list[dict[str, Any]]:
        return list(LetterSitePackSerializer(domain_letters.site_packs(job), many=True).data)

    @extend_schema_field(FailedLetterSerializer(many=True))
    def get_failures(self, job: Any) -> list[dict[str, Any]]:
        return list(FailedLetterSerializer(domain_letters.failed_letters(job), many=True).data)
