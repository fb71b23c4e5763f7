"""Forms generated from the record schema: render a module as HTML inputs and parse the posted inputs
back into the module's JSON, with the schema's types.

Every input is named by the JSON Pointer of its value in the record (``/protocolSection/
identificationModule/briefTitle``, list items ``/protocolSection/armsInterventionsModule/armGroups/0/
label``) and its id is that pointer made safe for HTML and CSS (``field_id``), so a finding's pointer
leads straight to its input. An empty input leaves its key out; an object or list left empty goes too.

The HTML is built here, escaped piece by piece, rather than through one template include per field: a
results module of a large trial has thousands of inputs, and per-field template rendering would make the
editor slow exactly where authors spend the most time.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

from registries.enums import MAX_INTEGER_DIGITS
from registries.findings import RegistryError
from registries.jsonread import check_value
from registries.schema import record_schema, resolve
from submissions.web.editor import ui_hints
from submissions.web.editor.modules import Module

SCALAR_KINDS = frozenset({"string", "integer", "number", "boolean"})
_SAFE_ID = re.compile(r"[^A-Za-z0-9_]")
# In a pivoted results table, the inputs of a group's values that have no row yet (see _new_group_rows).
_NEW_GROUP = "+"
_GROUP_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_INTEGER = re.compile(r"^[+-]?\d+$")
# The record schema's own date patterns (schemas/README.md, "Dates").
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_FULL_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ACRONYMS = {
    "id": "ID",
    "ids": "IDs",
    "nct": "NCT",
    "ipd": "IPD",
    "url": "URL",
    "eu": "EU",
    "uk": "UK",
    "us": "US",
    "who": "WHO",
    "sap": "SAP",
    "ci": "CI",
    "fda": "FDA",
    "pmid": "PMID",
    "dmc": "DMC",
    "pip": "PIP",
    "utn": "UTN",
    "ct": "CT",
    "qc": "QC",
    "pct": "percent",
    "num": "number of",
}
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "note": "Note"}


def field_id(pointer: str) -> str:
    """The HTML id of the input for ``pointer``: ``f`` then the pointer with every character other than
    a letter, digit or underscore replaced by ``-`` (``/a/0/b`` -> ``f-a-0-b``). Record keys are
    identifiers, so the mapping is one to one; the browser tests and the trial page rely on it."""
    return "f" + _SAFE_ID.sub("-", pointer)


def _humanise(name: str) -> str:
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name) or [name]
    text = " ".join(_ACRONYMS.get(word.lower(), word.lower()) for word in words)
    return text[:1].upper() + text[1:]


def enum_label(code: str) -> str:
    if code in ui_hints.ENUM_LABELS:
        return ui_hints.ENUM_LABELS[code]
    text = code.replace("_", " ").lower()
    return text[:1].upper() + text[1:]


def _hint(table: Mapping[str, str], pattern: str) -> str | None:
    return table.get(pattern)


@dataclass(frozen=True)
class Node:
    """One place in the record schema, resolved and annotated for the editor. ``pattern`` is its pointer
    with ``*`` for list indices."""

    kind: str
    pattern: str
    name: str
    label: str
    help: str
    properties: tuple[Node, ...] = ()
    items: Node | None = None
    enum: tuple[str, ...] = ()
    max_length: int | None = None
    date: str = ""
    required: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_grid(self) -> bool:
        """A list of flat rows (every column a scalar): shown as an editable table."""
        return (
            self.kind == "array"
            and self.items is not None
            and self.items.kind == "object"
            and all(prop.kind in SCALAR_KINDS for prop in self.items.properties)
        )

    @property
    def pivot_list(self) -> Node | None:
        """For a row object whose fields are scalars but for one list of values per group (flat rows
        with a ``groupId``: flow counts, measurements, adverse event counts), that list."""
        if self.kind != "object":
            return None
        lists = [prop for prop in self.properties if prop.kind not in SCALAR_KINDS]
        if len(lists) != 1 or not lists[0].is_grid or lists[0].items is None:
            return None
        return lists[0] if any(column.name == "groupId" for column in lists[0].items.properties) else None

    @property
    def multiline(self) -> bool:
        return (
            self.kind == "string" and not self.enum and (self.max_length or 0) >= ui_hints.TEXTAREA_MIN_LENGTH
        )


def _date_kind(schema: Mapping[str, Any]) -> str:
    defs = record_schema()["$defs"]
    pattern = schema.get("pattern")
    if pattern == defs["PartialDate"]["pattern"]:
        return "partial"
    if pattern == defs["FullDate"]["pattern"]:
        return "full"
    return ""


def _compile(schema: Mapping[str, Any], pattern: str, name: str, depth: int = 0) -> Node:
    if depth > 16:
        raise ValueError(f"The record schema nests deeper than the editor expects at {pattern}.")
    resolved = resolve(schema)
    kind = resolved.get("type", "string")
    label = ui_hints.FIELD_LABELS.get(pattern) or ui_hints.NAME_LABELS.get(name) or _humanise(name)
    help_text = ui_hints.FIELD_HELP.get(pattern) or str(resolved.get("description", ""))
    if kind == "object":
        properties: dict[str, Any] = resolved.get("properties", {})
        first = [key for key in ui_hints.FIELD_ORDER.get(pattern, []) if key in properties]
        ordered = first + [key for key in properties if key not in first]
        props = tuple(_compile(properties[key], f"{pattern}/{key}", key, depth + 1) for key in ordered)
        return Node(
            kind,
            pattern,
            name,
            label,
            help_text,
            properties=props,
            required=frozenset(resolved.get("required", ())),
        )
    if kind == "array":
        items = _compile(resolved.get("items", {}), f"{pattern}/*", name, depth + 1)
        return Node(kind, pattern, name, label, help_text, items=items)
    return Node(
        kind,
        pattern,
        name,
        label,
        help_text,
        enum=tuple(resolved.get("enum", ())),
        max_length=resolved.get("maxLength"),
        date=_date_kind(resolved),
    )


@cache
def module_node(module: Module) -> Node:
    """The compiled schema of ``module`` (cached: the schema does not change while the process runs)."""
    schema: Any = record_schema()
    for token in module.tokens:
        schema = resolve(schema)["properties"][token]
    return _compile(schema, module.pointer, module.tokens[-1])


def _pattern_of(pointer: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/*", pointer)


# --- parsing ---------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """A module parsed from a form: its value (invalid scalars kept as the text typed, so the form can
    show them again) and one message per invalid field, by pointer."""

    value: Any
    errors: dict[str, str]


def _tree(pairs: Iterable[tuple[str, str]], prefix: str) -> dict[str, Any]:
    """Posted fields under ``prefix`` as a tree of pointer tokens; each leaf holds the list of values."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        if key != prefix and not key.startswith(prefix + "/"):
            continue
        node = root
        for token in key[len(prefix) :].split("/")[1:]:
            node = node.setdefault(token, {})
        node.setdefault("", []).append(value)
    return root


