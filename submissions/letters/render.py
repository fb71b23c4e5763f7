"""Result letters as tagged PDFs (DESIGN section 8): the part shared by every participant of a trial
and language is laid out and written once, and so is one cover per site and arm; the participants'
reference lines of a chunk are laid out together, many to a page. A cover's first letter of a chunk is
assembled with pikepdf (shared pages and cover grafted, their structure trees joined, the reference
line drawn on the cover with its structure element) so the result stays a tagged PDF/UA-1 file; the
cover's other letters are that model with only the stream drawing the reference line replaced.

``naive_letter_pdf`` renders one whole letter from the same templates in one WeasyPrint pass: the
benchmark's baseline, and the proof (by rasterising both) that assembly changes nothing on the page.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

import pikepdf
from django.template.loader import select_template
from django.utils.safestring import SafeString, mark_safe

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.pdf import text_blocks
from submissions.errors import DomainError
from submissions.letters.enums import DEFAULT_BRAND_COLOUR, HEX_COLOUR
from submissions.letters.wording import wording_for

PDF_VARIANT = "pdf/ua-1"
PAGE_SIZES = {"A4": "A4", "letter": "letter"}
# The content, not the moment of rendering, decides a letter's bytes: a re-run gives the same files.
FIXED_METADATA_DATE = "2000-01-01T00:00:00Z"


class LetterError(DomainError):
    """One letter cannot be made (its language has no wording or no lay summary); the others go on."""


class TemplateProblem(DomainError):
    """A template or font problem: the whole job stops with this message."""


@dataclass(frozen=True, slots=True)
class Branding:
    sponsor: str = ""
    colour: str = DEFAULT_BRAND_COLOUR
    logo_png: bytes = b""
    page_size: str = "A4"


@dataclass(frozen=True, slots=True)
class CoverData:
    """What is personal in a letter. No name and no address: the site adds the address at print time
    in the blank window at the top of the cover."""

    subject_id: str
    language: str
    arm: str
    site_name: str
    site_contact: str


def _css_string(value: str) -> SafeString:
    # A CSS string literal: backslash, quote and line breaks escaped (CSS Syntax 3, section 4.3.5).
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("\r", "")
    return mark_safe(escaped)  # noqa: S308 - escaped above for the one place it is used, a CSS string


def find_summary(record: dict[str, Any], language: str) -> dict[str, Any]:
    for summary in record.get("laySummaries") or []:
        if isinstance(summary, dict) and str(summary.get("language", "")).lower() == language.lower():
            return summary
    raise LetterError("letters.summary_missing", f"The approved record has no lay summary in “{language}”.")


def summary_sections(summary: dict[str, Any], headings: dict[str, str]) -> list[dict[str, Any]]:
    """The lay summary's written sections in Annex V order, each with its heading and paragraphs, as the
    letter and public-page templates show them."""
    raw = summary.get("sections")
    texts: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return [
        {"heading": headings[name], "paragraphs": text_blocks(texts.get(name))}
        for name in LAY_SUMMARY_SECTIONS
        if text_blocks(texts.get(name))
    ]


def _wording(language: str) -> dict[str, Any]:
    wording = wording_for(language)
    if wording is None:
        raise LetterError(
            "letters.language_unsupported",
            f"Letters have no wording in “{language}” yet (submissions/letters/wording.py).",
        )
    return wording


def _context(record: dict[str, Any], language: str, branding: Branding, footer: str) -> dict[str, Any]:
    if not re.match(HEX_COLOUR, branding.colour):
        raise TemplateProblem("letters.colour_invalid", f"Brand colour {branding.colour!r} is not #RRGGBB.")
    if branding.page_size not in PAGE_SIZES:
        raise TemplateProblem("letters.page_size_unknown", f"Unknown page size {branding.page_size!r}.")
    wording = _wording(language)
    summary = find_summary(record, language)
    sections = summary_sections(summary, wording["sections"])
    logo = (
        "data:image/png;base64," + base64.b64encode(branding.logo_png).decode() if branding.logo_png else ""
    )
    return {
        "language": summary.get("language") or language,
        "w": wording,
        "title": summary.get("title") or "",
        "sections": sections,
        "colour": branding.colour,
        "page_size": PAGE_SIZES[branding.page_size],
        "footer": _css_string(footer),
        "logo": logo,
        "sponsor": branding.sponsor,
    }


def _cover_context(cover: CoverData, wording: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject_id": cover.subject_id,
        "language": cover.language,
        "arm": cover.arm,
        "arm_sentence": wording["your_arm"].format(arm=cover.arm) if cover.arm else "",
        "site_name": cover.site_name,
        "site_contact": cover.site_contact,
    }


def _template(name: str, language: str) -> Any:
    """A sponsor may override a template per language (``letters/shared.de.html``)."""
    base = language.split("-", 1)[0].lower()
    stem = name.removesuffix(".html")
    return select_template([f"{stem}.{base}.html", name])


def _render_template(name: str, language: str, context: dict[str, Any]) -> str:
    try:
        return str(_template(name, language).render(context))
    except LetterError:
        raise
    except Exception as error:
        raise TemplateProblem(
            "letters.template_failed", f"The letter template {name} ({language}) failed: {error}"
        ) from error


def html_to_pdf(document: str) -> bytes:
    """Render one HTML document as a tagged PDF/UA-1 file with fixed dates and identifier."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher

        # Letters are self-contained: the logo arrives as a data URL and nothing else is fetched; any
        # other URL stops the rendering instead of leaving a hole in the letter.
        fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
        rendered = weasyprint.HTML(string=document, url_fetcher=fetcher).render()
        rendered.metadata.created = FIXED_METADATA_DATE
        rendered.metadata.modified = FIXED_METADATA_DATE
        identifier = hashlib.sha256(document.encode("utf-8")).hexdigest()[:32].encode("ascii")
        content: bytes = rendered.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    except DomainError:
        raise
    except Exception as error:
        raise TemplateProblem("letters.render_failed", f"The PDF renderer failed: {error}") from error
    return content


