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
from collections.abc import Iterable, Sequence
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


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Letters are self-contained: the logo arrives as a data URL, nothing else is fetched.
    if url.startswith("data:"):
        from weasyprint import default_url_fetcher

        fetched: dict[str, Any] = default_url_fetcher(url, *args, **kwargs)
        return fetched
    raise TemplateProblem("letters.fetch_refused", f"Letters fetch nothing ({url[:80]!r} was asked for).")


def html_to_pdf(document: str) -> bytes:
    """Render one HTML document as a tagged PDF/UA-1 file with fixed dates and identifier."""
    try:
        import weasyprint

        rendered = weasyprint.HTML(string=document, url_fetcher=_refuse_fetch).render()
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
    """The personal covers of one language group, one after the other in one document."""
    context = _context(record, language, branding, footer)
    context["letters"] = [_cover_context(cover, context["w"]) for cover in covers]
    return html_to_pdf(_render_template("letters/covers.html", language, context))


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


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _graft(
    dest: pikepdf.Pdf,
    src: pikepdf.Pdf,
    pages: Sequence[pikepdf.Page],
    elements: Sequence[Any],
    *,
    first: bool,
) -> None:
    """Copy ``pages`` of ``src`` and their top-level structure ``elements`` into ``dest``, before or after
    its own, renumbering the parent-tree keys so every marked content still finds its element."""
    root = dest.Root.StructTreeRoot
    document = _document_element(dest)
    nums = root.ParentTree.Nums
    next_key = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
    src_tree = _parent_tree(src)
    language = src.Root.get("/Lang")
    # The top-level elements point at src's Document; detached while copied, or the whole src tree
    # would come along.
    parents = [element.get("/P") for element in elements]
    for element in elements:
        del element["/P"]
    try:
        position = 0 if first else len(dest.pages)
        for offset, page in enumerate(pages):
            dest.pages.insert(position + offset, page)
        copied_elements = [dest.copy_foreign(element) for element in elements]
        for offset, page in enumerate(pages):
            key = int(page.obj.StructParents)
            local = dest.pages[position + offset]
            local.obj.StructParents = next_key
            entry = src_tree[key]
            copied = dest.copy_foreign(entry if entry.is_indirect else src.make_indirect(entry))
            nums.append(next_key)
            nums.append(copied)
            next_key += 1
    finally:
        for element, parent in zip(elements, parents, strict=True):
            if parent is not None:
                element["/P"] = parent
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
    pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


class CoverBook:
    """A covers document opened once; ``cover(i)`` names the pages and elements of participant i."""

    def __init__(self, content: bytes, expected: int) -> None:
        self.pdf = pikepdf.Pdf.open(io.BytesIO(content))
        self.sections = _kids(_document_element(self.pdf))
        if len(self.sections) != expected:
            raise TemplateProblem(
                "letters.cover_structure",
                f"The covers template made {len(self.sections)} top-level parts for {expected} letters; "
                "each cover must be one <section>.",
            )
        index = {page.obj.objgen: page for page in self.pdf.pages}
        self._pages: list[list[pikepdf.Page]] = []
        for section in self.sections:
            used: set[tuple[int, int]] = set()
            _pages_of(section, used)
            self._pages.append([index[objgen] for objgen in index if objgen in used])

    def letter(self, i: int, shared: bytes) -> bytes:
        """Letter i: its cover pages, then the shared pages, as one tagged PDF."""
        pdf = pikepdf.Pdf.open(io.BytesIO(shared))
        _graft(pdf, self.pdf, self._pages[i], [self.sections[i]], first=True)
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
        _graft(merged, pdf, list(pdf.pages), _kids(_document_element(pdf)), first=False)
    if merged is None:
        raise LetterError("letters.nothing_to_merge", "There are no letters to merge.")
    return _save(merged)
