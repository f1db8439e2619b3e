"""Annual review letters: one per authority with complaints or decisions in the year."""

from annual_review.letters.content import LetterContent, LetterContentError, load_content
from annual_review.letters.context import letter_context
from annual_review.letters.html import render_letter_html
from annual_review.letters.render import render_letters

__all__ = [
    "LetterContent",
    "LetterContentError",
    "letter_context",
    "load_content",
    "render_letter_html",
    "render_letters",
]
