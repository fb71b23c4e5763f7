"""Markdown text as the plain text a registry takes.

ClinicalTrials.gov API v2 serves its free-text fields as Markdown (``studies-metadata.json`` marks them
``"type": "markup"``), made from the plain text the sponsor typed into PRS: punctuation that Markdown
would read as syntax arrives backslash-escaped (``\\<``, ``\\>``, ``\\&``, ``\\*``, ``\\[``, ``\\^``, ...).
PRS takes plain text, and a backslash sent there is published as typed. So the text goes back to what
the sponsor typed: every escape the Markdown parser resolves is resolved, and the rest of the text is
kept line for line, so that list markers, numbering, indentation and PRS's own emphasis marks (``*``,
``**``, ``^``, ``~``) stay where PRS shows them.

The parser (markdown-it-py, CommonMark) decides what is an escape: a backslash inside a code span, or
before a character that is not ASCII punctuation, is text and stays. Block rules that would hide text
from inline parsing in a registry's plain text (indented code, fences, raw HTML, link reference
definitions, tables) are off: PRS text has no such blocks, only indentation and punctuation.
Entities (``&lt;``) are kept as typed: an unescaped ``&`` is what the sponsor wrote.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Inline rules that change nothing but what the plain text needs: escapes, line breaks, code spans (so a
# backslash inside backticks stays a backslash, as CommonMark reads it).
_INLINE_RULES = ["text", "newline", "escape", "backticks"]
_BLOCK_RULES = ["blockquote", "hr", "list", "heading", "lheading", "paragraph"]


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    parser.block.ruler.enableOnly(_BLOCK_RULES)
    parser.inline.ruler.enableOnly(_INLINE_RULES)
    parser.inline.ruler2.enableOnly(["fragments_join"])
    parser.core.ruler.enableOnly(["normalize", "block", "inline", "text_join"])
    return parser


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "code_inline":
            parts.append(child.markup + child.content + child.markup)
        else:
            parts.append(child.content)
    return "".join(parts)


def _replace_lines(lines: list[str], token: Token) -> None:
    """Put the inline's plain text back into its source lines, keeping each line's block prefix."""
    if token.map is None:
        return
    start, end = token.map
    typed = token.content.split("\n")
    plain = _inline_text(token).split("\n")
    if len(typed) != len(plain) or end - start != len(typed):
        # A code span spanning lines joins them; keep the line layout and resolve escapes per line.
        for index in range(start, end):
            lines[index] = _line_plain(lines[index])
        return
    for offset, (typed_line, plain_line) in enumerate(zip(typed, plain, strict=True)):
        source = lines[start + offset]
        at = source.find(typed_line) if typed_line else -1
        if at < 0:
            lines[start + offset] = _line_plain(source) if typed_line else source
            continue
        lines[start + offset] = source[:at] + plain_line + source[at + len(typed_line) :]


def _line_plain(line: str) -> str:
    """One line parsed on its own as a paragraph (leading whitespace kept)."""
    body = line.lstrip(" \t")
    tokens = _parser().parse(body)
    inline = next((t for t in tokens if t.type == "inline"), None)
    if inline is None:
        return line
    prefix = line[: len(line) - len(body)]
    at = body.find(inline.content)
    if at < 0:
        return prefix + _inline_text(inline)
    return prefix + body[:at] + _inline_text(inline) + body[at + len(inline.content) :]


def markdown_to_plain(text: str) -> str:
    """The plain text that ``text`` (Markdown) was made from: escapes resolved, layout kept.

    >>> markdown_to_plain("titers of \\\\&lt;0.1 IU/ml; age \\\\>= 18")
    'titers of &lt;0.1 IU/ml; age >= 18'
    """
    if "\\" not in text:
        # Nothing is escaped, so nothing changes: the common case costs no parse.
        return text
    lines = text.split("\n")
    for token in _parser().parse(text):
        if token.type == "inline":
            _replace_lines(lines, token)
    return "\n".join(lines)


def has_markdown_escape(text: str) -> bool:
    """Whether ``text`` read as Markdown holds an escape: what plain text sent to a registry must not."""
    return "\\" in text and markdown_to_plain(text) != text


__all__ = ["has_markdown_escape", "markdown_to_plain"]
