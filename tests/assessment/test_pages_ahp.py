"""The decision-aid pages (AHP): permission table over every new URL and method (with the partner ranking pages and
the step-by-step builder, whose figures and refusals are tested in test_pages_partners_builder.py), the hand-worked
figures of tests/assessment/test_decisions.py as the pages show them, and refusals that write nothing.

Actors (tests/scenarios/conftest.py): the end collector's admin, editor, viewer and auditor; a member of the invited
partner (partner_member), who never sees the end collector's scenarios; a stranger; a member of another end
collector (other_ec); and an anonymous visitor, sent to the login page.
"""

import pytest

from assessment import decisions
from assessment.models import AssessmentRun, CriteriaSet, Judgement, PartnerRanking, Ranking
from partners.models import LogEntry
from scenarios import services as scenario_services
from scenarios.models import Node
from tests.scenarios.conftest import ACTORS

from .test_compare import result

pytestmark = pytest.mark.django_db

LOGIN = "login"
# ec_admin, ec_editor, ec_viewer, ec_auditor, partner_member, stranger, other_ec, anonymous
EC_READ = [200, 200, 200, 200, 404, 404, 404, LOGIN]
EDIT_DONE = [302, 302, 403, 403, 404, 404, 404, LOGIN]
EDIT_OK = [200, 200, 403, 403, 404, 404, 404, LOGIN]  # the preview: a POST that answers a fragment
EC_REDIRECT = [302, 302, 302, 302, 404, 404, 404, LOGIN]  # "build with this ranking": on to the builder
HTMX = {"HTTP_HX_REQUEST": "true"}

NEW_SET = {
    "name": "Cost and climate",
    "kind": "scenario",
    "ri_table": "saaty",
    "criteria": ["cost.total_eur", "whole_life.climate_change_kg_co2e"],
}
JUDGEMENT = {"a_0_1": "3"}
# The scenarios hold a given result but no network (A and B are also built step by step below): their results are
# stale, so ranking them is acknowledged.
RANK = {"scenarios": ["{a}", "{b}"], "mode": "distributive", "accept_stale": "on"}
PARTNER_CHOICE = "criteria_set={pset}&role=collector&material={parts}"
RANK_PARTNERS = {
    "criteria_set": "{pset}",
    "role": "collector",
    "material": "{parts}",
    "mode": "distributive",
    "origin_price": "values",
    "origin_quality": "values",
    "candidates": "",
}
STEP = {
    "direction": "backwards",
    "role": "recoverer",
    "ranking": "",
    "facility": "{neuss}",
    "reason": "",
    "mode": "road",
    "material": "",
}

PAGES = [
    # (method, url template, expected row, data, extra request headers)
    ("get", "/studies/{study}/ahp/", EC_READ, None, {}),
    ("post", "/studies/{study}/ahp/", EDIT_DONE, NEW_SET, {}),
    ("get", "/studies/{study}/ahp/{set}/", EC_READ, None, {}),
    ("post", "/studies/{study}/ahp/{set}/", EDIT_DONE, JUDGEMENT, {}),
    ("post", "/studies/{study}/ahp/{set}/preview/", EDIT_OK, JUDGEMENT, {}),
    ("post", "/studies/{study}/ahp/{set}/rank/", EDIT_DONE, RANK, {}),
    ("get", "/studies/{study}/rankings/{ranking}/", EC_READ, None, {}),
    ("get", "/studies/{study}/partners/rank/", EC_READ, None, {}),
    ("get", "/studies/{study}/partners/rank/?" + PARTNER_CHOICE, EC_READ, None, {}),
    ("post", "/studies/{study}/partners/rank/", EDIT_DONE, RANK_PARTNERS, {}),
    ("get", "/studies/{study}/partner-rankings/{pranking}/", EC_READ, None, {}),
    ("get", "/studies/{study}/partner-rankings/{pranking}/", EC_READ, None, HTMX),  # the polled part
    ("get", "/studies/{study}/partner-rankings/{pranking}/build/?scenario={a}", EC_REDIRECT, None, {}),
    ("get", "/scenarios/{a}/build/", EC_READ, None, {}),
    ("get", "/scenarios/{a}/build/?direction=forwards&role=collector&ranking={pranking}", EC_READ, None, {}),
    ("post", "/scenarios/{a}/build/", EDIT_DONE, STEP, {}),
]


def _cases():
    for method, url, row, data, headers in PAGES:
        for actor, expected in zip(ACTORS, row):
            name = f"{method} {url}{' htmx' if headers else ''} {actor}"
            yield pytest.param(method, url, data, headers, actor, expected, id=name)


