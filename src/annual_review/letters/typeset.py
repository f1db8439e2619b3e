"""The HTML letter as Typst source, for its PDF: the words, their order and the charts are the HTML's own.

The HTML letter is the one source of every word (letter.html.j2, panels.html.j2, the editor's narrative);
this module only maps its elements, by tag and class, onto the functions of templates/letter.typ, which
holds the look. Every piece of text reaches Typst as a string literal, so nothing an editor or an
authority's name holds (`#`, `*`, `$`, `//`, `@`, `<`) is ever read as Typst markup or code. An element
this module does not know stops the render naming it, rather than leave words out of the PDF.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from templates import TEMPLATES_DIR

LETTER_STYLE = TEMPLATES_DIR / "letter.typ"
_VOID = {"br", "img", "meta", "link", "hr", "input", "wbr"}
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_SVG_NS = "{http://www.w3.org/2000/svg}"
_SPACES = re.compile(r"\s+")
_IMAGE_FORMATS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


class TypesetError(ValueError):
    """The HTML letter holds something its PDF cannot show as it is."""


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def cls(self) -> str:
        return self.attrs.get("class", "")

    def find(self, tag: str) -> Element | None:
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    return child
                if (found := child.find(tag)) is not None:
                    return found
        return None

    def elements(self, tag: str | None = None) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element) and (tag is None or c.tag == tag)]


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return
        raise TypesetError(f"the HTML letter closes <{tag}> that is not open")

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def string(text: str) -> str:
    """A Typst string literal: only the backslash and the quote need escaping."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _svg_alt(source: str) -> str:
    """A chart's text alternative: its <title> and <desc>, as screen readers read the HTML one."""
    svg = ET.fromstring(source)
    parts = [svg.findtext(f"{_SVG_NS}{tag}", "") for tag in ("title", "desc")]
    return " ".join(_SPACES.sub(" ", part).strip() for part in parts if part.strip())


class _Letter:
    """One letter's conversion: the charts cut out before parsing (their XML keeps its case), then a walk."""

    def __init__(self, html: str) -> None:
        self.charts: list[str] = []

        def cut(match: re.Match[str]) -> str:
            self.charts.append(match.group(0))
            return f'<x-chart data-index="{len(self.charts) - 1}"></x-chart>'

        tree = _Tree()
        tree.feed(_SVG.sub(cut, html))
        tree.close()
        self.root = tree.root

    # inline content -------------------------------------------------------------------------------

    def inline(self, nodes: list[Element | str]) -> str:
        pieces = _trimmed(nodes)
        return "".join(self._inline_one(node) for node in pieces)

    def _inline_one(self, node: Element | str) -> str:
        if isinstance(node, str):
            return f"#{string(node)}" if node else ""
        inner = "".join(self._inline_one(child) for child in node.children)
        match node.tag, node.cls:
            case ("strong" | "b", _) | ("span", "signatory-name"):
                return f"#strong[{inner}]"
            case ("em" | "i", _):
                return f"#emph[{inner}]"
            case ("a", _):
                href = node.attrs.get("href", "")
                return f"#link({string(href)})[{inner}]" if href else inner
            case ("br", _):
                return "#linebreak()"
            case ("code", _):
                return f"#raw({string(_text(node))})"
            case ("span" | "abbr" | "small" | "time", _):
                return inner
        raise TypesetError(f"the HTML letter has <{node.tag} class={node.cls!r}> where text was expected")

    # blocks ---------------------------------------------------------------------------------------

    def blocks(self, nodes: list[Element | str]) -> str:
        out: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                if node.strip():
                    raise TypesetError(f"the HTML letter has loose text {node.strip()[:40]!r} between blocks")
                continue
            out.append(self.block(node))
        return "\n".join(part for part in out if part)

    def block(self, node: Element) -> str:
        tag, cls = node.tag, node.cls
        if tag == "section":
            body = self.blocks(node.children)
            if cls == "page-panels":
                return f"#statistics[\n{body}\n]"
            if cls == "panel":
                return f"#panel[\n{body}\n]"
            return body
        if tag in ("main", "article") or (tag == "div" and cls in ("narrative", "panel-text", "callout", "")):
            return self.blocks(node.children)
        if tag == "header" and cls == "logo":
            top, bottom = node.elements("span")
            return f"#logo[{self.inline(top.children)}][{self.inline(bottom.children)}]"
        if tag == "p":
            return f"#p({string(cls)})[{self.inline(node.children)}]"
        if tag == "address":
            return f"#address[{self.inline(node.children)}]"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return f"#heading(level: {tag[1]})[{self.inline(node.children)}]"
        if tag == "div" and cls == "signature-block":
            return f"#signature-block[\n{self.blocks(node.children)}\n]"
        if tag == "img":
            return f"#signature({self.image(node)})"
        if tag == "div" and cls == "panel-body":
            text_part, chart_part = node.elements("div")
            return (
                f"#panel-body[\n{self.blocks(text_part.children)}\n][\n{self.blocks(chart_part.children)}\n]"
            )
        if tag == "div" and cls == "panel-chart":
            return self.blocks(node.children)
        if tag == "x-chart":
            source = self.charts[int(node.attrs["data-index"])]
            return f"#chart({string(source)}, {string(_svg_alt(source))})"
        if tag in ("ul", "ol"):
            items = "".join(f"[{self.list_item(item)}]" for item in node.elements("li"))
            if cls == "note":
                return f"#note{items}"
            return f"#narrative-list({'true' if tag == 'ol' else 'false'}){items}"
        if tag == "table":
            return self.table(node)
        if tag == "blockquote":
            return f"#quote(block: true)[\n{self.blocks(node.children)}\n]"
        if tag == "hr":
            return "#line(length: 100%, stroke: 0.3mm)"
        if tag == "pre":
            return f"#raw(block: true, {string(_text(node).strip(chr(10)))})"
        raise TypesetError(f"the HTML letter has <{tag} class={cls!r}>, which its PDF does not know")

    def list_item(self, item: Element) -> str:
        if any(
            isinstance(c, Element) and c.tag in ("p", "ul", "ol", "blockquote", "pre") for c in item.children
        ):
            return self.blocks(item.children)
        return self.inline(item.children)

    def image(self, node: Element) -> str:
        """The signature, embedded from its data URI (content.py makes one; nothing is fetched)."""
        source = node.attrs.get("src", "")
        head, _, data = source.partition(",")
        kind = head.removeprefix("data:").removesuffix(";base64")
        if not head.startswith("data:") or not head.endswith(";base64") or kind not in _IMAGE_FORMATS:
            raise TypesetError(
                f"the HTML letter has an image that is not an embedded SVG, PNG or JPG: {source[:40]!r}"
            )
        picture = base64.b64decode(data)
        alt = string(node.attrs.get("alt", ""))
        height = "height: 16mm"
        if kind == "image/svg+xml":
            return f'image(bytes({string(picture.decode())}), format: "svg", {height}, alt: {alt})'
        numbers = ",".join(map(str, picture))
        return f"image(bytes(({numbers},)), format: {string(_IMAGE_FORMATS[kind])}, {height}, alt: {alt})"

    def table(self, node: Element) -> str:
        caption = node.find("caption")
        sections = {part.tag: part for part in node.elements() if part.tag in ("thead", "tbody", "tfoot")}

        def rows(part: str) -> list[list[str]]:
            section = sections.get(part)
            if section is None:
                return []
            return [
                [f"[{self.inline(cell.children)}]" for cell in row.elements()]
                for row in section.elements("tr")
            ]

        header, body, footer = rows("thead"), rows("tbody"), rows("tfoot")
        columns = len((header or body or footer or [[]])[0])
        if len(header) > 1 or len(footer) > 1 or any(len(row) != columns for row in header + body + footer):
            raise TypesetError(
                "the HTML letter has a table whose rows are not one header, rows and one footer"
            )

        def cells(row: list[str]) -> str:
            return "(" + "".join(f"{cell}," for cell in row) + ")"

        title = self.inline(caption.children) if caption else ""
        return (
            f"#data-table({string(node.cls)}, [{title}], {columns}, "
            f"{cells(header[0] if header else [])}, ({''.join(cells(row) + ',' for row in body)}), "
            f"{cells(footer[0] if footer else [])})"
        )


