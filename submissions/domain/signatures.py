"""Electronic signatures under 21 CFR Part 11: what a signature means and what it is bound to."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from registries.canonical import canonical_json
from submissions import checks
from submissions.errors import DomainError
from submissions.models import Filing


def signature_meaning(filing: Filing) -> str:
    """The meaning the approver signs (21 CFR 11.50(a)(3)), naming every target registry."""
    names = [checks.registry_name(code) for code in filing.target_registries]
    if len(names) > 1:
        joined = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        joined = names[0] if names else "no registry"
    return f"Approved for submission to {joined}"


def _normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


def check_signature_manifest(filing: Filing, actor: Any, *, printed_name: str, meaning: str) -> None:
    """The printed name and meaning the signer confirmed must be the ones the signature will carry."""
    if not printed_name.strip():
        raise DomainError("signature.printed_name_required", "Type your full name to sign.")
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    if full_name.strip() and _normalise(printed_name) != _normalise(full_name):
        raise DomainError(
            "signature.printed_name_mismatch",
            f"The printed name must be your name as the system knows it ({full_name}).",
        )
    expected = signature_meaning(filing)
    if meaning != expected:
        raise DomainError(
            "signature.meaning_mismatch",
            f"The signature's meaning must be confirmed as shown: {expected!r}.",
        )


def signature_hash(
    *,
    filing_id: int,
    signer_id: int,
    printed_name: str,
    signed_at: datetime,
    meaning: str,
    record_sha256: str,
    payload_sha256s: dict[str, str],
) -> str:
    """Binds the signature to its record version and payloads (21 CFR 11.70): change any, and the
    hash no longer matches."""
    body = {
        "filing": filing_id,
        "signer": signer_id,
        "printed_name": printed_name,
        "signed_at": signed_at.isoformat(),
        "meaning": meaning,
        "record_sha256": record_sha256,
        "payload_sha256s": payload_sha256s,
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()
