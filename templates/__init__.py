"""The letters' Jinja2 templates and CSS, and beside them the per-year text an editor changes (content/).

A package only so that a checkout and an installed wheel find these files the same way.
"""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent
CONTENT_DIR = TEMPLATES_DIR / "content"
