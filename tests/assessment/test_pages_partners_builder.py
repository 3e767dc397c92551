"""The partner ranking pages and the step-by-step builder: the hand-worked figures of
tests/assessment/test_partner_ranking.py as the pages show them, the polled progress of a ranking a worker computes,
and refusals that become form errors and write nothing. The permission table of these pages is in
tests/assessment/test_pages_ahp.py.

Candidates (`collectors`, tests/assessment/conftest.py): Mannheim and Stuttgart (Alu Collect: 300 EUR/t, quality
90 %), Köln (Rhine Collect: 200 EUR/t, quality 60 %); the set "Price and quality" weighs price 3/4, quality 1/4.
Köln comes first with 0.75 x 3/7 + 0.25 x 0.25 = 0.3839286, the Alu Collect sites follow with 0.3080357 each.
The network (tests/scenarios/conftest.py, need 90 t/year): built backwards, Neuss remelter (0.9) receives 100 t and
sends 90 to the Forge plant, Hagen sorter (0.8) receives 125, a collector feeds Hagen: Stuttgart (0.85) 147.06 t.
"""

import pytest
from django.utils.html import escape

from assessment import decisions
from assessment.models import PartnerRanking
from partners.models import CriterionValue, LogEntry
from scenarios import services as scenario_services
from scenarios.models import Node, Route

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def rank_url(net) -> str:
    return f"/studies/{net.study.pk}/partners/rank/"


def choice(net, role="collector", material=None) -> dict:
    return {"criteria_set": net.partner_set.pk, "role": role, "material": (material or net.parts).pk}


def rank_data(net, **extra) -> dict:
    return {
        **choice(net),
        "mode": "distributive",
        "origin_price": "values",
        "origin_quality": "values",
        "candidates": f"{net.mannheim.pk},{net.stuttgart.pk},{net.koeln.pk}",
        **extra,
    }


def counts():
    return PartnerRanking.objects.count(), LogEntry.objects.count()


# ---------------------------------------------------------------- ranking partners


def test_the_ahp_page_links_to_ranking_partners_and_lists_the_rankings(collectors, client_for):
    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    page = client_for(net.ec_auditor).get(f"/studies/{net.study.pk}/ahp/").content.decode()
    assert f'href="{rank_url(net)}" id="rank-partners-link">Rank partners</a>' in page
    table = page[page.index('id="partner-ranking-table"') :]
    assert f'/studies/{net.study.pk}/partner-rankings/{ranking.pk}/">{ranking.title}</a>' in table
    assert "<strong>Köln yard (Rhine Collect)</strong>" in table and "Price and quality" in table


def test_choosing_role_and_material_lists_the_candidates_with_their_sheet_values(collectors, client_for):
    net = collectors
    client = client_for(net.ec_editor)
    first = client.get(rank_url(net)).content.decode()
    assert 'id="partner-choice"' in first and 'id="candidate-table"' not in first
    without_set = {k: v for k, v in choice(net).items() if k != "criteria_set"}  # the study's first set by itself
    response = client.get(rank_url(net), without_set)
    page = response.content.decode()
    assert response.status_code == 200
    table = page[page.index('id="candidate-table"') : page.index("</table>", page.index('id="candidate-table"'))]
    names = [row.split("</td><td>")[1] for row in table.split("<tr data-facility")[1:]]
    assert names == ["Mannheim yard", "Stuttgart yard", "Köln yard"]  # by company, then facility: the matrix order
    assert "Price <small>(EUR/t)</small>" in table
    assert table.count('<td class="num">300</td><td class="num">90</td>') == 2
    assert '<td class="num">200</td><td class="num">60</td>' in table
    # per criterion: sheet values (chosen) or a 3 x 3 pairwise matrix of the candidates
    assert 'name="origin_price" value="values"' in page and 'name="origin_quality" value="judgements"' in page
    assert 'name="m-quality-a_0_2"' in page and 'aria-label="Mannheim yard (Alu Collect) against Köln yard' in page
    assert 'id="m-quality-reciprocal-2-0"' in page and 'id="rank-partners"' in page
    # a reader sees the candidates, not the form
    reader = client_for(net.ec_viewer).get(rank_url(net), choice(net)).content.decode()
    assert 'id="candidate-table"' in reader and 'id="partner-rank-form"' not in reader


