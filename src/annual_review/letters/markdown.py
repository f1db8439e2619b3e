"""Narrative Markdown to HTML (markdown-it-py, CommonMark): editors need no HTML, names stay escaped."""

from __future__ import annotations

from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_ASCII_PUNCT

# Every character CommonMark lets a backslash escape (the parser's own list): escaped, it is only itself.
_ESCAPES = {code: "\\" + chr(code) for code in MD_ASCII_PUNCT}


@cache
def _parser() -> MarkdownIt:
    """Raw HTML off (escaped as text); validateLink drops javascript:, vbscript: and data: links."""
    return MarkdownIt("commonmark", {"html": False})


def markdown_to_html(text: str) -> str:
    """A narrative as HTML; a '#' heading becomes <h2>, since <h1> is the letter's own title."""
    parser = _parser()
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html: str = parser.renderer.render(tokens, parser.options, {})
    return html


def escape_markdown(value: Any) -> str:
    """A value in a narrative prints as written: `*`, `_`, `[x](y)`, `#`, `1.`, `&copy;` never format."""
    return str(value).translate(_ESCAPES)
