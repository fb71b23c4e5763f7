"""The results tables as CSV, for authors who keep them in a spreadsheet or a statistics package.

One CSV per results module (participant flow, baseline characteristics, outcome measures with their
analyses, adverse events). The nested results structure becomes one flat sheet: each row is one object
of the module, named by ``part`` (the path of lists leading to it, e.g. ``classes.categories.
measurements`` within an outcome measure) and ``index`` (its 1-based position in each of those lists,
e.g. ``1.2.1.3``); the other columns are that object's fields, named as in the record schema. Rows come
parent first, so the file reads top to bottom like the table on the registry's site. The columns are
derived from the record schema, never listed by hand.

Import reads the whole file before anything changes: the first problem found is reported with its row
and column, and the module is left as it was.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from submissions.web.editor.formtree import SCALAR_KINDS, Node, module_node, scalar_from_text
from submissions.web.editor.modules import Module, module_by_slug

# The results modules that are tables (ClinicalTrials.gov PRS results data element definitions:
# participant flow, baseline characteristics, outcome measures, adverse events).
TABLE_MODULES = (
    "participantFlowModule",
    "baselineCharacteristicsModule",
    "outcomeMeasuresModule",
    "adverseEventsModule",
)
MODULE_PART = "module"
# A results table of a very large trial is well under a megabyte of CSV; anything far above is not one.
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 100_000


class CsvImportError(Exception):
    """A CSV that cannot become the table; ``row`` and ``column`` say where (row 1 is the header)."""

    def __init__(self, code: str, message: str, *, row: int | None = None, column: str | None = None) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix[:1].upper() + prefix[1:] + message)
        self.code = code
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Column:
    name: str
    node: Node
    path: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One kind of row: the objects at ``lists`` (a list name per level, below the module)."""

    name: str
    lists: tuple[tuple[str, ...], ...]
    node: Node
    columns: tuple[Column, ...]
    scalar_items: bool = False


@dataclass(frozen=True)
class Table:
    module: Module

    @property
    def slug(self) -> str:
        return self.module.slug

    @property
    def label(self) -> str:
        return self.module.label


def tables_of(module: Module) -> list[Table]:
    return [Table(module)] if module.slug in TABLE_MODULES else []


def table_by_slug(slug: str) -> Table | None:
    module = module_by_slug(slug)
    return Table(module) if module is not None and slug in TABLE_MODULES else None


def _columns(
    node: Node, prefix: str, path: tuple[str, ...]
) -> tuple[list[Column], list[tuple[tuple[str, ...], Node]]]:
    """The scalar columns of an object (nested objects flattened with dots) and the lists inside it."""
    columns: list[Column] = []
    lists: list[tuple[tuple[str, ...], Node]] = []
    for prop in node.properties:
        if prop.kind in SCALAR_KINDS:
            columns.append(Column(prefix + prop.name, prop, (*path, prop.name)))
        elif prop.kind == "object":
            nested_columns, nested_lists = _columns(prop, f"{prefix}{prop.name}.", (*path, prop.name))
            columns.extend(nested_columns)
            lists.extend(nested_lists)
        elif prop.kind == "array":
            lists.append(((*path, prop.name), prop))
    return columns, lists


def _collect(node: Node, name: str, lists: tuple[tuple[str, ...], ...], into: list[Part]) -> None:
    columns, children = _columns(node, "", ())
    into.append(Part(name, lists, node, tuple(columns)))
    for path, array in children:
        assert array.items is not None
        child_name = ".".join(filter(None, (name if name != MODULE_PART else "", ".".join(path))))
        if array.items.kind == "object":
            _collect(array.items, child_name, (*lists, path), into)
        else:
            column = Column("value", array.items, ())
            into.append(Part(child_name, (*lists, path), array.items, (column,), scalar_items=True))


@cache
def parts(table: Table) -> tuple[Part, ...]:
    collected: list[Part] = []
    _collect(module_node(table.module), MODULE_PART, (), collected)
    return tuple(collected)


@cache
def header(table: Table) -> tuple[str, ...]:
    names: list[str] = ["part", "index"]
    for part in parts(table):
        for column in part.columns:
            if column.name not in names:
                names.append(column.name)
    return tuple(names)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for token in path:
        if not isinstance(value, dict):
            return None
        value = value.get(token)
    return value


