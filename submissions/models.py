"""The lifecycle's data: sponsors and their people, trials and their record versions, filings, what was
sent to which registry, signatures, and the audit trail (DESIGN sections 3, 4 and 7).

States change only through ``submissions.workflow`` transitions called by ``submissions.domain``.
Record versions, payloads, signatures and audit events are immutable once written.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from submissions.enums import (
    ApiKeyAccess,
    AuditEventType,
    DeadlineStatus,
    DeliveryStatus,
    FilingKind,
    JobKind,
    JobStatus,
    Jurisdiction,
    RecomputeReason,
    RegistryOutcome,
    Role,
    Stage,
    SubmissionMethod,
    Tracker,
)
from submissions.errors import DomainError
from submissions.storedjson import RecordContentField
from submissions.workflow import FilingWorkflow, TrialWorkflow


class ImmutableQuerySet(models.QuerySet[Any]):
    """Refuses bulk updates and deletes: the rows it serves are evidence and are never rewritten."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise DomainError("immutable.update", f"{self.model.__name__} rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise DomainError("immutable.delete", f"{self.model.__name__} rows cannot be deleted.")


class ImmutableModel(models.Model):
    """A row that is written once. ``save`` of an existing row and ``delete`` raise ``DomainError``."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DomainError("immutable.update", f"{type(self).__name__} rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise DomainError("immutable.delete", f"{type(self).__name__} rows cannot be deleted.")


class Organization(models.Model):
    """A sponsor. Every query a person makes is scoped to the organizations they belong to."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    two_factor_required = models.BooleanField(
        default=False,
        help_text="Approvers and admins must sign in with a second factor (a TOTP authenticator app).",
    )
    # The deadline windows where the law leaves a choice (deadlines.config.ORGANIZATION_SETTINGS), as
    # {"eu_paediatric_results_months": 12}; absent names keep the guidance's default. Written only by
    # submissions.domain.set_deadline_settings, which validates them.
    deadline_settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One role of one person in one organization; a person holding several roles has several rows."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"


class VerifiedName(models.Model):
    """The full name an organization admin verified for a person (21 CFR 11.100(b): the organization
    verifies the identity of an individual before sanctioning their electronic signature). A person
    signs only under this name (``submissions.domain.signatures``). Written only by
    ``submissions.domain.verify_signer_name``, which audits each change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_name"
    )
    full_name = models.CharField(max_length=200)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.full_name


class Trial(TrialWorkflow):
    """One clinical trial of a sponsor and where it stands in its disclosure life."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="trials")
    # The sponsor's own protocol identifier, unique within the sponsor.
    reference = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    head = models.ForeignKey(
        "RecordVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The current record version; saves name it as their base.",
    )
    # Identifiers the registries issued on acceptance: {"ctgov": {"nct_id": "NCT01234567"}, ...}.
    identifiers = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="trial_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class RecordVersion(ImmutableModel):
    """One immutable version of a trial's canonical record, named by the SHA-256 of its canonical
    serialization (DESIGN section 3)."""

    trial = models.ForeignKey(Trial, on_delete=models.PROTECT, related_name="versions")
    sha256 = models.CharField(max_length=64)
    content = RecordContentField()
    schema_version = models.CharField(max_length=50, blank=True)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Registry-independent findings when the version was saved (a draft may be incomplete).
    findings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trial", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["trial", "sha256"], name="record_version_unique_sha")]

    def __str__(self) -> str:
        return f"{self.trial.reference} @ {self.sha256[:12]}"


