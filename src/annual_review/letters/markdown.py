"""Narrative Markdown to HTML (markdown-it-py, CommonMark): editors need no HTML, names stay escaped."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


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
