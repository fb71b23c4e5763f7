"""Values the PRS upload cannot do without, checked before anything is built.

The builder writes the element these values fill whether or not the record has them (the upload schema
requires it), so a record without one would be signed with an empty element that PRS refuses or, worse,
matches to nothing. A record imported from the retired public XML never carries the organization name,
for instance: the public record showed the sponsor, not the PRS account.
"""

from __future__ import annotations

from typing import Any

from registries.ctgov.checks._support import PROTOCOL, SOURCE_PROTOCOL_DED, finding, obj
from registries.enums import Severity, Stage
from registries.findings import Finding

_ORGANIZATION = (PROTOCOL, "identificationModule", "organization", "fullName")


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def check_required_values(record: dict[str, Any], stage: Stage) -> list[Finding]:
    """Error findings for the values every PRS upload needs and the record leaves empty or missing."""
    organization = obj(obj(obj(record.get(PROTOCOL)).get("identificationModule")).get("organization"))
    if not _blank(organization.get("fullName")):
        return []
    return [
        finding(
            Severity.ERROR,
            "ctgov.required.organization_name",
            _ORGANIZATION,
            "The organization name is missing; every PRS upload names the PRS organization (org_name) "
            "the record belongs to, and an upload without one cannot be matched to an account.",
            stage,
            f"{SOURCE_PROTOCOL_DED}: Organization Name; ProtocolRecordSchema.xsd id_info/org_name",
        )
    ]


__all__ = ["check_required_values"]