def shared_pdf(record: dict[str, Any], language: str, branding: Branding, footer: str) -> bytes:
    """The lay summary pages every participant of the language receives, rendered once."""
    context = _context(record, language, branding, footer)
    return html_to_pdf(_render_template("letters/shared.html", language, context))


def covers_pdf(
    record: dict[str, Any], language: str, covers: Sequence[CoverData], branding: Branding, footer: str
) -> bytes:
    """Covers one after the other in one document. A cover without a subject id keeps the space of its
    reference line empty: it is the cover of every participant with that site and arm."""
    context = _context(record, language, branding, footer)
    context["letters"] = [_cover_context(cover, context["w"]) for cover in covers]
    return html_to_pdf(_render_template("letters/covers.html", language, context))


def references_pdf(
    record: dict[str, Any],
    language: str,
    covers: Sequence[CoverData],
    branding: Branding,
    footer: str,
    *,
    one_paragraph: bool = True,
) -> bytes:
    """Only the participants' reference lines, the first at the very place the full cover has it: the
    one personal line of a whole chunk, laid out in one pass; one paragraph with a line each, or a
    paragraph each (see ``ReferenceSheets``)."""
    context = _context(record, language, branding, footer)
    context["letters"] = [_cover_context(cover, context["w"]) for cover in covers]
    context["one_paragraph"] = one_paragraph
    # The footer is on the cover already; drawn twice it would print darker.
    context["no_footer"] = True
    return html_to_pdf(_render_template("letters/references.html", language, context))


def cover_key(cover: CoverData) -> tuple[str, str, str]:
    """What a cover shows besides the reference: covers with the same key look the same."""
    return (cover.site_name, cover.site_contact, cover.arm)


def shared_cover(cover: CoverData) -> CoverData:
    return CoverData("", cover.language, cover.arm, cover.site_name, cover.site_contact)


def naive_letter_pdf(record: dict[str, Any], cover: CoverData, branding: Branding, footer: str) -> bytes:
    """One whole letter in one WeasyPrint pass (the benchmark's baseline)."""
    context = _context(record, cover.language, branding, footer)
    context["letter"] = _cover_context(cover, context["w"])
    return html_to_pdf(_render_template("letters/letter.html", cover.language, context))


# ---------------------------------------------------------------- assembly of tagged PDFs


def _document_element(pdf: pikepdf.Pdf) -> Any:
    kids = pdf.Root.StructTreeRoot.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _kids(element: pikepdf.Dictionary) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _pages_of(element: Any, into: set[tuple[int, int]]) -> None:
    if isinstance(element, pikepdf.Dictionary):
        page = element.get("/Pg")
        if page is not None:
            into.add(page.objgen)
        for kid in _kids(element):
            _pages_of(kid, into)


def _marked_content(elements: Sequence[Any]) -> dict[tuple[int, int], dict[int, Any]]:
    """For each page, the structure element that owns each marked-content id (MCID) on it: what the
    page's parent-tree entry lists (ISO 32000-1, 14.7.4.4)."""
    owners: dict[tuple[int, int], dict[int, Any]] = {}
    stack = list(elements)
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary):
            continue
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int) and page is not None:
                owners.setdefault(page.objgen, {})[kid] = element
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                kid_page = kid.get("/Pg", page)
                if kid_page is not None:
                    owners.setdefault(kid_page.objgen, {})[int(kid.MCID)] = element
            else:
                stack.append(kid)
    return owners


def _graft(
    dest: pikepdf.Pdf,
    src: pikepdf.Pdf,
    pages: Sequence[pikepdf.Page],
    elements: Sequence[Any],
    *,
    first: bool,
) -> None:
    """Copy ``pages`` of ``src`` and their top-level structure ``elements`` into ``dest``, before or after
    its own, and give the copied pages fresh parent-tree entries so every marked content still finds
    its element."""
    root = dest.Root.StructTreeRoot
    document = _document_element(dest)
    nums = root.ParentTree.Nums
    next_key = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
    language = src.Root.get("/Lang")
    # The top-level elements point at src's Document; detached while copied, or the whole src tree
    # would come along.
    parents = [element.get("/P") for element in elements]
    for element in elements:
        if "/P" in element:
            del element["/P"]
    try:
        position = 0 if first else len(dest.pages)
        for offset, page in enumerate(pages):
            dest.pages.insert(position + offset, page)
        # The same copier maps each /Pg to the page just inserted.
        copied_elements = [dest.copy_foreign(element) for element in elements]
    finally:
        for element, parent in zip(elements, parents, strict=True):
            if parent is not None:
                element["/P"] = parent
    owners = _marked_content(copied_elements)
    for offset in range(len(pages)):
        local = dest.pages[position + offset]
        marked = owners.get(local.obj.objgen, {})
        entry = [marked.get(mcid) for mcid in range(max(marked, default=-1) + 1)]
        local.obj.StructParents = next_key
        nums.append(next_key)
        nums.append(dest.make_indirect(pikepdf.Array(entry)))
        next_key += 1
    for element in copied_elements:
        element["/P"] = document
        if language is not None and language != dest.Root.get("/Lang"):
            element["/Lang"] = language
    kids = _kids(document)
    document["/K"] = pikepdf.Array(copied_elements + kids if first else kids + copied_elements)
    if "/ParentTreeNextKey" in root:
        root.ParentTreeNextKey = next_key


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # Streams pass through as they are (already compressed by WeasyPrint): decoding and re-encoding
    # them would cost more than the rest of the assembly.
    pdf.save(
        out,
        deterministic_id=True,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        # WeasyPrint wrote the XMP packet with the right PDF version already; letting pikepdf parse
        # and check it again was a third of each letter's assembly.
        fix_metadata_version=False,
    )
    return out.getvalue()


