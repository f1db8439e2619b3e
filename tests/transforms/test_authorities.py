import pandas as pd
import pytest

from transforms.authorities import authorities_in_year

REFERENCE = pd.DataFrame(
    {
        "authority_code": ["E10000021", "E07000154", "E06000061", "E31000001"],
        "authority_name": ["Northamptonshire", "Northampton", "North Northamptonshire", "A fire authority"],
        "authority_type": [
            "County Council",
            "District Council",
            "Unitary Council",
            "Fire and rescue authority",
        ],
        "valid_from": [None, None, "2021-22", "2019-20"],
        "valid_to": ["2020-21", "2020-21", None, None],
    }
)


@pytest.mark.parametrize(
    ("year", "codes"),
    [
        ("2018-19", ["E07000154", "E10000021"]),
        ("2019-20", ["E07000154", "E10000021", "E31000001"]),
        ("2020-21", ["E07000154", "E10000021", "E31000001"]),  # the last year of the old councils
        ("2021-22", ["E06000061", "E31000001"]),  # reorganised into unitaries
    ],
)
def test_valid_in_year(year: str, codes: list[str]) -> None:
    result = authorities_in_year(REFERENCE, year)
    assert result["authority_code"].tolist() == codes
    assert (result["year"] == year).all()
    assert result.columns[0] == "year"


def test_does_not_mutate_its_argument() -> None:
    before = REFERENCE.copy()
    authorities_in_year(REFERENCE, "2019-20")
    pd.testing.assert_frame_equal(REFERENCE, before)
