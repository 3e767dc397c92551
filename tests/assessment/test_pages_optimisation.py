"""The optimisation pages (assessment/views_optimisation.py): permission table over every URL and method, the
hand-worked figures of tests/assessment/test_optimisation.py as the run page shows them, the polled progress, form
errors that write nothing, and drafts made from the proposal and from a point of the trade-off.

Actors (tests/scenarios/conftest.py): the end collector's admin, editor, viewer and auditor; a member of the invited
partner (partner_member), who never sees the end collector's scenarios or runs; a stranger; a member of another end
collector (other_ec); and an anonymous visitor, sent to the login page.
"""

import json
import re

import pytest

from assessment import optimisation, services
from assessment.models import Factor, OptimisationRun
from assessment.views import number
from partners.errors import ApplicationError
from partners.models import LogEntry
from scenarios import services as scenario_services
from scenarios.models import Scenario
from tests.scenarios.conftest import ACTORS, build_network

from .test_optimisation import HAUL_KM, key

pytestmark = pytest.mark.django_db

LOGIN = "login"
# ec_admin, ec_editor, ec_viewer, ec_auditor, partner_member, stranger, other_ec, anonymous
EC_READ = [200, 200, 200, 200, 404, 404, 404, LOGIN]
EDIT_DONE = [302, 302, 403, 403, 404, 404, 404, LOGIN]
POST_ONLY = [405, 405, 405, 405, 405, 405, 405, LOGIN]
HTMX = {"HTTP_HX_REQUEST": "true"}

ASK = {"objective": "cost", "tradeoff": "on"}

PAGES = [
    # (method, url template, expected row, data, extra request headers)
    ("get", "/studies/{study}/optimise/", EC_READ, None, {}),
    ("post", "/studies/{study}/optimise/", EDIT_DONE, ASK, {}),
    ("get", "/studies/{study}/optimisations/{run}/", EC_READ, None, {}),
    ("get", "/studies/{study}/optimisations/{run}/", EC_READ, None, HTMX),  # done: the page reloads
    ("get", "/studies/{study}/optimisations/{pending}/", EC_READ, None, {}),
    ("get", "/studies/{study}/optimisations/{pending}/", EC_READ, None, HTMX),  # the polled progress
    ("post", "/studies/{study}/optimisations/{run}/scenario/", EDIT_DONE, {}, {}),
    ("post", "/studies/{study}/optimisations/{run}/scenario/", EDIT_DONE, {"point": "0"}, {}),
    ("get", "/studies/{study}/optimisations/{run}/scenario/", POST_ONLY, None, {}),
]


def _cases():
    for method, url, row, data, headers in PAGES:
        for actor, expected in zip(ACTORS, row):
            name = f"{method} {url}{' ' + str(data) if data else ''}{' htmx' if headers else ''} {actor}"
            yield pytest.param(method, url, data, headers, actor, expected, id=name)


def optimise(net, capture, **kwargs):
    with capture(execute=True):
        run = optimisation.optimisation_request(user=net.ec_editor, study=net.study, **kwargs)
    run.refresh_from_db()
    return run


@pytest.fixture
def ids(net, library, django_capture_on_commit_callbacks):
    """A done run (least cost, with a 5-point front) and a pending one, nobody working on it."""
    run = optimise(net, django_capture_on_commit_callbacks, pareto_points=5)
    pending = optimisation.optimisation_request(user=net.ec_editor, study=net.study)  # on_commit never runs
    return {"study": net.study.pk, "run": run.pk, "pending": pending.pk}


