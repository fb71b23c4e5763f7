"""Constants of the disclosure lifecycle: roles, states, kinds, audit event types (DESIGN sections 4, 7)."""

from __future__ import annotations

from django.db import models

from deadlines.enums import DeadlineStatus as EngineStatus
from deadlines.enums import Jurisdiction as EngineJurisdiction
from deadlines.enums import Tracker as EngineTracker
from registries.enums import STAGE_ORDER
from registries.enums import Stage as RegistryStage


class Role(models.TextChoices):
    """What a member may do in an organization (DESIGN section 7); a person may hold several."""

    VIEWER = "viewer", "Viewer"
    AUTHOR = "author", "Author"
    REVIEWER = "reviewer", "Reviewer"
    APPROVER = "approver", "Approver"
    ADMIN = "admin", "Organization admin"


class Stage(models.TextChoices):
    """The disclosure stages, with the same values as ``registries.enums.Stage``."""

    REGISTRATION = RegistryStage.REGISTRATION.value, "Registration"
    PROTOCOL_SUMMARY = RegistryStage.PROTOCOL_SUMMARY.value, "Protocol summary"
    RESULTS = RegistryStage.RESULTS.value, "Results"
    LAY_SUMMARY = RegistryStage.LAY_SUMMARY.value, "Lay summary"


class FilingKind(models.TextChoices):
    INITIAL = "initial", "Initial"
    UPDATE = "update", "Update"


class TrialState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REGISTERED = "registered", "Registered"
    PROTOCOL_SUMMARY_PUBLISHED = "protocol_summary_published", "Protocol summary published"
    RESULTS_REPORTED = "results_reported", "Results reported"
    DISCLOSED = "disclosed", "Disclosed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FilingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned by registry"


# The trial state a stage's acceptance leads to, in stage order (DESIGN section 4).
STATE_AFTER_STAGE: dict[str, str] = {
    Stage.REGISTRATION: TrialState.REGISTERED,
    Stage.PROTOCOL_SUMMARY: TrialState.PROTOCOL_SUMMARY_PUBLISHED,
    Stage.RESULTS: TrialState.RESULTS_REPORTED,
    Stage.LAY_SUMMARY: TrialState.DISCLOSED,
}

# Trial states in the order the trial passes through them (withdrawn is off the line).
TRIAL_PROGRESS: tuple[str, ...] = (
    TrialState.DRAFT,
    TrialState.REGISTERED,
    TrialState.PROTOCOL_SUMMARY_PUBLISHED,
    TrialState.RESULTS_REPORTED,
    TrialState.DISCLOSED,
)

STAGES: tuple[str, ...] = tuple(stage.value for stage in STAGE_ORDER)

# The parts of the canonical record each stage discloses: a change there after the stage was accepted
# opens an update filing for it (DESIGN section 4). Registration carries the regional identifiers and
# WHO data set items; the protocol summary adds the documents (protocol, SAP, consent form).
STAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    Stage.REGISTRATION: ("protocolSection", "euSection", "ukSection", "whoSection"),
    Stage.PROTOCOL_SUMMARY: ("protocolSection", "documentSection"),
    Stage.RESULTS: ("resultsSection",),
    Stage.LAY_SUMMARY: ("laySummaries",),
}

# Filing states that are finished: an update filing is only opened when none of a stage is open.
CLOSED_FILING_STATES: frozenset[str] = frozenset({FilingState.ACCEPTED})


class SubmissionMethod(models.TextChoices):
    """How the approved payload reached the registry."""

    UPLOAD = "upload", "Uploaded through the registry's web portal"
    API = "api", "Sent through the registry's API"
    EMAIL = "email", "Sent by e-mail"
    OTHER = "other", "Other"
    # Not sent by us: read from the registry's published record when the trial was imported
    # (submissions.domain.imports); no payload of ours stands behind it.
    IMPORTED = "imported", "Filed before import (from the registry's record)"