def scalar_from_text(node: Node, text: str) -> tuple[Any, str | None]:
    """The typed value of ``text`` for a scalar field, or the text and a message saying what to enter."""
    try:
        # The bounded reader's rules for text (no NUL, no lone surrogate): what the domain would refuse
        # for the whole record is refused here at its own field.
        check_value(text)
    except RegistryError as error:
        return text.replace("\x00", ""), error.message
    if node.kind == "string":
        if node.enum and text not in node.enum:
            return text, "Choose one of the listed values: " + ", ".join(node.enum) + "."
        if node.date == "partial" and not _PARTIAL_DATE.match(text):
            return text, "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2027-01-15)."
        if node.date == "full" and not _FULL_DATE.match(text):
            return text, "Enter a full date as YYYY-MM-DD (e.g. 2027-01-15)."
        return text, None
    stripped = text.strip()
    if node.kind in ("integer", "number") and len(stripped) > MAX_INTEGER_DIGITS:
        return text, f"Enter a number of at most {MAX_INTEGER_DIGITS} digits."
    if node.kind == "integer":
        if _INTEGER.match(stripped):
            return int(stripped), None
        return text, f"Enter a whole number (digits only), not {_shown(text)}."
    if node.kind == "number":
        if _INTEGER.match(stripped):
            return int(stripped), None
        if _NUMBER.match(stripped) and math.isfinite(float(stripped)):
            return float(stripped), None
        return text, f"Enter a number, not {_shown(text)}."
    if node.kind == "boolean":
        if stripped in ("true", "false"):
            return stripped == "true", None
        return text, "Choose Yes or No (true or false)."
    return text, None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _scalar(node: Node, text: str, pointer: str, errors: dict[str, str]) -> Any:
    value, message = scalar_from_text(node, text)
    if message:
        errors[pointer] = message
    return value


