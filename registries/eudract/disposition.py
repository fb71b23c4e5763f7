"""The EudraCT subject disposition section (results.xsd v1.1 ``SubjectDisposition``) from the record's
participant flow, and back.

EudraCT's arms live here, one list per post-assignment period; end points refer to them by id (IDREF), so
the end points need this section. Mapping (API v2 -> EudraCT): recruitmentDetails -> recruitmentDetails,
preAssignmentDetails -> screeningInformation; each flow period -> a postAssignmentPeriod (the first is the
baseline period, DATA-VAL-8) whose arms are the flow groups with a STARTED count in it; STARTED and
COMPLETED -> the period's started / completed milestones, any other milestone but NOT COMPLETED (which
EudraCT derives) -> an other milestone; each reason for not completing (dropWithdraws) -> a reason of the
list "Reason not completed" with the count per arm; design allocation and masking -> allocation,
blinding and the roles blinded; arm type and description from the arm group of the same label; the arm's
products (investigational medicinal products) are the drug, biological, genetic, combination-product and
untyped interventions given to the arm group of the same label (name, other names, description as the dose and
administration details). Not written yet: the reasons for joining, the pre-assignment period, and the
products' code, pharmaceutical forms and routes (EUTCT terms the record cannot hold).

Ids are generated from positions (``period1``, ``period1-arm2``...): EudraCT ids only tie the file together.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from registries.eudract.vocab import (
    ALLOCATIONS,
    AMBIGUOUS_NOT_COMPLETED,
    ARM_TYPES,
    MASKED_ROLES,
    NOT_COMPLETED_ALIASES,
    OTHER_REASON_MAX,
    SHAM_COMPARATOR_TEXT,
    label_for,
    term,
    term_label,
)
from registries.eudract.xmltree import child as _child
from registries.eudract.xmltree import children as _children
from registries.eudract.xmltree import dig as _dig
from registries.eudract.xmltree import sub as _sub
from registries.eudract.xmltree import text as _text

Record = dict[str, Any]
# The first period is the baseline period (DATA-VAL-8: at most one); baseline reporting groups refer to it.
BASELINE_PERIOD_ID = "period1"
STARTED = "STARTED"
COMPLETED = "COMPLETED"
NOT_COMPLETED = "NOT COMPLETED"


def _term(parent: etree._Element, name: str, list_name: str, label: str) -> None:
    _sub(_sub(parent, name), "value", term(list_name, label))


def title_key(title: Any) -> str:
    """Groups of different tables are the same arm when their titles match, ignoring case and spacing."""
    return " ".join(str(title or "").split()).casefold()


def _count(stats: dict[str, Any]) -> int | None:
    value = str(stats.get("numSubjects", ""))
    return int(value) if value.isdigit() else None


def _achievements(milestone: dict[str, Any] | None) -> dict[str, int | None]:
    return {
        str(s.get("groupId")): _count(s)
        for s in (milestone or {}).get("achievements") or []
        if isinstance(s, dict)
    }


# API v2 intervention types that are medicinal products (EudraCT armProduct: an IMP given in the arm).
PRODUCT_TYPES = ("DRUG", "BIOLOGICAL", "GENETIC", "COMBINATION_PRODUCT")
PRODUCT_NAME = (2, 160)
PRODUCT_OTHER_NAMES_MAX = 160


def arm_products(record: Record, title: Any) -> list[dict[str, Any]]:
    """The record's medicinal-product interventions given to the arm group labelled ``title``."""
    key = title_key(title)
    return [
        i
        for i in _dig(record, "protocolSection", "armsInterventionsModule", "interventions") or []
        if isinstance(i, dict)
        # Untyped: as the EudraCT importer writes products (the file does not say drug or biological).
        and i.get("type", "DRUG") in PRODUCT_TYPES
        and any(title_key(label) == key for label in i.get("armGroupLabels") or [])
    ]


def other_names(intervention: dict[str, Any]) -> str:
    return ", ".join(str(n) for n in intervention.get("otherNames") or [] if n)