class CoverBook:
    """A covers document opened once: the top-level structure element and the pages of each cover."""

    def __init__(self, content: bytes, expected: int) -> None:
        self.pdf = pikepdf.Pdf.open(io.BytesIO(content))
        self.sections = [kid for kid in _kids(_document_element(self.pdf)) if kid.get("/S") == "/Sect"]
        if len(self.sections) != expected:
            raise TemplateProblem(
                "letters.cover_structure",
                f"The covers template made {len(self.sections)} top-level parts for {expected} letters; "
                "each cover must be one <section>.",
            )
        # Indexed once for the whole book: looking each cover's elements up in the whole document
        # tree again made opening a book of n covers cost n squared.
        document = _document_element(self.pdf)
        order = {page.obj.objgen: n for n, page in enumerate(self.pdf.pages)}
        by_page: dict[tuple[int, int], list[Any]] = {}
        for kid in _kids(document):
            if isinstance(kid, pikepdf.Dictionary):
                for objgen in _pages_set(kid):
                    by_page.setdefault(objgen, []).append(kid)
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self.pages: list[list[pikepdf.Page]] = []
        # Each cover's top-level elements: its section and what is tagged beside it on its pages (the
        # page footer, which WeasyPrint parents to Document without listing it among Document's kids).
        self.elements: list[list[Any]] = []
        section_ids = {section.objgen for section in self.sections}
        for section in self.sections:
            pages = [self.pdf.pages[n] for n in sorted(order[objgen] for objgen in _pages_set(section))]
            found: dict[tuple[int, int], Any] = {}
            for page in pages:
                for kid in by_page.get(page.obj.objgen, []):
                    found.setdefault(kid.objgen, kid)
            for page in pages:
                for element in tree.get(int(page.obj.get("/StructParents", -1)), []):
                    if not isinstance(element, pikepdf.Dictionary):
                        continue
                    while "/P" in element and element.P.objgen != document.objgen:
                        element = element.P
                    found.setdefault(element.objgen, element)
            self.pages.append(pages)
            self.elements.append(
                [
                    element
                    for element in found.values()
                    if element.objgen == section.objgen or element.objgen not in section_ids
                ]
            )


# Operators whose name operand is a resource of the given category (ISO 32000-1, tables 51-113).
_RESOURCE_OPERATORS = {
    "Tf": "/Font",
    "gs": "/ExtGState",
    "Do": "/XObject",
    "cs": "/ColorSpace",
    "CS": "/ColorSpace",
    "scn": "/Pattern",
    "SCN": "/Pattern",
    "sh": "/Shading",
}
# What a reference line may draw: text and the state it is drawn with (ISO 32000-1, tables 57, 74, 105,
# 107 and 320). Anything else (a rule, a box, an image) would not move with the text when the line is
# drawn at the first line's place, so such a template is refused.
_LINE_OPERATORS = frozenset(
    {
        "BDC",
        "BMC",
        "EMC",
        "q",
        "Q",
        "gs",
        "g",
        "G",
        "rg",
        "RG",
        "k",
        "K",
        "cs",
        "CS",
        "sc",
        "SC",
        "scn",
        "SCN",
    }
    | {"BT", "ET", "Tf", "Tm", "Td", "TD", "T*", "Tj", "TJ", "'", '"', "Tc", "Tw", "Tz", "TL", "Tr", "Ts"}
)
# What sets the graphics state a line is drawn in (ISO 32000-1, tables 57, 74, 105): WeasyPrint sets
# the colour once for several lines, so a line drawn alone needs what the page set before it.
_STATE_OPERATORS = frozenset(
    {"cm", "gs", "w", "J", "j", "M", "d", "ri", "i", "g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "SC"}
    | {"scn", "SCN", "Tf", "Tc", "Tw", "Tz", "TL", "Tr", "Ts"}
)
_STAMP_PREFIX = "R"


def _states(instructions: Sequence[Any], starts: set[int]) -> dict[int, tuple[list[Any], int]]:
    """The graphics state in force at each instruction of ``starts``, as the instructions that set it
    (with a ``q`` where the page saved the state, ISO 32000-1, 8.4.2) and how many ``q`` deep it is."""
    frames: list[list[Any]] = [[]]
    found: dict[int, tuple[list[Any], int]] = {}
    save = pikepdf.ContentStreamInstruction([], pikepdf.Operator("q"))
    for n, instruction in enumerate(instructions):
        if n in starts:
            state = list(frames[0])
            for frame in frames[1:]:
                state.append(save)
                state.extend(frame)
            found[n] = (state, len(frames) - 1)
        op = str(instruction.operator)
        if op == "q":
            frames.append([])
        elif op == "Q" and len(frames) > 1:
            frames.pop()
        elif op in _STATE_OPERATORS:
            frames[-1].append(instruction)
    return found


def _walk(element: Any) -> list[Any]:
    """The structure elements of a subtree, parents before children, in document order."""
    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/MCID" not in node:
            found.append(node)
            stack.extend(reversed(_kids(node)))
    return found


def _element_kids(element: Any) -> list[Any]:
    return [kid for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary)]


def _pages_set(element: Any) -> set[tuple[int, int]]:
    used: set[tuple[int, int]] = set()
    _pages_of(element, used)
    return used