def _parse(
    node: Node, tree: dict[str, Any], pointer: str, errors: dict[str, str], keep_rows: bool = False
) -> Any:
    if node.kind == "object":
        result: dict[str, Any] = {}
        for prop in node.properties:
            if prop.name in tree:
                value = _parse(prop, tree[prop.name], f"{pointer}/{prop.name}", errors, keep_rows)
                if value is not None:
                    result[prop.name] = value
        return result or None
    if node.kind == "array":
        assert node.items is not None
        if node.items.enum and "" in tree:
            # A set of checkboxes: the values ticked, in the schema's order.
            ticked = [text for text in tree[""] if text]
            unknown = [text for text in ticked if text not in node.items.enum]
            if unknown:
                errors[pointer] = f"Unknown value {unknown[0]!r}; choose from the listed values."
                return ticked
            return [code for code in node.items.enum if code in ticked] or None
        if not node.items.enum and node.items.kind == "string" and "" in tree:
            # A set of checkboxes over values the form knew (an analysis's groups): ticked, in form order.
            return [text for text in tree[""] if text] or None
        indices = sorted(int(token) for token in tree if token.isdigit())
        items = [
            _parse(node.items, tree[str(index)], f"{pointer}/{index}", errors, keep_rows) for index in indices
        ]
        if keep_rows:
            # While rows are being added and removed, an empty row stays on the form for the author to fill.
            items = [
                ({} if node.items.kind == "object" else None) if item is None else item for item in items
            ]
        items.extend(_new_group_rows(node, tree, pointer, errors))
        if keep_rows:
            return items
        kept = [item for item in items if item is not None]
        return kept or None
    texts = [text for text in tree.get("", []) if text is not None]
    text = texts[-1] if texts else ""
    text = text.replace("\r\n", "\n")
    if not text.strip():
        return None
    return _scalar(node, text, pointer, errors)


def _new_group_rows(node: Node, tree: dict[str, Any], pointer: str, errors: dict[str, str]) -> list[Any]:
    """Rows of a per-group list that did not exist yet: a pivoted table names their inputs ``+<group
    id>`` instead of an index (``.../stats/+EG001/numAffected``); a row is created, with its group, only
    when something was typed in it."""
    assert node.items is not None
    rows: list[Any] = []
    for token, subtree in tree.items():
        if not token.startswith(_NEW_GROUP) or node.items.kind != "object":
            continue
        row = _parse(node.items, subtree, f"{pointer}/{token}", errors)
        if row is not None:
            rows.append({"groupId": token[len(_NEW_GROUP) :], **row})
    return rows


def parse_module(module: Module, pairs: Iterable[tuple[str, str]], *, keep_rows: bool = False) -> Parsed:
    """The module's value from posted ``(name, value)`` pairs, typed by the schema. Pairs outside the
    module are ignored. Messages for values of the wrong type are keyed by the pointer of their input
    *as posted*; lists are compacted (an emptied row disappears), so the value is re-rendered with
    renumbered errors. With ``keep_rows`` (adding or removing a row, nothing saved) empty rows stay."""
    errors: dict[str, str] = {}
    node = module_node(module)
    tree = _tree(pairs, module.pointer)
    value = _parse(node, tree, module.pointer, errors, keep_rows)
    if errors and not keep_rows:
        errors = _renumber(node, tree, module.pointer, errors)
    return Parsed(value=value, errors=errors)


def _renumber(node: Node, tree: dict[str, Any], pointer: str, errors: dict[str, str]) -> dict[str, str]:
    """Error pointers as they are after empty rows were dropped and indices compacted."""
    mapping: dict[str, str] = {}

    def walk(current: Node, subtree: dict[str, Any], posted: str, compact: str) -> None:
        if current.kind == "object":
            for prop in current.properties:
                if prop.name in subtree:
                    walk(prop, subtree[prop.name], f"{posted}/{prop.name}", f"{compact}/{prop.name}")
        elif current.kind == "array" and current.items is not None and not current.items.enum:
            position = 0
            for index in sorted(int(token) for token in subtree if token.isdigit()):
                child = subtree[str(index)]
                if _parse(current.items, child, "", {}) is None:
                    continue
                walk(current.items, child, f"{posted}/{index}", f"{compact}/{position}")
                position += 1
            for token, child in subtree.items():
                if token.startswith(_NEW_GROUP) and _parse(current.items, child, "", {}) is not None:
                    walk(current.items, child, f"{posted}/{token}", f"{compact}/{position}")
                    position += 1
        mapping[posted] = compact

    walk(node, tree, pointer, pointer)
    return {mapping.get(key, key): message for key, message in errors.items()}


# --- rendering -------------------------------------------------------------------------------------


@dataclass
class RenderedModule:
    html: str
    # Each finding of the module with the id of the field it is shown at (its own field, or the nearest
    # rendered field above it, e.g. the list a missing row belongs to).
    placed: list[tuple[dict[str, Any], str]]


def finding_item(finding: Mapping[str, Any], registry_names: Mapping[str, str]) -> str:
    severity = str(finding.get("severity", "note"))
    registry = registry_names.get(str(finding.get("registry", "")), str(finding.get("registry", "")))
    source = (
        f' <span class="finding-source">{escape(str(finding["source"]))}</span>'
        if finding.get("source")
        else ""
    )
    return (
        f'<li class="finding finding-{escape(severity)}" '
        f'data-pointer="{escape(str(finding.get("pointer", "")))}">'
        f'<span class="severity">{escape(SEVERITY_LABELS.get(severity, severity))}</span> '
        f'<span class="finding-registry">{escape(registry)}</span>: '
        f"{escape(str(finding.get('message', '')))} "
        f'<code class="finding-code">{escape(str(finding.get("code", "")))}</code>{source}</li>'
    )


