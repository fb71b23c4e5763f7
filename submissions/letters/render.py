"""Result letters as tagged PDFs (DESIGN section 8): the part shared by every participant of a trial
and language is laid out and written once; the personal covers of a group are laid out together in one
document; each letter is then assembled from its cover's pages and the shared pages with pikepdf,
grafting the two structure trees so the result stays a tagged PDF/UA-1 file.

``naive_letter_pdf`` renders one whole letter from the same templates in one WeasyPrint pass: the
benchmark's baseline, and the proof (by rasterising both) that assembly changes nothing on the page.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
from django.template.loader import select_template
from django.utils.safestring import SafeString, mark_safe

from registries.enums import LAY_SUMMARY_SECTIONS
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
    raw = summary.get("sections")
    texts: dict[str, Any] = raw if isinstance(raw, dict) else {}
    sections = [
        {
            "heading": wording["sections"][name],
            "paragraphs": [p.strip() for p in texts[name].replace("\r\n", "\n").split("\n\n") if p.strip()],
        }
        for name in LAY_SUMMARY_SECTIONS
        if isinstance(texts.get(name), str) and texts[name].strip()
    ]
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
    record: dict[str, Any], language: str, covers: Sequence[CoverData], branding: Branding, footer: str
) -> bytes:
    """Only the participant reference line of each cover, each on its own page at the very place the
    full cover has it: the one personal line, laid out for a whole chunk in one pass."""
    context = _context(record, language, branding, footer)
    context["letters"] = [_cover_context(cover, context["w"]) for cover in covers]
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


def _top_elements(pdf: pikepdf.Pdf, pages: Sequence[pikepdf.Page]) -> list[Any]:
    """The elements directly under Document that own content on ``pages``, in document order. WeasyPrint
    parents a page's footer to Document without listing it among Document's kids, so the pages'
    parent-tree entries are read too."""
    document = _document_element(pdf)
    wanted = {page.obj.objgen for page in pages}
    found: dict[tuple[int, int], Any] = {}
    for kid in _kids(document):
        if isinstance(kid, pikepdf.Dictionary) and _pages_set(kid) & wanted:
            found[kid.objgen] = kid
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pages:
        for element in tree.get(int(page.obj.get("/StructParents", -1)), []):
            if not isinstance(element, pikepdf.Dictionary):
                continue
            while "/P" in element and element.P.objgen != document.objgen:
                element = element.P
            found.setdefault(element.objgen, element)
    return list(found.values())


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
_STAMP_PREFIX = "R"


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


def _stamp(
    dest: pikepdf.Pdf, page: pikepdf.Page, src: pikepdf.Pdf, src_page: pikepdf.Page, section: Any, into: Any
) -> None:
    """Draw ``src_page`` over ``page`` (same size, same layout origin) and put the structure elements of
    its ``section`` first in ``into``, renumbering its marked content after the page's own so the result
    stays tagged."""
    # Resources, renamed so they cannot collide with the page's own.
    resources = page.obj.Resources
    src_resources = src_page.obj.Resources
    for category in [str(name) for name in src_resources.keys()]:  # noqa: SIM118 - pikepdf names as str
        if category == "/ProcSet":
            continue
        if category not in resources:
            resources[category] = pikepdf.Dictionary()
        for name, value in src_resources[category].items():
            local_value = dest.copy_foreign(value if value.is_indirect else src.make_indirect(value))
            resources[category][f"/{_STAMP_PREFIX}{name[1:]}"] = local_value
    key = int(page.obj.StructParents)
    nums = dest.Root.StructTreeRoot.ParentTree.Nums
    entry = next(nums[i + 1] for i in range(0, len(nums), 2) if int(nums[i]) == key)
    offset = len(entry)
    instructions: list[Any] = []
    for instruction in pikepdf.parse_content_stream(src_page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            instructions.append(instruction)
            continue
        operands, operator = list(instruction.operands), instruction.operator
        op = str(operator)
        if op in _RESOURCE_OPERATORS:
            operands = [
                pikepdf.Name(f"/{_STAMP_PREFIX}{str(o)[1:]}") if isinstance(o, pikepdf.Name) else o
                for o in operands
            ]
        elif op == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            properties = pikepdf.Dictionary({str(k): v for k, v in operands[1].items()})
            if "/MCID" in properties:
                properties.MCID = int(properties.MCID) + offset
            operands = [operands[0], properties]
        instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
    stamp = pikepdf.unparse_content_stream(instructions)
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    page.obj.Contents = pikepdf.Array(
        [pikepdf.Stream(dest, b"q\n"), *streams, pikepdf.Stream(dest, b"\nQ\n"), pikepdf.Stream(dest, stamp)]
    )
    # Structure: the elements of the stamped section, detached from src's tree and pages while copied.
    originals = [e for kid in _kids(section) for e in _walk(kid)]
    saved = [(e.get("/P"), e.get("/Pg")) for e in originals]
    for element in originals:
        for name in ("/P", "/Pg"):
            if name in element:
                del element[name]
    try:
        tops = [dest.copy_foreign(kid) for kid in _kids(section) if isinstance(kid, pikepdf.Dictionary)]
    finally:
        for element, (parent, on_page) in zip(originals, saved, strict=True):
            if parent is not None:
                element["/P"] = parent
            if on_page is not None:
                element["/Pg"] = on_page
    copies = [e for top in tops for e in _walk(top)]
    entries: list[Any] = list(entry)
    # ``copies`` walks the copied subtrees in the order ``originals`` walked the same shapes.
    for copy, (_, on_page) in zip(copies, saved, strict=True):
        if on_page is not None:
            copy["/Pg"] = page.obj
        kids = _kids(copy)
        renumbered = []
        for kid in kids:
            if isinstance(kid, int):
                mcid = kid + offset
                entries.extend([None] * (mcid + 1 - len(entries)))
                entries[mcid] = copy
                renumbered.append(mcid)
            else:
                renumbered.append(kid)
        if kids:
            copy["/K"] = pikepdf.Array(renumbered)
    for top in tops:
        top["/P"] = into
    into["/K"] = pikepdf.Array(tops + _kids(into))
    for i in range(0, len(nums), 2):
        if int(nums[i]) == key:
            nums[i + 1] = dest.make_indirect(pikepdf.Array(entries))


def _pages_set(element: Any) -> set[tuple[int, int]]:
    used: set[tuple[int, int]] = set()
    _pages_of(element, used)
    return used


class LanguageRun:
    """What one language's letters share, rendered once: the lay summary pages and one cover per site
    and arm (without reference line). ``chunk`` lays out the reference lines of a chunk together and
    returns the chunk's letters, assembled one by one."""

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
        references = CoverBook(
            references_pdf(self.record, self.language, covers, self.branding, self.footer), len(covers)
        )
        for i, cover in enumerate(covers):
            try:
                yield cover, self._letter(references, i, cover)
            except Exception as error:  # one letter's failure must not lose the others (issue 12)
                yield cover, error

    def _letter(self, references: CoverBook, i: int, cover: CoverData) -> bytes:
        index = self.index[cover_key(cover)]
        pdf = pikepdf.Pdf.open(io.BytesIO(self.shared))
        _graft(pdf, self.covers.pdf, self.covers.pages[index], self.covers.elements[index], first=True)
        if len(references.pages[i]) != 1:
            raise LetterError("letters.reference_layout", "The reference line did not fit on one page.")
        section = next(kid for kid in _kids(_document_element(pdf)) if kid.get("/S") == "/Sect")
        reference = references.sections[i]
        _stamp(pdf, pdf.pages[0], references.pdf, references.pages[i][0], reference, section)
        return _save(pdf)


def merge_letters(letters: Iterable[bytes]) -> bytes:
    """Several tagged letters as one tagged, print-ready PDF (a site's pack)."""
    merged: pikepdf.Pdf | None = None
    # qpdf copies stream data lazily: the sources must stay open until the merged file is written.
    sources: list[pikepdf.Pdf] = []
    for content in letters:
        pdf = pikepdf.Pdf.open(io.BytesIO(content))
        sources.append(pdf)
        if merged is None:
            merged = pdf
            continue
        _graft(merged, pdf, list(pdf.pages), _top_elements(pdf, list(pdf.pages)), first=False)
    if merged is None:
        raise LetterError("letters.nothing_to_merge", "There are no letters to merge.")
    return _save(merged)