def _mcid(instruction: Any) -> int | None:
    operands = instruction.operands
    if (
        str(instruction.operator) == "BDC"
        and len(operands) == 2
        and isinstance(operands[1], pikepdf.Dictionary)
        and "/MCID" in operands[1]
    ):
        return int(operands[1].MCID)
    return None


def _shape(element: Any, order: dict[int, int]) -> Any:
    """What a structure subtree says, with its marked-content ids replaced by their rank in the line: two
    lines of the same shape can share one structure and differ only in the content they draw."""
    if isinstance(element, int):
        return ("mcid", order.get(element))
    if not isinstance(element, pikepdf.Dictionary) or "/MCID" in element:
        return ("unsupported",)
    return (_own_entries(element), tuple(_shape(kid, order) for kid in _kids(element)))


def _own_entries(element: Any) -> tuple[tuple[str, bytes], ...]:
    """A structure element's entries besides its place in the tree (kids, parent, page)."""
    return tuple(
        sorted((str(k), v.unparse()) for k, v in element.items() if str(k) not in ("/K", "/P", "/Pg"))
    )


@dataclass(slots=True)
class _Line:
    """One participant's reference line in a references document: the page it is on, the paragraph it
    is in and its own structure elements, the instructions that draw it (already moved to where the
    document's first line is, which is where the cover keeps it), its marked-content ids in the order
    it draws them, and the graphics state it is drawn in: the instructions that set it and how many
    ``q`` deep it is."""

    page: int
    paragraph: Any
    elements: list[Any]
    content: list[Any]
    mcids: list[int]
    shape: Any
    start: int
    state: list[Any] = field(default_factory=list)
    depth: int = 0


class _LinesWrapped(Exception):
    """A reference line took more than one line of text: the paragraph of all lines cannot say whose
    each line is."""


