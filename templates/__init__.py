"""The letters' Jinja2 templates and CSS, and beside them the per-year text an editor changes (content/).

A package only so that a checkout and an installed wheel find these files the same way.
"""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent
CONTENT_DIR = TEMPLATES_DIR / "content"

# The letter's editions (an editor picks one per year in content/<year>/letter.toml): edition → template.
EDITIONS = {"2020": "letter.html.j2", "2024": "letter-2024.html.j2"}
# The reference website (static files), released with each year to public/site/.
WEBSITE_DIR = TEMPLATES_DIR / "website"
