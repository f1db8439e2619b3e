"""HTML letters: one Jinja2 environment, templates compiled once, autoescaped, strict."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from annual_review.letters.markdown import escape_markdown, markdown_to_html
from templates import EDITIONS, TEMPLATES_DIR


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun for a count: 1 upheld decision, 7 upheld decisions."""
    return singular if count == 1 else (plural_form or f"{singular}s")


def thousands(count: int) -> str:
    """Counts as printed in letters: 1,400."""
    return f"{count:,}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescape everywhere and StrictUndefined: a typo in a template is an error, not a blank."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    env.filters["thousands"] = thousands
    return env


@lru_cache(maxsize=1)
def _narrative_environment() -> Environment:
    """An editor's narrative is data, not code: a sandbox that reaches no attribute starting with `_`,
    changes nothing and has no globals (`lipsum`, `cycler`, `range`...), only the letter's values.

    Narratives render to Markdown that markdown_to_html escapes for HTML, so no autoescape here; the
    values are escaped for Markdown instead (`finalize`), so that only the editor's text is read as it."""
    env = ImmutableSandboxedEnvironment(
        autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True, finalize=escape_markdown
    )
    env.globals.clear()
    return env


@lru_cache(maxsize=16)
def _narrative_template(source: str) -> Template:
    """Compile each year's narrative once, however many letters use it."""
    return _narrative_environment().from_string(source)


def render_narrative(context: dict[str, Any]) -> Markup:
    """The content's narrative with this letter's values filled in, as safe HTML."""
    text = _narrative_template(context["content"]["narrative"]).render(context)
    return Markup(markdown_to_html(text))  # safe: markdown_to_html escapes all text


def render_letter_html(context: dict[str, Any]) -> str:
    """The whole letter as one self-contained page (inline CSS, no scripts, no external files), in
    the edition the year's content chose."""
    template = environment().get_template(EDITIONS[context["edition"]])
    return template.render(context, narrative_html=render_narrative(context))
