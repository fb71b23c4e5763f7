"""The facts of a trial the rules need, read once from a canonical record (schemas/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from deadlines.dates import DateError, resolve
from deadlines.enums import DIRECTIVE, EU_CTR, UK_COUNTRY, US_COUNTRIES
from registries.enums import Severity
from registries.findings import Finding, pointer

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DateFact:
    """One date of the record: resolved day (None when absent or invalid), where it lives, and how
    much of it was stated."""

    pointer: str
    value: date | None = None
    raw: str | None = None
    defaulted: bool = False
    anticipated: bool = False
    invalid: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class OutcomeFact:
    group: str  # primaryOutcomes / secondaryOutcomes / otherOutcomes
    index: int
    measure: str
    completion: DateFact


@dataclass(frozen=True, slots=True)
class HaltFact:
    """One temporary halt in a member state (CTR Art. 37(5)-(7), Art. 38)."""

    index: int
    halt: DateFact
    safety: bool
    halt_notified: DateFact
    restart: DateFact
    restart_notified: DateFact
    decision_not_to_restart: DateFact


@dataclass(frozen=True, slots=True)
class MemberStateFact:
    index: int
    country: str
    status: str
    end_of_trial: DateFact
    notified: DateFact
    early_termination: bool
    halts: tuple[HaltFact, ...] = ()


@dataclass(frozen=True, slots=True)
class AnalysisFact:
    index: int
    description: str
    analysis: DateFact


@dataclass(frozen=True, slots=True)
class TrialFacts:
    """Everything the deadline rules read, with JSON Pointers back into the record."""

    nct_id: str | None
    study_type: str | None
    overall_status: str | None
    phases: tuple[str, ...]
    primary_purpose: str | None
    fda_drug: bool | None
    fda_device: bool | None
    intervention_types: frozenset[str]
    countries: tuple[str, ...]
    start: DateFact
    first_enrolment: DateFact
    first_us_enrolment: DateFact
    primary_completion: DateFact
    completion: DateFact
    status_verified: DateFact
    outcomes: tuple[OutcomeFact, ...]
    certification_type: str | None
    certification: DateFact
    approval_event: DateFact
    extension_until: DateFact
    # 42 CFR 11.44(e): the request and its grant are separate facts; only the grant moves the deadline.
    extension_requested: DateFact
    extension_granted: DateFact
    # 42 CFR 11.22(b): an IND/IDE or a US export makes the trial an ACT wherever its sites are.
    under_ind_or_ide: bool
    us_export: bool
    eu_present: bool
    # "CTR" or "DIRECTIVE" (Directive 2001/20/EC, EudraCT, not transitioned).
    eu_framework: str
    eu_late_results_justified: bool
    eu_late_results_planned: DateFact
    eu_ma_intended: bool
    eu_ma_outcome: str | None
    eu_ma_decision: DateFact
    eu_paediatric: bool
    eu_article46: bool
    eu_pip_number: str | None
    member_states: tuple[MemberStateFact, ...]
    end_all_member_states: DateFact
    global_end: DateFact
    intermediate_analyses: tuple[AnalysisFact, ...]
    uk_present: bool
    uk_is_ctimp: bool | None
    uk_application: DateFact
    uk_approval: DateFact
    uk_end: DateFact
    uk_global_end: DateFact
    uk_first_participant: DateFact
    uk_approval_lapsed: DateFact
    uk_early_termination: bool
    uk_end_notified: DateFact
    uk_deferral_granted: bool
    uk_deferral_until: DateFact
    uk_lay_summary_offered: DateFact
    has_result_reference: bool
    # What ClinicalTrials.gov and the WHO registry already show as done (API v2 statusModule dates).
    study_first_submit: DateFact
    results_first_submit: DateFact
    disposition_first_submit: DateFact
    last_update_submit: DateFact
    who_registration: DateFact
    findings: tuple[Finding, ...] = field(default=())

    @property
    def has_us_site(self) -> bool:
        return any(c in US_COUNTRIES for c in self.countries)

    @property
    def has_site_outside_uk(self) -> bool:
        return any(c != UK_COUNTRY for c in self.countries)


def _dig(record: Any, *path: str | int) -> Any:
    node = record
    for token in path:
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node):
                return None
            node = node[token]
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            return None
        if node is None:
            return None
    return node


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    """A code the rules compare or print: a string, else None (a damaged record must not stop them)."""
    return value if isinstance(value, str) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


class _Reader:
    def __init__(self, record: Record) -> None:
        self.record = record
        self.findings: list[Finding] = []

    def date_at(self, *path: str | int, struct: bool = True) -> DateFact:
        """A DateStruct (``{"date", "type"}``) or a plain date string at ``path``."""
        where = pointer(*path)
        node = _dig(self.record, *path)
        raw: Any = node
        anticipated = False
        if struct and isinstance(node, dict):
            raw = node.get("date")
            anticipated = node.get("type") == "ESTIMATED"
            where_value = where + "/date"
        else:
            where_value = where
        if raw is None or raw == "":
            return DateFact(pointer=where_value if struct and isinstance(node, dict) else where)
        try:
            resolved = resolve(raw)
        except DateError as exc:
            self.findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="deadline.invalid_date",
                    pointer=where_value,
                    message=f"The date at {where_value} cannot be read: {exc}.",
                    source="schemas/README.md, Dates",
                )
            )
            return DateFact(pointer=where_value, raw=str(raw), invalid=True)
        return DateFact(
            pointer=where_value,
            value=resolved.value,
            raw=resolved.raw,
            defaulted=resolved.defaulted,
            anticipated=anticipated,
        )


def _framework(eu: dict[str, Any]) -> str:
    """The EU law the trial runs under: the stated flag, else a EudraCT-only trial that was not
    transitioned is a Directive trial (CTR Art. 98: it stayed under the Directive until 30 January 2025)."""
    stated = eu.get("regulatoryFramework")
    if stated in (EU_CTR, DIRECTIVE):
        return str(stated)
    if eu.get("eudractNumber") and not eu.get("euCtNumber") and not eu.get("transitioned"):
        return DIRECTIVE
    return EU_CTR


def extract(record: Record) -> TrialFacts:
    """Read the facts the rules need; unreadable dates become ``deadline.invalid_date`` findings."""
    reader = _Reader(record)
    protocol = _dict(record.get("protocolSection"))
    status = _dict(protocol.get("statusModule"))
    design = _dict(protocol.get("designModule"))
    oversight = _dict(protocol.get("oversightModule"))
    interventions = _list(_dict(protocol.get("armsInterventionsModule")).get("interventions"))
    locations = _list(_dict(protocol.get("contactsLocationsModule")).get("locations"))
    delayed = _dict(_dict(record.get("resultsSection")).get("delayedResultsModule"))
    eu = record.get("euSection")
    uk = record.get("ukSection")
    eu_d = _dict(eu)
    uk_d = _dict(uk)

    def status_date(name: str, struct: bool = True) -> DateFact:
        return reader.date_at("protocolSection", "statusModule", name, struct=struct)

    def delayed_results_date(name: str) -> DateFact:
        return reader.date_at("resultsSection", "delayedResultsModule", name, struct=False)

    start = status_date("startDateStruct")
    first = status_date("firstParticipantEnrolledDateStruct")
    outcomes: list[OutcomeFact] = []
    outcomes_module = _dict(protocol.get("outcomesModule"))
    for group in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes"):
        for index, outcome in enumerate(_list(outcomes_module.get(group))):
            measure = str(_dict(outcome).get("measure") or "")
            completion = reader.date_at(
                "protocolSection",
                "outcomesModule",
                group,
                index,
                "dataCollectionCompletionDate",
                struct=False,
            )
            outcomes.append(OutcomeFact(group, index, measure, completion))

    member_states: list[MemberStateFact] = []
    for index, state in enumerate(_list(eu_d.get("memberStates"))):
        state_d = _dict(state)
        halts = []
        for number, halt in enumerate(_list(state_d.get("temporaryHalts"))):

            def halt_date(name: str, number: int = number, index: int = index) -> DateFact:
                return reader.date_at(
                    "euSection", "memberStates", index, "temporaryHalts", number, name, struct=False
                )

            halts.append(
                HaltFact(
                    index=number,
                    halt=halt_date("haltDate"),
                    safety=_dict(halt).get("reason") == "SAFETY",
                    halt_notified=halt_date("haltNotifiedDate"),
                    restart=halt_date("restartDate"),
                    restart_notified=halt_date("restartNotifiedDate"),
                    decision_not_to_restart=halt_date("decisionNotToRestartDate"),
                )
            )
        member_states.append(
            MemberStateFact(
                index=index,
                country=str(state_d.get("country") or "").upper(),
                status=str(state_d.get("status") or "").upper().replace(" ", "_").replace("-", "_"),
                end_of_trial=reader.date_at("euSection", "memberStates", index, "endOfTrialDateStruct"),
                notified=reader.date_at(
                    "euSection", "memberStates", index, "endOfTrialNotifiedDate", struct=False
                ),
                early_termination=bool(state_d.get("earlyTermination")),
                halts=tuple(halts),
            )
        )
    analyses = tuple(
        AnalysisFact(
            index=index,
            description=str(_dict(item).get("description") or ""),
            analysis=reader.date_at("euSection", "intermediateAnalyses", index, "analysisDate", struct=False),
        )
        for index, item in enumerate(_list(eu_d.get("intermediateAnalyses")))
    )
    references = _list(_dict(protocol.get("referencesModule")).get("references"))
    extension_type = delayed.get("certificationType") == "EXTENSION_REQUEST"
    certification_date = delayed_results_date("certificationDate")
    requested = delayed_results_date("extensionRequestDate")
    if extension_type and not requested.known and not requested.invalid:
        # A 1.0 record kept the extension request in certificationDate.
        requested = certification_date
    if extension_type:
        certification_date = DateFact(pointer=certification_date.pointer)
    late = _dict(eu_d.get("lateResultsJustification"))
    authorisation = _dict(eu_d.get("marketingAuthorisation"))

    return TrialFacts(
        nct_id=_dig(protocol, "identificationModule", "nctId"),
        study_type=design.get("studyType"),
        overall_status=status.get("overallStatus"),
        phases=tuple(sorted(p for p in _list(design.get("phases")) if isinstance(p, str))),
        primary_purpose=_dig(design, "designInfo", "primaryPurpose"),
        fda_drug=_bool(oversight.get("isFdaRegulatedDrug")),
        fda_device=_bool(oversight.get("isFdaRegulatedDevice")),
        intervention_types=frozenset(
            str(_dict(i).get("type")) for i in interventions if _dict(i).get("type") is not None
        ),
        countries=tuple(str(_dict(loc).get("country")) for loc in locations if _dict(loc).get("country")),
        start=start,
        # 42 CFR 11.24 counts from the first consent; the record falls back to the start date.
        first_enrolment=first if first.known or first.invalid else start,
        first_us_enrolment=status_date("firstUsParticipantEnrolledDateStruct"),
        primary_completion=status_date("primaryCompletionDateStruct"),
        completion=status_date("completionDateStruct"),
        status_verified=status_date("statusVerifiedDate", struct=False),
        outcomes=tuple(outcomes),
        certification_type=_str(delayed.get("certificationType")),
        certification=certification_date,
        approval_event=delayed_results_date("approvalEventDate"),
        extension_until=delayed_results_date("extensionGrantedUntil"),
        extension_requested=requested,
        extension_granted=delayed_results_date("extensionGrantedDate"),
        under_ind_or_ide=any(
            _dict(item).get("type") in ("IND", "IDE") for item in _list(oversight.get("indIdeInfos"))
        ),
        us_export=oversight.get("isUsExport") is True,
        eu_present=isinstance(eu, dict) and bool(eu),
        eu_framework=_framework(eu_d),
        eu_late_results_justified=bool(late),
        eu_late_results_planned=reader.date_at(
            "euSection", "lateResultsJustification", "plannedSubmissionDate", struct=False
        ),
        eu_ma_intended=authorisation.get("intended") is True,
        eu_ma_outcome=_str(authorisation.get("outcome")),
        eu_ma_decision=reader.date_at("euSection", "marketingAuthorisation", "decisionDate", struct=False),
        eu_paediatric=bool(eu_d.get("paediatric")),
        eu_article46=bool(eu_d.get("article46")),
        eu_pip_number=eu_d.get("pipNumber") or None,
        member_states=tuple(member_states),
        end_all_member_states=reader.date_at("euSection", "endOfTrialInAllMemberStatesDateStruct"),
        global_end=reader.date_at("euSection", "globalEndOfTrialDateStruct"),
        intermediate_analyses=analyses,
        uk_present=isinstance(uk, dict) and bool(uk),
        uk_is_ctimp=_bool(uk_d.get("isCtimp")),
        uk_application=reader.date_at("ukSection", "applicationDate", struct=False),
        uk_approval=reader.date_at("ukSection", "approvalDate", struct=False),
        uk_end=reader.date_at("ukSection", "endOfTrialDateStruct"),
        uk_global_end=reader.date_at("ukSection", "globalEndOfTrialDateStruct"),
        uk_first_participant=reader.date_at("ukSection", "firstParticipantRecruitedDate", struct=False),
        uk_approval_lapsed=reader.date_at("ukSection", "approvalLapsedDate", struct=False),
        uk_early_termination=uk_d.get("earlyTermination") is True,
        uk_end_notified=reader.date_at("ukSection", "endOfTrialNotifiedDate", struct=False),
        uk_deferral_granted=bool(_dict(uk_d.get("deferral")).get("granted")),
        uk_deferral_until=reader.date_at("ukSection", "deferral", "until", struct=False),
        uk_lay_summary_offered=reader.date_at("ukSection", "laySummaryOfferedDate", struct=False),
        study_first_submit=status_date("studyFirstSubmitDate", struct=False),
        results_first_submit=status_date("resultsFirstSubmitDate", struct=False),
        disposition_first_submit=status_date("dispFirstSubmitDate", struct=False),
        last_update_submit=status_date("lastUpdateSubmitDate", struct=False),
        who_registration=reader.date_at("whoSection", "dateOfRegistration", struct=False),
        has_result_reference=any(_dict(r).get("type") == "RESULT" for r in references),
        # Last, so that it holds the findings of every date read above.
        findings=tuple(reader.findings),
    )