@pytest.mark.parametrize("method,url,data,headers,actor,expected", list(_cases()))
def test_page_permissions(net, ids, client_for, method, url, data, headers, actor, expected):
    client = client_for(None if actor == "anonymous" else net.user(actor))
    response = getattr(client, method)(url.format(**ids), data, **headers)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def test_successes_did_their_work(net, ids, client_for, django_capture_on_commit_callbacks):
    client = client_for(net.ec_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/studies/{ids['study']}/optimise/", ASK)
    run = OptimisationRun.objects.first()
    assert response["Location"] == f"/studies/{ids['study']}/optimisations/{run.pk}/"
    assert run.created_by == net.ec_admin and run.status == "done" and run.pareto_points == 11
    page = client.get(response["Location"]).content.decode()
    # The capture runs the task after the view has answered: the view saw it pending (in the demo it is done).
    assert f"Optimisation {run.pk} asked for; this page follows it." in page and 'id="tradeoff-chart"' in page

    response = client.post(f"/studies/{ids['study']}/optimisations/{ids['run']}/scenario/")
    scenario = Scenario.objects.get(name=f"Optimised {ids['run']}: least total cost")
    assert response["Location"] == f"/scenarios/{scenario.pk}/"
    response = client.post(f"/studies/{ids['study']}/optimisations/{ids['run']}/scenario/", {"point": "0"})
    scenario = Scenario.objects.get(name=f"Optimised {ids['run']}: trade-off point 1 of 5")
    assert response["Location"] == f"/scenarios/{scenario.pk}/"


# ---------------------------------------------------------------- the form


def test_the_form_shows_the_candidates_and_earlier_runs(net, ids, client_for):
    page = client_for(net.ec_editor).get(f"/studies/{ids['study']}/optimise/").content.decode()
    assert 'id="optimise-form"' in page
    for row in (
        "Stuttgart yard (Alu Collect) as collector",
        "Hagen sorter (Sort &amp; Melt) as sorter",
        "Neuss remelter (Sort &amp; Melt) as recoverer",
    ):
        assert page.count(f">{row}</option>") == 2, row  # keep open, keep closed
    assert "Forge plant (Forge Works) as end collector</option>" not in page  # always open
    assert page.count('<tr data-key="') == 5 and f'data-key="{key("end_collector", net.forge)}"' in page
    # Stuttgart: 40 EUR/t dismantling x its aluminium share 0.85 (mass allocation) + 14 days / 365 x 150 EUR/t/year.
    stuttgart = re.search(rf'data-key="{key("collector", net.stuttgart)}">(.*?)</tr>', page, re.S).group(1)
    assert f">{number(40 * 0.85 + 14 / 365 * 150)}<" in stuttgart and ">1,200<" in stuttgart and ">0.85<" in stuttgart
    assert f'data-run="{ids["run"]}"' in page and f'data-run="{ids["pending"]}"' in page
    assert 'id="left-out"' not in page

    reader = client_for(net.ec_auditor).get(f"/studies/{ids['study']}/optimise/").content.decode()
    assert 'id="optimise-form"' not in reader and 'id="read-only"' in reader and 'id="candidate-table"' in reader
    assert reader.count('method="post"') == 1  # the sign-out only


def test_a_candidate_left_out_is_noted(net, ids, client_for):
    net.mannheim.activities.all().delete()
    page = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/optimise/").content.decode()
    assert 'id="left-out"' in page
    assert "Mannheim yard (Alu Collect) as collector: declares no gatekeeping and collection activity" in page


def test_the_form_asks_in_the_users_units(net, library, client_for, django_capture_on_commit_callbacks):
    client = client_for(net.ec_editor)
    data = {
        "objective": "weighted",
        "carbon_price": "4000",
        "keep_open": [key("sorter", net.hagen)],
        "min_collector": "2",
        "max_collector": "2",
        "share_collector": "60",
        "max_distance_km": "500",
        "recycled_share": "5",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/studies/{net.study.pk}/optimise/", data)
    run = OptimisationRun.objects.get()
    assert response.status_code == 302
    # 4,000 EUR per tonne is 4 EUR per kg; shares in % become shares of 1; no front asked (box unticked).
    assert (run.objective, run.carbon_price_eur_per_kg, run.pareto_points) == ("weighted", 4.0, 0)
    assert run.constraints == {
        "keep_open": [key("sorter", net.hagen)],
        "min_partners": {"collector": 2},
        "max_partners": {"collector": 2},
        "max_share": {"collector": 0.6},
        "max_distance_km": 500.0,
        "recycled_share": 0.05,
    }
    page = client.get(response["Location"]).content.decode()
    assert "at 4,000 EUR per tonne CO2e" in page
    assert (
        "Side constraints: Kept open: Hagen sorter (Sort &amp; Melt) as sorter; At least 2 collectors; "
        "At most 2 collectors; At most 60.0 % of the collectors&#x27; tonnes taken in through one; "
        "Routes up to 500 km; Recycled share of the product at least 5.0 %."
    ) in page
    # Both collectors: Mannheim, the greener, takes in 60 % of the collectors' tonnes, Stuttgart the rest:
    # 0.5 x 0.6 T + 0.85 x 0.4 T = 125 t for Hagen, so T = 195.31 t: Mannheim 117.19 t, Stuttgart 78.13 t.
    opened = {o["key"]: o["processed_t"] for o in run.result["solution"]["open"]}
    assert opened[key("collector", net.mannheim)] == pytest.approx(0.6 * 125 / 0.64, abs=1e-3)
    assert opened[key("collector", net.stuttgart)] == pytest.approx(0.4 * 125 / 0.64, abs=1e-3)
    used = re.search(r'id="used-table".*?</table>', page, re.S).group(0)
    for facility in (net.mannheim, net.stuttgart):
        processed = number(opened[key("collector", facility)])
        assert re.search(rf"{facility.name}<br>.*?<td class=\"num\">{processed}</td>", used, re.S), facility


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"objective": "weighted"}, "carbon_price", "needs a price above 0"),
        ({"objective": "weighted", "carbon_price": "0"}, "carbon_price", "needs a price above 0"),
        ({"objective": "weighted", "carbon_price": "-5"}, "carbon_price", "greater than or equal to 0"),
        ({"objective": "weighted", "carbon_price": "inf"}, "carbon_price", "Enter a number"),
        ({"objective": "fast"}, "objective", "Select a valid choice"),
        ({"keep_open": ["sorter:999999"]}, "keep_open", "Select a valid choice"),
        ({"keep_closed": ["end_collector:{forge}"]}, "keep_closed", "Select a valid choice"),
        ({"keep_open": ["sorter:{hagen}"], "keep_closed": ["sorter:{hagen}"]}, "keep_closed", "Kept open as well"),
        ({"min_collector": "3", "max_collector": "1"}, "min_collector", "at least 3 is more than at most 1"),
        ({"min_sorter": "-1"}, "min_sorter", "greater than or equal to 0"),
        ({"max_recoverer": "1.5"}, "max_recoverer", "Enter a whole number"),
        ({"share_collector": "150"}, "share_collector", "less than or equal to 100"),
        ({"share_collector": "0"}, "share_collector", "above 0"),
        ({"max_distance_km": "-5"}, "max_distance_km", "above 0"),
        ({"recycled_share": "lots"}, "recycled_share", "Enter a number"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(net, library, client_for, data, field, message):
    ids = {"forge": net.forge.pk, "hagen": net.hagen.pk}
    data = {
        "objective": "cost",
        **{k: [x.format(**ids) for x in v] if isinstance(v, list) else v for k, v in data.items()},
    }
    log = LogEntry.objects.count()
    response = client_for(net.ec_editor).post(f"/studies/{net.study.pk}/optimise/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    page = response.content.decode()
    assert re.search(rf'id="field-{field}".*?class="errorlist"', page, re.S), field
    assert 'id="side-constraints" open' in page  # the constraints open, so their errors show
    assert not OptimisationRun.objects.exists() and LogEntry.objects.count() == log


def test_a_service_refusal_lands_on_the_field(net, library, client_for, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError("At least more than at most.", {"min_partners": "sorter: above the most allowed."})

    monkeypatch.setattr(optimisation, "optimisation_request", refuse)
    response = client_for(net.ec_editor).post(f"/studies/{net.study.pk}/optimise/", {"objective": "cost"})
    assert response.context["form"].errors == {"min_sorter": ["sorter: above the most allowed."]}

    def refuse_all(**kwargs):
        raise ApplicationError("The study's end collector has no end-collector site to deliver to.")

    monkeypatch.setattr(optimisation, "optimisation_request", refuse_all)
    response = client_for(net.ec_editor).post(f"/studies/{net.study.pk}/optimise/", {"objective": "cost"})
    assert "no end-collector site" in response.content.decode()
    assert 'id="optimise-errors"' in response.content.decode()


def test_a_study_that_cannot_be_modelled_says_why(net, library, client_for):
    Factor.objects.filter(code="transport.cost.road").delete()
    response = client_for(net.ec_editor).post(f"/studies/{net.study.pk}/optimise/", {"objective": "cost"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="optimise-problem"' in page
    assert "The factor library has no transport.cost.road" in page and 'id="optimise-form"' not in page
    assert not OptimisationRun.objects.exists()


# ---------------------------------------------------------------- a run


def test_the_cost_optimum_as_the_page_shows_it(net, ids, client_for):
    """The figures of test_optimisation.test_cost_and_co2e_choose_different_collectors."""
    page = client_for(net.ec_auditor).get(f"/studies/{ids['study']}/optimisations/{ids['run']}/").content.decode()
    tkm = 125 * HAUL_KM["stuttgart"] + 100 * HAUL_KM["hagen-neuss"] + 90 * HAUL_KM["neuss-forge"]
    total = 0.10 * tkm + 125 / 0.85 * (40 * 0.85 + 14 / 365 * 150) + 225 * (50 + 7 / 365 * 150)
    assert f'id="total-cost">{number(total)}<' in page and number(total) == "24,367"
    assert re.search(rf'data-part="transport"><td>Transport</td><td class="num">{number(0.10 * tkm)}<', page)
    co2e = (0.10163 + 0.02359) * tkm + 1250 + 34500
    assert f'id="total-co2e">{number(co2e)}<' in page and number(co2e) == "44,044"
    assert re.search(rf'data-source="processes"><td>Processes</td><td class="num">{number(35750)}<', page)
    assert "<strong>Optimal</strong>: optimal network found." in page
    assert 'id="solver-gap">0.0 %<' in page and 'id="model-size">' in page
    # The network: the forge, Neuss, Hagen and Stuttgart; Mannheim stays out.
    used = re.search(r'id="used-table".*?</table>', page, re.S).group(0)
    assert used.count("<tr data-key=") == 4 and "Mannheim" not in used
    assert re.search(r"Stuttgart yard<br>.*?<td class=\"num\">147.06</td><td class=\"num\">1,200</td>", used, re.S)
    flows = re.search(r'id="flow-table".*?</table>', page, re.S).group(0)
    assert re.search(
        r"<td>Stuttgart yard</td><td>Hagen sorter</td><td>[^<]+</td>\s*<td class=\"num\">125</td>"
        r"<td class=\"num\">407.42</td>",
        flows,
    )
    geojson = json.loads(re.search(r'id="scenario-geojson" type="application/json">(.*?)</script>', page).group(1))
    kinds = [f["properties"]["kind"] for f in geojson["features"]]
    assert kinds.count("node") == 4 and kinds.count("route") == 3
    # Readers see everything and no button.
    assert 'id="create-draft"' not in page and 'id="point-form"' not in page and "Create draft" not in page


def test_the_tradeoff_with_an_assessed_scenario(net, ids, client_for, django_capture_on_commit_callbacks):
    scenario, _, _ = build_network(net)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(user=net.ec_editor, scenario=scenario)
    run = OptimisationRun.objects.get(pk=ids["run"])
    page = client_for(net.ec_editor).get(f"/studies/{ids['study']}/optimisations/{run.pk}/").content.decode()
    chart = json.loads(re.search(r'id="tradeoff-data" type="application/json">(.*?)</script>', page).group(1))
    front = run.result["pareto"]
    assert [(p["x"], p["y"], p["point"]) for p in chart["front"]] == [
        (p["co2e_kg"], p["total_cost_eur"], i) for i, p in enumerate(front)
    ]
    trade = optimisation.tradeoff(user=net.ec_editor, run=run)
    assert chart["scenarios"] == [
        {
            "x": trade["scenarios"][0]["co2e_kg"],
            "y": trade["scenarios"][0]["cost_eur"],
            "name": "Nearby v1",
            "stale": False,
            "short": False,
            "delivered": "90",
            "need": "90",
        }
    ]
    assert chart["proposal"]["y"] == run.result["solution"]["total_cost_eur"]
    table = re.search(r'id="point-table".*?</table>', page, re.S).group(0)
    assert table.count("<tr data-point=") == 5 and table.count("Create draft</button>") == 5
    assert f'<td class="num">{number(front[0]["total_cost_eur"])}</td>' in table
    assert "Mannheim yard" in re.search(r'data-point="0">.*?</tr>', table, re.S).group(0)  # the least CO2e
    assert "Nearby v1</a>" in re.search(r'id="assessed-table".*?</table>', page, re.S).group(0)
    assert 'id="point-form"' in page and 'id="create-point-draft" disabled' in page


def test_the_progress_is_polled_until_done(net, ids, client_for):
    client = client_for(net.ec_viewer)
    url = f"/studies/{ids['study']}/optimisations/{ids['pending']}/"
    page = client.get(url).content.decode()
    assert f"Optimisation {ids['pending']} is pending" in page and 'hx-trigger="every 1s"' in page
    response = client.get(url, **HTMX)
    part = response.content.decode()
    assert part.lstrip().startswith('<div id="optimisation-live"') and "<html" not in part
    assert 'id="optimisation-progress-bar" value="0" max="1"' in part and "0 of 1 steps (0 %)" in part
    assert "HX-Refresh" not in response
    OptimisationRun.objects.filter(pk=ids["pending"]).update(status="running", progress_done=1, progress_total=2)
    assert "1 of 2 steps (50 %)" in client.get(url, **HTMX).content.decode()
    OptimisationRun.objects.filter(pk=ids["pending"]).update(status="pending", progress_done=0, progress_total=1)
    assert optimisation.optimisation_execute(run_id=ids["pending"]) == "done"
    response = client.get(url, **HTMX)
    assert response["HX-Refresh"] == "true" and "hx-trigger" not in response.content.decode()
    assert 'id="total-cost"' in response.content.decode()


def test_a_failed_run_shows_its_error(net, ids, client_for):
    OptimisationRun.objects.filter(pk=ids["pending"]).update(status="failed", error="Solver exploded.")
    page = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/optimisations/{ids['pending']}/").content
    assert b'id="optimisation-failed"' in page and b"Solver exploded." in page


def test_an_impossible_study_is_explained(net, library, client_for, django_capture_on_commit_callbacks):
    net.study = scenario_services.study_update(user=net.ec_editor, study=net.study, need_t_per_year=1000)
    run = optimise(net, django_capture_on_commit_callbacks, pareto_points=11)
    client = client_for(net.ec_editor)
    page = client.get(f"/studies/{net.study.pk}/optimisations/{run.pk}/").content.decode()
    assert "<strong>Infeasible</strong>" in page and 'id="explanation"' in page
    # The optimiser's line names the end collector by its key ("end_collector:<id> needs 1,000 t ..."); the page
    # names the site, its company and role.
    assert any(line.startswith(f"end_collector:{net.forge.pk} needs") for line in run.result["solution"]["explanation"])
    assert (
        "Forge plant (Forge Works) as end collector needs 1,000 t in the period, but at most 842.4 t can reach "
        "it: the supplies that can reach it hold 1,500 t before the yields"
    ) in page
    assert "end_collector:" not in page
    assert 'id="create-draft"' not in page and 'id="total-cost"' not in page and 'id="tradeoff"' not in page
    response = client.post(f"/studies/{net.study.pk}/optimisations/{run.pk}/scenario/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"This optimisation found no network. {run.result['solution']['message']}"
    ]
    assert not Scenario.objects.filter(name__startswith="Optimised").exists()


# ---------------------------------------------------------------- drafts


def test_the_proposal_becomes_a_draft(net, ids, client_for):
    client = client_for(net.ec_editor)
    url = f"/studies/{ids['study']}/optimisations/{ids['run']}/"
    assert 'id="create-draft"' in client.get(url).content.decode()
    response = client.post(url + "scenario/", follow=True)
    scenario = Scenario.objects.get(name=f"Optimised {ids['run']}: least total cost")
    assert response.redirect_chain == [(f"/scenarios/{scenario.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"Draft scenario “{scenario}” created from optimisation {ids['run']}: 4 nodes, 3 routes."
    ]
    assert scenario.status == "draft"
    assert sorted(n.facility.name for n in scenario.nodes.all()) == [
        "Forge plant",
        "Hagen sorter",
        "Neuss remelter",
        "Stuttgart yard",
    ]
    page = client.get(url).content.decode()
    assert 'id="create-draft"' not in page and f'<a href="/scenarios/{scenario.pk}/">{scenario}</a>' in page
    # Again: refused (409 in the service), a message, nothing more written.
    log = LogEntry.objects.count()
    response = client.post(url + "scenario/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f'This network is already a scenario. See the scenario "{scenario.name}".'
    ]
    assert Scenario.objects.filter(name__startswith="Optimised").count() == 1 and LogEntry.objects.count() == log


def test_a_point_of_the_front_becomes_a_draft(net, ids, client_for):
    client = client_for(net.ec_admin)
    url = f"/studies/{ids['study']}/optimisations/{ids['run']}/"
    response = client.post(url + "scenario/", {"point": "0"}, follow=True)  # the least CO2e: through Mannheim
    scenario = Scenario.objects.get(name=f"Optimised {ids['run']}: trade-off point 1 of 5")
    assert response.redirect_chain == [(f"/scenarios/{scenario.pk}/", 302)]
    assert "Mannheim yard" in {n.facility.name for n in scenario.nodes.all()}
    assert "Stuttgart yard" not in {n.facility.name for n in scenario.nodes.all()}
    row = re.search(r'data-point="0">.*?</tr>', client.get(url).content.decode(), re.S).group(0)
    assert f'<a href="/scenarios/{scenario.pk}/">' in row and "Create draft" not in row
    for bad, text in (
        ("99", "No such point. Choose a point from 0 to 4."),
        ("x", "Choose a point of the trade-off"),
        ("-1", "Choose a point of the trade-off"),
    ):
        response = client.post(url + "scenario/", {"point": bad}, follow=True)
        assert response.redirect_chain == [(url, 302)]
        assert text in str(list(response.context["messages"])[0]), bad
    assert Scenario.objects.filter(name__startswith="Optimised").count() == 1


def test_a_pending_run_makes_no_draft(net, ids, client_for):
    response = client_for(net.ec_editor).post(
        f"/studies/{ids['study']}/optimisations/{ids['pending']}/scenario/", follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "This optimisation has no result yet. Wait until it is done."
    ]
    assert not Scenario.objects.filter(name__startswith="Optimised").exists()


def test_other_tenants_runs_stay_out_of_reach(net, ids, client_for, django_capture_on_commit_callbacks):
    world = net.world
    foreign_study = scenario_services.study_create(
        user=world.unshared_member,
        end_collector=world.unshared_ec,
        name="Secret bracket",
        product_name="Bracket",
        product_material=net.study.product_material,
        product_mass_kg=1,
        units_per_year=1000,
        need_t_per_year=1,
        accepted_materials=[],
        candidates=[],
    )
    foreign = OptimisationRun.objects.create(study=foreign_study, inputs={"facilities": [], "arcs": []})
    client = client_for(net.ec_admin)
    assert client.get(f"/studies/{ids['study']}/optimisations/{foreign.pk}/").status_code == 404
    assert client.post(f"/studies/{ids['study']}/optimisations/{foreign.pk}/scenario/").status_code == 404
    assert client.get(f"/studies/{foreign_study.pk}/optimisations/{foreign.pk}/").status_code == 404
    other = client_for(world.unshared_member)
    assert other.get(f"/studies/{ids['study']}/optimisations/{ids['run']}/").status_code == 404
    assert other.get(f"/studies/{foreign_study.pk}/optimisations/{ids['run']}/").status_code == 404
    assert "Secret" not in client.get(f"/studies/{ids['study']}/optimise/").content.decode()


def test_the_study_page_links_here(net, ids, client_for):
    page = client_for(net.ec_viewer).get(f"/studies/{ids['study']}/").content.decode()
    assert f'href="/studies/{ids["study"]}/optimise/" id="optimise-link"' in page
    assert 'id="optimise-link"' not in client_for(net.world.editor).get(f"/studies/{ids['study']}/").content.decode()
