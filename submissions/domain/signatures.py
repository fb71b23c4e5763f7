"""Electronic signatures under 21 CFR Part 11: what a signature means and what it is bound to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from submissions import checks
from submissions.audit import keyed_digest
from submissions.domain.accounts import normalise_name, verified_name_of
from submissions.errors import DomainError
from submissions.models import ESignature, Filing


def signature_meaning(filing: Filing) -> str:
    """The meaning the approver signs (21 CFR 11.50(a)(3)), naming every target registry."""
    names = [checks.registry_name(code) for code in filing.target_registries]
    if len(names) > 1:
        joined = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        joined = names[0] if names else "no registry"
    return f"Approved for submission to {joined}"


def check_signature_manifest(filing: Filing, actor: Any, *, printed_name: str, meaning: str) -> str:
    """The printed name and meaning the signer confirmed must be the ones the signature will carry;
    returns the printed name as verified (the spelling the signature carries).

    The printed name must be the full name an organization admin verified for the signer
    (``submissions.domain.accounts.verify_signer_name``, 21 CFR 11.100(b)); without one nobody can
    sign (``signature.name_not_verified``).
    """
    if not printed_name.strip():
        raise DomainError("signature.printed_name_required", "Type your full name to sign.")
    verified = verified_name_of(actor)
    if not verified:
        raise DomainError(
            "signature.name_not_verified",
            "Your full name has not been verified by an administrator of your organization; you cannot "
            "sign until it is.",
        )
    if normalise_name(printed_name) != normalise_name(verified):
        raise DomainError(
            "signature.printed_name_mismatch",
            f"The printed name must be your verified full name ({verified}).",
        )
    expected = signature_meaning(filing)
    if meaning != expected:
        raise DomainError(
            "signature.meaning_mismatch",
            f"The signature's meaning must be confirmed as shown: {expected!r}.",
        )
    return verified


def signature_hash(
    *,
    filing_id: int,
    signer_id: int,
    printed_name: str,
    signed_at: datetime,
    meaning: str,
    record_sha256: str,
    payload_sha256s: dict[str, str],
    key_id: str | None,
) -> str:
    """Binds the signature to its record version and payloads (21 CFR 11.70): change any, and the
    hash no longer matches. Keyed like the audit chain (``submissions.audit.keyed_digest``), so whoever
    edits a signature in the database cannot recompute it without the key; ``key_id`` None gives the
    unkeyed hash of signatures made before hashes were keyed."""
    body = {
        "filing": filing_id,
        "signer": signer_id,
        "printed_name": printed_name,
        "signed_at": signed_at.isoformat(),
        "meaning": meaning,
        "record_sha256": record_sha256,
        "payload_sha256s": payload_sha256s,
    }
    if key_id is not None:
        body["key_id"] = key_id
    return keyed_digest(body, key_id)


def hash_of_signature(signature: ESignature) -> str:
    """The hash the signature's own fields give (``KeyError`` when its key is not configured)."""
    return signature_hash(
        filing_id=signature.filing_id,
        signer_id=signature.signer_id,
        printed_name=signature.printed_name,
        signed_at=signature.signed_at,
        meaning=signature.meaning,
        record_sha256=signature.record_sha256,
        payload_sha256s=signature.payload_sha256s,
        key_id=signature.key_id,
    )


def approval_manifest(filing: Filing) -> dict[str, Any] | None:
    """The manifest of what the filing's current approval covers: the signature's manifestation
    (printed name, date and time with zone, meaning; 21 CFR 11.50) and every payload it covers with its
    hash, so that the signature travels with the files wherever they go. None while unapproved."""
    signature = filing.signature
    if signature is None:
        return None
    return {
        "filing": {
            "id": filing.pk,
            "trial": filing.trial.reference,
            "stage": filing.stage,
            "kind": filing.kind,
        },
        "signature": {
            "manifestation": signature.manifestation,
            "printed_name": signature.printed_name,
            "signed_at": signature.signed_at.isoformat(),
            "time_zone": "UTC",
            "meaning": signature.meaning,
            "record_sha256": signature.record_sha256,
            "signature_hash": signature.signature_hash,
        },
        "payloads": [
            {
                "registry": payload.registry,
                "file_name": payload.file_name,
                "media_type": payload.media_type,
                "sha256": payload.sha256,
            }
            for payload in filing.payloads_current
        ],
    }