class ReferenceSheets:
    """A chunk's references document opened once: each participant's reference line, ready to be drawn
    on a cover at the place the cover keeps for it.

    The document is one section with the cover's blocks before the reference line, then the lines:
    one paragraph with a line of text per participant (``white-space: pre-wrap``, laid out by
    WeasyPrint more than twice as fast as a paragraph each), or, when a line wraps, a paragraph each."""

    def __init__(self, content: bytes, expected: int, *, one_paragraph: bool) -> None:
        self.pdf = pikepdf.Pdf.open(io.BytesIO(content))
        self.contents: dict[tuple[int, int], bytes] = {}
        self.resources: dict[int, str] = {}
        order = {page.obj.objgen: n for n, page in enumerate(self.pdf.pages)}
        # WeasyPrint tags a box split over pages as one element per page: the section and the paragraph
        # of lines each come as several.
        sections = [kid for kid in _kids(_document_element(self.pdf)) if kid.get("/S") == "/Sect"]
        paragraphs = [
            (n, first, kid)
            for first, section in enumerate(sections)
            for n, kid in enumerate(_kids(section))
            if kid.get("/S") == "/P"
        ]
        if not paragraphs or paragraphs[0][1] != 0:
            raise TemplateProblem(
                "letters.cover_structure",
                "The references template must make a <section> with the reference lines in <p> after the "
                "blocks the cover has before its reference line, on the first page.",
            )
        # Where the reference line goes among a cover section's kids: its place in the references
        # section, after the same logo and address blocks.
        self.slot = paragraphs[0][0]
        groups: list[tuple[Any, list[Any]]] = [
            (paragraph, [kid]) if one_paragraph else (paragraph, _element_kids(paragraph))
            for _, _, paragraph in paragraphs
            for kid in (_element_kids(paragraph) if one_paragraph else [None])
        ]
        if one_paragraph and len(groups) != expected:
            raise _LinesWrapped
        if len(groups) != expected:
            raise TemplateProblem(
                "letters.cover_structure",
                f"The references template made {len(groups)} reference lines for {expected} letters.",
            )
        by_page: dict[int, list[tuple[int, Any, list[Any]]]] = {}
        for n, (paragraph, elements) in enumerate(groups):
            pages = {page for element in elements for page in _pages_set(element)}
            if len(pages) != 1:
                raise TemplateProblem("letters.reference_layout", "A reference line is not on one page.")
            by_page.setdefault(order[pages.pop()], []).append((n, paragraph, elements))
        lines: dict[int, _Line] = {}
        self.first_y: Any = None
        for page in sorted(by_page):
            for n, line in zip(
                [n for n, _, _ in by_page[page]], self._read_page(page, by_page[page]), strict=True
            ):
                lines[n] = line
        self.lines = [lines[n] for n in range(expected)]

    def _read_page(self, page: int, groups: Sequence[tuple[int, Any, list[Any]]]) -> list[_Line]:
        instructions = list(pikepdf.parse_content_stream(self.pdf.pages[page]))
        position = {mcid: n for n, i in enumerate(instructions) if (mcid := _mcid(i)) is not None}
        page_resources = self.pdf.pages[page].obj.Resources
        self.resources[page] = repr(
            sorted(
                (str(category), str(name), value.objgen if value.is_indirect else value.unparse())
                for category, entries in page_resources.items()
                if str(category) != "/ProcSet"
                for name, value in entries.items()
            )
        )
        found: list[_Line] = []
        for _, paragraph, elements in groups:
            mcids = [kid for top in elements for e in _walk(top) for kid in _kids(e) if isinstance(kid, int)]
            if not mcids or any(mcid not in position for mcid in mcids):
                raise TemplateProblem("letters.reference_layout", "A reference line has no text on its page.")
            mcids.sort(key=lambda mcid: position[mcid])
            start = position[mcids[0]]
            end = start
            depth = 0
            for end in range(start, len(instructions)):
                op = str(instructions[end].operator)
                depth += op in ("BDC", "BMC")
                depth -= op == "EMC"
                if depth == 0 and end >= position[mcids[-1]]:
                    break
            content = instructions[start : end + 1]
            strange = {str(i.operator) for i in content} - _LINE_OPERATORS
            if strange:
                raise TemplateProblem(
                    "letters.reference_layout",
                    f"A reference line draws more than text ({', '.join(sorted(strange))}).",
                )
            moves = [i for i in content if str(i.operator) == "Tm"]
            if not moves:
                raise TemplateProblem("letters.reference_layout", "A reference line places no text.")
            if self.first_y is None:
                self.first_y = moves[0].operands[5]
            # The line drawn where the first line is, which is where the cover keeps it: only the
            # vertical offset of its text matrices changes (exact decimals, the positions WeasyPrint
            # wrote; every page has the same size, so the same coordinate system).
            shift = moves[0].operands[5] - self.first_y
            content = [
                pikepdf.ContentStreamInstruction([*i.operands[:5], i.operands[5] - shift], i.operator)
                if str(i.operator) == "Tm"
                else i
                for i in content
            ]
            rank = {mcid: n for n, mcid in enumerate(mcids)}
            shape = (_own_entries(paragraph), tuple(_shape(e, rank) for e in elements))
            found.append(_Line(page, paragraph, elements, content, mcids, shape, start))
        states = _states(instructions, {line.start for line in found})
        for line in found:
            line.state, line.depth = states[line.start]
        return found

    def same_drawing(self, i: int, j: int) -> bool:
        """Whether line ``j`` fits the structure and resources made for line ``i``."""
        a, b = self.lines[i], self.lines[j]
        return a.shape == b.shape and self.resources[a.page] == self.resources[b.page]

    def content(self, i: int, offset: int) -> bytes:
        """The content stream that draws line ``i`` alone, its marked-content ids numbered from
        ``offset`` and its resources renamed as ``stamp`` names them."""
        cached = self.contents.get((i, offset))
        if cached is not None:
            return cached
        line = self.lines[i]
        rank = {mcid: n for n, mcid in enumerate(line.mcids)}
        instructions: list[Any] = []
        for instruction in [*line.state, *line.content]:
            operands, operator = list(instruction.operands), instruction.operator
            op = str(operator)
            if op in _RESOURCE_OPERATORS:
                operands = [
                    pikepdf.Name(f"/{_STAMP_PREFIX}{str(o)[1:]}") if isinstance(o, pikepdf.Name) else o
                    for o in operands
                ]
            elif (mcid := _mcid(instruction)) is not None:
                properties = pikepdf.Dictionary({str(k): v for k, v in operands[1].items()})
                properties.MCID = offset + rank[mcid]
                operands = [operands[0], properties]
            instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
        instructions.extend(
            pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")) for _ in range(line.depth)
        )
        content: bytes = pikepdf.unparse_content_stream(instructions)
        self.contents[(i, offset)] = content
        return content

    def stamp(self, dest: pikepdf.Pdf, page: pikepdf.Page, i: int, section: Any) -> int:
        """Draw line ``i`` over ``page`` (same size, same layout origin) and put its structure element in
        ``section`` in place of the empty block the cover keeps for it, renumbering its marked content
        after the page's own so the result stays tagged. Returns the first id the line's content uses."""
        line = self.lines[i]
        kids = _kids(section)
        if len(kids) <= self.slot or kids[self.slot].get("/S") != "/Div" or _kids(kids[self.slot]):
            raise TemplateProblem(
                "letters.cover_structure",
                "The cover has no empty block where the references template puts the reference line.",
            )
        # Resources, renamed so they cannot collide with the page's own.
        resources = page.obj.Resources
        src_resources = self.pdf.pages[line.page].obj.Resources
        for category in [str(name) for name in src_resources.keys()]:  # noqa: SIM118 - pikepdf names as str
            if category == "/ProcSet":
                continue
            if category not in resources:
                resources[category] = pikepdf.Dictionary()
            for name, value in src_resources[category].items():
                local_value = dest.copy_foreign(value if value.is_indirect else self.pdf.make_indirect(value))
                resources[category][f"/{_STAMP_PREFIX}{name[1:]}"] = local_value
        key = int(page.obj.StructParents)
        nums = dest.Root.StructTreeRoot.ParentTree.Nums
        entry = next(nums[n + 1] for n in range(0, len(nums), 2) if int(nums[n]) == key)
        offset = len(entry)
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array(
            [
                pikepdf.Stream(dest, b"q\n"),
                *streams,
                pikepdf.Stream(dest, b"\nQ\n"),
                pikepdf.Stream(dest, self.content(i, offset)),
            ]
        )
        # Structure: a paragraph like the line's (its own entries only) holding copies of the line's
        # elements, detached from the references tree and pages while copied.
        paragraph = dest.make_indirect(
            pikepdf.Dictionary(
                {
                    str(k): dest.copy_foreign(v) if v.is_indirect else v
                    for k, v in line.paragraph.items()
                    if str(k) not in ("/K", "/P", "/Pg")
                }
            )
        )
        originals = [e for top in line.elements for e in _walk(top)]
        saved = [(e.get("/P"), e.get("/Pg")) for e in originals]
        for element in originals:
            for name in ("/P", "/Pg"):
                if name in element:
                    del element[name]
        try:
            tops = [dest.copy_foreign(top) for top in line.elements]
        finally:
            for element, (parent, on_page) in zip(originals, saved, strict=True):
                if parent is not None:
                    element["/P"] = parent
                if on_page is not None:
                    element["/Pg"] = on_page
        entries: list[Any] = list(entry)
        rank = {mcid: n for n, mcid in enumerate(line.mcids)}
        # ``_walk`` visits the copies in the order it visited the originals.
        for copy, (_, on_page) in zip([e for top in tops for e in _walk(top)], saved, strict=True):
            if on_page is not None:
                copy["/Pg"] = page.obj
            renumbered = []
            for kid in _kids(copy):
                if isinstance(kid, int):
                    mcid = offset + rank[kid]
                    entries.extend([None] * (mcid + 1 - len(entries)))
                    entries[mcid] = copy
                    renumbered.append(mcid)
                else:
                    renumbered.append(kid)
            if renumbered:
                copy["/K"] = pikepdf.Array(renumbered)
        for top in tops:
            top["/P"] = paragraph
        paragraph["/K"] = pikepdf.Array(tops)
        paragraph["/P"] = section
        paragraph["/Pg"] = page.obj
        kids[self.slot] = paragraph
        section["/K"] = pikepdf.Array(kids)
        for n in range(0, len(nums), 2):
            if int(nums[n]) == key:
                nums[n + 1] = dest.make_indirect(pikepdf.Array(entries))
        return offset