def export_csv(table: Table, value: Any) -> str:
    """The module's value as CSV text (header, then one row per object, parents first)."""
    names = header(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    by_name = {part.name: part for part in parts(table)}

    def emit(part: Part, obj: Any, index: tuple[int, ...]) -> None:
        row = dict.fromkeys(names, "")
        row["part"] = part.name
        row["index"] = ".".join(str(position) for position in index)
        for column in part.columns:
            row[column.name] = _text(obj if part.scalar_items else _get(obj, column.path))
        writer.writerow([row[name] for name in names])
        if part.scalar_items:
            return
        for child in parts(table):
            if len(child.lists) == len(part.lists) + 1 and child.lists[:-1] == part.lists:
                for position, item in enumerate(_get(obj, child.lists[-1]) or [], start=1):
                    emit(child, item, (*index, position))

    root = value if isinstance(value, dict) else {}
    emit(by_name[MODULE_PART], root, ())
    return out.getvalue()


def import_csv(table: Table, data: bytes) -> Any:
    """The module's value read from CSV ``data``; ``CsvImportError`` for the first problem found."""
    if len(data) > MAX_CSV_BYTES:
        raise CsvImportError("csv.too_large", f"The file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportError("csv.not_utf8", "The file is not UTF-8 text; save it as CSV UTF-8.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(_limited(reader))
    except csv.Error as error:
        raise CsvImportError(
            "csv.malformed", f"This is not valid CSV ({error}).", row=reader.line_num
        ) from None
    if not rows:
        raise CsvImportError("csv.empty", "The file is empty; export the table first to get its columns.")
    names = rows[0]
    known = header(table)
    for position, name in enumerate(names):
        if name not in known:
            raise CsvImportError(
                "csv.unknown_column",
                f"Unknown column; the {table.label} table has the columns {', '.join(known)}.",
                row=1,
                column=name or f"#{position + 1}",
            )
    for required in ("part", "index"):
        if required not in names:
            raise CsvImportError("csv.missing_column", f"The header lacks the column {required!r}.", row=1)
    by_name = {part.name: part for part in parts(table)}
    root: dict[str, Any] = {}
    parent_of = {
        part.name: next(p.name for p in parts(table) if p.lists == part.lists[:-1])
        for part in parts(table)
        if part.lists
    }
    # Objects created so far by (part name, index path), so a child row finds its parent.
    created: dict[tuple[str, tuple[int, ...]], Any] = {(MODULE_PART, ()): root}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            raise CsvImportError("csv.extra_cells", "The row has more cells than the header.", row=number)
        row = dict(zip(names, cells, strict=False))
        part = by_name.get(row.get("part", "").strip())
        if part is None:
            raise CsvImportError(
                "csv.unknown_part",
                f"Unknown part {row.get('part', '')!r}; parts: {', '.join(by_name)}.",
                row=number,
                column="part",
            )
        index = _index(row.get("index", ""), len(part.lists), number)
        for name, cell in row.items():
            if name in ("part", "index") or not cell.strip():
                continue
            if name not in {column.name for column in part.columns}:
                raise CsvImportError(
                    "csv.cell_not_in_part",
                    f"A {part.name!r} row has no {name!r}; leave it empty.",
                    row=number,
                    column=name,
                )
        if part.name == MODULE_PART:
            _fill(root, part, row, number)
            continue
        parent = created.get((parent_of[part.name], index[:-1]))
        if parent is None:
            raise CsvImportError(
                "csv.orphan_row",
                f"Index {_dotted(index)} has no parent row above it ({_dotted(index[:-1])}).",
                row=number,
                column="index",
            )
        holder = parent
        *path, last = part.lists[-1]
        for token in path:
            holder = holder.setdefault(token, {})
        items = holder.setdefault(last, [])
        if index[-1] != len(items) + 1:
            raise CsvImportError(
                "csv.index_out_of_order",
                f"Expected index {_dotted((*index[:-1], len(items) + 1))} next in {part.name!r}.",
                row=number,
                column="index",
            )
        if part.scalar_items:
            column = part.columns[0]
            items.append(_cell(column, row.get("value", ""), number))
            continue
        item: dict[str, Any] = {}
        _fill(item, part, row, number)
        items.append(item)
        created[(part.name, index)] = item
    return root or None


def _dotted(index: tuple[int, ...]) -> str:
    return ".".join(str(position) for position in index)


def _limited(reader: Any) -> Any:
    for count, row in enumerate(reader):
        if count > MAX_CSV_ROWS:
            raise CsvImportError("csv.too_many_rows", f"The file has more than {MAX_CSV_ROWS} rows.")
        yield row


def _index(text: str, depth: int, number: int) -> tuple[int, ...]:
    text = text.strip()
    tokens = text.split(".") if text else []
    if len(tokens) != depth or not all(token.isdigit() and int(token) >= 1 for token in tokens):
        expected = (
            "empty"
            if depth == 0
            else f"{depth} positive numbers joined by dots (e.g. {'.'.join(['1'] * depth)})"
        )
        raise CsvImportError(
            "csv.bad_index", f"Index {text!r} must be {expected}.", row=number, column="index"
        )
    return tuple(int(token) for token in tokens)


def _cell(column: Column, text: str, number: int) -> Any:
    value, message = scalar_from_text(column.node, text)
    if message:
        raise CsvImportError("csv.bad_value", message, row=number, column=column.name)
    return value


def _fill(obj: dict[str, Any], part: Part, row: dict[str, str], number: int) -> None:
    for column in part.columns:
        text = row.get(column.name, "")
        if not text.strip():
            continue
        holder = obj
        for token in column.path[:-1]:
            holder = holder.setdefault(token, {})
        holder[column.path[-1]] = _cell(column, text, number)