class RegistryOutcome(models.TextChoices):
    """A registry's answer to one submission."""

    PENDING = "pending", "Awaiting the registry"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned with comments"
    # Withdrawn from the registry's review by the sponsor (PRS "unrelease"); it satisfies no duty.
    CANCELLED = "cancelled", "Withdrawn from review by the sponsor"


# The identifier each registry issues on acceptance and its pattern; a registry absent here issues none
# (our own `record` registry). Patterns as in the canonical record schema (schemas/README.md).
REGISTRY_IDENTIFIERS: dict[str, tuple[str, str]] = {
    "ctgov": ("nct_id", r"^NCT\d{8}$"),
    "ctis": ("eu_ct_number", r"^\d{4}-\d{6}-\d{2}-\d{2}$"),
    "isrctn": ("isrctn", r"^ISRCTN\d{8}$"),
    "eudract": ("eudract_number", r"^\d{4}-\d{6}-\d{2}$"),
}


class AuditEventType(models.TextChoices):
    TRIAL_CREATED = "trial.created", "Trial created"
    TRIAL_WITHDRAWN = "trial.withdrawn", "Trial withdrawn"
    TRIAL_IMPORTED = "trial.imported", "Trial imported from a registry record"
    RECORD_SAVED = "record.saved", "Record version saved"
    FILING_OPENED = "filing.opened", "Filing opened"
    FILING_SUBMITTED_FOR_REVIEW = "filing.submitted_for_review", "Filing submitted for review"
    FILING_RETURNED_TO_AUTHOR = "filing.returned_to_author", "Filing returned to author"
    FILING_APPROVED = "filing.approved", "Filing approved and signed"
    FILING_REOPENED = "filing.reopened", "Filing reopened (approval voided)"
    FILING_SUBMITTED = "filing.submitted", "Filing submitted to registries"
    FILING_CORRECTIONS_STARTED = "filing.corrections_started", "Corrections started"
    REGISTRY_RESPONSE_RECORDED = "registry.response_recorded", "Registry response recorded"
    SIGNATURE_FAILED = "signature.failed", "Signature attempt failed"
    MEMBERSHIP_ADDED = "membership.added", "Membership added"
    ORGANIZATION_CREATED = "organization.created", "Organization created"
    MEMBER_INVITED = "membership.invited", "Person invited"
    MEMBER_ROLES_CHANGED = "membership.roles_changed", "Roles changed"
    DEADLINE_REMINDER_SENT = "deadline.reminder_sent", "Deadline reminder sent"
    SIGNER_NAME_VERIFIED = "account.signer_name_verified", "Signer's full name verified"
    SIGNATURE_LOCKED = "signature.locked", "Signing locked after repeated wrong passwords"
    TWO_FACTOR_REQUIREMENT_CHANGED = "organization.two_factor_changed", "Second-factor requirement changed"
    DEADLINES_RECOMPUTED = "deadline.recomputed", "Deadline statuses changed"
    API_KEY_CREATED = "api_key.created", "API key created"
    API_KEY_REVOKED = "api_key.revoked", "API key revoked"
    WEBHOOK_ENDPOINT_CREATED = "webhook.endpoint_created", "Webhook endpoint registered"
    WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint_disabled", "Webhook endpoint disabled"
    WEBHOOK_DELIVERY_REPLAYED = "webhook.delivery_replayed", "Webhook delivery replayed"
    BULK_UPSERT_STARTED = "bulk_upsert.started", "Bulk upsert started"
    BULK_UPSERT_FINISHED = "bulk_upsert.finished", "Bulk upsert finished"
    DEADLINE_SETTINGS_CHANGED = "organization.deadline_settings_changed", "Deadline settings changed"
    LETTER_SITE_ADDED = "letters.site_added", "Letter site added"
    LETTER_SITE_CHANGED = "letters.site_changed", "Letter site changed"
    ROSTER_IMPORTED = "letters.roster_imported", "Participant roster imported"
    LETTER_SETTINGS_CHANGED = "letters.settings_changed", "Lay summary and letter settings changed"
    LETTER_JOB_STARTED = "letters.job_started", "Letter generation started"
    LETTER_JOB_FINISHED = "letters.job_finished", "Letter generation finished"