class LanguageRun:
    """What one language's letters share, rendered once: the lay summary pages and one cover per site
    and arm (without reference line). ``chunk`` lays out the reference lines of a chunk together and
    returns the chunk's letters.

    Per chunk and cover, the first letter is assembled in full (shared pages, the cover grafted before
    them, its reference line stamped on the cover) and kept as a model; every other letter of that
    cover is the model with only the stream that draws the reference line replaced, when its line has
    the same structure and resources (it does unless a template override makes lines differ; then the
    letter is assembled in full)."""

    def __init__(
        self,
        record: dict[str, Any],
        language: str,
        covers: Sequence[CoverData],
        branding: Branding,
        footer: str,
    ) -> None:
        self.record, self.language, self.branding, self.footer = record, language, branding, footer
        self.shared = shared_pdf(record, language, branding, footer)
        keys = sorted({cover_key(cover) for cover in covers})
        self.index = {key: i for i, key in enumerate(keys)}
        combos = [CoverData("", language, arm, site, contact) for site, contact, arm in keys]
        self.covers = CoverBook(covers_pdf(record, language, combos, branding, footer), len(combos))

    def chunk(self, covers: Sequence[CoverData]) -> Iterator[tuple[CoverData, bytes | Exception]]:
        """Each cover with its letter, or with the error that stopped that one letter."""
        try:
            sheets = ReferenceSheets(
                references_pdf(self.record, self.language, covers, self.branding, self.footer),
                len(covers),
                one_paragraph=True,
            )
        except _LinesWrapped:
            sheets = ReferenceSheets(
                references_pdf(
                    self.record, self.language, covers, self.branding, self.footer, one_paragraph=False
                ),
                len(covers),
                one_paragraph=False,
            )
        models: dict[int, _Model] = {}
        for i, cover in enumerate(covers):
            try:
                yield cover, self._letter(sheets, models, i, cover)
            except Exception as error:  # one letter's failure must not lose the others (issue 12)
                yield cover, error

    def _assemble(self, sheets: ReferenceSheets, index: int, i: int) -> tuple[pikepdf.Pdf, int]:
        pdf = pikepdf.Pdf.open(io.BytesIO(self.shared))
        _graft(pdf, self.covers.pdf, self.covers.pages[index], self.covers.elements[index], first=True)
        section = next(kid for kid in _kids(_document_element(pdf)) if kid.get("/S") == "/Sect")
        return pdf, sheets.stamp(pdf, pdf.pages[0], i, section)

    def _letter(self, sheets: ReferenceSheets, models: dict[int, _Model], i: int, cover: CoverData) -> bytes:
        index = self.index[cover_key(cover)]
        model = models.get(index)
        if model is None:
            pdf, offset = self._assemble(sheets, index, i)
            model = models[index] = _Model.make(pdf, sheets, i, offset)
            return model.letter(sheets.content(i, offset))
        if sheets.same_drawing(model.line, i):
            letter = model.letter(sheets.content(i, model.offset))
            if letter:
                return letter
        return _save(self._assemble(sheets, index, i)[0])


@dataclass(slots=True)
class _Model:
    """A cover's first letter in a chunk, kept to make the chunk's other letters of that cover: they
    differ from it only in the stream that draws the reference line. That stream is padded to the
    longest line of the chunk and deflated without compression (stored blocks, RFC 1951 section 3.2.4),
    so its length is the same whatever line it draws: another line takes its place byte for byte and
    no offset in the file moves (ISO 32000-1, 7.3.8 and 7.5.4); the file identifier is replaced in the
    same way."""

    content: bytes
    line: int
    offset: int
    at: int
    room: int
    size: int
    identifier: int
    identifier_size: int

    @staticmethod
    def make(pdf: pikepdf.Pdf, sheets: ReferenceSheets, line: int, offset: int) -> _Model:
        room = max(len(sheets.content(j, offset)) for j in range(len(sheets.lines))) + 1
        stamp = _stored(sheets.content(line, offset), room)
        # Already filtered, the stream passes through the writer as it is (StreamDecodeLevel.none).
        pdf.pages[0].obj.Contents[-1].write(stamp, filter=pikepdf.Name.FlateDecode)
        content = _save(pdf)
        at = content.find(stamp)
        # The trailer's /ID [<permanent><changing>]: the second half is the one new content changes.
        start = content.rfind(b"/ID [<")
        identifier = content.find(b"<", content.find(b">", start)) + 1
        end = content.find(b">", identifier)
        if at < 0 or content.find(stamp, at + 1) >= 0 or start < 0 or identifier <= 0 or end < 0:
            raise TemplateProblem(
                "letters.model_layout", "The model letter's reference stream is not unique."
            )
        return _Model(content, line, offset, at, room, len(stamp), identifier, end - identifier)

    def letter(self, stamp: bytes) -> bytes:
        """The model with ``stamp`` drawn instead of its reference line; empty when it does not fit."""
        if len(stamp) >= self.room:
            return b""
        stored = _stored(stamp, self.room)
        if len(stored) != self.size:
            return b""
        # A new identifier for new content (ISO 32000-1, 14.4), as long as the one it replaces.
        size = self.identifier_size
        digest = hashlib.sha256(self.content[: self.identifier] + stored).hexdigest()[:size].encode("ascii")
        return b"".join(
            [
                self.content[: self.at],
                stored,
                self.content[self.at + self.size : self.identifier],
                digest,
                self.content[self.identifier + size :],
            ]
        )


