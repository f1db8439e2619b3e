"""Escaping, strictness about missing values, and the letter's fixed parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import TemplateError, UndefinedError

from annual_review.letters import LetterContent, letter_context, render_letter_html
from annual_review.letters.html import render_narrative

from .rows import LETTER_DATE, RELEASE_DATE, YEAR, northampton, render
from .text import html_to_text


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("Brighton & Hove City Council", "Brighton &amp; Hove City Council"),
        ("Bath & North East Somerset Council", "Bath &amp; North East Somerset Council"),
        ("King's Lynn & West <Norfolk>", "King&#39;s Lynn &amp; West &lt;Norfolk&gt;"),
    ],
)
def test_names_are_escaped_in_html_and_plain_in_text(name: str, escaped: str, content: LetterContent) -> None:
    html = render(northampton(authority_name=name, chief_executive="Ms O'Neill"), content)
    assert escaped in html
    assert name not in html
    assert "O&#39;Neill" in html
    text = html_to_text(html)
    assert f"\n{name}\nDear Ms O'Neill\n" in text
    assert f"\n{name}, 1 April 2019 to 31 March 2020\n" in text


def test_narrative_apostrophes_are_not_escaped_twice(content: LetterContent) -> None:
    html = render(northampton(), content)
    assert "&amp;#x27;" not in html and "&amp;amp;" not in html
    assert "your Council's services" in html_to_text(html)


def narrative_with(name: str, narrative: str, content: LetterContent) -> str:
    context = letter_context(northampton(authority_name=name), YEAR, LETTER_DATE, RELEASE_DATE, content)
    context["content"]["narrative"] = narrative
    return str(render_narrative(context))


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("A*B*C Council", "A*B*C Council"),
        ("_Hove_ & *Brighton*", "_Hove_ &amp; *Brighton*"),
        ("[Our council](https://x.example)", "[Our council](https://x.example)"),
        ("Hove &amp; Brighton &copy;", "Hove &amp;amp; Brighton &amp;copy;"),  # no entity is read
        ("Back\\slash `code` <b>x</b>", "Back\\slash `code` &lt;b&gt;x&lt;/b&gt;"),
    ],
)
def test_a_value_in_the_narrative_prints_as_written(name: str, html: str, content: LetterContent) -> None:
    """Values are read as Markdown with the editor's text: a name must never format, link or vanish."""
    narrative = "To {{ authority.name }}, **a** {{ authority.type }} ({{ year.label }}).\n"
    expected = f"<p>To {html}, <strong>a</strong> District Council (2019-20).</p>\n"
    assert narrative_with(name, narrative, content) == expected


@pytest.mark.parametrize(
    "name", ["1. Council", "# Council", "- Council", "+ Council", "> Council", "===", "---"]
)
def test_a_value_starting_a_line_is_not_a_list_heading_or_quote(name: str, content: LetterContent) -> None:
    html = narrative_with(name, "Intro.\n{{ authority.name }}\n", content)
    assert html == f"<p>Intro.\n{name.replace('>', '&gt;')}</p>\n"


def test_a_missing_context_value_is_an_error(content: LetterContent) -> None:
    context = letter_context(northampton(), YEAR, LETTER_DATE, RELEASE_DATE, content)
    del context["salutation"]
    with pytest.raises(UndefinedError, match="salutation"):
        render_letter_html(context)


def test_a_missing_narrative_variable_is_an_error(content: LetterContent) -> None:
    context = letter_context(northampton(), YEAR, LETTER_DATE, RELEASE_DATE, content)
    context["content"]["narrative"] = "Published on {{ relase_date }}."
    with pytest.raises(UndefinedError, match="relase_date"):
        render_letter_html(context)


def test_fixed_parts_of_the_letter(content: LetterContent) -> None:
    html = render(northampton(), content)
    text = html_to_text(html)
    assert text.startswith(
        "Local Government & Social Care OMBUDSMAN\n22 July 2020\nBy email\nMr Candler\n"
        "Chief Executive\nNorthampton Borough Council\nDear Mr Candler\nAnnual Review letter 2020\n"
    )
    assert "along with a copy of this letter on 29 July 2020," in text
    assert "Yours sincerely,\nMichael King\n" in text
    assert '<meta name="dcterms.created" content="2020-07-22">' in html
    assert '<html lang="en-GB">' in html


def test_title_is_the_calendar_year_of_release(content: LetterContent) -> None:
    release = RELEASE_DATE.replace(year=2021)
    context = letter_context(northampton(), YEAR, LETTER_DATE, release, content)
    assert context["title"] == "Annual Review letter 2021"
    assert context["release_date"] == "29 July 2021"


@pytest.mark.parametrize(
    "payload",
    [
        "{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}",
        "{{ authority.name.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ year.label.__class__.__mro__ }}",
    ],
)
def test_a_narrative_cannot_reach_python(payload: str, content: LetterContent, tmp_path: Path) -> None:
    """An editor's narrative is data: no global, no attribute starting with `_`, no command run."""
    marker = tmp_path / "ran"
    with pytest.raises(TemplateError):
        narrative_with("Northampton Borough Council", payload.replace("{marker}", str(marker)), content)
    assert not marker.exists()