# The hash the first audit event names as its predecessor.
AUDIT_GENESIS_HASH = "0" * 64


class DeadlineStatus(models.TextChoices):
    """The engine's statuses (``deadlines.enums.DeadlineStatus``), with labels for people."""

    NOT_APPLICABLE = EngineStatus.NOT_APPLICABLE.value, "Not applicable"
    UPCOMING = EngineStatus.UPCOMING.value, "Upcoming"
    DUE_SOON = EngineStatus.DUE_SOON.value, "Due within 30 days"
    OVERDUE = EngineStatus.OVERDUE.value, "Overdue"
    MET = EngineStatus.MET.value, "Met on time"
    MET_LATE = EngineStatus.MET_LATE.value, "Met late"
    CANNOT_COMPUTE = EngineStatus.CANNOT_COMPUTE.value, "Cannot be computed"


class Jurisdiction(models.TextChoices):
    """The engine's jurisdictions (``deadlines.enums.Jurisdiction``)."""

    US = EngineJurisdiction.US.value, "United States (FDAAA 801)"
    EU = EngineJurisdiction.EU.value, "European Union (CTR 536/2014)"
    UK = EngineJurisdiction.UK.value, "United Kingdom"
    ICMJE = EngineJurisdiction.ICMJE.value, "ICMJE"
    WHO = EngineJurisdiction.WHO.value, "WHO"


class Tracker(models.TextChoices):
    """The public compliance trackers the engine reproduces (``deadlines.enums.Tracker``)."""

    FDAAA_TRIALSTRACKER = EngineTracker.FDAAA_TRIALSTRACKER.value, "FDAAA TrialsTracker"
    EU_TRIALS_TRACKER = EngineTracker.EU_TRIALS_TRACKER.value, "EU Trials Tracker"


class RecomputeReason(models.TextChoices):
    """Why a trial's deadlines were recomputed (kept on each history row)."""

    RECORD_SAVED = "record_saved", "A record version was saved"
    FILING_CHANGED = "filing_changed", "A filing was sent or answered"
    DAILY = "daily", "Daily recomputation"
    MANUAL = "manual", "Recomputed on request"
    SETTINGS_CHANGED = "settings_changed", "The organization's deadline settings changed"


class ApiKeyAccess(models.TextChoices):
    """What an organization's API key may do (issue 11). A read-write key acts with the author role;
    withdrawing, returning, reopening and approving need a person (approval signs with their password)."""

    READ_ONLY = "read_only", "Read only"
    READ_WRITE = "read_write", "Read and write"


# The membership roles an API key's own service account holds, per access level.
API_KEY_ROLES: dict[str, tuple[str, ...]] = {
    ApiKeyAccess.READ_ONLY: (Role.VIEWER,),
    ApiKeyAccess.READ_WRITE: (Role.AUTHOR,),
}


class WebhookEvent(models.TextChoices):
    """Events an organization's webhook endpoints can subscribe to."""

    FILING_STATE_CHANGED = "filing.state_changed", "Filing state changed"
    DEADLINE_STATUS_CHANGED = "deadline.status_changed", "Deadline status changed"
    FINDINGS_CHANGED = "findings.changed", "Findings changed"
    JOB_FINISHED = "job.finished", "Background job finished"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed (retries exhausted)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class JobKind(models.TextChoices):
    BULK_UPSERT = "bulk_upsert", "Bulk upsert of trials"


class UpsertOutcome(models.TextChoices):
    """What bulk upsert did with one item."""

    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    REFUSED = "refused", "Refused"
