"""Reading payloads for people: a pretty-printed preview, and the signed package as one zip file.

Nothing here builds what is sent: downloads are the stored bytes the approval hashed and signed. The
preview of a filing not yet approved is built on the fly from the head version and said to be unsigned.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from lxml import etree

from registries.findings import RegistryError
from registries.xmlsafe import parse_xml
from submissions import checks
from submissions.domain.trials import accepted_content
from submissions.enums import FilingKind
from submissions.models import Filing, Payload

PREVIEW_LIMIT = 2_000_000


def pretty(content: bytes, media_type: str) -> str:
    """The payload as a person reads it: JSON indented, XML re-indented (parsed with the safe parser,
    never resolving entities), anything else as text. Bytes that do not parse are shown as they are."""
    if len(content) > PREVIEW_LIMIT:
        return (
            content[:PREVIEW_LIMIT].decode("utf-8", errors="replace") + "\n… (preview cut; download the file)"
        )
    try:
        if "json" in media_type:
            return json.dumps(json.loads(content), indent=2, ensure_ascii=False)
        if "xml" in media_type:
            root = parse_xml(content)
            etree.indent(root, space="  ")
            return etree.tostring(root, encoding="unicode")
    except (ValueError, RegistryError, etree.XMLSyntaxError):
        pass
    return content.decode("utf-8", errors="replace")


def draft_payloads(filing: Filing) -> list[dict[str, Any]]:
    """Each target registry's payload built now from the head version (unsigned) as readable text, or
    the reason it could not be built."""
    head = filing.trial.head
    if head is None:
        return []
    accepted = accepted_content(filing.trial, filing.stage) if filing.kind == FilingKind.UPDATE else None
    built: list[dict[str, Any]] = []
    for code in filing.target_registries:
        try:
            payload, _findings = checks.build_payload(head.content, filing.stage, code, accepted=accepted)
        except RegistryError as error:
            built.append({"registry": code, "problem": f"{checks.registry_name(code)}: {error.message}"})
            continue
        text = pretty(payload.content, payload.media_type)
        built.append({"registry": code, "file_name": payload.file_name, "text": text, "problem": ""})
    return built


def signed_package(filing: Filing, payloads: list[Payload]) -> bytes:
    """The approved payloads and a manifest (signature, hashes) in one zip, for the sponsor's files."""
    signature = filing.signature
    assert signature is not None
    manifest = {
        "trial": filing.trial.reference,
        "filing": filing.pk,
        "stage": filing.stage,
        "kind": filing.kind,
        "record_sha256": signature.record_sha256,
        "signature": {
            "printed_name": signature.printed_name,
            "signed_at": signature.signed_at.isoformat(),
            "meaning": signature.meaning,
            "signature_hash": signature.signature_hash,
        },
        "payloads": [
            {
                "registry": payload.registry,
                "file_name": payload.file_name,
                "media_type": payload.media_type,
                "schema_version": payload.schema_version,
                "sha256": payload.sha256,
            }
            for payload in payloads
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for payload in payloads:
            archive.writestr(f"{payload.registry}/{payload.file_name}", bytes(payload.content))
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return buffer.getvalue()
