"""HTML to plain text with the stdlib parser: one line per block, as a reader sees it."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {
    "address",
    "caption",
    "div",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "header",
    "li",
    "main",
    "p",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
}
_HIDDEN = {"head", "script", "style", "svg", "title"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._buffer: list[str] = []
        self._hidden = 0

    def _flush(self) -> None:
        line = " ".join("".join(self._buffer).split())
        if line:
            self.lines.append(line)
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS or tag == "br":
            self._flush()
            if tag == "li":
                self._buffer.append("- ")
        elif tag in ("td", "th") and "".join(self._buffer).strip():
            self._buffer.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden -= 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._buffer.append(data)


def html_to_text(html: str) -> str:
    """The letter as lines of text, entities unescaped, whitespace collapsed."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n".join(parser.lines) + "\n"