class _Renderer:
    # Pointers go into attributes unescaped: the renderer builds them only from the schema's property
    # names, list indices and group ids that match _GROUP_ID, none of which holds a character HTML treats
    # specially (escaping tens of thousands of them was a tenth of a large results page's time). Values,
    # labels and findings are always escaped.
    def __init__(self, errors: Mapping[str, str], readonly: bool) -> None:
        self.errors = errors
        self.readonly = readonly
        self.parts: list[str] = []
        # Where the findings of a rendered field go (position in ``parts``, pointer), filled once every
        # field of the page is known; kept apart from ``parts`` so the page is built of plain strings.
        self.slots: list[tuple[int, str]] = []
        self.rendered: set[str] = set()
        self._heads: dict[int, tuple[str, list[tuple[Node, str]]]] = {}
        self._options: dict[int, list[tuple[str, str]]] = {}
        self._helped: set[int] = set()
        # The groups (id, label) of the results tables being rendered, innermost last.
        self.groups: list[list[tuple[str, str]]] = []

    def _slot(self, pointer: str) -> None:
        self.slots.append((len(self.parts), pointer))
        self.parts.append("")

    # The add and remove buttons submit the form to the module page, which shows it again with one row
    # more or less and nothing saved: it works without scripts.
    def _button(self, action: str, pointer: str, text: str, label: str) -> str:
        if self.readonly:
            return ""
        return (
            f'<button type="submit" class="row-{action}" name="_{action}" value="{pointer}" '
            f'formnovalidate aria-label="{escape(label)}">{escape(text)}</button>'
        )

    def _error(self, pointer: str, fid: str) -> str:
        message = self.errors.get(pointer)
        if not message:
            return ""
        return f'<p class="field-error" id="{fid}-error" role="alert">{escape(message)}</p>'

    def _describedby(self, pointer: str, fid: str, with_help: bool) -> str:
        ids = [f"{fid}-help"] if with_help else []
        if pointer in self.errors:
            ids.append(f"{fid}-error")
        extra = ' aria-invalid="true"' if pointer in self.errors else ""
        return (f' aria-describedby="{" ".join(ids)}"' if ids else "") + extra

    def control(self, node: Node, value: Any, pointer: str, fid: str, attrs: str) -> str:
        name = pointer
        if node.kind == "boolean":
            text = "true" if value is True else "false" if value is False else str(value or "")
            options = [("", "Not given"), ("true", "Yes"), ("false", "No")]
            if text not in ("", "true", "false"):
                options.append((text, text))
            return self._select(fid, name, attrs, options, text)
        # An object or array where a scalar belongs (a legacy record) is shown shortened: str() of a deeply
        # nested one recurses once per level and can exhaust the recursion limit.
        text = reprlib.repr(value) if isinstance(value, dict | list) else "" if value is None else str(value)
        if node.name == "groupId" and node.kind == "string" and self.groups:
            # A results value names its group: choose among the groups of the table it belongs to.
            options = [("", "Not given"), *self.groups[-1]]
            if text and text not in {code for code, _ in options}:
                options.append((text, f"{text} (no such group)"))
            return self._select(fid, name, attrs, options, text)
        if node.enum:
            if id(node) not in self._options:
                self._options[id(node)] = [("", "Not given")] + [
                    (code, enum_label(code)) for code in node.enum
                ]
            options = self._options[id(node)]
            if text and text not in node.enum:
                options = [*options, (text, text)]
            return self._select(fid, name, attrs, options, text)
        if node.multiline:
            # A newline right after <textarea> is dropped by HTML parsers, so one is added to keep a
            # value that starts with a newline.
            return (
                f'<textarea id="{fid}" name="{name}" rows="{4 if (node.max_length or 0) > 1000 else 2}" '
                f'maxlength="{node.max_length}"{attrs}>\n{escape(text)}</textarea>'
            )
        extra = ""
        if node.date:
            placeholder = "YYYY-MM-DD" if node.date == "full" else "YYYY or YYYY-MM or YYYY-MM-DD"
            extra = f' class="date" placeholder="{placeholder}" size="12"'
        elif node.kind in ("integer", "number"):
            mode = "numeric" if node.kind == "integer" else "decimal"
            extra = f' class="number" inputmode="{mode}" size="8"'
        elif node.max_length:
            extra = f' maxlength="{node.max_length}"'
        return f'<input type="text" id="{fid}" name="{name}" value="{escape(text)}"{extra}{attrs}>'

    @staticmethod
    def _select(fid: str, name: str, attrs: str, options: list[tuple[str, str]], current: str) -> str:
        rendered = "".join(
            f'<option value="{escape(code)}"{" selected" if code == current else ""}>{escape(label)}</option>'
            for code, label in options
        )
        return f'<select id="{fid}" name="{name}"{attrs}>{rendered}</select>'

    def render(self, node: Node, value: Any, pointer: str, label: str | None = None) -> None:
        self.rendered.add(pointer)
        if node.kind == "object":
            self.object(node, value if isinstance(value, dict) else {}, pointer, label)
        elif node.kind == "array":
            self.array(node, value if isinstance(value, list) else [], pointer, label)
        else:
            self.scalar(node, value, pointer, label)

    def scalar(self, node: Node, value: Any, pointer: str, label: str | None) -> None:
        fid = field_id(pointer)
        help_html = f'<p class="help" id="{fid}-help">{escape(node.help)}</p>' if node.help else ""
        self.parts.append(
            f'<div class="field field-{node.kind}" data-pointer="{pointer}">'
            f'<label for="{fid}">{escape(label or node.label)}</label>'
            + self.control(node, value, pointer, fid, self._describedby(pointer, fid, bool(node.help)))
            + help_html
            + self._error(pointer, fid)
        )
        self._slot(pointer)
        self.parts.append("</div>")

    def object(
        self, node: Node, value: dict[str, Any], pointer: str, label: str | None, legend: bool = True
    ) -> None:
        fid = field_id(pointer)
        self.parts.append(f'<fieldset class="group" id="{fid}" data-pointer="{pointer}">')
        if legend:
            self.parts.append(f"<legend>{escape(label or node.label)}</legend>")
            if node.help:
                self.parts.append(f'<p class="help">{escape(node.help)}</p>')
        self.parts.append(self._error(pointer, fid))
        self._slot(pointer)
        groups = _groups_of(value)
        if groups is not None:
            self.groups.append(groups)
        for prop in node.properties:
            self.render(prop, value.get(prop.name), f"{pointer}/{prop.name}")
        if groups is not None:
            self.groups.pop()
        self.parts.append("</fieldset>")

    def array(self, node: Node, value: list[Any], pointer: str, label: str | None) -> None:
        assert node.items is not None
        fid = field_id(pointer)
        title = escape(label or node.label)
        if node.items.enum:
            self.checkboxes(node, value, pointer, fid, title)
            return
        if node.name == "groupIds" and node.items.kind == "string" and self.groups:
            # The groups an analysis compares: ticked among the groups of its outcome measure.
            ticked = [str(code) for code in value]
            others = [(code, label) for code, label in self.groups[-1] if code not in ticked]
            labels = dict(self.groups[-1])
            choices = [(code, labels.get(code, f"{code} (no such group)")) for code in ticked] + others
            self.checkboxes(node, value, pointer, fid, title, choices)
            return
        self.parts.append(f'<fieldset class="list" id="{fid}" data-pointer="{pointer}">')
        self.parts.append(f"<legend>{title}</legend>")
        if node.help:
            self.parts.append(f'<p class="help">{escape(node.help)}</p>')
        self.parts.append(self._error(pointer, fid))
        self._slot(pointer)
        if node.is_grid:
            self.grid(node, value, pointer, title)
        elif self._pivotable(node, value):
            self.pivot(node, value, pointer, title)
        else:
            for index, item in enumerate(value):
                item_pointer = f"{pointer}/{index}"
                item_label = f"{node.label} {index + 1}"
                if node.items.kind == "object":
                    self.rendered.add(item_pointer)
                    self.parts.append(
                        f'<fieldset class="row" id="{field_id(item_pointer)}" '
                        f'data-pointer="{item_pointer}"><legend>{escape(item_label)}</legend>'
                    )
                    self.parts.append(self._button("remove", item_pointer, "Remove", f"Remove {item_label}"))
                    self._slot(item_pointer)
                    self.object(
                        node.items, item if isinstance(item, dict) else {}, item_pointer, None, legend=False
                    )
                    self.parts.append("</fieldset>")
                else:
                    self.parts.append('<div class="row-scalar">')
                    self.render(node.items, item, item_pointer, item_label)
                    self.parts.append(self._button("remove", item_pointer, "Remove", f"Remove {item_label}"))
                    self.parts.append("</div>")
        self.parts.append(self._button("add", pointer, "Add", f"Add to {node.label}"))
        self.parts.append("</fieldset>")

    def checkboxes(
        self,
        node: Node,
        value: list[Any],
        pointer: str,
        fid: str,
        title: str,
        choices: list[tuple[str, str]] | None = None,
    ) -> None:
        assert node.items is not None
        if choices is None:
            choices = [(code, enum_label(code)) for code in node.items.enum]
        self.parts.append(f'<fieldset class="choices" id="{fid}" data-pointer="{pointer}">')
        self.parts.append(f"<legend>{title}</legend>")
        if node.help:
            self.parts.append(f'<p class="help">{escape(node.help)}</p>')
        self.parts.append(self._error(pointer, fid))
        self._slot(pointer)
        # An empty hidden value tells the parser the list was on the form even when nothing is ticked.
        self.parts.append(f'<input type="hidden" name="{pointer}" value="">')
        for code, text in choices:
            box_id = f"{fid}--{_SAFE_ID.sub('-', code)}"
            checked = " checked" if code in value else ""
            self.parts.append(
                f'<label class="choice" for="{box_id}"><input type="checkbox" id="{box_id}" '
                f'name="{pointer}" value="{escape(code)}"{checked}> '
                f"{escape(text)}</label>"
            )
        self.parts.append("</fieldset>")

    def _pivotable(self, node: Node, rows: list[Any]) -> bool:
        """Whether the rows can be shown with one column group per group of the table: every value of
        theirs names a distinct group of the table (anything else is shown row by row, so nothing is
        hidden)."""
        if node.items is None or node.items.pivot_list is None or not self.groups:
            return False
        known = {code for code, _ in self.groups[-1]}
        if not all(_GROUP_ID.match(code) for code in known):
            return False
        name = node.items.pivot_list.name
        for row in rows:
            if not isinstance(row, dict):
                return False
            values = row.get(name, [])
            if not isinstance(values, list):
                return False
            codes = [entry.get("groupId") if isinstance(entry, dict) else None for entry in values]
            if any(code not in known for code in codes) or len(set(codes)) != len(codes):
                return False
        return True

    def pivot(self, node: Node, rows: list[Any], pointer: str, title: str) -> None:
        """Rows as table rows, their scalar fields first, then per group of the table its values (the
        way registries show participant flow, measurements and adverse events)."""
        assert node.items is not None
        assert node.items.pivot_list is not None
        per_group = node.items.pivot_list
        assert per_group.items is not None
        own = [
            (column, escape(column.label)) for column in node.items.properties if column.kind in SCALAR_KINDS
        ]
        head = "".join(f'<th scope="col">{label}</th>' for _, label in own)
        values = [
            (column, escape(column.label))
            for column in per_group.items.properties
            if column.name != "groupId"
        ]
        groups = self.groups[-1]
        self.parts.append(self._grid_help(node, tuple(column for column, _ in values)))
        group_heads = "".join(
            f'<th scope="colgroup" colspan="{len(values)}">{escape(label)}</th>' for _, label in groups
        )
        value_heads = "".join(f'<th scope="col">{label}</th>' for _ in groups for _, label in values)
        plain = head.replace('<th scope="col">', '<th scope="col" rowspan="2">')
        self.parts.append(
            f'<div class="grid-scroll"><table class="grid pivot"><caption class="visually-hidden">{title}'
            f'</caption><thead><tr><th scope="col" rowspan="2">#</th>{plain}{group_heads}'
            '<th scope="col" rowspan="2"><span class="visually-hidden">Row actions</span></th></tr>'
            f"<tr>{value_heads}</tr></thead><tbody>"
        )
        for index, row in enumerate(rows):
            row_pointer = f"{pointer}/{index}"
            self.rendered.add(row_pointer)
            row_values = row if isinstance(row, dict) else {}
            row_id = field_id(row_pointer)
            self.parts.append(
                f'<tr id="{row_id}" data-pointer="{row_pointer}"><th scope="row">{index + 1}</th>'
            )
            for column, label in own:
                self._cell(
                    column,
                    label,
                    row_values.get(column.name),
                    f"{row_pointer}/{column.name}",
                    index,
                    fid=f"{row_id}-{column.name}",
                )
            entries = row_values.get(per_group.name) or []
            position = {entry["groupId"]: number for number, entry in enumerate(entries)}
            list_pointer = f"{row_pointer}/{per_group.name}"
            self.rendered.add(list_pointer)
            for code, group_label in groups:
                number = position.get(code)
                if number is None:
                    entry_pointer, entry = f"{list_pointer}/{_NEW_GROUP}{code}", {}
                    hidden = ""
                else:
                    entry_pointer, entry = f"{list_pointer}/{number}", entries[number]
                    self.rendered.add(entry_pointer)
                    hidden = f'<input type="hidden" name="{entry_pointer}/groupId" value="{escape(code)}">'
                entry_id = field_id(entry_pointer)
                group_text = escape(group_label)
                for place, (column, label) in enumerate(values):
                    self._cell(
                        column,
                        f"{label}, {group_text}",
                        entry.get(column.name),
                        f"{entry_pointer}/{column.name}",
                        index,
                        fid=f"{entry_id}-{column.name}",
                        prefix=hidden if place == 0 else "",
                        real=number is not None,
                    )
            self.parts.append("<td>")
            self._slot(row_pointer)
            self.parts.append(
                self._button("remove", row_pointer, "Remove", f"Remove row {index + 1} of {node.label}")
            )
            self.parts.append("</td></tr>")
        self.parts.append("</tbody></table></div>")

    def _cell(
        self,
        column: Node,
        label: str,
        value: Any,
        pointer: str,
        index: int,
        *,
        fid: str,
        prefix: str = "",
        real: bool = True,
    ) -> None:
        attrs = f' aria-label="{label}, row {index + 1}"'
        if pointer in self.errors:
            attrs += self._describedby(pointer, fid, False)
        self.parts.append(
            "<td>" + prefix + self.control(column, value, pointer, fid, attrs) + self._error(pointer, fid)
        )
        if real:
            self.rendered.add(pointer)
            self._slot(pointer)
        self.parts.append("</td>")

    def _grid_head(self, node: Node) -> tuple[str, list[tuple[Node, str]]]:
        cached = self._heads.get(id(node))
        if cached is None:
            assert node.items is not None
            columns = [(column, escape(column.label)) for column in node.items.properties]
            head = "".join(f'<th scope="col">{label}</th>' for column, label in columns)
            cached = self._heads[id(node)] = (head, columns)
        return cached

    def _grid_help(self, node: Node, extra: tuple[Node, ...] = ()) -> str:
        """What each column means, once per kind of table on the page (an outcome measure page repeats
        the same measurement table for every category)."""
        if id(node) in self._helped or node.items is None:
            return ""
        self._helped.add(id(node))
        columns = [column for column in node.items.properties if column.kind in SCALAR_KINDS] + list(extra)
        entries = "".join(
            f"<dt>{escape(column.label)}</dt><dd>{escape(column.help)}</dd>"
            for column in columns
            if column.help
        )
        return (
            f'<details class="grid-help"><summary>What the columns mean</summary><dl>{entries}</dl></details>'
        )

    def grid(self, node: Node, rows: list[Any], pointer: str, title: str) -> None:
        head, columns = self._grid_head(node)
        self.parts.append(self._grid_help(node))
        self.parts.append(
            f'<div class="grid-scroll"><table class="grid"><caption class="visually-hidden">{title}</caption>'
            f'<thead><tr><th scope="col">#</th>{head}<th scope="col">'
            '<span class="visually-hidden">Row actions'
            "</span></th></tr></thead><tbody>"
        )
        for index, row in enumerate(rows):
            row_pointer = f"{pointer}/{index}"
            self.rendered.add(row_pointer)
            row_values = row if isinstance(row, dict) else {}
            row_id = field_id(row_pointer)
            self.parts.append(
                f'<tr id="{row_id}" data-pointer="{row_pointer}"><th scope="row">{index + 1}</th>'
            )
            for column, label in columns:
                cell_pointer = f"{row_pointer}/{column.name}"
                self.rendered.add(cell_pointer)
                fid = f"{row_id}-{column.name}"
                attrs = f' aria-label="{label}, row {index + 1}"'
                if cell_pointer in self.errors:
                    attrs += self._describedby(cell_pointer, fid, False)
                self.parts.append(
                    "<td>"
                    + self.control(column, row_values.get(column.name), cell_pointer, fid, attrs)
                    + self._error(cell_pointer, fid)
                )
                self._slot(cell_pointer)
                self.parts.append("</td>")
            self.parts.append("<td>")
            self._slot(row_pointer)
            self.parts.append(
                self._button("remove", row_pointer, "Remove", f"Remove row {index + 1} of {node.label}")
            )
            self.parts.append("</td></tr>")
        self.parts.append("</tbody></table></div>")


