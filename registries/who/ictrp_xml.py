"""TRDS items 1-20 as the registry-to-ICTRP exchange XML (who_ictrp.dtd, version 1.0 of 2008-2009).

The DTD predates TRDS items 21-24 (ethics review, completion date, summary results, IPD sharing
statement) and has no namespace or ANY content where they could go, so they travel in the JSON
companion (``trds.trds_document``); see the package docstring.

The DTD wants every element present, empty where there is nothing to say ("we would like to receive all
elements if they are blank", change note of 16-10-2008), so lists with no entry still get one empty child.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from typing import Any, cast

from lxml import etree

from registries import specs
from registries.ctgov._xmlbuild import XML_DECLARATION, add_text_child, get, items
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.who import trds
from registries.xmlsafe import parse_xml

REGISTRY = "who"
SPEC_FOLDER = "who-ictrp"
DTD_FILE = "who_ictrp.dtd"
DTD_VERSION = "who_ictrp.dtd 1.0 (2008-04-23, last change 2009-05-01)"

_lock = threading.Lock()
_compiled: dict[tuple[str, int], etree.DTD] = {}


def ictrp_date(value: str) -> str:
    """ISO date -> the DTD's dd/mm/yyyy; a partial date keeps only what it has (mm/yyyy, yyyy)."""
    parts = value.split("-")
    return "/".join(reversed(parts))


def _sub(parent: etree._Element, tag: str, text: Any = None) -> etree._Element:
    return add_text_child(parent, tag, text, REGISTRY)


def _list(parent: etree._Element, tag: str, child: str, values: list[str]) -> None:
    element = _sub(parent, tag)
    for value in values or [""]:
        _sub(element, child, value)


def _contact(contacts: etree._Element, kind: str, contact: dict[str, str] | None) -> None:
    contact = contact or {}
    element = _sub(contacts, "contact")
    _sub(element, "type", kind)
    # The record holds one name field; ICTRP shows first, middle and last name joined, so the whole name
    # goes in lastname rather than a guess at how to split it.
    _sub(element, "firstname")
    _sub(element, "middlename")
    _sub(element, "lastname", contact.get("name"))
    _sub(element, "address", contact.get("address"))
    _sub(element, "city")
    _sub(element, "country1")
    _sub(element, "zip")
    _sub(element, "telephone", contact.get("phone"))
    _sub(element, "email", contact.get("email"))
    _sub(element, "affiliation", contact.get("affiliation"))


def _design(record: dict[str, Any]) -> str:
    info = get(record, "protocolSection", "designModule", "designInfo") or {}
    parts = [
        f"{label}: {value}"
        for label, value in (
            ("Allocation", info.get("allocation")),
            ("Intervention model", info.get("interventionModel")),
            ("Primary purpose", info.get("primaryPurpose")),
            ("Masking", get(info, "maskingInfo", "masking")),
        )
        if value
    ]
    return "; ".join(parts)