@pytest.fixture
def ids(collectors):
    """Two scenarios with given results (A: 200,000 EUR/year for a recycling rate of 0.25; B: 400,000 for 0.5), a
    set "Cost vs recycling" on which the editor finds cost 3 times as important, and the ranking it gives; the
    partner set "Price and quality" of tests/assessment/conftest.py and its ranking of the three collectors."""
    net = collectors
    made = []
    for name, cost, rate in (("A", 200_000, 0.25), ("B", 400_000, 0.5)):
        scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name=name)
        AssessmentRun.objects.create(
            scenario=scenario,
            inputs={},
            inputs_hash=name,
            status="done",
            result=result(cost=cost, rate=rate, eol_co2e=1000, whole_co2e=1000),
        )
        made.append(scenario)
    criteria_set = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Cost vs recycling",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate"],
    )
    decisions.judgement_set(user=net.ec_editor, criteria_set=criteria_set, matrix=[[1, 3], [1 / 3, 1]])
    ranking = decisions.scenario_ranking_create(
        user=net.ec_editor,
        study=net.study,
        criteria_set=criteria_set,
        scenario_ids=[s.pk for s in made],
        accept_stale=True,
    )
    partner_ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    return {
        "study": net.study.pk,
        "set": criteria_set.pk,
        "ranking": ranking.pk,
        "a": made[0].pk,
        "b": made[1].pk,
        "pset": net.partner_set.pk,
        "parts": net.parts.pk,
        "pranking": partner_ranking.pk,
        "neuss": net.neuss.pk,
    }


def _data(data, ids):
    if data is None:
        return None
    return {k: [x.format(**ids) for x in v] if isinstance(v, list) else v.format(**ids) for k, v in data.items()}