# Lists of groups that results values refer to by ``groupId`` (API v2 participant flow, baseline,
# outcome measure and adverse event groups).
_GROUP_LISTS = ("groups", "eventGroups")


def _groups_of(value: dict[str, Any]) -> list[tuple[str, str]] | None:
    for key in _GROUP_LISTS:
        groups = value.get(key)
        if isinstance(groups, list) and groups:
            return [
                (str(group["id"]), _group_label(group))
                for group in groups
                if isinstance(group, dict) and isinstance(group.get("id"), str)
            ]
    return None


def _group_label(group: dict[str, Any]) -> str:
    title = str(group.get("title", ""))
    title = title if len(title) <= 40 else title[:39] + "…"
    return f"{group['id']}: {title}" if title else str(group["id"])


def _placement(pointer: str, rendered: set[str], root: str) -> str:
    current = pointer
    while current and current not in rendered:
        current = current.rsplit("/", 1)[0]
    return current if current in rendered else root


def render_module(
    module: Module,
    value: Any,
    *,
    findings: list[dict[str, Any]],
    errors: Mapping[str, str] | None = None,
    readonly: bool = False,
    registry_names: Mapping[str, str] | None = None,
) -> RenderedModule:
    """The module's inputs holding ``value``, each with its error message and the findings that point
    at it (findings of a field that is not on the page go to the nearest one above it)."""
    renderer = _Renderer(errors or {}, readonly)
    node = module_node(module)
    renderer.render(node, value, module.pointer, module.label)
    names = registry_names or {}
    by_place: dict[str, list[dict[str, Any]]] = {}
    placed: list[tuple[dict[str, Any], str]] = []
    for finding in findings:
        place = _placement(str(finding.get("pointer", "")), renderer.rendered, module.pointer)
        by_place.setdefault(place, []).append(finding)
        placed.append((finding, field_id(place)))
    parts = renderer.parts
    if by_place:
        for position, pointer in renderer.slots:
            here = by_place.get(pointer)
            if here:
                parts[position] = (
                    '<ul class="findings-inline">' + "".join(finding_item(f, names) for f in here) + "</ul>"
                )
    return RenderedModule(html="".join(parts), placed=placed)