def _text(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _trimmed(nodes: list[Element | str]) -> list[Element | str]:
    """Whitespace as a browser shows it: runs collapsed to one space, none at the edges of a block or
    beside a line break."""
    segments: list[list[Element | str]] = [[]]
    for node in _trimmed_inside(nodes):
        if isinstance(node, Element) and node.tag == "br":
            segments.append([node])
            segments.append([])
        else:
            segments[-1].append(node)
    for segment in segments:
        _strip_edge(segment, first=True)
        _strip_edge(segment, first=False)
    return [node for segment in segments for node in segment]


def _trimmed_inside(nodes: list[Element | str]) -> list[Element | str]:
    return [
        _SPACES.sub(" ", n) if isinstance(n, str) else Element(n.tag, n.attrs, _trimmed_inside(n.children))
        for n in nodes
    ]


def _strip_edge(nodes: list[Element | str], *, first: bool) -> None:
    """Strip the space at one end of a run of inline nodes, looking inside elements (in place)."""
    order = range(len(nodes)) if first else range(len(nodes) - 1, -1, -1)
    for index in order:
        node = nodes[index]
        if isinstance(node, str):
            nodes[index] = node.lstrip(" ") if first else node.rstrip(" ")
            if nodes[index]:
                return
        elif node.tag == "br":
            return
        else:
            _strip_edge(node.children, first=first)
            if _text(node).strip(" "):
                return


@cache
def letter_style() -> str:
    return LETTER_STYLE.read_text(encoding="utf-8")


def _meta(head: Element | None) -> dict[str, str]:
    if head is None:
        return {}
    return {
        meta.attrs["name"]: meta.attrs.get("content", "")
        for meta in head.elements("meta")
        if "name" in meta.attrs
    }


def typeset(html: str) -> str:
    """The whole letter as one Typst document: the style, the document's metadata, then the letter."""
    letter = _Letter(html)
    page = letter.root.find("html")
    head, body = letter.root.find("head"), letter.root.find("body")
    if page is None or body is None:
        raise TypesetError("the HTML letter has no <html> or <body>")
    meta = _meta(head)
    title = head.find("title") if head is not None else None
    lang, _, region = page.attrs.get("lang", "en").partition("-")
    created = meta.get("dcterms.created", "")
    date = "none"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", created):
        year, month, day = (int(part) for part in created.split("-"))
        date = f"datetime(year: {year}, month: {month}, day: {day})"
    keywords = "".join(
        f"{string(word.strip())}," for word in meta.get("keywords", "").split(",") if word.strip()
    )
    return (
        f"{letter_style()}\n"
        f"#show: letter.with(title: {string(_SPACES.sub(' ', _text(title)).strip() if title else '')}, "
        f"author: {string(meta.get('author', ''))}, keywords: ({keywords}), date: {date}, "
        f"lang: {string(lang.lower())}, region: {string(region.upper()) if region else 'none'})\n"
        f"{letter.blocks(body.children)}\n"
    )
