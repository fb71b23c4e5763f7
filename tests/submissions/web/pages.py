"""Small readers shared by the web tests."""

from __future__ import annotations

from submissions.models import ESignature, Filing, RecordVersion, Trial


def head_of(trial: Trial) -> RecordVersion:
    trial.refresh_from_db()
    assert trial.head is not None
    return trial.head


def signature_of(filing: Filing) -> ESignature:
    assert filing.signature is not None
    return filing.signature
