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
    # Paediatric trials: 6 months after the end of the trial (Paediatric Regulation 1901/2006 Art 41(2) and
    # Art 46; Commission guidelines 2009/C 28/01 section 2.2.2 and 2012/C 302/03; EMA "Trial results:
    # modalities and timing of posting" v1.0).
    eu_paediatric_results_months: int = 6
    # A paediatric trial outside Art 46 may take 12 months when the delay is justified (same sources).
    eu_paediatric_justified_results_months: int = 12
    # Directive 2001/20/EC Art 10(c): end-of-trial declaration within 90 days, 15 days if ended early.
    eu_directive_end_of_trial_days: int = 90
    eu_directive_early_end_days: int = 15
    # Commission guideline 2012/C 302/03: EudraCT results 12 months after the end of the trial.
    eu_directive_results_months: int = 12
    # CTR Art 37(5) and Art 38(1): a temporary halt is notified within 15 days.
    eu_halt_notice_days: int = 15
    # CTR Art 37(6): the restart is notified through the EU portal; the Regulation sets no period (verify).
    eu_restart_notice_days: int = 15
    # CTR Art 37(7): a halted trial not restarted within 2 years has ended.
    eu_halt_deemed_end_years: int = 2
    # CTR Art 37(4): the clinical study report 30 days after the marketing-authorisation decision.
    eu_clinical_study_report_days: int = 30
    # UK 2026 regulations (HRA guidance): register within 90 days of approval at the latest.
    uk_registration_days_after_approval: int = 90
    # HRA "Registering a clinical trial": an application made before 28 April 2026, not registered by then
    # and ending on or after it, must be registered; the page's rule for when is not confirmed (verify):
    # within this many days of 28 April 2026, or before the first UK participant if sooner.
    uk_transitional_registration_days: int = 90
    # UK 2025 regulations: results summary and lay-summary offer 12 months after the end of the trial.
    uk_results_months: int = 12
    uk_lay_summary_months: int = 12
    # Regulation 27 (MHRA "Clinical trials for medicines: ending a clinical trial"): end-of-trial notice
    # within 90 days, 15 days if the trial ended early.
    uk_end_of_trial_notice_days: int = 90
    uk_early_end_notice_days: int = 15
    # WHO statement on public disclosure (2015): registry results 12 months, submission to a journal
    # 12 months, publication 24 months.
    who_results_months: int = 12
    who_journal_submission_months: int = 12
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

# The windows where the law or guidance leaves a real choice (marked "verify"): an organization may set
# these (submissions.Organization.deadline_settings); every other window is the law's and fixed.
ORGANIZATION_SETTINGS: frozenset[str] = frozenset(
    {
        "prs_correction_days_registration",
        "prs_correction_days_results",
        "us_device_status_update_days",
        "eu_paediatric_results_months",
        "eu_paediatric_justified_results_months",
        "eu_restart_notice_days",
        "uk_transitional_registration_days",
    }
)


def setting_note(config: DeadlineConfig, name: str) -> str:
    """The words a verdict adds when it used a window an organization may set: its value and default."""
    value = getattr(config, name)
    default = getattr(DEFAULT_CONFIG, name)
    origin = "the default" if value == default else f"set by the organization; default {default}"
    return f" (setting {name} = {value}, {origin})"