def test_ranking_from_sheet_values_shows_the_hand_worked_result(collectors, client_for):
    net = collectors
    client = client_for(net.ec_editor)
    response = client.post(rank_url(net), rank_data(net))
    ranking = PartnerRanking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/studies/{net.study.pk}/partner-rankings/{ranking.pk}/"
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "Ranked: Köln yard (Rhine Collect) comes first." in page
    assert "First: <strong>Köln yard (Rhine Collect)</strong> (score 0.384)" in page
    start = page.index('id="partner-ranking-result"')
    result = page[start : page.index("</table>", start)]
    rows = result.split("<tr data-facility")[1:]
    names = [r.split("<td>")[1].split("<br><small>")[0] for r in rows]
    assert names == ["Köln yard", "Mannheim yard", "Stuttgart yard"]
    # rank, values with their local scores (price 3/7 and 2/7, quality 0.25 and 0.375), final score
    assert (
        '<td class="num">1</td>' in rows[0]
        and '<td class="num">200</td><td class="num">0.429</td>' in rows[0]
        and '<td class="num">60</td><td class="num">0.25</td>' in rows[0]
        and "<strong>0.384</strong>" in rows[0]
    )
    assert '<td class="num">300</td><td class="num">0.286</td>' in rows[1] and "<strong>0.308</strong>" in rows[1]
    assert '<td class="num">2 <small class="tied">tied</small></td>' in rows[2]  # equal scores share a rank
    assert "Price<br><small>weight 0.75 · lower is better</small>" in result
    assert "value (EUR/t)" in result
    weights = page[page.index('id="partner-weights"') :]
    assert '<td>Quality</td><td class="num">0.25</td><td>higher is better</td><td>sheet values</td>' in weights
    assert 'id="partner-cr">0</strong>' in page
    # Sensitivity: the quality weight may rise by 17/60 = 0.283 (to 0.533) before Mannheim ties with Köln.
    table = page[page.index('id="sensitivity-table"') :]
    assert "+0.283 <small>(to 0.533: Mannheim yard (Alu Collect) ties)</small>" in table
    assert "−0.283 <small>(to 0.467: Mannheim yard (Alu Collect) ties)</small>" in table
    assert response.context["chart"]["winner"] == "Köln yard (Rhine Collect)"
    assert 'id="sensitivity-chart"' in page and 'id="no-draft"' in page  # no draft scenario to build yet
    assert "hx-trigger" not in page  # nothing to poll


def test_pairwise_judgements_of_a_criterion(collectors, client_for):
    net = collectors
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="quality").delete()
    client = client_for(net.ec_editor)
    page = client.get(rank_url(net), choice(net)).content.decode()
    assert page.count('<td class="num">—</td>') == 1  # Köln's missing quality
    # The two Alu Collect sites equal, each twice as good as Köln on quality.
    response = client.post(
        rank_url(net),
        rank_data(
            net, origin_quality="judgements", **{"m-quality-a_0_1": "1", "m-quality-a_0_2": "2", "m-quality-a_1_2": "2"}
        ),
    )
    ranking = PartnerRanking.objects.get()
    assert ranking.local_matrices == {"quality": [[1, 1, 2], [1, 1, 2], [0.5, 0.5, 1]]}
    page = client.get(response["Location"]).content.decode()
    # quality (0.4, 0.4, 0.2): Köln 0.75 x 3/7 + 0.25 x 0.2 = 0.371, Alu 0.75 x 2/7 + 0.25 x 0.4 = 0.314
    assert "(score 0.371)" in page and page.count("<strong>0.314</strong>") == 2
    assert "<td>pairwise judgements (CR 0)</td>" in page
    assert "<small>local, judged</small>" in page


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"mode": "best"}, "Select a valid choice. best is not one of the available choices."),
        (
            {"origin_quality": "judgements", "m-quality-a_0_1": "abc", "m-quality-a_0_2": "1", "m-quality-a_1_2": "1"},
            "Quality: correct the pairwise judgements below.",
        ),
        (
            {"origin_quality": "judgements", "m-quality-a_0_1": "-2", "m-quality-a_0_2": "1", "m-quality-a_1_2": "1"},
            "A judgement is a number above 0",
        ),
        (
            {
                "origin_quality": "judgements",
                "m-quality-a_0_1": "2",
                "m-quality-a_0_2": "1",
                "m-quality-a_1_2": "1",
                "candidates": "1,2",
            },
            "The candidates changed since the page was shown",
        ),
        ({"material": "999999"}, "Select a valid choice. That choice is not one of the available choices."),
        ({"role": "end_collector"}, "Select a valid choice. end_collector is not one of the available choices."),
        ({"criteria_set": "abc"}, "Select a valid choice."),
    ],
)
def test_bad_input_becomes_form_errors_and_writes_nothing(collectors, client_for, edit, message):
    net = collectors
    before = counts()
    response = client_for(net.ec_editor).post(rank_url(net), rank_data(net, **edit))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_service_refusals_become_form_errors_and_write_nothing(collectors, client_for):
    net = collectors
    client = client_for(net.ec_editor)
    before = counts()
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="quality").delete()
    response = client.post(rank_url(net), rank_data(net))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="rank-errors"' in page
    assert "Quality: no value on the sheet of Köln yard (Rhine Collect); ask them to fill it in" in page
    # only Hagen sorts vehicle parts: nothing to rank, said on the page before anyone presses Rank
    page = client.get(rank_url(net), choice(net, role="sorter")).content.decode()
    assert 'id="nothing-to-rank"' in page and 'id="partner-rank-form"' not in page
    response = client.post(rank_url(net), {**rank_data(net), "role": "sorter", "candidates": str(net.hagen.pk)})
    assert response.status_code == 200
    assert "1 invited candidate facility offers the sorter role and takes" in response.content.decode()
    # a set nobody has weighed
    unweighed = decisions.criteria_set_create(
        user=net.ec_editor, study=net.study, name="Unweighed", kind="partner", criteria=["price", "quality"]
    )
    page = client.get(rank_url(net), {**choice(net), "criteria_set": unweighed.pk}).content.decode()
    assert 'id="not-judged"' in page
    before = counts()
    response = client.post(rank_url(net), {**rank_data(net), "criteria_set": unweighed.pk})
    assert response.status_code == 200 and "Enter a judgement first." in response.content.decode()
    assert counts() == before