def not_completed_reason(text: Any) -> tuple[str, str | None] | None:
    """A record reason for not completing -> (label of "Reason not completed", otherReason), or None when
    EudraCT cannot take it as it is (ambiguous, or an 'other' reason longer than 50 characters)."""
    if not isinstance(text, str) or not text.strip() or text.strip().casefold() in AMBIGUOUS_NOT_COMPLETED:
        return None
    label = label_for("Reason not completed", text, NOT_COMPLETED_ALIASES)
    if label is not None and label != "Other":
        return (label, None)
    return ("Other", text.strip()) if len(text.strip()) <= OTHER_REASON_MAX else None


def _achievement(arm: etree._Element, name: str, attribute: str, ref: str, subjects: int | None) -> None:
    element = _sub(arm, name)
    element.set(attribute, ref)
    if subjects is not None:
        _sub(element, "subjects", subjects)


def build_subject_disposition(record: Record) -> tuple[etree._Element | None, dict[str, str]]:
    """The ``subjectDisposition`` element (None without flow periods) and, per group title key, the id of
    its arm in the first period that has it (what end points refer to)."""
    flow = _dig(record, "resultsSection", "participantFlowModule") or {}
    periods = [p for p in flow.get("periods") or [] if isinstance(p, dict)]
    groups = [g for g in flow.get("groups") or [] if isinstance(g, dict) and g.get("id")]
    if not periods or not groups:
        return None, {}
    design = _dig(record, "protocolSection", "designModule", "designInfo") or {}
    masking = design.get("maskingInfo") or {}
    arm_groups = {
        title_key(a.get("label")): a
        for a in _dig(record, "protocolSection", "armsInterventionsModule", "armGroups") or []
        if isinstance(a, dict)
    }
    disposition = etree.Element("subjectDisposition")
    if flow.get("recruitmentDetails"):
        _sub(disposition, "recruitmentDetails", flow["recruitmentDetails"])
    if flow.get("preAssignmentDetails"):
        _sub(disposition, "screeningInformation", flow["preAssignmentDetails"])
    container = _sub(disposition, "postAssignmentPeriods")
    arm_ids: dict[str, str] = {}
    # One EudraCT reason per distinct mapped reason, whichever periods it occurs in.
    reasons: dict[tuple[str, str | None], str] = {}
    for period in periods:
        for drop in period.get("dropWithdraws") or []:
            mapped = not_completed_reason(drop.get("type")) if isinstance(drop, dict) else None
            if mapped is not None:
                reasons.setdefault(mapped, f"reason{len(reasons) + 1}")
    for number, period in enumerate(periods, start=1):
        pid = f"period{number}"
        milestones = [m for m in period.get("milestones") or [] if isinstance(m, dict)]
        by_type = {m.get("type"): m for m in milestones}
        others = [m for m in milestones if m.get("type") not in (STARTED, COMPLETED, NOT_COMPLETED)]
        element = _sub(container, "postAssignmentPeriod")
        element.set("id", pid)
        _sub(element, "completedMilestone").set("id", f"{pid}-completed")
        _sub(element, "startedMilestone").set("id", f"{pid}-started")
        if others:
            holder = _sub(element, "otherMilestones")
            for index, milestone in enumerate(others, start=1):
                other = _sub(holder, "otherMilestone")
                other.set("id", f"{pid}-milestone{index}")
                _sub(other, "title", milestone.get("type"))
        _sub(element, "title", period.get("title") or f"Period {number}")
        if masking.get("maskingDescription"):
            _sub(element, "blindingImplementationDetails", masking["maskingDescription"])
        blinded = masking.get("masking") not in (None, "NONE")
        _sub(element, "mutuallyExclusiveArms", True)
        # DATA-VAL-8: at most one baseline period; the record's baseline table describes those who started.
        _sub(element, "baselinePeriod", pid == BASELINE_PERIOD_ID)
        _sub(element, "blinded", blinded)
        roles = [MASKED_ROLES[r] for r in masking.get("whoMasked") or [] if r in MASKED_ROLES]
        if blinded and roles:
            # DATA-VAL-1: roles only for a blinded period.
            holder = _sub(element, "clinicalTrialRoles")
            for role in roles:
                _term(holder, "clinicalTrialRole", "Trial role", role)
        if masking.get("masking"):
            single = masking["masking"] == "SINGLE"
            label = "Not blinded" if not blinded else "Single blind" if single else "Double blind"
            _term(element, "blindingType", "Blinding method", label)
        if design.get("allocation") in ALLOCATIONS:
            _term(element, "allocation", "Allocation method", ALLOCATIONS[design["allocation"]])
        started = _achievements(by_type.get(STARTED))
        completed = _achievements(by_type.get(COMPLETED))
        arms = _sub(element, "arms")
        for index, group in enumerate(groups, start=1):
            gid = str(group["id"])
            if gid not in started:
                continue
            arm_id = f"{pid}-arm{index}"
            arm_ids.setdefault(title_key(group.get("title")), arm_id)
            arm = _sub(arms, "arm")
            arm.set("id", arm_id)
            _sub(arm, "title", group.get("title") or gid)
            if group.get("description"):
                _sub(arm, "description", group["description"])
            kind = (arm_groups.get(title_key(group.get("title"))) or {}).get("type")
            if kind == "SHAM_COMPARATOR":
                _sub(arm, "otherType", SHAM_COMPARATOR_TEXT)
                _term(arm, "type", "Arm type", "Other")
            elif kind in ARM_TYPES:
                _term(arm, "type", "Arm type", ARM_TYPES[kind])
            products = arm_products(record, group.get("title"))
            if products:
                holder = _sub(arm, "armProducts")
                for product in products:
                    item = _sub(holder, "armProduct")
                    _sub(item, "name", product.get("name"))
                    if other_names(product):
                        _sub(item, "otherNames", other_names(product))
                    if product.get("description"):
                        _sub(item, "doseAndAdministrationDetails", product["description"])
            _achievement(
                arm, "startedMilestoneAchievement", "startedMilestoneId", f"{pid}-started", started[gid]
            )
            _achievement(
                arm,
                "completedMilestoneAchievement",
                "completedMilestoneId",
                f"{pid}-completed",
                completed.get(gid),
            )
            if others:
                holder = _sub(arm, "otherMilestoneAchievements")
                for number_other, milestone in enumerate(others, start=1):
                    _achievement(
                        holder,
                        "otherMilestoneAchievement",
                        "otherMilestoneId",
                        f"{pid}-milestone{number_other}",
                        _achievements(milestone).get(gid),
                    )
            details = [
                (reasons[mapped], count)
                for drop in period.get("dropWithdraws") or []
                if isinstance(drop, dict) and (mapped := not_completed_reason(drop.get("type"))) is not None
                for count in [_achievements({"achievements": drop.get("reasons")}).get(gid)]
                if count  # ReasonDetail.subjects is at least 1
            ]
            if details:
                holder = _sub(arm, "notCompletedReasonDetails")
                for reason_id, count in details:
                    detail = _sub(holder, "reasonDetail")
                    detail.set("reasonNotCompletedId", reason_id)
                    _sub(detail, "subjects", count)
    if reasons:
        holder = _sub(disposition, "reasonsNotCompleted")
        for (reason_label, other_reason), reason_id in reasons.items():
            listed = _sub(holder, "reasonNotCompleted")
            listed.set("id", reason_id)
            if other_reason is not None:
                _sub(listed, "otherReason", other_reason)
            _term(listed, "type", "Reason not completed", reason_label)
    return disposition, arm_ids