def anchor_pointer(module: Module, value: Any, pointer: str) -> str:
    """The pointer of the place on the module page that shows ``pointer``: the field itself when the form
    has it, else the nearest one above it (a list whose row is missing, a set of checkboxes, an object
    holding a key the schema does not know)."""
    node = module_node(module)
    if pointer != module.pointer and not pointer.startswith(module.pointer + "/"):
        return module.pointer
    current = module.pointer
    for token in [token for token in pointer[len(module.pointer) :].split("/") if token]:
        if node.kind == "object":
            child = next((prop for prop in node.properties if prop.name == token), None)
            if child is None:
                return current
            node, value = child, value.get(token) if isinstance(value, dict) else None
        elif node.kind == "array" and node.items is not None:
            if (
                node.items.enum
                or not token.isdigit()
                or not isinstance(value, list)
                or int(token) >= len(value)
            ):
                return current
            node, value = node.items, value[int(token)]
        else:
            return current
        current = f"{current}/{token}"
    return current


def add_row(value: Any, module: Module, array_pointer: str) -> Any:
    """``value`` with an empty row appended to the list at ``array_pointer`` (inside the module)."""
    return _edit_list(value, module, array_pointer, None)


def remove_row(value: Any, module: Module, item_pointer: str) -> Any:
    """``value`` without the list item at ``item_pointer`` (inside the module)."""
    array_pointer, _, index = item_pointer.rpartition("/")
    if not index.isdigit():
        return value
    return _edit_list(value, module, array_pointer, int(index))


