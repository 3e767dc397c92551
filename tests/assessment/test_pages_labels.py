"""Pages name things in people's words (issue 11): indicators by name and unit, never by code; a factor's source is
a publication, never the project's notes; the optimiser's explanation names facilities and routes; rankings have
distinct names; equal scores share a rank and say "tied".

The fixture `ids` of test_pages_ahp.py: scenarios A and B with given results, the set "Cost vs recycling" and the
ranking it gives (Ranking 1), and the partner ranking of the three collectors on "Price and quality" (also id 1):
Köln 0.384, Mannheim and Stuttgart both 0.75 x 2/7 + 0.25 x 0.375 = 0.3080357 (test_partner_ranking.py).
"""

import importlib
import re
from html import unescape

import pytest
from django.apps import apps

from assessment import ahp, builder, decisions
from assessment.models import Factor, PartnerRanking, Ranking
from assessment.views_optimisation import in_words
from scenarios import services as scenario_services
from tests.assessment.test_pages_ahp import ids  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_indicators_are_offered_by_name_and_unit_not_by_code(net, ids, client_for):  # noqa: F811
    """The criteria of a new set: "Climate change (whole life cycle) kg CO2e/year", "Total RL cost EUR/year",
    "Recycling rate % recycled content"; the sheet criteria with their units ("Price EUR/t"). The codes stay in the
    form's values only."""
    html = client_for(net.ec_editor).get(f"/studies/{ids['study']}/ahp/").content.decode()
    boxes = html[html.index('id="field-criteria"') : html.index('id="field-ri_table"')]
    shown = text(boxes)
    assert "Climate change (whole life cycle) kg CO2e/year" in shown
    assert "Total RL cost EUR/year" in shown and "Recycling rate % recycled content" in shown
    assert "Price EUR/t" in shown
    assert "whole_life.climate_change_kg_co2e" not in shown and "cost.total_eur" not in shown
    assert 'value="whole_life.climate_change_kg_co2e"' in boxes


def test_a_criteria_set_names_its_random_index_table(net, ids, client_for):  # noqa: F811
    html = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/ahp/{ids['set']}/").content.decode()
    assert f"Random index: {ahp.RANDOM_INDEX_SOURCE['saaty']}." in unescape(html)
    assert "Random index: saaty" not in html


def test_two_rankings_of_a_study_have_distinct_meaningful_names(net, ids, client_for):  # noqa: F811
    """On a fresh database both have id 1 and were both shown "Ranking 1" (and on any database "Ranking <id>", a
    number that says nothing); now "Scenario ranking on “Cost vs recycling”, <date>" and "Collector ranking on
    “Price and quality”, <date>", on the list and as each page's heading, with no "Ranking <id>" left."""
    ranking, partner = Ranking.objects.get(pk=ids["ranking"]), PartnerRanking.objects.get(pk=ids["pranking"])
    assert ranking.title.startswith("Scenario ranking on “Cost vs recycling”, ")
    assert partner.title.startswith("Collector ranking on “Price and quality”, ")
    assert ranking.title != partner.title
    client = client_for(net.ec_viewer)
    listing = text(client.get(f"/studies/{ids['study']}/ahp/").content.decode())
    assert ranking.title in listing and partner.title in listing
    assert f"Ranking {ranking.pk}" not in listing and f"Ranking {partner.pk}" not in listing
    page = client.get(f"/studies/{ids['study']}/rankings/{ranking.pk}/").content.decode()
    assert f"<h1>{ranking.title} <small>" in page
    page = client.get(f"/studies/{ids['study']}/partner-rankings/{partner.pk}/").content.decode()
    assert f"<h1>{partner.title} <small>" in page


def test_equal_scores_share_a_rank_and_say_tied(net, ids, client_for):  # noqa: F811
    """Mannheim and Stuttgart both score 0.3080357: both 2nd, marked tied; Köln alone 1st, not tied."""
    html = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/partner-rankings/{ids['pranking']}/").content
    table = html.decode()
    table = table[table.index('id="partner-ranking-result"') :]
    ranks = [text(r) for r in re.findall(r'<tr data-facility="\d+"[^>]*>\s*<td class="num">(.*?)</td>', table)]
    assert ranks == ["1", "2 tied", "2 tied"]