# --- import -------------------------------------------------------------------------------------------


def _term_value(element: etree._Element | None, name: str) -> str | None:
    return _text(_child(element, name), "value")


# Parts of subjectDisposition the record does not carry; the importer lists them when they hold anything.
_ARM_NOT_CARRIED = ("joinedReasonDetails",)
_PRODUCT_NOT_CARRIED = ("code", "pharmaceuticalForms", "routesOfAdministration")
_NOT_CARRIED = ("preAssignmentPeriod", "reasonsJoined")


def _has_content(element: etree._Element) -> bool:
    return bool((element.text or "").strip()) or any(isinstance(c.tag, str) for c in element)


def import_subject_disposition(element: etree._Element, record: Record, dropped: list[str]) -> dict[str, str]:
    """``subjectDisposition`` into the record's participant flow (and design allocation, masking and arm
    types); returns arm id -> flow group title, which the end points need."""
    flow: dict[str, Any] = {}
    if _text(element, "recruitmentDetails"):
        flow["recruitmentDetails"] = _text(element, "recruitmentDetails")
    if _text(element, "screeningInformation"):
        flow["preAssignmentDetails"] = _text(element, "screeningInformation")
    reasons = {}
    for reason in _children(_child(element, "reasonsNotCompleted"), "reasonNotCompleted"):
        label = term_label("Reason not completed", _term_value(reason, "type"))
        # An 'other' reason is its own words; a listed one is EudraCT's label, which maps back as it is.
        reasons[str(reason.get("id"))] = (_text(reason, "otherReason") if label == "Other" else None) or label
    groups: dict[str, dict[str, Any]] = {}
    arm_titles: dict[str, str] = {}
    # One intervention per product name, other names and details; the arms that get it are its labels.
    interventions: dict[tuple[str | None, ...], dict[str, Any]] = {}
    arm_groups: list[dict[str, Any]] = []
    periods = []
    design: dict[str, Any] = {}
    for p_index, period in enumerate(
        _children(_child(element, "postAssignmentPeriods"), "postAssignmentPeriod")
    ):
        where = f"result/subjectDisposition/postAssignmentPeriods/postAssignmentPeriod[{p_index + 1}]"
        others = [
            (o.get("id"), _text(o, "title"))
            for o in _children(_child(period, "otherMilestones"), "otherMilestone")
        ]
        started: list[dict[str, Any]] = []
        completed: list[dict[str, Any]] = []
        other_counts: dict[str | None, list[dict[str, Any]]] = {oid: [] for oid, _ in others}
        drops: dict[str, list[dict[str, Any]]] = {}
        for a_index, arm in enumerate(_children(_child(period, "arms"), "arm")):
            title = _text(arm, "title") or ""
            key = title_key(title)
            if key not in groups:
                groups[key] = {"id": f"FG{len(groups):03d}", "title": title}
                if _text(arm, "description"):
                    groups[key]["description"] = _text(arm, "description")
                kind = term_label("Arm type", _term_value(arm, "type"))
                code = next((c for c, label in ARM_TYPES.items() if label == kind), None)
                if code == "OTHER" and _text(arm, "otherType") == SHAM_COMPARATOR_TEXT:
                    code = "SHAM_COMPARATOR"
                if code:
                    entry: dict[str, Any] = {"label": title, "type": code}
                    if _text(arm, "description"):
                        entry["description"] = _text(arm, "description")
                    arm_groups.append(entry)
            gid = groups[key]["id"]
            arm_titles[str(arm.get("id"))] = title
            for target, name in (
                (started, "startedMilestoneAchievement"),
                (completed, "completedMilestoneAchievement"),
            ):
                subjects = _text(_child(arm, name), "subjects")
                if subjects is not None:
                    target.append({"groupId": gid, "numSubjects": subjects})
            for achievement in _children(
                _child(arm, "otherMilestoneAchievements"), "otherMilestoneAchievement"
            ):
                subjects = _text(achievement, "subjects")
                if subjects is not None and achievement.get("otherMilestoneId") in other_counts:
                    other_counts[achievement.get("otherMilestoneId")].append(
                        {"groupId": gid, "numSubjects": subjects}
                    )
            for r_index, product in enumerate(_children(_child(arm, "armProducts"), "armProduct")):
                _import_product(product, title, interventions)
                at = f"{where}/arms/arm[{a_index + 1}]/armProducts/armProduct[{r_index + 1}]"
                dropped.extend(
                    f"{at}/{name}"
                    for name in _PRODUCT_NOT_CARRIED
                    if (c := _child(product, name)) is not None and _has_content(c)
                )
            for detail in _children(_child(arm, "notCompletedReasonDetails"), "reasonDetail"):
                reason_name = reasons.get(str(detail.get("reasonNotCompletedId")))
                if reason_name and _text(detail, "subjects") is not None:
                    drops.setdefault(reason_name, []).append(
                        {"groupId": gid, "numSubjects": _text(detail, "subjects")}
                    )
            dropped.extend(
                f"{where}/arms/arm[{a_index + 1}]/{name}"
                for name in _ARM_NOT_CARRIED
                if (c := _child(arm, name)) is not None and _has_content(c)
            )
        milestones = [{"type": STARTED, "achievements": started}]
        milestones += [{"type": title, "achievements": other_counts[oid]} for oid, title in others if title]
        milestones.append({"type": COMPLETED, "achievements": completed})
        shape: dict[str, Any] = {
            "title": _text(period, "title"),
            "milestones": milestones,
            "dropWithdraws": [{"type": name, "reasons": counts} for name, counts in drops.items()],
        }
        periods.append({k: v for k, v in shape.items() if v})
        if p_index == 0:
            design = _design(period)
    flow["groups"] = list(groups.values())
    flow["periods"] = periods
    record.setdefault("resultsSection", {})["participantFlowModule"] = flow
    if design:
        record["protocolSection"].setdefault("designModule", {})["designInfo"] = design
    arms_module: dict[str, Any] = {}
    if arm_groups:
        arms_module["armGroups"] = arm_groups
    if interventions:
        arms_module["interventions"] = list(interventions.values())
    if arms_module:
        record["protocolSection"]["armsInterventionsModule"] = arms_module
    dropped.extend(
        f"result/subjectDisposition/{name}"
        for name in _NOT_CARRIED
        if (c := _child(element, name)) is not None and _has_content(c)
    )
    return arm_titles