def _edit_list(value: Any, module: Module, array_pointer: str, remove: int | None) -> Any:
    if array_pointer != module.pointer and not array_pointer.startswith(module.pointer + "/"):
        return value
    node = module_node(module)
    tokens = [token for token in array_pointer[len(module.pointer) :].split("/") if token]
    container: Any = value
    # Walk the schema beside the value, creating what the path needs.
    if node.kind == "array" and not tokens:
        items = container if isinstance(container, list) else []
        return _apply(items, node, remove)
    root = container if isinstance(container, (dict, list)) else ([] if node.kind == "array" else {})
    current: Any = root
    current_node = node
    for position, token in enumerate(tokens):
        last = position == len(tokens) - 1
        if current_node.kind == "object" and isinstance(current, dict):
            child = next((prop for prop in current_node.properties if prop.name == token), None)
            if child is None:
                return value
            if last:
                if child.kind != "array":
                    return value
                existing = current.get(token)
                current[token] = _apply(existing if isinstance(existing, list) else [], child, remove)
                return root
            if not isinstance(current.get(token), (dict, list)):
                current[token] = [] if child.kind == "array" else {}
            current, current_node = current[token], child
        elif current_node.kind == "array" and isinstance(current, list) and token.isdigit():
            index = int(token)
            if index >= len(current) or current_node.items is None:
                return value
            if not isinstance(current[index], (dict, list)):
                current[index] = {}
            current, current_node = current[index], current_node.items
        else:
            return value
    return root


def _apply(items: list[Any], node: Node, remove: int | None) -> list[Any]:
    if remove is None:
        assert node.items is not None
        return [*items, {} if node.items.kind == "object" else None]
    return [item for index, item in enumerate(items) if index != remove]
