"""Celery tasks of the letters feature (in-process without a broker; Redis in production and CI)."""

from __future__ import annotations

from celery import shared_task

from submissions.letters.jobs import run_letter_job


@shared_task(name="letters.generate_letters")
def generate_letters(job_id: int) -> dict[str, object]:
    """Make a letter job's letters, site packs and zip (idempotent: a re-run makes only what is missing
    and rebuilds the same packs)."""
    return run_letter_job(job_id)