class ESignature(ImmutableModel):
    """An electronic signature under 21 CFR 11.50 / 11.200: who signed (re-entering their password),
    the printed name, when, what the signature means, and the hashes of what it covers."""

    filing = models.ForeignKey("Filing", on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    printed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    meaning = models.CharField(max_length=500)
    record_sha256 = models.CharField(max_length=64)
    # {registry code: sha256 of the payload bytes}
    payload_sha256s = models.JSONField(default=dict)
    signature_hash = models.CharField(max_length=64, unique=True)
    # Which audit key made signature_hash; NULL for a signature made before hashes were keyed (NULL, not
    # "", so that adding the column needs no table rebuild, see AuditEvent.key_id).
    key_id = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = "e-signature"

    def __str__(self) -> str:
        return self.manifestation

    @property
    def manifestation(self) -> str:
        """What 21 CFR 11.50 requires every human-readable form of the signed record to show: the
        printed name, the date and time (with its zone), and the meaning."""
        when = self.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"Signed by {self.printed_name} on {when}; meaning: {self.meaning}"


class Filing(FilingWorkflow):
    """One package of work for one stage of a trial (initial or update), sent to one or more registries."""

    trial = models.ForeignKey(Trial, on_delete=models.PROTECT, related_name="filings")
    stage = models.CharField(max_length=30, choices=Stage.choices)
    kind = models.CharField(max_length=10, choices=FilingKind.choices, default=FilingKind.INITIAL)
    # Registry codes (registries.registry_codes()).
    target_registries = models.JSONField(default=list)
    pinned_version = models.ForeignKey(
        RecordVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="pinned_by"
    )
    signature = models.ForeignKey(
        ESignature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_for_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_for_review_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["trial", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial", "stage"],
                condition=models.Q(kind=FilingKind.INITIAL),
                name="filing_one_initial_per_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trial.reference}: {self.get_stage_display()} ({self.get_kind_display().lower()})"

    @property
    def payloads_current(self) -> models.QuerySet[Payload]:
        """The payloads the current approval covers (none while unapproved)."""
        if self.signature_id is None:
            return Payload.objects.none()
        return self.payloads.filter(signature_id=self.signature_id).order_by("registry", "pk")


class Payload(ImmutableModel):
    """The bytes built for one registry at approval, with what they were built from."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="payloads")
    signature = models.ForeignKey(ESignature, on_delete=models.PROTECT, related_name="payloads")
    record_version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="payloads")
    registry = models.CharField(max_length=30)
    stage = models.CharField(max_length=30, choices=Stage.choices)
    content = models.BinaryField()
    media_type = models.CharField(max_length=200)
    file_name = models.CharField(max_length=255)
    # Registries name their schemas freely (e.g. a PRS XSD path with its version), hence the room.
    schema_version = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    # Findings of building the payload and verifying it against the registry's own schema.
    findings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filing", "registry", "pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.registry}, {self.sha256[:12]})"


class RegistrySubmission(models.Model):
    """One filing sent to one registry, and the registry's answer."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="submissions")
    registry = models.CharField(max_length=30)
    # None only for a submission made before the trial was imported (method ``imported``): the registry's
    # record shows when it was filed and answered, not the bytes or the person.
    payload = models.ForeignKey(
        Payload, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    method = models.CharField(max_length=20, choices=SubmissionMethod.choices)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(
        max_length=20, choices=RegistryOutcome.choices, default=RegistryOutcome.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # The registry's message as received (e.g. the PRS release notice).
    response = models.TextField(blank=True)
    # {"nct_id": "NCT01234567"} and the like, as the registry issued them.
    identifiers = models.JSONField(default=dict, blank=True)
    # Review comments a registry returned (e.g. PRS major comments); they start a correction deadline.
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["filing", "registry", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.filing} → {self.registry} ({self.get_outcome_display()})"


class AuditEvent(ImmutableModel):
    """One entry of the append-only, hash-chained audit trail (DESIGN section 7).

    The chain is global (one chain for the whole table, in id order): one lock serialises appends and one
    walk verifies everything. ``hash`` is the HMAC-SHA256, under the audit key named by ``key_id``, of
    the canonical JSON of the previous hash and this event's fields (``submissions.audit.event_hash``).
    Events written before hashes were keyed have no ``key_id`` and a plain SHA-256.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=60, choices=AuditEventType.choices)
    trial = models.ForeignKey(Trial, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    # Unique: two appends naming the same predecessor would fork the chain.
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    # NULL for the events written before hashes were keyed. Nullable so that adding the column is a plain
    # ALTER TABLE: SQLite rebuilds a table for a column with a default, and the rebuild would drop the
    # append-only triggers of migration 0003.
    key_id = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class Deadline(models.Model):
    """The current verdict of one deadline rule on one part of a trial (DESIGN section 9).

    One row per ``(trial, rule_code, subject)``, the engine's key for a verdict across recomputations
    (``deadlines.verdict.Verdict``). Written only by ``submissions.domain.recompute_deadlines``; a rule
    that stops yielding a subject (say, a record change that was undone) keeps its row with
    ``current`` false, so its history stays reachable.
    """

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="deadlines")
    rule_code = models.CharField(max_length=100)
    # "" for the whole trial; a member state, an outcome pointer, "element@date", "filing@date".
    subject = models.CharField(max_length=500, blank=True)
    jurisdiction = models.CharField(max_length=10, choices=Jurisdiction.choices)
    title = models.CharField(max_length=300)
    # The legal citation.
    source = models.CharField(max_length=300)
    rule_version = models.CharField(max_length=30)
    applies = models.BooleanField()
    why = models.TextField()
    status = models.CharField(max_length=20, choices=DeadlineStatus.choices)
    due_date = models.DateField(null=True, blank=True)
    tracker = models.CharField(max_length=30, choices=Tracker.choices, blank=True)
    tracker_flag_date = models.DateField(null=True, blank=True)
    days_late = models.IntegerField(null=True, blank=True)
    satisfied_by_filing = models.ForeignKey(
        "Filing", on_delete=models.SET_NULL, null=True, blank=True, related_name="satisfied_deadlines"
    )
    # The engine's reference to what met the duty: a submission or the record field that shows it.
    satisfied_by = models.JSONField(null=True, blank=True)
    defaulted_dates = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    current = models.BooleanField(
        default=True, help_text="False once the rule no longer yields this subject for the trial."
    )
    # The day the verdict was computed for (the engine's ``today``).
    computed_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["trial", models.F("due_date").asc(nulls_last=True), "rule_code", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial", "rule_code", "subject"], name="deadline_unique_rule_subject"
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="deadline_status_due")]

    def __str__(self) -> str:
        subject = f" [{self.subject}]" if self.subject else ""
        return f"{self.trial.reference}: {self.rule_code}{subject} ({self.get_status_display().lower()})"

    def as_verdict_dict(self) -> dict[str, Any]:
        """The stored verdict in the engine's own JSON form (``Verdict.as_dict``), for the API, the
        calendar feed and reminders."""
        return {
            "rule": self.rule_code,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "source": self.source,
            "rule_version": self.rule_version,
            "subject": self.subject,
            "applies": self.applies,
            "why": self.why,
            "status": self.status,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "tracker": self.tracker or None,
            "tracker_flag_date": self.tracker_flag_date.isoformat() if self.tracker_flag_date else None,
            "days_late": self.days_late,
            "satisfied_by": self.satisfied_by,
            "defaulted_dates": list(self.defaulted_dates),
            "findings": list(self.findings),
            "details": dict(self.details),
        }


class DeadlineHistory(ImmutableModel):
    """One change of a deadline's verdict, append-only: written when a recomputation changed what
    matters (status, dates, days late, applicability, whether the deadline is still current).

    An overdue deadline's days late grow every day without its verdict changing; only the day it
    became overdue is kept (``submissions.domain.deadlines``).
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="history")
    applies = models.BooleanField()
    status = models.CharField(max_length=20, choices=DeadlineStatus.choices)
    due_date = models.DateField(null=True, blank=True)
    tracker_flag_date = models.DateField(null=True, blank=True)
    days_late = models.IntegerField(null=True, blank=True)
    current = models.BooleanField(default=True)
    reason = models.CharField(max_length=20, choices=RecomputeReason.choices)
    computed_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "recorded_at", "pk"]
        verbose_name_plural = "deadline history"

    def __str__(self) -> str:
        return f"{self.deadline.rule_code} {self.status} on {self.computed_on} ({self.reason})"


# --- REST API for CTMS integrations (issue 11): keys, idempotency, background jobs, webhooks -----------


class ApiKey(models.Model):
    """An organization's key for the REST API. Only the SHA-256 of the secret is stored (the key is shown
    once, at creation); the prefix stays visible so people can tell keys apart. The key acts through its
    own service account (``service_user``), a member of the organization with the roles its access level
    gives (``API_KEY_ROLES``), so the audit trail names the key behind every change."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=20, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    access = models.CharField(max_length=20, choices=ApiKeyAccess.choices)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organization", "-created_at", "pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, replayed for a repeat of the same
    request. Scoped per API key (or per person for session requests)."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    request_sha256 = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.key}"


class Job(models.Model):
    """A background job an integration started (a large bulk upsert) and its progress."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(max_length=30, choices=JobKind.choices)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The input, kept until the job has run (a worker reads it from here, not from the broker).
    items = models.JSONField(default=list, blank=True)
    results = models.JSONField(default=list, blank=True)
    error = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status}, {self.done}/{self.total})"


class WebhookEndpoint(models.Model):
    """A URL of an organization that receives signed event notifications."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    # Needed in clear to sign each delivery (HMAC); shown once at creation and never listed again.
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with every attempt logged."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    # [{"at": ISO 8601, "status_code": int | None, "error": str, "duration_ms": int}, ...]
    attempts = models.JSONField(default=list, blank=True)
    replay_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["endpoint", "-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint} ({self.status})"


class DeadlineReminder(models.Model):
    """A reminder e-mail sent for a deadline ``days_before`` its due date: kept so each is sent once,
    even when the due date later moves (a moved date is a new reminder)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "due_date", "-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "due_date", "days_before"], name="deadline_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} reminder {self.days_before} days before {self.due_date}"
