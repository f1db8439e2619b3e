"""Narrative Markdown: what editors write becomes HTML; nothing they write can run in a reader's browser."""

from __future__ import annotations

import pytest

from annual_review.letters.markdown import markdown_to_html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("One\nparagraph.\n\nTwo.", "<p>One\nparagraph.</p>\n<p>Two.</p>\n"),
        ("## Heading", "<h2>Heading</h2>\n"),
        ("# Heading", "<h2>Heading</h2>\n"),  # <h1> is the letter's title
        ("**Bold** - text", "<p><strong>Bold</strong> - text</p>\n"),
        (
            "See [our site](https://x.example/a?b=1&c=2).",
            '<p>See <a href="https://x.example/a?b=1&amp;c=2">our site</a>.</p>\n',
        ),
        ("Write to [us](mailto:a@x.example).", '<p>Write to <a href="mailto:a@x.example">us</a>.</p>\n'),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
    ],
)
def test_markdown_editors_write(source: str, html: str) -> None:
    assert markdown_to_html(source) == html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "java&#x73;cript:alert(1)",  # an entity does not sneak it past
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
@pytest.mark.parametrize("form", ["[council's page]({link})", "<{link}>"])
def test_a_hostile_link_is_left_as_text(link: str, form: str) -> None:
    html = markdown_to_html(f"See {form.format(link=link)} now.")
    assert "<a " not in html and "href" not in html
    assert html.startswith("<p>See ") and html.rstrip().endswith(" now.</p>")


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<b>Brighton & Hove</b>'s", "<p>&lt;b&gt;Brighton &amp; Hove&lt;/b&gt;'s</p>\n"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        (
            '<a href="javascript:alert(1)">x</a>',
            "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>\n",
        ),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
    ],
)
def test_raw_html_is_escaped_not_passed_through(source: str, html: str) -> None:
    assert markdown_to_html(source) == html