def _stored(stamp: bytes, room: int) -> bytes:
    # Trailing white space ends a content stream harmlessly (ISO 32000-1, 7.2.2 and 7.8.2).
    return zlib.compress(stamp + b"\n" + b" " * (room - len(stamp) - 1), 0)


def _pdf_value(value: Any, numbers: dict[tuple[int, int], int]) -> bytes:
    """``value`` in PDF syntax (ISO 32000-1, 7.3) with its indirect references renumbered."""
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Decimal):
        return format(value, "f").encode("ascii")
    if value.is_indirect:
        number = numbers.get(value.objgen)
        if number is None:
            raise LetterError(
                "letters.pack_reference", f"A letter refers to object {value.objgen} it does not hold."
            )
        return b"%d 0 R" % number
    if isinstance(value, pikepdf.Dictionary):
        return _pdf_dictionary(value.items(), numbers)
    if isinstance(value, pikepdf.Array):
        return b"[" + b" ".join(_pdf_value(item, numbers) for item in value) + b"]"
    unparsed: bytes = value.unparse()
    return unparsed


def _pdf_dictionary(items: Iterable[tuple[str, Any]], numbers: dict[tuple[int, int], int]) -> bytes:
    return (
        b"<<"
        + b"".join(
            pikepdf.Name(key).unparse() + b" " + _pdf_value(value, numbers) + b"\n" for key, value in items
        )
        + b">>"
    )


# In qpdf's unparsed objects: a literal string (qpdf escapes every parenthesis in it), a page's key in
# the parent tree, a stream's length, or an indirect reference (ISO 32000-1, 7.3.4.2, 7.3.8.2, 7.3.10,
# 14.7.4.4). Strings are matched first so that nothing inside one is ever taken for a reference.
_TOKENS = re.compile(
    rb"\((?:\\.|[^\\()])*\)|/StructParents (\d+)|(/Length (?:\d+ \d+ R|\d+))|(\d+) (\d+) R\b", re.S
)


def _object_body(obj: Any, numbers: dict[tuple[int, int], int], base: int) -> bytes:
    """One indirect object of a letter as the pack writes it: references renumbered, parent-tree keys
    moved by ``base``, a stream with its data as it is (still compressed)."""
    raw: bytes | None = None
    if isinstance(obj, pikepdf.Stream):
        raw = obj.read_raw_bytes()
        text = obj.stream_dict.unparse(resolved=True)
    else:
        text = obj.unparse(resolved=True)

    def replace(match: re.Match[bytes]) -> bytes:
        # ``lastindex`` names the alternative that matched: none for a string.
        last = match.lastindex
        if last == 4:
            number = numbers.get((int(match[3]), int(match[4])))
            if number is None:
                raise LetterError(
                    "letters.pack_reference", f"A letter refers to object {match[0]!r} it does not hold."
                )
            return b"%d 0 R" % number
        if last == 1:
            return b"/StructParents %d" % (base + int(match[1]))
        if last == 2 and raw is not None:
            return b"/Length %d" % len(raw)
        return match[0]

    body = _TOKENS.sub(replace, text)
    return body if raw is None else body + b"\nstream\n" + raw + b"\nendstream"


def _outline_items(outlines: Any, into: set[tuple[int, int]]) -> None:
    stack = [outlines]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary) and item.is_indirect and item.objgen not in into:
            into.add(item.objgen)
            stack.extend(item.get(name) for name in ("/First", "/Next"))


