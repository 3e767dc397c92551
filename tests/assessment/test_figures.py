"""Figures are written one way (partners.figures, the `figures` template filters): the worked examples of the rules,
and the assessment page, whose every figure follows them.

Worked by hand: 14000 -> "14,000" (thousands separated); 0.3333 as a share -> "33.3 %" (times 100, one decimal);
1034.6 km -> "1,035 km" (distances in whole km); 62.50 -> "62.5" (two decimals from 1, no trailing zero);
0.004123 -> "0.00412" (three significant digits below 1).
"""

import re
from html import unescape

import pytest
from django.template import Context, Template

from partners import figures
from tests.assessment.test_services import assessed  # noqa: F401  (the fixture)

FIGURE = re.compile(r"(?<![\w.,])[+\-−]?\d[\d,]*(?:\.\d+)?(?: %)?(?![\w,])")
WELL_FORMED = re.compile(r"[+\-−]?\d{1,3}(?:,\d{3})*(?:\.\d+)?")


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (14000, "", "14,000"),
        (14000, "t/year", "14,000 t/year"),
        (4660.4, "EUR/year", "4,660 EUR/year"),
        (62.5, "", "62.5"),
        (0.004123, "", "0.00412"),
        (0.3333, "share", "33.3 %"),
        (0.5, "share", "50.0 %"),
        (1034.6, "km", "1,035 km"),
        (34.81, "%", "34.8 %"),
        (None, "t/year", "—"),
        (0, "", "0"),
    ],
)
def test_the_rules_give_the_worked_examples(value, unit, text):
    assert figures.quantity(value, unit) == text


def test_signs_and_percentages():
    """-0.348 share -> "-34.8 %"; +279043.2 signed -> "+279,043"; a share rounding to zero has no sign."""
    assert figures.percent(-0.348, signed=True) == "-34.8 %"
    assert figures.number(279043.2, signed=True) == "+279,043"
    assert figures.percent(-0.00001) == "0.0 %"


def test_the_template_filters_use_the_same_rules():
    text = Template(
        '{% load figures %}{{ a|figure }} | {{ a|figure:"t/year" }} | {{ s|percent }} | {{ d|signed }}'
        ' | {{ k|figure:"km" }} | {{ n|figure }}'
    ).render(Context({"a": 14000, "s": 0.3333, "d": -2879583.4, "k": 1034.6, "n": None}))
    assert text == "14,000 | 14,000 t/year | 33.3 % | -2,879,583 | 1,035 km | —"


def page_figures(html: str) -> list[str]:
    """Every figure in the page's tables (dates and run numbers live outside them)."""
    found = []
    for table in re.findall(r"<table[^>]*>(.*?)</table>", html, re.S):
        text = unescape(re.sub(r"<[^>]+>", " ", table))
        found += FIGURE.findall(text)
    return found


def badly_formed(found: list[str]) -> list[str]:
    bad = []
    for f in found:
        if f.endswith(" %"):
            if not re.fullmatch(r"[+\-−]?\d{1,3}(?:,\d{3})*\.\d %", f):  # one decimal, always
                bad.append(f)
        elif not WELL_FORMED.fullmatch(f):  # 14000 instead of 14,000
            bad.append(f)
    return bad


@pytest.mark.django_db
def test_the_assessment_page_writes_every_figure_one_way(assessed, net, client_for):  # noqa: F811
    """The hand-worked network of test_services: 90 t of 250 t of product is a recycled share of 0.36, shown
    "36.0 %" (it was "0.36 (36 %)"); the costs 4,660 / 10,000 / 25,000 EUR/year; every figure of the tables has its
    thousands separated and every percentage one decimal."""
    scenario = assessed[0]
    html = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/assessment/").content.decode()
    result = html[html.index('id="result"') : html.index("<h2>Runs</h2>")]
    found = page_figures(result)
    assert {"4,660", "10,000", "25,000", "36.0 %"} <= set(found)
    assert badly_formed(found) == []
    assert "0.36" not in found


def test_the_format_check_catches_the_old_forms():
    """The checker itself: "14000" and "36 %" are caught, "14,000" and "33.3 %" pass."""
    assert badly_formed(
        page_figures("<table><tr><td>14000</td><td>36 %</td><td>14,000</td><td>33.3 %</td></tr></table>")
    ) == ["14000", "36 %"]


DATES = re.compile(
    r"\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}"
    r"(?:,? \d\d:\d\d(?::\d\d)?)?"
)


def page_figures_without_dates(html: str) -> list[str]:
    return page_figures(DATES.sub(" ", html))


def test_the_optimisation_page_writes_every_figure_one_way(
    net, client_for, django_capture_on_commit_callbacks, library
):  # noqa: F811
    """A solved run of the hand-worked study (tests/assessment/test_pages_optimisation.py): the sites' use of their
    capacity and the solver's gap are percentages with one decimal (they were "100 %", "9.71 %", "0 %")."""
    from tests.assessment.test_pages_optimisation import optimise

    run = optimise(net, django_capture_on_commit_callbacks, pareto_points=5)
    html = client_for(net.ec_viewer).get(f"/studies/{net.study.pk}/optimisations/{run.pk}/").content.decode()
    found = page_figures_without_dates(html)
    assert any(f.endswith(" %") for f in found)
    assert 'id="solver-gap">0.0 %<' in html
    assert badly_formed(found) == []


def test_the_builder_and_ranking_pages_write_every_figure_one_way(collectors, client_for):
    """The builder's options (distances, capacities, what each is asked for) and the partner ranking's table."""
    from assessment import decisions
    from scenarios import services as scenario_services
    from tests.assessment.test_pages_partners_builder import build_url, step

    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Figures")
    client = client_for(net.ec_editor)
    step(client, scenario, net.neuss, "recoverer")
    step(client, scenario, net.hagen, "sorter")
    for url in (build_url(scenario, role="collector"), f"/studies/{net.study.pk}/partner-rankings/{ranking.pk}/"):
        found = page_figures_without_dates(client.get(url).content.decode())
        assert found and badly_formed(found) == [], url
