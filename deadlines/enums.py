"""Constants of the deadline engine."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from registries.enums import EARLIEST_YEAR, LATEST_YEAR  # noqa: F401  (re-exported for the rules)


class DeadlineStatus(StrEnum):
    """Where a trial stands against one legal due date."""

    NOT_APPLICABLE = "not_applicable"
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"
    CANNOT_COMPUTE = "cannot_compute"


class Jurisdiction(StrEnum):
    US = "US"
    EU = "EU"
    UK = "UK"
    ICMJE = "ICMJE"
    WHO = "WHO"


class Tracker(StrEnum):
    """Public compliance trackers whose verdicts we reproduce."""

    FDAAA_TRIALSTRACKER = "fdaaa_trialstracker"
    EU_TRIALS_TRACKER = "eu_trials_tracker"


class ActCategory(StrEnum):
    """FDAAA TrialsTracker: an applicable clinical trial, or a probable one (started before 2017-01-18)."""

    ACT = "ACT"
    PACT = "pACT"


class SubmissionStage(StrEnum):
    """What a filing was for. The first four equal ``registries.enums.Stage``; the rest are notices
    that are not record stages."""

    REGISTRATION = "registration"
    PROTOCOL_SUMMARY = "protocol_summary"
    RESULTS = "results"
    LAY_SUMMARY = "lay_summary"
    END_OF_TRIAL = "end_of_trial"
    PUBLICATION = "publication"


class SubmissionKind(StrEnum):
    INITIAL = "initial"
    UPDATE = "update"
    CORRECTION = "correction"
    CERTIFICATION = "certification"
    EXTENSION_REQUEST = "extension_request"
    INTERIM = "interim"
    VERIFICATION = "verification"
    # EU CTR Art 37(1)-(3): the three end-of-trial notices.
    MEMBER_STATE = "member_state"
    ALL_MEMBER_STATES = "all_member_states"
    GLOBAL = "global"
    # UK: the offer of a lay summary to participants.
    PARTICIPANT_OFFER = "participant_offer"
    # EU CTR Art 37(5)-(6), Art 38: notices of a temporary halt and of the restart.
    TEMPORARY_HALT = "temporary_halt"
    RESTART = "restart"
    # EU CTR Art 37(4) fourth subparagraph: the clinical study report after the marketing-authorisation
    # decision.
    CLINICAL_STUDY_REPORT = "clinical_study_report"
    # WHO (2015): a journal filing of kind ``initial`` is the manuscript's submission; ``published`` is the
    # publication itself.
    PUBLISHED = "published"


class RecordChange(StrEnum):
    """Record elements whose change starts a ClinicalTrials.gov update deadline (42 CFR 11.64(a))."""

    START_DATE = "start_date"
    RECRUITMENT_STATUS = "recruitment_status"
    SITE_RECRUITMENT_STATUS = "site_recruitment_status"
    IRB_STATUS = "irb_status"
    PRIMARY_COMPLETION_DATE = "primary_completion_date"
    ENROLLMENT = "enrollment"
    COMPLETION_DATE = "completion_date"
    RESPONSIBLE_PARTY = "responsible_party"
    CONTACT = "contact"
    EXPANDED_ACCESS = "expanded_access"
    INTERVENTION_NAME = "intervention_name"
    PROTOCOL_AMENDMENT = "protocol_amendment"
    DEVICE_APPROVAL_STATUS = "device_approval_status"


# Registry codes as used by ``registries`` plus the two non-registry recipients of a duty.
REGISTRY_CTGOV = "ctgov"
REGISTRY_CTIS = "ctis"
REGISTRY_EUDRACT = "eudract"
REGISTRY_ISRCTN = "isrctn"
REGISTRY_WHO = "who"
RECIPIENT_JOURNAL = "journal"
RECIPIENT_PARTICIPANTS = "participants"
KNOWN_RECIPIENTS: frozenset[str] = frozenset(
    {
        REGISTRY_CTGOV,
        REGISTRY_CTIS,
        REGISTRY_EUDRACT,
        REGISTRY_ISRCTN,
        REGISTRY_WHO,
        RECIPIENT_JOURNAL,
        RECIPIENT_PARTICIPANTS,
    }
)

# 42 CFR 11 took effect on 18 January 2017; the FDAAA TrialsTracker splits ACT / pACT on it.
FINAL_RULE_EFFECTIVE = date(2017, 1, 18)
# FDAAA TrialsTracker (trial_computer.py): a year is 365 days when counting days late.
FDAAA_TRACKER_YEAR_DAYS = 365
# FDAAA TrialsTracker (view.sql): a certificate defers "results due" to 3 years after completion.
FDAAA_TRACKER_CERTIFICATE_YEARS = 3
# EU Trials Tracker: every protocol's phase is phase 1 -> exempt (unless there is a PIP).
PHASE_ONE_CODES: frozenset[str] = frozenset({"EARLY_PHASE1", "PHASE1"})
# The Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2025 (SI 2025/538): in force
# 28 April 2026 (HRA, "Final guidance to accompany updated clinical trials regulations", 1 October 2025).
UK_REGULATIONS_EFFECTIVE = date(2026, 4, 28)
# API v2 location country of a UK site.
UK_COUNTRY = "United Kingdom"
# EU CTR 536/2014 applies from 31 January 2022.
EU_CTR_EFFECTIVE = date(2022, 1, 31)
# CTR Art 98(2): a trial authorised under Directive 2001/20/EC stays governed by it for three years from
# the CTR's application; EMA: EudraCT holds Directive trials run "between 1 May 2004 and 30 January 2025".
DIRECTIVE_LAST_DAY = date(2025, 1, 30)
# euSection.regulatoryFramework values.
EU_CTR = "CTR"
DIRECTIVE = "DIRECTIVE"

# API v2 codes (ClinicalTrials.gov) the rules test against.
INTERVENTIONAL = "INTERVENTIONAL"
WITHDRAWN = "WITHDRAWN"
DEVICE_FEASIBILITY = "DEVICE_FEASIBILITY"
# FDAAA TrialsTracker view.sql: the phases of an (p)ACT, as API v2 phase lists.
ACT_PHASES: frozenset[tuple[str, ...]] = frozenset(
    {
        ("PHASE1", "PHASE2"),
        ("PHASE2",),
        ("PHASE2", "PHASE3"),
        ("PHASE3",),
        ("PHASE4",),
        ("NA",),
    }
)
# FDAAA TrialsTracker view.sql: intervention types that make a pre-2017 trial a probable ACT.
PACT_INTERVENTION_TYPES: frozenset[str] = frozenset(
    {"DRUG", "BIOLOGICAL", "DEVICE", "GENETIC", "RADIATION", "COMBINATION_PRODUCT", "DIAGNOSTIC_TEST"}
)
# The FDAAA TrialsTracker's list of US places (view.sql), as API v2 location country names.
US_COUNTRIES: frozenset[str] = frozenset(
    {
        "United States",
        "American Samoa",
        "Guam",
        "Northern Mariana Islands",
        "Puerto Rico",
        "U.S. Virgin Islands",
        "Virgin Islands (U.S.)",
        "United States Minor Outlying Islands",
    }
)
# Statuses that mean the trial has ended in a member state (EU Trials Tracker: "Completed" or
# "Prematurely Ended"); compared upper-cased with spaces and hyphens as underscores.
EU_ENDED_STATUSES: frozenset[str] = frozenset(
    {"ENDED", "COMPLETED", "PREMATURELY_ENDED", "TERMINATED", "EARLY_TERMINATED", "HALTED_ENDED"}
)