def build_tree(record: dict[str, Any]) -> etree._Element:
    values = trds.build_items(record)
    protocol = record.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    root = etree.Element("trials")
    trial = _sub(root, "trial")
    main = _sub(trial, "main")
    primary = values[1] or {}
    _sub(main, "trial_id", primary.get("trialId"))
    utn = next((s["id"] for s in values[3] or [] if s["issuer"] == "WHO Universal Trial Number"), "")
    if utn:
        _sub(main, "utrn", utn)
    _sub(main, "reg_name", primary.get("registry"))
    _sub(main, "date_registration", ictrp_date(values[2]) if values[2] else "")
    _sub(main, "primary_sponsor", values[5])
    _sub(main, "public_title", values[9])
    if ident.get("acronym"):
        _sub(main, "acronym", ident["acronym"])
    _sub(main, "scientific_title", values[10])
    enrolment = values[16] or {}
    _sub(main, "date_enrolment", ictrp_date(enrolment["date"]) if enrolment else "")
    size = values[17] or {}
    _sub(main, "type_enrolment", str(size.get("type", "")).lower())
    _sub(main, "target_size", size.get("count"))
    _sub(main, "recruitment_status", values[18])
    _sub(main, "study_type", str(values[15] or "").lower())
    _sub(main, "study_design", _design(record))
    _sub(main, "phase", ", ".join(p for p in items(protocol, "designModule", "phases") if isinstance(p, str)))
    contacts = _sub(trial, "contacts")
    _contact(contacts, "Public", values[7])
    _contact(contacts, "Scientific", values[8])
    _list(trial, "countries", "country2", values[11] or [])
    criteria = values[14] or {}
    criteria_element = _sub(trial, "criteria")
    _sub(criteria_element, "inclusion_criteria", criteria.get("criteria"))
    _sub(criteria_element, "agemin", criteria.get("minimumAge"))
    _sub(criteria_element, "agemax", criteria.get("maximumAge"))
    _sub(criteria_element, "gender", criteria.get("sex"))
    # The record keeps inclusion and exclusion criteria in one text (PRS eligibility criteria); it goes
    # whole into inclusion_criteria rather than being split on a heading it may not have.
    _sub(criteria_element, "exclusion_criteria")
    _list(trial, "health_condition_code", "hc_code", [])
    _list(trial, "health_condition_keyword", "hc_keyword", values[12] or [])
    _list(trial, "intervention_code", "i_code", [])
    _list(
        trial,
        "intervention_keyword",
        "i_keyword",
        [f"{i['type']}: {i['name']}" if i["type"] else i["name"] for i in values[13] or []],
    )
    _list(trial, "primary_outcome", "prim_outcome", [_outcome(o) for o in values[19] or []])
    _list(trial, "secondary_outcome", "sec_outcome", [_outcome(o) for o in values[20] or []])
    _list(trial, "secondary_sponsor", "sponsor_name", values[6] or [])
    secondary_ids = _sub(trial, "secondary_ids")
    for entry in values[3] or [{"issuer": "", "id": ""}]:
        element = _sub(secondary_ids, "secondary_id")
        _sub(element, "sec_id", entry["id"])
        _sub(element, "issuing_authority", entry["issuer"])
    _list(trial, "source_support", "source_name", values[4] or [])
    return root


def _outcome(outcome: dict[str, str]) -> str:
    if outcome["timeFrame"]:
        return f"{outcome['measure']} [{outcome['timeFrame']}]"
    return outcome["measure"]


def serialize(root: etree._Element) -> bytes:
    body: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return XML_DECLARATION + body


def _finding(code: str, message: str, pointer: str = "") -> Finding:
    return Finding(Severity.ERROR, code, pointer, message, REGISTRY, None, "ICTRP exchange XML")


def load_dtd() -> etree.DTD:
    """The DTD, parsed once per file version; one that declares entities is refused."""
    path = specs.spec_path(SPEC_FOLDER, DTD_FILE)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns)
    with _lock:
        dtd = _compiled.get(key)
        if dtd is None:
            data = path.read_bytes()
            # Refused before libxml2 sees it: a parameter entity could name a file or URL to load.
            if b"<!ENTITY" in data:
                raise RegistryError("who.dtd_unsafe", f"{path} declares entities; it is not loaded.")
            dtd = etree.DTD(io.BytesIO(data))
            _compiled.clear()
            _compiled[key] = dtd
    return dtd


def verify_xml(content: bytes, stage: Stage) -> list[Finding]:
    """The payload against who_ictrp.dtd; a missing DTD is an error finding naming the path."""
    path = specs.spec_path(SPEC_FOLDER, DTD_FILE)
    try:
        dtd = load_dtd()
    except (OSError, etree.DTDParseError) as exc:
        return [_finding("who.dtd_unavailable", f"The ICTRP DTD could not be read from {path}: {exc}.")]
    except RegistryError as exc:
        return [_finding(exc.code, exc.message)]
    try:
        root = parse_xml(content, max_bytes=None)
    except RegistryError as exc:
        return [_finding(exc.code, exc.message)]
    if dtd.validate(root):
        return []
    return [
        Finding(
            Severity.ERROR,
            "who.dtd_invalid",
            "",
            f"Line {error.line}: {error.message}",
            REGISTRY,
            stage,
            "ICTRP exchange XML",
        )
        for error in cast(Iterable[Any], dtd.error_log)
    ]
