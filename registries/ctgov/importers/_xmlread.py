"""Reading helpers shared by the PRS XML and public XML importers.

``XmlReader`` marks every element it reads, so the importer can list each input element that carried
data but was not mapped into the record (``dropped``, as XPaths) instead of losing it silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from lxml import etree

from registries.ctgov import vocab

_ISO_PARTIAL = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})$")
_MONTH_NUMBER = {name.casefold(): index for index, name in enumerate(vocab.MONTHS, start=1)}
_AGE = re.compile(r"^\s*(\d+)\s+([A-Za-z]+)\s*$")
_AGE_UNITS = {
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
}


class XmlReader:
    """Reads child elements by tag and remembers which elements were used."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.used: set[etree._Element] = set()
        self.dropped: list[str] = []

    def use(self, element: etree._Element) -> etree._Element:
        self.used.add(element)
        return element

    def child(self, parent: etree._Element | None, tag: str) -> etree._Element | None:
        if parent is None:
            return None
        element = parent.find(tag)
        if element is not None:
            self.used.add(element)
        return element

    def children(self, parent: etree._Element | None, tag: str) -> list[etree._Element]:
        if parent is None:
            return []
        found = parent.findall(tag)
        self.used.update(found)
        return found

    def text(self, parent: etree._Element | None, tag: str) -> str | None:
        element = self.child(parent, tag)
        return value_of(element)

    def texts(self, parent: etree._Element | None, tag: str) -> list[str]:
        return [v for v in (value_of(e) for e in self.children(parent, tag)) if v is not None]

    def block(self, parent: etree._Element | None, tag: str) -> str | None:
        """Text of <tag><textblock>...</textblock></tag> (PRS and public XML long text)."""
        return self.text(self.child(parent, tag), "textblock")

    def mapped(self, parent: etree._Element | None, tag: str, table: Mapping[str, str]) -> str | None:
        """A display string mapped to its code; an unknown string is recorded as dropped."""
        element = self.child(parent, tag)
        value = value_of(element)
        if value is None or element is None:
            return None
        code = vocab.from_prs(table, value)
        if code is None:
            self.drop(element)
        return code

    def flag(self, parent: etree._Element | None, tag: str) -> bool | None:
        element = self.child(parent, tag)
        value = vocab.bool_from_prs(value_of(element))
        if value is None and element is not None and value_of(element) is not None:
            self.drop(element)
        return value

    def integer(self, parent: etree._Element | None, tag: str) -> int | None:
        element = self.child(parent, tag)
        return self.as_int(element, value_of(element))

    def as_int(self, element: etree._Element | None, value: str | None) -> int | None:
        if value is None:
            return None
        try:
            return int(value.strip())
        except ValueError:
            if element is not None:
                self.drop(element)
            return None

    def date(self, parent: etree._Element | None, tag: str) -> str | None:
        element = self.child(parent, tag)
        value = value_of(element)
        if value is None or element is None:
            return None
        converted = iso_date(value)
        if converted is None:
            self.drop(element)
        return converted

    def drop(self, element: etree._Element) -> None:
        self.dropped.append(element.getroottree().getpath(element))

    def unread(self) -> list[str]:
        """XPaths of data-carrying elements nobody read, plus the values refused while reading."""
        tree = self.root.getroottree()
        paths = list(self.dropped)
        for element in self.root.iter():
            if not isinstance(element.tag, str) or element in self.used:
                continue
            has_children = any(isinstance(child.tag, str) for child in element)
            has_text = bool((element.text or "").strip())
            if not has_children and (has_text or element.attrib):
                paths.append(tree.getpath(element))
        return sorted(set(paths), key=paths.index)