def test_competition_ranks_worked_example():
    """[0.129, 0.127, 0.129, 0.1, 0.1] -> 1 (tied), 3, 1 (tied), 4 (tied), 4 (tied)."""
    assert ahp.competition_ranks([0.129, 0.127, 0.129, 0.1, 0.1]) == [
        (1, True),
        (3, False),
        (1, True),
        (4, True),
        (4, True),
    ]
    assert ahp.competition_ranks([0.3080357, 0.3080357 + 1e-15, 0.38]) == [(2, True), (2, True), (1, False)]


def test_a_tied_first_place_offers_both_and_asks_no_reason_for_either(collectors):
    """With Köln in the network, Mannheim and Stuttgart share the top rank left (2, tied): choosing Stuttgart needs
    no reason (it was refused without one when ties were broken by order)."""
    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Tied")
    for facility, role in ((net.neuss, "recoverer"), (net.hagen, "sorter"), (net.koeln, "collector")):
        builder.step(
            user=net.ec_editor,
            scenario=scenario,
            direction="backwards",
            role=role,
            facility=facility,
            ranking=ranking if role == "collector" else None,
        )
    node, _ = builder.step(
        user=net.ec_editor,
        scenario=scenario,
        direction="backwards",
        role="collector",
        facility=net.stuttgart,
        ranking=ranking,
    )
    assert node.facility == net.stuttgart


def test_the_factor_sources_name_publications(net, library, client_for):
    """No "DOMAIN.md" among the shipped sources; the data migration rewrites a stored one that still says it."""
    html = client_for(net.ec_viewer).get(f"/studies/{net.study.pk}/factors/").content.decode()
    assert "DOMAIN.md" not in html
    assert "UK DESNZ/DEFRA greenhouse gas conversion factors 2025, freight, tank-to-wheel: HGV all diesel" in html
    factor = Factor.objects.get(library__is_default=True, code="transport.co2e.inland_waterway")
    Factor.objects.filter(pk=factor.pk).update(source="KiM / CE Delft, Netherlands 2014 (DOMAIN.md)")
    migration = importlib.import_module("assessment.migrations.0007_factor_sources_name_publications")
    migration.rewrite(apps, None)
    factor.refresh_from_db()
    assert factor.source == "KiM / CE Delft, Netherlands 2014"


INPUTS = {
    "facilities": [
        {"key": "end_collector:1", "facility": "Forge plant", "organization": "Forge Works", "role": "end_collector"},
        {"key": "collector:7", "facility": "Köln yard", "organization": "Rhine Collect", "role": "collector"},
    ]
}


def test_the_optimisers_explanation_in_words():
    """Worked from the optimiser's own lines (assessment/optimize/infeasibility.py)."""
    assert in_words(
        "end_collector:1 needs 600 t in the period, but no supply can reach it (the maximum distance "
        "20 km removes 61 arcs)",
        INPUTS,
        {},
    ) == (
        "Forge plant (Forge Works) as end collector needs 600 t in the period, but no supply can reach it (routes "
        "longer than the maximum distance of 20 km are left out: 61 of the routes from collectors)"
    )
    assert in_words(
        "collector:7 must ship 1234.6 t in the period, but it cannot send it anywhere: the maximum "
        "distance 20 km removes all its arcs (the shortest is 35.25 km)",
        INPUTS,
        {},
    ) == (
        "Köln yard (Rhine Collect) as collector must ship 1,235 t in the period, but it cannot send it anywhere: "
        "every route from it is longer than the maximum distance of 20 km (the shortest is 35.25 km)"
    )
    assert (
        in_words("3,000 t of 'al-vehicle-parts' must be shipped", INPUTS, {"al-vehicle-parts": "Vehicle parts"})
        == "3,000 t of “Vehicle parts” must be shipped"
    )


def test_a_tie_for_first_place_is_said_as_such_when_ranking():
    """The message after ranking: one first ("Ranked: Köln yard comes first.") or a tie ("Ranked: Yard Graz and
    Yard Linz tie for first place.", the demo's two yards with the same sheet values)."""
    from assessment.views import _first_text

    assert _first_text(["Köln yard", "Mannheim yard"], [0.38, 0.31]) == "Ranked: Köln yard comes first."
    assert _first_text(["Yard Graz", "Ostrava", "Yard Linz"], [0.129, 0.127, 0.129]) == (
        "Ranked: Yard Graz and Yard Linz tie for first place."
    )