def _import_product(
    product: etree._Element, arm_title: str, interventions: dict[tuple[str | None, ...], dict[str, Any]]
) -> None:
    """An arm's product as an intervention given to that arm (its type is not in the file, so none is set)."""
    name, names = _text(product, "name"), _text(product, "otherNames")
    details = _text(product, "doseAndAdministrationDetails")
    entry = interventions.setdefault((name, names, details), {"name": name})
    if details:
        entry["description"] = details
    entry.setdefault("armGroupLabels", [])
    if arm_title not in entry["armGroupLabels"]:
        entry["armGroupLabels"].append(arm_title)
    if names:
        entry["otherNames"] = [names]


def _design(period: etree._Element) -> dict[str, Any]:
    design: dict[str, Any] = {}
    allocation = term_label("Allocation method", _term_value(period, "allocation"))
    code = next((c for c, label in ALLOCATIONS.items() if label == allocation), None)
    if code:
        design["allocation"] = code
    blinding = term_label("Blinding method", _term_value(period, "blindingType"))
    roles = [
        term_label("Trial role", _text(role, "value"))
        for role in _children(_child(period, "clinicalTrialRoles"), "clinicalTrialRole")
    ]
    who = [c for label in roles for c, mapped in MASKED_ROLES.items() if mapped == label]
    masking: dict[str, Any] = {}
    if _text(period, "blinded") == "false" or blinding == "Not blinded":
        masking["masking"] = "NONE"
    elif blinding == "Single blind":
        masking["masking"] = "SINGLE"
    elif blinding == "Double blind":
        # API v2 counts the roles masked; EudraCT's "double" is any blinding of more than one role.
        masking["masking"] = {3: "TRIPLE", 4: "QUADRUPLE"}.get(len(who), "DOUBLE")
    if _text(period, "blindingImplementationDetails"):
        masking["maskingDescription"] = _text(period, "blindingImplementationDetails")
    if who:
        masking["whoMasked"] = who
    if masking:
        design["maskingInfo"] = masking
    return design