class PackWriter:
    """A site's print-ready pack: its letters one after the other in one tagged PDF, written to a binary
    file letter by letter.

    qpdf (and so pikepdf) writes a file only once every source is open and copied, which made a pack
    hold all its letters in memory: 0.7 MB each, measured by bench/letters.py. Here each letter's
    objects are renumbered and written as soon as it is read; what ties the pack together (its page
    list, the top-level structure elements and the parent-tree keys, a few bytes per letter) is written
    at the end with the catalog and the cross-reference table (ISO 32000-1, 7.5 and 14.7). The first
    letter gives the pack its catalog entries (language, metadata, outline) and document information.
    """

    CATALOG, PAGES, TREE, DOCUMENT, INFO = 1, 2, 3, 4, 5

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.position = 0
        self.digest = hashlib.sha256()
        # Offsets of objects 6, 7, ... in number order; the pack's own five come last in the file.
        self.offsets = array("Q")
        self.own_offsets: dict[int, int] = {}
        self.pages = array("Q")
        self.tops = array("Q")
        self.nums = array("Q")  # key, object number, key, object number...
        self.next_key = 0
        self.letters = 0
        self.catalog = b""
        self.info = b""
        self.document = b""
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)

    def _object(self, number: int, body: bytes) -> None:
        if number > self.INFO:
            self.offsets.append(self.position)
        else:
            self.own_offsets[number] = self.position
        self._emit(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def add(self, content: bytes) -> None:
        """Append one letter."""
        pdf = pikepdf.Pdf.open(io.BytesIO(content))
        root = pdf.Root
        tree = root.StructTreeRoot
        document = _document_element(pdf)
        parent_tree = tree.ParentTree
        mapped = {
            root.objgen: self.CATALOG,
            root.Pages.objgen: self.PAGES,
            tree.objgen: self.TREE,
            document.objgen: self.DOCUMENT,
        }
        skip = set(mapped) | {(0, 0)}
        info = pdf.trailer.get("/Info")
        for dropped in (info, parent_tree, parent_tree.get("/Nums")):
            if isinstance(dropped, pikepdf.Object) and dropped.is_indirect:
                skip.add(dropped.objgen)
        first = self.letters == 0
        if not first:
            # One metadata packet and one outline for the pack: the first letter's.
            if "/Metadata" in root:
                skip.add(root.Metadata.objgen)
            if "/Outlines" in root:
                _outline_items(root.Outlines, skip)
        kept = [
            obj
            for obj in pdf.objects
            if obj.objgen not in skip
            and not (isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") in ("/ObjStm", "/XRef"))
        ]
        start = self.INFO + 1 + len(self.offsets)
        numbers = {obj.objgen: start + n for n, obj in enumerate(kept)}
        numbers.update(mapped)
        base = self.next_key
        # The top-level structure elements, in reading order: Document's kids, then the elements
        # WeasyPrint parents to Document without listing them (a page's footer).
        listed = [numbers[kid.objgen] for kid in _kids(document) if isinstance(kid, pikepdf.Dictionary)]
        unlisted = []
        parent = b"/P %d 0 R " % self.DOCUMENT
        for obj in kept:
            body = _object_body(obj, numbers, base)
            if parent in body and numbers[obj.objgen] not in listed:
                unlisted.append(numbers[obj.objgen])
            self._object(numbers[obj.objgen], body)
        for page in pdf.pages:
            self.pages.append(numbers[page.obj.objgen])
        self.tops.extend(listed + unlisted)
        nums = parent_tree.Nums
        last = -1
        for n in range(0, len(nums), 2):
            key, entry = int(nums[n]), nums[n + 1]
            if not entry.is_indirect:
                # A direct entry becomes an object of its own, so only its number waits for the end.
                number = self.INFO + 1 + len(self.offsets)
                self._object(number, _pdf_value(entry, numbers))
            else:
                number = numbers[entry.objgen]
            self.nums.extend([base + key, number])
            last = max(last, key)
        self.next_key = base + last + 1
        if first:
            self.catalog = b"".join(
                pikepdf.Name(str(k)).unparse() + b" " + _pdf_value(v, numbers) + b"\n"
                for k, v in root.items()
                if str(k) not in ("/Type", "/Pages", "/StructTreeRoot")
            )
            self.document = b"".join(
                pikepdf.Name(str(k)).unparse() + b" " + _pdf_value(v, numbers) + b"\n"
                for k, v in document.items()
                if str(k) not in ("/K", "/P", "/Pg")
            )
            if isinstance(info, pikepdf.Dictionary):
                self.info = _pdf_dictionary([(str(k), v) for k, v in info.items()], {})
        self.letters += 1
        pdf.close()

    def close(self) -> int:
        """Write what ties the pack together and the cross-reference table; returns the letters in it."""
        if not self.letters:
            raise LetterError("letters.nothing_to_merge", "There are no letters to merge.")

        def refs(numbers: Iterable[int]) -> bytes:
            return b" ".join(b"%d 0 R" % number for number in numbers)

        nums = b" ".join(b"%d %d 0 R" % (self.nums[n], self.nums[n + 1]) for n in range(0, len(self.nums), 2))
        self._object(
            self.CATALOG,
            b"<</Type /Catalog\n/Pages 2 0 R\n/StructTreeRoot 3 0 R\n" + self.catalog + b">>",
        )
        self._object(
            self.PAGES, b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(self.pages), refs(self.pages))
        )
        self._object(
            self.TREE,
            b"<</Type /StructTreeRoot /K [4 0 R] /ParentTree <</Nums [%s]>> /ParentTreeNextKey %d>>"
            % (nums, self.next_key),
        )
        self._object(self.DOCUMENT, b"<<" + self.document + b"/P 3 0 R /K [%s]>>" % refs(self.tops))
        self._object(self.INFO, self.info or b"<<>>")
        size = self.INFO + 1 + len(self.offsets)
        identifier = self.digest.hexdigest()[:32].encode("ascii")
        start = self.position
        self._emit(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        self._emit(
            b"".join(b"%010d 00000 n \n" % self.own_offsets[number] for number in range(1, self.INFO + 1))
        )
        # In slices: the table has twenty bytes per object of every letter.
        for begin in range(0, len(self.offsets), 4096):
            self._emit(
                b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets[begin : begin + 4096])
            )
        self._emit(
            b"trailer\n<</Size %d /Root 1 0 R /Info 5 0 R /ID [<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (size, identifier, identifier, start)
        )
        return self.letters


def merge_letters(letters: Iterable[bytes]) -> bytes:
    """Several tagged letters as one tagged, print-ready PDF (a site's pack), in memory: for a few
    letters; a job writes its packs with ``PackWriter`` to a file."""
    out = io.BytesIO()
    writer = PackWriter(out)
    for content in letters:
        writer.add(content)
    writer.close()
    return out.getvalue()
