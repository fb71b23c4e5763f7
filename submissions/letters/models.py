"""Participant rosters, letter settings and letter jobs (issue 12). Pseudonymous by design: a subject
id, a site, a language, an arm once unblinded and whether results were asked for; never a name or an
address (DESIGN section 7).

Written only through ``submissions.domain.letters``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from registries.laysummary.checks import DEFAULT_SENTENCE_WORD_LIMIT, DEFAULT_TARGET_GRADE
from submissions.letters.enums import (
    DEFAULT_BRAND_COLOUR,
    HEX_COLOUR,
    SUBJECT_ID_MAX_LENGTH,
    LetterJobState,
    PageSize,
)
from submissions.models import Organization, RecordVersion, Trial


class LetterSettings(models.Model):
    """An organization's choices for lay summaries and letters: readability target and branding."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="letter_settings"
    )
    target_grade = models.PositiveSmallIntegerField(
        default=DEFAULT_TARGET_GRADE, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    sentence_word_limit = models.PositiveSmallIntegerField(
        default=DEFAULT_SENTENCE_WORD_LIMIT, validators=[MinValueValidator(5), MaxValueValidator(80)]
    )
    brand_colour = models.CharField(
        max_length=7, default=DEFAULT_BRAND_COLOUR, validators=[RegexValidator(HEX_COLOUR)]
    )
    # A PNG logo, embedded in the PDFs as a data URL (the renderer fetches nothing).
    logo_png = models.BinaryField(blank=True, default=b"")
    page_size = models.CharField(max_length=10, choices=PageSize.choices, default=PageSize.A4)

    class Meta:
        verbose_name_plural = "letter settings"

    def __str__(self) -> str:
        return f"Letter settings of {self.organization}"


class TrialLetters(models.Model):
    """Per trial: whether arms may be told (unblinded) and whether the public results page is on."""

    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="letters")
    unblinded = models.BooleanField(default=False)
    public_results_page = models.BooleanField(
        default=False, help_text="Shown only once the lay-summary filing is accepted."
    )

    def __str__(self) -> str:
        return f"Letters of {self.trial.reference}"


class Site(models.Model):
    """A trial site as participants know it: how to reach it (the site's own contact, not a person's)."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="letter_sites")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    contact = models.TextField(help_text="The site's phone, e-mail and address for participants.")

    class Meta:
        ordering = ["trial", "code"]
        constraints = [models.UniqueConstraint(fields=["trial", "code"], name="letters_site_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Participant(models.Model):
    """One pseudonymous participant of a trial."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="participants")
    subject_id = models.CharField(max_length=SUBJECT_ID_MAX_LENGTH)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="participants")
    # BCP 47 tag of a lay summary of the trial.
    language = models.CharField(max_length=35)
    # An arm group label of the record; blank while the trial is blinded.
    arm = models.CharField(max_length=200, blank=True)
    wants_results = models.BooleanField(default=False)

    class Meta:
        ordering = ["trial", "subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "subject_id"], name="letters_participant_unique_subject")
        ]

    def __str__(self) -> str:
        return f"{self.trial.reference} / {self.subject_id}"


class LetterJob(models.Model):
    """One run of letter generation for a trial, from one record version. Re-running the same job
    rewrites its letters in place (idempotent); progress is saved per chunk."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="letter_jobs")
    record_version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=LetterJobState.choices, default=LetterJobState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    archive = models.BinaryField(blank=True, default=b"")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["trial", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Letters for {self.trial.reference} ({self.get_state_display()})"


class Letter(models.Model):
    """One participant's letter in a job, or the reason it could not be made."""

    job = models.ForeignKey(LetterJob, on_delete=models.CASCADE, related_name="letters")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="letters")
    pdf = models.BinaryField(blank=True, default=b"")
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "participant__subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "participant"], name="letters_letter_unique_participant")
        ]

    def __str__(self) -> str:
        return f"Letter to {self.participant.subject_id} (job {self.job_id})"


class SitePack(models.Model):
    """All letters of one site in one print-ready PDF."""

    job = models.ForeignKey(LetterJob, on_delete=models.CASCADE, related_name="site_packs")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    pdf = models.BinaryField()
    letters = models.PositiveIntegerField()

    class Meta:
        ordering = ["job", "site__code"]
        constraints = [models.UniqueConstraint(fields=["job", "site"], name="letters_sitepack_unique_site")]

    def __str__(self) -> str:
        return f"Letters of site {self.site.code} (job {self.job_id})"
