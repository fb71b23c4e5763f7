"""Windows the rules use that the reference marks "verify" or that a sponsor may tune.

Every window has its source beside it; change a value only with a source that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class DeadlineConfig:
    # A deadline is "due soon" from this many days before it (DESIGN section 9; reminders start here).
    due_soon_days: int = 30
    # 42 CFR 11.24(a): register within 21 days after the first participant is enrolled.
    us_registration_days: int = 21
    # 42 CFR 11.64(a)(1)(ii): most updates within 30 days of the change.
    us_update_days: int = 30
    # 42 CFR 11.64(a)(1)(ii): a change in an unapproved device's approval status within 15 days (verify).
    us_device_status_update_days: int = 15
    # 42 CFR 11.64(a)(1)(i): verify the whole record at least every 12 months.
    us_verification_months: int = 12
    # 42 CFR 11.44(b): results due 30 days after approval when a certification was filed.
    us_certified_approval_days: int = 30
    # 42 CFR 11.44(b): results due at the latest 2 years after the certification.
    us_certified_max_years: int = 2
    # 42 CFR 11.64(b) PRS review: correct within 15 days (registration) / 25 days (results) (verify).
    prs_correction_days_registration: int = 15
    prs_correction_days_results: int = 25
    # FDAAA TrialsTracker trial_computer.py GRACE_PERIOD.
    fdaaa_tracker_grace_days: int = 30
    # EU Trials Tracker: due when the end date is older than one year and 28 days.
    eu_tracker_grace_days: int = 28
    # EU CTR Art 37(1)-(3): end-of-trial notices within 15 days.
    eu_end_of_trial_notice_days: int = 15
    # EU CTR Art 37(4): results 12 months after the end in all member states.
    eu_results_months: int = 12
    # Paediatric trials in scope of Paediatric Regulation Art 46: 6 months (EudraCT allowed 12 when
    # justified; FACILITATE glossary) - configurable.
    eu_paediatric_results_months: int = 6
    # UK 2026 regulations (HRA guidance): register within 90 days of approval at the latest.
    uk_registration_days_after_approval: int = 90
    # UK 2026 regulations: results summary and lay-summary offer 12 months after the end of the trial.
    uk_results_months: int = 12
    uk_lay_summary_months: int = 12
    # WHO statement on public disclosure (2015): registry results 12 months, publication 24 months.
    who_results_months: int = 12
    who_publication_months: int = 24

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_overrides(cls, overrides: dict[str, Any]) -> DeadlineConfig:
        """Defaults with ``overrides`` applied; an unknown name or a non-integer value is a ValueError."""
        known = {f.name for f in fields(cls)}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"unknown deadline setting {name!r}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"deadline setting {name!r} must be a non-negative integer")
        return replace(cls(), **overrides)


DEFAULT_CONFIG = DeadlineConfig()
