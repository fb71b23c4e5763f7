"""Constants of participant rosters and result letters (issue 12; DESIGN sections 7 and 8)."""

from __future__ import annotations

from django.db import models

# CSV columns of a roster file, in order. No name or address column exists on purpose: the roster is
# pseudonymous (DESIGN section 7) and the site merges addresses at print time.
ROSTER_COLUMNS: tuple[str, ...] = ("subject_id", "site", "language", "arm", "wants_results")
ROSTER_MAX_BYTES = 5 * 1024 * 1024
ROSTER_MAX_ROWS = 50_000
SUBJECT_ID_MAX_LENGTH = 64
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})

# Letters are generated in chunks so progress is saved as it goes (DESIGN section 8: tasks are chunked
# and record their progress). Each chunk's reference lines are one WeasyPrint document, whose fixed cost
# (stylesheet, font subsetting) a larger chunk spreads thinner; bench/letters.py measured 250 against 50.
LETTER_CHUNK = 250

HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
DEFAULT_BRAND_COLOUR = "#1f4e79"


class PageSize(models.TextChoices):
    # The two sizes the PDFs are laid out for (registries.pdf.PAGE_SIZES): ISO 216 A4 for most
    # sponsors, US Letter for sites in North America.
    A4 = "A4", "A4"
    LETTER = "letter", "US Letter"


class LetterJobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    DONE_WITH_ERRORS = "done_with_errors", "Done, some letters failed"
    FAILED = "failed", "Failed"


FINISHED_JOB_STATES = frozenset({LetterJobState.DONE, LetterJobState.DONE_WITH_ERRORS, LetterJobState.FAILED})