def test_more_candidates_than_the_random_index_table_covers_are_scored_from_values(collectors, client_for, monkeypatch):
    from assessment import ahp

    net = collectors
    monkeypatch.setitem(ahp.RANDOM_INDEX, net.partner_set.ri_table, (0.0, 0.0))  # a table for n <= 2 only
    client = client_for(net.ec_editor)
    page = client.get(rank_url(net), choice(net)).content.decode()
    assert 'id="no-pairwise"' in page and "pairwise judgements take up to 2 candidates" in page
    assert 'value="judgements"' not in page and 'name="m-price-a_0_1"' not in page
    before = counts()
    response = client.post(rank_url(net), rank_data(net, origin_price="judgements"))
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    assert counts() == before
    assert client.post(rank_url(net), rank_data(net)).status_code == 302


def test_a_study_without_partner_sets_says_so(net, client_for):
    page = client_for(net.ec_editor).get(f"/studies/{net.study.pk}/partners/rank/").content.decode()
    assert 'id="no-partner-set"' in page and 'id="partner-choice"' not in page


def test_a_pending_ranking_shows_its_progress_until_the_worker_is_done(
    collectors, client_for, settings, django_capture_on_commit_callbacks
):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    client = client_for(net.ec_editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(rank_url(net), rank_data(net))
    ranking = PartnerRanking.objects.get()
    assert ranking.status == "pending" and len(callbacks) == 1
    url = f"/studies/{net.study.pk}/partner-rankings/{ranking.pk}/"
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert f"{escape(ranking.title)} of 3 candidates asked for; this page follows it." in page
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert '<progress id="ranking-progress-bar" value="0" max="6">0 %</progress>' in page
    partial = client.get(url, **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="partner-ranking-live" data-status="pending"')
    assert 'hx-trigger="every 1s"' in partial and "<html" not in partial
    PartnerRanking.objects.filter(pk=ranking.pk).update(status="running", progress_done=3)
    partial = client.get(url, **HTMX).content.decode()
    assert "is running" in partial and "3 of 6 steps (50 %)" in partial
    PartnerRanking.objects.filter(pk=ranking.pk).update(status="pending", progress_done=0)
    callbacks[0]()  # the worker, in-process
    partial = client.get(url, **HTMX).content.decode()
    assert 'data-status="done"' in partial and "hx-trigger" not in partial  # the polling stops
    assert "First: <strong>Köln yard (Rhine Collect)</strong> (score 0.384)" in partial
    assert 'id="sensitivity-data"' in partial


def test_a_failed_ranking_shows_its_error(collectors, client_for, settings, django_capture_on_commit_callbacks):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ranking = decisions.partner_ranking_request(
            user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
        )
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="price").delete()
    callbacks[0]()
    page = client_for(net.ec_viewer).get(f"/studies/{net.study.pk}/partner-rankings/{ranking.pk}/").content.decode()
    assert 'id="ranking-failed"' in page and "Price: no value on the sheet of Köln yard (Rhine Collect)" in page
    assert "hx-trigger" not in page and 'id="build-form"' not in page


def test_rankings_of_another_study_are_not_found(collectors, client_for):
    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    other = scenario_services.study_create(
        user=net.ec_editor,
        end_collector=net.ec,
        name="Second study",
        product_name="Bracket",
        product_material=net.study.product_material,
        product_mass_kg=1,
        units_per_year=1000,
        need_t_per_year=1,
        accepted_materials=[],
        candidates=[],
    )
    client = client_for(net.ec_admin)
    assert client.get(f"/studies/{other.pk}/partner-rankings/{ranking.pk}/").status_code == 404
    assert client.get(f"/studies/{other.pk}/partner-rankings/{ranking.pk}/build/").status_code == 404
    assert client.get(f"/studies/{net.study.pk}/partner-rankings/999999/").status_code == 404
    # a set of the study, asked for on the other study's page, is no choice there
    response = client.get(f"/studies/{other.pk}/partners/rank/", choice(net))
    assert response.status_code == 200 and 'id="candidate-table"' not in response.content.decode()


def test_build_with_this_ranking_leads_to_the_builder(collectors, client_for):
    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Ranked")
    client = client_for(net.ec_editor)
    page = client.get(f"/studies/{net.study.pk}/partner-rankings/{ranking.pk}/").content.decode()
    assert f'<option value="{scenario.pk}">Ranked v1</option>' in page
    assert ">Build a scenario with this ranking</button>" in page
    base = f"/studies/{net.study.pk}/partner-rankings/{ranking.pk}/build/"
    response = client.get(base, {"scenario": scenario.pk, "direction": "backwards"})
    assert response["Location"] == (
        f"/scenarios/{scenario.pk}/build/?direction=backwards&role=collector&ranking={ranking.pk}"
    )
    response = client.get(base, {"scenario": "nonsense"}, follow=True)
    assert "Choose a draft scenario of this study to build." in response.content.decode()


# ---------------------------------------------------------------- the builder


def build_url(scenario, **query) -> str:
    return f"/scenarios/{scenario.pk}/build/" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def step(client, scenario, site, role, **extra):
    data = {
        "direction": "backwards",
        "role": role,
        "ranking": "",
        "facility": site.pk,
        "reason": "",
        "mode": "road",
        "material": "",
        **extra,
    }
    return client.post(f"/scenarios/{scenario.pk}/build/", data)


def node_row(page, name) -> str:
    start = page.index(f"{name}</td>")
    return page[start : page.index("</tr>", start)]


def test_the_scenario_page_links_to_the_builder_for_drafts(net, client_for):
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Draft")
    page = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert f'href="/scenarios/{scenario.pk}/build/" id="build-link">Build step by step</a>' in page


def test_building_backwards_with_a_ranking_until_complete(collectors, client_for):
    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Stepwise")
    client = client_for(net.ec_editor)
    page = client.get(build_url(scenario)).content.decode()
    assert "the next role backwards: recoverer" in page and 'id="network-complete"' not in page
    assert '<option value="recoverer" selected>Recoverer</option>' in page
    assert f'value="{net.neuss.pk}" id="option-{net.neuss.pk}" checked' in page  # the only recoverer
    assert "No step yet: choose the first one above." in page

    response = step(client, scenario, net.neuss, "recoverer")
    assert response.status_code == 302 and response["Location"] == build_url(scenario, direction="backwards")
    page = client.get(response["Location"]).content.decode()
    assert "Recoverer Neuss remelter (Sort &amp; Melt) added, joined by 1 route." in page
    # Neuss must deliver the 90 t/year needed: it receives 90 / 0.9 = 100.
    assert '<td class="num">100</td><td class="num">90</td>' in node_row(page, "Neuss remelter")
    assert "Neuss remelter → Forge plant" in page and "the next role backwards: sorter" in page
    assert step(client, scenario, net.hagen, "sorter").status_code == 302

    # The collectors: the latest done ranking of collectors is chosen by itself, Köln on top and preselected.
    page = client.get(build_url(scenario, direction="backwards")).content.decode()
    assert f'<option value="{ranking.pk}" selected>{escape(ranking.title)}: collectors taking' in page
    options = page[page.index('id="options-table"') : page.index("</table>", page.index('id="options-table"'))]
    assert [r.split("<label")[1].split(">")[1].split("<")[0] for r in options.split("<tr data-facility")[1:]] == [
        "Köln yard",
        "Mannheim yard",
        "Stuttgart yard",
    ]
    assert f'value="{net.koeln.pk}" id="option-{net.koeln.pk}" checked' in options
    assert '<td class="num" data-label="Rank">1</td>' in options
    assert '<td class="num" data-label="Score">0.384</td>' in options
    assert "top-ranked" in options

    nodes, routes, log = Node.objects.count(), Route.objects.count(), LogEntry.objects.count()
    response = step(client, scenario, net.stuttgart, "collector", ranking=ranking.pk)
    page = response.content.decode()
    assert response.status_code == 200
    message = "Say why you choose Stuttgart yard (Alu Collect) rather than the top-ranked Köln yard (Rhine Collect)."
    field = page[page.index('id="field-reason"') : page.index('id="field-mode"')]
    assert message in field
    assert (Node.objects.count(), Route.objects.count(), LogEntry.objects.count()) == (nodes, routes, log)

    reason = "Stuttgart already delivers to Hagen under a framework contract."
    assert step(client, scenario, net.stuttgart, "collector", ranking=ranking.pk, reason=reason).status_code == 302
    page = client.get(build_url(scenario, direction="backwards")).content.decode()
    assert 'id="network-complete"' in page and "<strong>Network complete</strong>" in page
    assert f'href="/scenarios/{scenario.pk}/" id="complete-back">Back to the scenario</a>' in page
    # Hagen receives 100 / 0.8 = 125; Stuttgart collects 125 / 0.85 = 147.06.
    assert '<td class="num">125</td><td class="num">100</td>' in node_row(page, "Hagen sorter")
    assert '<td class="num">147.06</td><td class="num">125</td>' in node_row(page, "Stuttgart yard")
    choices = page[page.index('id="choice-table"') :]
    rows = choices.split("<tr>")[2:]
    assert len(rows) == 3 and "Neuss remelter (Sort &amp; Melt)" in rows[0] and "<td>ec_editor</td>" in rows[0]
    assert "Stuttgart yard (Alu Collect)" in rows[2] and reason in rows[2]
    link = f'<a href="/studies/{net.study.pk}/partner-rankings/{ranking.pk}/">{escape(ranking.title)}'
    assert f"2 <small>({link}" in rows[2]
    assert "<td>Köln yard (Rhine Collect)</td>" in rows[2]


def test_builder_refusals_become_form_errors_and_write_nothing(collectors, client_for):
    net = collectors
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Refusals")
    client = client_for(net.ec_editor)
    before = Node.objects.count(), Route.objects.count(), LogEntry.objects.count()
    response = step(client, scenario, net.neuss, "recoverer", facility="nonsense")
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    response = step(client, scenario, net.neuss, "recoverer", facility="")
    assert response.status_code == 200 and "Choose a facility." in response.content.decode()
    response = step(client, scenario, net.koeln, "recoverer")  # Köln is no recoverer: not among the options
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    response = step(client, scenario, net.neuss, "recoverer", ranking=ranking.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{escape(ranking.title)} ranks collectors; choose a ranking of recoverers, or none." in page
    response = step(client, scenario, net.neuss, "recoverer", mode="teleport")
    assert "Select a valid choice. teleport is not one of the available choices." in response.content.decode()
    response = step(client, scenario, net.neuss, "recoverer", direction="sideways")
    assert response.status_code == 302
    assert (Node.objects.count(), Route.objects.count(), LogEntry.objects.count()) == before
    response = client.get(build_url(scenario, direction="sideways"), follow=True)
    assert "“sideways” is not a direction" in response.content.decode()


def test_readers_see_the_builder_read_only_and_non_drafts_are_not_built(net, client_for):
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Read")
    page = client_for(net.ec_auditor).get(build_url(scenario)).content.decode()
    assert 'id="read-only"' in page and 'id="step-form"' not in page and 'id="builder-nodes"' in page
    assert page.count('method="post"') == 1  # the sign-out only
    scenario_services.node_add(user=net.ec_editor, scenario=scenario, facility=net.neuss, role="recoverer")
    scenario_services.node_add(user=net.ec_editor, scenario=scenario, facility=net.stuttgart, role="collector")
    # forwards, the next role is the first missing one in that order
    page = client_for(net.ec_editor).get(build_url(scenario, direction="forwards")).content.decode()
    assert "the next role forwards: sorter" in page and 'aria-current="page">Forwards from the collectors' in page
    scenario.status = "submitted"
    scenario.save(update_fields=["status"])
    client = client_for(net.ec_editor)
    page = client.get(build_url(scenario)).content.decode()
    assert 'id="not-draft"' in page and 'id="step-form"' not in page
    before = Node.objects.count(), LogEntry.objects.count()
    response = step(client, scenario, net.hagen, "sorter")
    assert response.status_code == 302
    assert "only drafts are built" in client.get(response["Location"]).content.decode()
    assert (Node.objects.count(), LogEntry.objects.count()) == before
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert 'id="build-link"' not in page
