"""Letter editions: the 2020 edition up to 2022-23, the 2024 edition from 2023-24, chosen in the content."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from annual_review.letters import (
    LetterContent,
    LetterContentError,
    letter_context,
    load_content,
    render_letter_html,
)
from annual_review.letters.content import shipped_content_dir
from annual_review.years import BusinessYear

from .editions import LAST_YEAR, POPULATION, recent, render_recent, statistics_text
from .rows import frame, northampton
from .text import html_to_text

PER_100K = "This results in a rate of 4.9 upheld decisions per 100,000 residents."
PEER_100K = "The average for authorities of this type is 5.0."
NO_PEER = {
    "authority_type": "Fire and rescue authority",
    "peer_group": False,
    **{f"peer_{r}": None for r in ("uphold_rate", "compliance_rate", "satisfactory_remedy_rate")},
    **{f"peer_{r}_pct": None for r in ("uphold_rate", "compliance_rate", "satisfactory_remedy_rate")},
    "peer_upheld_per_100k": None,
    "peer_upheld_per_100k_display": None,
}


@pytest.fixture(scope="module")
def recent_content() -> LetterContent:
    return load_content(BusinessYear(2024))


@pytest.mark.parametrize(
    ("start", "edition"), [(2019, "2020"), (2021, "2020"), (2022, "2020"), (2023, "2024"), (2026, "2024")]
)
def test_the_default_edition_follows_the_year(start: int, edition: str) -> None:
    assert load_content(BusinessYear(start)).edition == edition


def copy_shipped(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(shipped_content_dir(), root)
    return root


@pytest.mark.parametrize(
    ("folder", "start", "edition"), [("2019-20", 2019, "2024"), ("2024-25", 2024, "2020")]
)
def test_an_editor_switches_a_years_edition_in_letter_toml(
    tmp_path: Path, folder: str, start: int, edition: str
) -> None:
    """edition = "2024" (or 2024) at the top of letter.toml; no code changes."""
    root = copy_shipped(tmp_path)
    if not (root / folder).exists():
        shutil.copytree(root / "default", root / folder)
    toml = root / folder / "letter.toml"
    toml.write_text(f"edition = {edition}\n" + toml.read_text())
    assert load_content(BusinessYear(start), root).edition == edition


def test_an_unknown_edition_is_named(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    toml = root / "default" / "letter.toml"
    toml.write_text('edition = "2022"\n' + toml.read_text())
    with pytest.raises(
        LetterContentError, match=r"default/letter.toml: edition must be one of '2020', '2024'"
    ):
        load_content(BusinessYear(2024), root)


def test_per_100k_sentences_follow_the_uphold_sentences(recent_content: LetterContent) -> None:
    text = statistics_text(render_recent(recent(**POPULATION), recent_content))
    assert (
        "64% of complaints we investigated were upheld.\n"
        "This compares to an average of 45% in similar authorities.\n"
        f"{PER_100K}\n{PEER_100K}\n7\nupheld decisions\n"
    ) in text


def test_the_three_panels_sentences_are_the_2020_editions(recent_content: LetterContent) -> None:
    """The 2024 edition's first three panels are the 2020 edition's, plus the two per-100k lines."""
    row = recent(**POPULATION, **LAST_YEAR)
    as_2020 = statistics_text(render_recent(row, dataclasses.replace(recent_content, edition="2020")))
    as_2024 = statistics_text(render_recent(row, recent_content))
    three_panels = as_2024[: as_2024.index("Complaints dealt with")]
    assert as_2020.count("upheld.\nThis compares to an average of 45% in similar authorities.\n") == 1
    assert three_panels == as_2020.replace(
        "upheld.\nThis compares to an average of 45% in similar authorities.\n",
        f"upheld.\nThis compares to an average of 45% in similar authorities.\n{PER_100K}\n{PEER_100K}\n",
    )
    assert "per 100,000" not in as_2020 and "Complaints dealt with" not in as_2020


@pytest.mark.parametrize(
    ("overrides", "present", "absent"),
    [
        pytest.param(POPULATION, [PER_100K, PEER_100K], [], id="population"),
        pytest.param({}, [], ["per 100,000", "authorities of this type"], id="no-population"),
        pytest.param({**POPULATION, **NO_PEER}, [PER_100K], ["authorities of this type"], id="no-peer-group"),
        pytest.param(
            {**POPULATION, "upheld_per_100k": 0.0, "upheld_per_100k_display": "0.0"},
            ["This results in a rate of 0.0 upheld decisions per 100,000 residents.", PEER_100K],
            [],
            id="zero-upheld",
        ),
    ],
)
def test_per_100k_variants(
    overrides: dict[str, object], present: list[str], absent: list[str], recent_content: LetterContent
) -> None:
    text = statistics_text(render_recent(recent(**overrides), recent_content))
    for sentence in present:
        assert sentence in text
    for fragment in absent:
        assert fragment not in text


def dealt_with(row: dict[str, object], content: LetterContent) -> str:
    text = statistics_text(render_recent(row, content))
    return text[text.index("Complaints dealt with") :]


def test_dealt_with_beside_last_year_as_released(recent_content: LetterContent) -> None:
    text = dealt_with(recent(**LAST_YEAR), recent_content)
    assert text.startswith(
        "Complaints dealt with\n"
        "We made 30 decisions on complaints and enquiries about this authority.\n"
        "Decisions made, by outcome\n"
        "Outcome | 2024-25 | 2023-24\n"
        "Not for us | 9 | 8\n"
        "Assessed and closed | 10 | 1,009\n"
        "Investigated | 11 | 10\n"
        "Total | 30 | 1,027\n"
    )
    assert "no figures" not in text


def test_dealt_with_without_a_released_previous_year(recent_content: LetterContent) -> None:
    text = dealt_with(recent(), recent_content)
    assert (
        "Outcome | 2024-25\nNot for us | 9\nAssessed and closed | 10\nInvestigated | 11\nTotal | 30\n" in text
    )
    assert "2023-24" not in text


def test_dealt_with_for_an_authority_not_in_last_years_release(recent_content: LetterContent) -> None:
    text = dealt_with(recent(previous_year="2023-24"), recent_content)
    assert "Outcome | 2024-25\n" in text
    assert "We have no figures for this authority for 2023-24.\n" in text


@pytest.mark.parametrize(
    ("counts", "headline"),
    [
        ((1, 0, 0), "We made 1 decision on complaints and enquiries about this authority."),
        ((0, 0, 0), "We made no decisions on complaints and enquiries about this authority in this period."),
    ],
)
def test_dealt_with_singular_and_none(
    counts: tuple[int, int, int], headline: str, recent_content: LetterContent
) -> None:
    not_for_us, closed, investigated = counts
    row = recent(
        decisions_made=sum(counts),
        not_for_us=not_for_us,
        assessed_and_closed=closed,
        investigated=investigated,
    )
    assert f"Complaints dealt with\n{headline}\n" in dealt_with(row, recent_content)


def test_the_dealt_with_chart_has_a_text_alternative(recent_content: LetterContent) -> None:
    html = render_recent(recent(**LAST_YEAR), recent_content)
    assert html.count('<svg class="chart"') == 4 and html.count('role="img"') == 4
    assert (
        '<desc id="chart-dealt-with-desc">West Northamptonshire Council, 2024-25: Not for us 9, '
        "Assessed and closed 10, Investigated 11. 2023-24: Not for us 8, Assessed and closed 1009, "
        "Investigated 10.</desc>"
    ) in html


def test_a_year_before_2023_24_renders_the_2020_edition_unchanged() -> None:
    """A 2022-23 row carrying every new figure still prints exactly the 2020 edition's letter."""
    year = BusinessYear(2022)
    content = load_content(year)
    assert content.edition == "2020"
    dates = (year.default_letter_date(), year.default_release_time().date())
    plain = frame(northampton(year="2022-23")).to_dict("records")[0]
    full = frame(
        northampton(year="2022-23", **POPULATION, **{**LAST_YEAR, "previous_year": "2021-22"})
    ).to_dict("records")[0]
    texts = [
        html_to_text(render_letter_html(letter_context(r, year, *dates, content))) for r in (plain, full)
    ]
    assert texts[0] == texts[1]
    assert "per 100,000" not in texts[1] and "Complaints dealt with" not in texts[1]


GOLDEN = Path(__file__).parent / "golden" / "E06000062-2024-25.txt"


def test_the_2024_edition_as_text_matches_its_golden_file(recent_content: LetterContent) -> None:
    """UPDATE_GOLDEN=1 rewrites it after a deliberate change; then review the diff."""
    text = html_to_text(render_recent(recent(**POPULATION, **LAST_YEAR), recent_content))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
