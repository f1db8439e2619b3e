"""Every panel variant: singular, plural, null figures, no peer group, no peer average."""

from __future__ import annotations

from typing import Any

import pytest

from annual_review.letters import LetterContent

from .rows import NO_INVESTIGATIONS, NO_PEER, frame, northampton, render
from .text import html_to_text

PERIOD = "for the period between 1 April 2019 to 31 March 2020"


def panels_text(row: dict[str, Any], content: LetterContent) -> str:
    """The statistics pages only, as text, with rows passed through the table schema as in a run."""
    record = frame(row).to_dict("records")[0]
    text = html_to_text(render(record, content))
    start = text.index("Chair, Commission for Local Administration in England")
    return text[start : text.index("Appendix:")]


@pytest.mark.parametrize(
    ("overrides", "expected", "absent"),
    [
        pytest.param(
            {},
            [
                "7\nupheld decisions\n",
                "1\nsatisfactory remedy decision\n",
                "11 detailed investigations " + PERIOD,
                "5 compliance outcomes " + PERIOD,
            ],
            [],
            id="reference-plurals",
        ),
        pytest.param(
            {
                "upheld": 1,
                "investigations": 1,
                "uphold_rate_pct": 100,
                "satisfactory_remedies": 0,
                "satisfactory_remedy_rate_pct": 0,
                "compliance_outcomes": 1,
                "complied": 1,
            },
            [
                "1\nupheld decision\n",
                "a total of 1 detailed investigation " + PERIOD,
                "0\nsatisfactory remedy decisions\n",
                "a total of 1 compliance outcome " + PERIOD,
                "In 0% of upheld cases",
            ],
            ["1 detailed investigations", "1 compliance outcomes"],
            id="singulars",
        ),
        pytest.param(
            {"satisfactory_remedies": 2, "satisfactory_remedy_rate_pct": 29},
            ["2\nsatisfactory remedy decisions\n", "In 29% of upheld cases"],
            [],
            id="remedy-plural",
        ),
        pytest.param(
            NO_INVESTIGATIONS,
            [
                "We did not carry out any detailed investigations of complaints about this authority"
                " in this period.\nThe average in similar authorities was 45%.\n0\nupheld decisions",
                "We upheld no complaints about this authority in this period, so there were no cases"
                " in which it could have provided a satisfactory remedy.\n"
                "The average in similar authorities was 20%.",
            ],
            ["detailed investigations for the period", "of complaints we investigated were upheld"],
            id="no-investigations",
        ),
        pytest.param(
            {
                "upheld": 0,
                "investigations": 3,
                "uphold_rate_pct": 0,
                "satisfactory_remedies": 0,
                "satisfactory_remedy_rate_pct": None,
            },
            [
                "0% of complaints we investigated were upheld.",
                "We upheld no complaints about this",
                "0\nupheld decisions",
                "a total of 3 detailed investigations " + PERIOD,
            ],
            ["of upheld cases we found"],
            id="none-upheld",
        ),
        pytest.param(
            {"compliance_outcomes": 0, "complied": 0, "compliance_rate_pct": None},
            [
                "No recommendations were due for compliance in this period\n"
                "The average in similar authorities was 99%."
            ],
            ["compliance outcomes " + PERIOD, "of cases we were satisfied"],
            id="no-compliance",
        ),
        pytest.param(
            NO_PEER,
            ["64% of complaints we investigated were upheld.\n7\n"],
            ["similar authorities", "Similar authorities"],
            id="no-peer-group",
        ),
        pytest.param(
            {
                **NO_PEER,
                **NO_INVESTIGATIONS,
                "compliance_outcomes": 0,
                "complied": 0,
                "compliance_rate_pct": None,
            },
            ["No recommendations were due for compliance in this period\n"],
            ["similar authorities"],
            id="no-peer-group-all-null",
        ),
        pytest.param(
            {"peer_uphold_rate_pct": None, "peer_compliance_rate_pct": None},
            [
                "64% of complaints we investigated were upheld.\nThere is no average for similar"
                " authorities to compare with in this period.",
                "In 100% of cases we were satisfied the authority had successfully implemented our"
                " recommendations.\nThere is no average for similar authorities to compare with",
                "This compares to an average of 20% in similar authorities.",
            ],
            ["average of 45%", "average of 99%"],
            id="peer-group-without-average",
        ),
    ],
)
def test_panel_variants(
    overrides: dict[str, Any], expected: list[str], absent: list[str], content: LetterContent
) -> None:
    text = panels_text(northampton(**overrides), content)
    for fragment in expected:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text


def test_no_peer_group_chart_has_one_bar(content: LetterContent) -> None:
    html = render(northampton(**NO_PEER), content)
    assert "Similar authorities" not in html
    assert html.count("This authority</text>") == 3


def test_charts_are_inline_svg_with_a_text_alternative(content: LetterContent) -> None:
    html = render(northampton(), content)
    assert "<script" not in html
    assert html.count('<svg class="chart"') == 3
    assert html.count('role="img"') == 3
    assert (
        '<desc id="chart-upheld-desc">Northampton Borough Council: 64%.'
        " Average of similar authorities: 45%.</desc>"
    ) in html


def test_large_counts_have_thousands_separators(content: LetterContent) -> None:
    text = html_to_text(render(northampton(complaints_received=1234), content))
    assert "Total | 1,234" in text
