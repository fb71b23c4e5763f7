"""ClinicalTrials.gov record checks, layers 2 to 4 (layer 1, the official XSDs, runs on the payload).

- picklists: PRS picklists, length limits and conditional values;
- required: the protocol data elements PRS requires beyond the generic stage profiles, with their dates;
- prs_messages: PRS record validation messages and machine-checkable NLM Major Comment categories;
- results_content: the results data elements PRS and 42 CFR 11.48 require, with their dates;
- consistency: cross-checks within the results and against the registered protocol.

Every finding carries a stable code, a JSON Pointer into the canonical record and its source. The checks
read the record defensively (a value of the wrong type is skipped or read as missing), so a record that
breaks the record schema in one place still gets every check that can run on the rest.
"""

from __future__ import annotations

from typing import Any

from registries.ctgov.checks.consistency import check_consistency
from registries.ctgov.checks.picklists import check_picklists
from registries.ctgov.checks.prs_messages import check_prs_messages
from registries.ctgov.checks.required import check_required
from registries.ctgov.checks.required_values import check_required_values
from registries.ctgov.checks.results_content import check_results_content
from registries.enums import Stage
from registries.findings import Finding

# Registration and the protocol summary concern the protocol section only; results (and anything after)
# check the results modules as well.
_PROTOCOL_ONLY_STAGES = frozenset({Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY})


def check_record(record: dict[str, Any], stage: Stage) -> list[Finding]:
    """All ClinicalTrials.gov findings for ``record`` at ``stage``, layers 2 to 4.

    Never raises for a bad record: values of the wrong type are skipped or reported as findings.
    """
    if not isinstance(record, dict):
        return []
    include_results = stage not in _PROTOCOL_ONLY_STAGES
    findings = check_required_values(record, stage)
    findings += check_picklists(record, stage, include_results)
    findings += check_required(record, stage)
    findings += check_prs_messages(record, stage, include_results)
    if include_results:
        findings += check_results_content(record, stage)
        findings += check_consistency(record, stage)
    return findings


__all__ = ["check_record"]