@pytest.mark.parametrize("method,url,data,headers,actor,expected", list(_cases()))
def test_page_permissions(net, ids, client_for, method, url, data, headers, actor, expected):
    client = client_for(None if actor == "anonymous" else net.user(actor))
    response = getattr(client, method)(url.format(**ids), _data(data, ids), **headers)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def test_successes_did_their_work(net, ids, client_for):
    client = client_for(net.ec_admin)
    response = client.post(f"/studies/{ids['study']}/ahp/", _data(NEW_SET, ids))
    made = CriteriaSet.objects.get(study_id=ids["study"], name="Cost and climate")
    assert response["Location"] == f"/studies/{ids['study']}/ahp/{made.pk}/"
    assert made.criteria == NEW_SET["criteria"] and made.kind == "scenario"
    assert "Criteria set “Cost and climate” created" in client.get(response["Location"]).content.decode()

    response = client.post(f"/studies/{ids['study']}/ahp/{ids['set']}/", {"a_0_1": "1/2"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    mine = Judgement.objects.get(criteria_set_id=ids["set"], judge=net.ec_admin)
    assert mine.matrix == [[1.0, 0.5], [2.0, 1.0]]

    response = client.post(f"/studies/{ids['study']}/ahp/{ids['set']}/rank/", _data(RANK, ids))
    ranking = Ranking.objects.exclude(pk=ids["ranking"]).get()
    assert response["Location"] == f"/studies/{ids['study']}/rankings/{ranking.pk}/"
    # The group is now the editor's 3 and the admin's 1/2: AIJ sqrt(3/2) = 1.2247, weights 0.5505 / 0.4495.
    assert ranking.result["weights"] == pytest.approx([1.5**0.5 / (1 + 1.5**0.5), 1 / (1 + 1.5**0.5)])

    response = client.post(f"/studies/{ids['study']}/partners/rank/", _data(RANK_PARTNERS, ids))
    partners = PartnerRanking.objects.exclude(pk=ids["pranking"]).get()
    assert response["Location"] == f"/studies/{ids['study']}/partner-rankings/{partners.pk}/"
    assert partners.status == "done" and partners.result["winner"]["facility"] == "Köln yard"
    response = client.get(f"/studies/{ids['study']}/partner-rankings/{ids['pranking']}/build/?scenario={ids['a']}")
    assert (
        response["Location"] == f"/scenarios/{ids['a']}/build/?direction=backwards&role=collector&ranking="
        f"{ids['pranking']}"
    )
    response = client.post(f"/scenarios/{ids['a']}/build/", _data(STEP, ids), follow=True)
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown[-1] == ("success", "Recoverer Neuss remelter (Sort & Melt) added, joined by 1 route.")
    assert Node.objects.filter(scenario_id=ids["a"], facility=net.neuss, role="recoverer").exists()
    assert LogEntry.objects.filter(action="scenario.builder.step", actor=net.ec_admin).count() == 1


def test_the_set_page_shows_the_hand_worked_weights(net, ids, client_for):
    page = client_for(net.ec_auditor).get(f"/studies/{ids['study']}/ahp/{ids['set']}/").content.decode()
    # Cost 3 times as important as the recycling rate: weights 3/4 and 1/4, a consistent 2 x 2 matrix.
    assert '<td class="num"><strong>0.75</strong></td><td class="num">0.75</td>' in page
    assert '<td class="num"><strong>0.25</strong></td><td class="num">0.25</td>' in page
    assert '<th class="num">ec_editor</th>' in page
    # ... and the editor's own matrix, chosen in the form, the reciprocal below the diagonal.
    page = client_for(net.ec_editor).get(f"/studies/{ids['study']}/ahp/{ids['set']}/").content.decode()
    assert '<option value="3" selected>3</option>' in page
    assert 'id="reciprocal-1-0" data-reciprocal="1-0" title="1 / the judgement above the diagonal">1/3</td>' in page
    assert 'id="cr">0</strong>' in page and "consistent (CR ≤ 0.1)" in page
    listing = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/ahp/").content.decode()
    assert "Cost vs recycling" in listing and "Total RL cost; Recycling rate" in listing
    assert f"/studies/{ids['study']}/rankings/{ids['ranking']}/" in listing


def test_the_ranking_page_shows_the_hand_worked_result(net, ids, client_for):
    response = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/rankings/{ids['ranking']}/")
    page = response.content.decode()
    # Final: A = 0.75 x 2/3 + 0.25 x 1/3 = 7/12 = 0.583; B = 5/12 = 0.417; A first.
    assert "First: <strong>A v1</strong>" in page
    final = page[page.index('id="final-row"') : page.index("</tfoot>")]
    assert "<strong>0.583</strong>" in final and "<strong>0.417</strong>" in final
    assert '<td class="num">0.75</td>' in page and '<td class="num">0.25</td>' in page  # weights
    assert '<td class="num winner">0.667</td>' in page and '<td class="num">0.333</td>' in page  # local cost
    # Sensitivity: the cost weight may fall by 0.25 (to 0.5) and the recycling weight rise by 0.25 before B ties.
    table = page[page.index('id="sensitivity-table"') :]
    assert "−0.25 <small>(to 0.5: B v1 ties)</small>" in table
    assert "+0.25 <small>(to 0.5: B v1 ties)</small>" in table
    assert table.count("no change") == 2
    chart = response.context["chart"]
    assert chart["down"] == [pytest.approx(-0.25), None] and chart["up"] == [None, pytest.approx(0.25)]
    assert 'id="sensitivity-chart"' in page and 'id="sensitivity-data"' in page


def test_the_preview_computes_and_writes_nothing(net, ids, client_for):
    criteria = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Impacts",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate", "whole_life.climate_change_kg_co2e"],
    )
    judgements, log = Judgement.objects.count(), LogEntry.objects.count()
    client = client_for(net.ec_editor)
    # cost > rate (3), rate > climate (3), climate > cost (3): a circle, far from consistent.
    response = client.post(
        f"/studies/{ids['study']}/ahp/{criteria.pk}/preview/", {"a_0_1": "3", "a_0_2": "1/3", "a_1_2": "3"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="ahp-preview"')
    assert "inconsistent (CR &gt; 0.1)" in page
    assert 'id="revisit"' in page and "you said " in page and "consistent would be ~" in page
    assert "Revisit <strong>" in page
    # a consistent one: 1/3 of the way each, weights equal
    page = client.post(
        f"/studies/{ids['study']}/ahp/{criteria.pk}/preview/", {"a_0_1": "1", "a_0_2": "1", "a_1_2": "1"}
    ).content.decode()
    assert page.count('<td class="num">0.333</td>') == 3 and 'id="cr">0</strong>' in page
    assert "revisit" not in page
    assert (Judgement.objects.count(), LogEntry.objects.count()) == (judgements, log)


@pytest.mark.parametrize(
    "value,message",
    [
        ("-3", "A judgement is a number above 0"),
        ("abc", "is not a number such as 3 or 1/3"),
        ("", "This field is required."),
    ],
)
def test_a_bad_matrix_shows_its_error_and_writes_nothing(net, ids, client_for, value, message):
    judgements, log = list(Judgement.objects.values_list("matrix", flat=True)), LogEntry.objects.count()
    client = client_for(net.ec_editor)
    response = client.post(f"/studies/{ids['study']}/ahp/{ids['set']}/", {"a_0_1": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Judgement.objects.values_list("matrix", flat=True)) == judgements
    assert LogEntry.objects.count() == log
    preview = client.post(f"/studies/{ids['study']}/ahp/{ids['set']}/preview/", {"a_0_1": value})
    assert preview.status_code == 200 and message in preview.content.decode()


def test_service_refusals_become_form_errors(net, ids, client_for):
    client = client_for(net.ec_editor)
    sets, rankings, log = CriteriaSet.objects.count(), Ranking.objects.count(), LogEntry.objects.count()
    response = client.post(f"/studies/{ids['study']}/ahp/", {**NEW_SET, "name": "Cost vs recycling"})
    assert response.status_code == 200
    assert "This study already has a criteria set of that name." in response.content.decode()
    response = client.post(f"/studies/{ids['study']}/ahp/", {**NEW_SET, "criteria": ["cost.total_eur"]})
    assert "AHP compares 2 to 15 criteria." in response.content.decode()
    response = client.post(f"/studies/{ids['study']}/ahp/", {**NEW_SET, "criteria": ["cost.total_eur", "price"]})
    assert "Choose the criteria of the set&#x27;s kind only" in response.content.decode()
    c = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="C")
    log = LogEntry.objects.count()
    response = client.post(
        f"/studies/{ids['study']}/ahp/{ids['set']}/rank/",
        {"scenarios": [ids["a"], c.pk], "mode": "ideal", "accept_stale": "on"},
    )
    assert response.status_code == 200
    assert "C v1 has no assessment yet; assess it first." in response.content.decode()
    response = client.post(
        f"/studies/{ids['study']}/ahp/{ids['set']}/rank/",
        {"scenarios": [ids["a"]], "mode": "ideal", "accept_stale": "on"},
    )
    assert response.status_code == 200 and "Choose at least two scenarios." in response.content.decode()
    assert (CriteriaSet.objects.count(), Ranking.objects.count(), LogEntry.objects.count()) == (sets, rankings, log)


def test_a_partner_set_takes_sheet_criteria_and_ranks_nothing(net, ids, client_for):
    client = client_for(net.ec_editor)
    response = client.post(
        f"/studies/{ids['study']}/ahp/",
        {"name": "Suppliers", "kind": "partner", "ri_table": "alonso-lamata", "criteria": ["price", "quality"]},
        follow=True,
    )
    made = CriteriaSet.objects.get(name="Suppliers")
    assert made.kind == "partner" and made.ri_table == "alonso-lamata"
    page = response.content.decode()
    assert 'id="judgement-form"' in page and 'id="rank-form"' not in page
    response = client.post(f"/studies/{ids['study']}/ahp/{made.pk}/rank/", _data(RANK, ids), follow=True)
    assert "Only a scenario criteria set ranks scenarios." in response.content.decode()


def test_readers_see_no_write_forms(net, ids, client_for):
    client = client_for(net.ec_auditor)
    for path in [
        "/studies/{study}/ahp/",
        "/studies/{study}/ahp/{set}/",
        "/studies/{study}/rankings/{ranking}/",
        "/studies/{study}/partners/rank/?" + PARTNER_CHOICE,
        "/studies/{study}/partner-rankings/{pranking}/",
        "/scenarios/{a}/build/",
    ]:
        page = client.get(path.format(**ids)).content.decode()
        assert page.count('method="post"') == 1, path  # the sign-out only
        assert 'id="set-form"' not in page and 'id="judgement-form"' not in page and 'id="rank-form"' not in page
        assert 'id="partner-rank-form"' not in page and 'id="step-form"' not in page


def test_sets_and_rankings_of_another_study_are_not_found(net, ids, client_for):
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
    assert client.get(f"/studies/{other.pk}/ahp/{ids['set']}/").status_code == 404
    assert client.post(f"/studies/{other.pk}/ahp/{ids['set']}/", JUDGEMENT).status_code == 404
    assert client.get(f"/studies/{other.pk}/rankings/{ids['ranking']}/").status_code == 404
    assert client.get(f"/studies/{ids['study']}/ahp/999999/").status_code == 404
    assert client.get(f"/studies/{ids['study']}/rankings/999999/").status_code == 404


def test_the_study_page_links_to_the_decision_aid(net, ids, client_for):
    page = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/").content.decode()
    assert f'href="/studies/{ids["study"]}/ahp/" id="ahp-link">Decision aid (AHP)</a>' in page