def value_of(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = (element.text or "").strip()
    return text or None


def iso_date(value: str) -> str | None:
    """ "2020-01", "January 2020", "January 5, 2020" -> ISO partial date; None when unrecognised."""
    value = value.strip()
    if _ISO_PARTIAL.match(value):
        return value
    match = _MONTH_YEAR.match(value)
    if not match:
        return None
    month = _MONTH_NUMBER.get(match.group(1).casefold())
    if month is None:
        return None
    day = match.group(2)
    return f"{match.group(3)}-{month:02d}" + (f"-{int(day):02d}" if day else "")


def age(value: str | None) -> str | None:
    """ "18 Years" stays; "N/A" (no limit) and anything unrecognised is None."""
    if not value:
        return None
    match = _AGE.match(value)
    if not match or match.group(2).casefold() not in _AGE_UNITS:
        return None
    unit = match.group(2).capitalize()
    return f"{int(match.group(1))} {unit}"


def join_name(parts: Mapping[str, str | None]) -> str | None:
    """first/middle/last (+ degrees) -> "First Middle Last, Degrees"."""
    name = " ".join(
        p for p in (parts.get("first_name"), parts.get("middle_name"), parts.get("last_name")) if p
    )
    if not name:
        return None
    degrees = parts.get("degrees")
    return f"{name}, {degrees}" if degrees else name


def put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set only real values: None, "", [] and {} are left out of the record."""
    if value is None or value == "" or value == [] or value == {}:
        return
    target[key] = value


def compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}


def positional_ids(elements: list[etree._Element], prefix: str) -> dict[str, str]:
    """XML group IDs -> API v2-style IDs by position (FG000, FG001, ...)."""
    return {str(e.get("id") or e.get("group_id")): f"{prefix}{i:03d}" for i, e in enumerate(elements)}


def interventions_for_arms(interventions: list[dict[str, Any]]) -> Callable[[str], list[str]]:
    """API v2 derives each arm's interventionNames ("Drug: name") from the interventions' arm labels."""

    def names(label: str) -> list[str]:
        found = []
        for intervention in interventions:
            if label in (intervention.get("armGroupLabels") or []):
                kind = vocab.INTERVENTION_TYPE_LABEL.get(intervention.get("type", ""), "Other")
                found.append(f"{kind}: {intervention.get('name', '')}")
        return found

    return names


# --- elements both formats share (PRS and public XML name them alike) -----------------------------

_PERSON_PARTS = ("first_name", "middle_name", "last_name", "degrees")


def person_name(reader: XmlReader, element: etree._Element) -> str | None:
    """A person's name parts (first/middle/last, degrees) as one display name."""
    return join_name({part: reader.text(element, part) for part in _PERSON_PARTS})


def contact(reader: XmlReader, element: etree._Element | None, role: str | None) -> dict[str, Any] | None:
    """A contact person with phone and email, or None when the element names nobody reachable."""
    if element is None:
        return None
    name = person_name(reader, element)
    found = compact(
        {
            "name": name,
            "role": role,
            "phone": reader.text(element, "phone"),
            "phoneExt": reader.text(element, "phone_ext"),
            "email": reader.text(element, "email"),
        }
    )
    return found if name or "phone" in found or "email" in found else None


def _contacts(reader: XmlReader, parent: etree._Element, tags: tuple[str, str]) -> list[dict[str, Any]]:
    found = (contact(reader, reader.child(parent, tag), "CONTACT") for tag in tags)
    return [person for person in found if person]


def contacts_locations(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    """contactsLocationsModule: overall officials, central contacts and sites with their contacts."""
    officials = [
        compact(
            {
                "name": person_name(reader, element),
                "affiliation": reader.text(element, "affiliation"),
                "role": reader.mapped(element, "role", vocab.OFFICIAL_ROLE_FROM_PRS),
            }
        )
        for element in reader.children(study, "overall_official")
    ]
    central = _contacts(reader, study, ("overall_contact", "overall_contact_backup"))
    locations = []
    for element in reader.children(study, "location"):
        facility = reader.child(element, "facility")
        address = reader.child(facility, "address")
        contacts = _contacts(reader, element, ("contact", "contact_backup"))
        for person in reader.children(element, "investigator"):
            role = reader.mapped(person, "role", vocab.OFFICIAL_ROLE_FROM_PRS)
            investigator = contact(reader, person, role)
            if investigator:
                contacts.append(investigator)
        locations.append(
            compact(
                {
                    "facility": reader.text(facility, "name"),
                    "status": reader.mapped(element, "status", vocab.RECRUITMENT_STATUS_FROM_PRS),
                    "city": reader.text(address, "city"),
                    "state": reader.text(address, "state"),
                    "zip": reader.text(address, "zip"),
                    "country": reader.text(address, "country"),
                    "contacts": contacts,
                }
            )
        )
    return compact({"centralContacts": central, "overallOfficials": officials, "locations": locations})


def see_also_links(reader: XmlReader, study: etree._Element) -> list[dict[str, Any]]:
    """The study's <link> elements as seeAlsoLinks."""
    return [
        compact({"label": reader.text(e, "description"), "url": reader.text(e, "url")})
        for e in reader.children(study, "link")
    ]
