"""Ranking scenarios on per-criterion pairwise judgements of the scenarios, through the criteria set's page (its
ranking form: one matrix per criterion, in the set's order) and through the API, with the aluminium case study's
published judgements.

The case: criteria non-renewable energy, climate change, fresh water, recycling rate, total RL cost, weighted
w = 0.316 / 0.286 / 0.185 / 0.094 / 0.119 (they sum to 1). A criteria set takes only a pairwise matrix, so the
judgement entered is the consistent matrix a_ij = w_i / w_j (typed on the page as "0.316/0.286" and so on, which
the form reads as a fraction): a consistent matrix has A w = n w, so its principal eigenvector is w itself, exactly
(to 3 decimals and beyond), with lambda_max = n = 5, CI = 0, CR = 0.

Scenario 1 (A) against scenario 2 (B), per criterion in that order. For two alternatives with judgement a the
local priorities are a / (1 + a) and 1 / (1 + a).

End of life, a = 5, 3, 3, 1/5, 7: A's locals 5/6, 3/4, 3/4, 1/6, 7/8, so
  A = 0.316 x 0.83333 + 0.286 x 0.75 + 0.185 x 0.75 + 0.094 x 0.16667 + 0.119 x 0.875
    = 0.26333 + 0.21450 + 0.13875 + 0.01567 + 0.10413 = 0.73637 -> 0.736; B = 1 - A = 0.26363 -> 0.264.
Whole life, a = 1/3, 1/3, 1/5, 1/5, 7: A's locals 1/4, 1/4, 1/6, 1/6, 7/8, so
  A = 0.316 x 0.25 + 0.286 x 0.25 + 0.185 x 0.16667 + 0.094 x 0.16667 + 0.119 x 0.875
    = 0.07900 + 0.07150 + 0.03083 + 0.01567 + 0.10413 = 0.30113 -> 0.301; B = 0.69887 -> 0.699.

A third scenario C of the study is not ticked: its rows and columns of the matrices are posted but do not count.
"""

import pytest

from assessment import decisions
from assessment.models import AssessmentRun, Ranking
from partners.models import LogEntry
from scenarios import services as scenario_services

from .test_compare import result

pytestmark = pytest.mark.django_db

WEIGHTS = ["0.316", "0.286", "0.185", "0.094", "0.119"]
EOL = [
    "end_of_life.nonrenewable_energy_mj",
    "end_of_life.climate_change_kg_co2e",
    "end_of_life.fresh_water_m3",
    "recycling_rate",
    "cost.total_eur",
]
WHOLE = [
    "whole_life.nonrenewable_energy_mj",
    "whole_life.climate_change_kg_co2e",
    "whole_life.fresh_water_m3",
    "recycling_rate",
    "cost.total_eur",
]
EOL_JUDGEMENTS = ["5", "3", "3", "1/5", "7"]
WHOLE_JUDGEMENTS = ["1/3", "1/3", "1/5", "1/5", "7"]


def _value(text: str) -> float:
    top, _, bottom = text.partition("/")
    return float(top) / float(bottom or 1)


@pytest.fixture
def case(net, client_for):
    """Scenarios A, B and C with results, and the two criteria sets (end of life, whole life) judged by the editor
    through the set's page with the consistent matrix w_i / w_j."""
    made = []
    for name in ("A", "B", "C"):
        scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name=name)
        AssessmentRun.objects.create(
            scenario=scenario,
            inputs={},
            inputs_hash=name,
            status="done",
            result=result(cost=200_000, rate=0.25, eol_co2e=1000, whole_co2e=1000),
        )
        made.append(scenario)
    sets = {}
    client = client_for(net.ec_editor)
    for name, criteria in (("End of life", EOL), ("Whole life", WHOLE)):
        sets[name] = decisions.criteria_set_create(
            user=net.ec_editor, study=net.study, name=name, kind="scenario", criteria=criteria
        )
        upper = {f"a_{i}_{j}": f"{WEIGHTS[i]}/{WEIGHTS[j]}" for i in range(5) for j in range(i + 1, 5)}
        response = client.post(f"/studies/{net.study.pk}/ahp/{sets[name].pk}/", upper)
        assert response.status_code == 302, response.content.decode()[:500]
    return {"scenarios": made, "sets": sets}


def _rank_post(scenarios, judgements, ticked=("A", "B")):
    """The ranking form as the browser posts it: the ticked scenarios, every criterion judged pairwise; the matrices
    list all three scenarios (A, B, C), and the judgements against C (9) must not count."""
    # The scenarios' results are made up for the test (no network to hash): ranked as stale results, knowingly.
    data = {
        "scenarios": [str(s.pk) for s in scenarios if s.name in ticked],
        "mode": "distributive",
        "accept_stale": "on",
    }
    for k, a in enumerate(judgements):
        data[f"origin_{EOL[k]}"] = data[f"origin_{WHOLE[k]}"] = "judgements"
        data.update({f"rank{k}-a_0_1": a, f"rank{k}-a_0_2": "9", f"rank{k}-a_1_2": "9"})
    return data


def test_the_set_weights_are_the_published_ones(net, case, client_for):
    for criteria_set in case["sets"].values():
        group = decisions.weights(user=net.ec_viewer, criteria_set=criteria_set)["group"]
        assert group["weights"] == pytest.approx([0.316, 0.286, 0.185, 0.094, 0.119], abs=1e-12)
        assert group["consistency"]["cr"] == pytest.approx(0, abs=1e-9)
    page = client_for(net.ec_viewer).get(f"/studies/{net.study.pk}/ahp/{case['sets']['End of life'].pk}/")
    weights = page.content.decode()
    for w in WEIGHTS:
        assert f'<td class="num"><strong>{w}</strong></td>' in weights


def test_the_form_offers_a_matrix_per_criterion_in_the_set_order_on_the_full_scale(net, case, client_for):
    page = client_for(net.ec_editor).get(f"/studies/{net.study.pk}/ahp/{case['sets']['End of life'].pk}/")
    html = page.content.decode()
    form = html[html.index('id="rank-form"') : html.index("</form>", html.index('id="rank-form"'))]
    legends = [
        form.index(f"<legend>{label}</legend>")
        for label in (
            "Non-renewable energy (end of life)",
            "Climate change (end of life)",
            "Fresh water (end of life)",
            "Recycling rate",
            "Total RL cost",
        )
    ]
    assert legends == sorted(legends)
    assert form.count('class="criterion-origin"') == 5 and form.count('<table class="matrix"') == 5
    # Each matrix lists the study's three scenarios; its cells offer Saaty's scale 9 .. 1 .. 1/9, 1 chosen.
    first = form[form.index('id="rank-matrix-0"') : form.index("</table>", form.index('id="rank-matrix-0"'))]
    assert first.count('<th scope="row">') == 3 and "A v1" in first and "C v1" in first
    select = first[first.index('name="rank0-a_0_1"') : first.index("</select>", first.index('name="rank0-a_0_1"'))]
    options = [part.split('"')[1] for part in select.split("<option value=")[1:]]
    assert options == [
        "9",
        "8",
        "7",
        "6",
        "5",
        "4",
        "3",
        "2",
        "1",
        "1/2",
        "1/3",
        "1/4",
        "1/5",
        "1/6",
        "1/7",
        "1/8",
        "1/9",
    ]
    assert '<option value="1" selected>1</option>' in select
    assert 'id="rank-cr-0" data-cr-for="rank-matrix-0"' in form
    # From the indicator values unless the user judges: that radio is chosen.
    origin = form[form.index('id="rank-origin-0"') :]
    assert 'value="values"' in origin.split("</div>")[0] and "checked" in origin.split('value="judgements"')[0]
    assert 'data-ri="0,0,0.58,0.9,1.12' in form


@pytest.mark.parametrize(
    "set_name,judgements,final",
    [
        ("End of life", EOL_JUDGEMENTS, (0.73637, 0.26363, "0.736", "0.264")),
        ("Whole life", WHOLE_JUDGEMENTS, (0.30113, 0.69887, "0.301", "0.699")),
    ],
)
def test_the_page_ranks_on_the_case_judgements(net, case, client_for, set_name, judgements, final):
    criteria_set = case["sets"][set_name]
    a, b, _c = case["scenarios"]
    entries = LogEntry.objects.filter(action="study.ranking.created").count()
    client = client_for(net.ec_editor)
    response = client.post(
        f"/studies/{net.study.pk}/ahp/{criteria_set.pk}/rank/", _rank_post(case["scenarios"], judgements)
    )
    ranking = Ranking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/studies/{net.study.pk}/rankings/{ranking.pk}/"
    r = ranking.result
    assert r["scenario_ids"] == [a.pk, b.pk] and r["origins"] == ["judgements"] * 5
    assert r["final"] == pytest.approx(final[:2], abs=5e-5)
    assert r["local"] == [
        pytest.approx([_value(x) / (1 + _value(x)) for x in judgements]),
        pytest.approx([1 / (1 + _value(x)) for x in judgements]),
    ]
    first = _value(judgements[0])  # only A against B counts, not the 9s against C
    assert r["local_matrices"][r["criteria"][0]] == [pytest.approx([1, first]), pytest.approx([1 / first, 1])]
    assert all(c["cr"] == 0 for c in r["local_consistency"].values())
    assert LogEntry.objects.filter(action="study.ranking.created").count() == entries + 1

    page = client.get(response["Location"]).content.decode()
    row = page[page.index('id="final-row"') : page.index("</tfoot>")]
    assert f"<strong>{final[2]}</strong>" in row and f"<strong>{final[3]}</strong>" in row
    assert page.count("<td>pairwise judgements (CR 0)</td>") == 5


def test_an_inconsistent_matrix_of_three_scenarios_shows_its_cr(net, case, client_for):
    """All three ticked, the first criterion judged in a circle (A 3 x B, B 3 x C, C 3 x A): the matrix
    [[1, 3, 1/3], [1/3, 1, 3], [3, 1/3, 1]] is circulant, so lambda_max = 1 + 3 + 1/3 = 4.333,
    CI = (4.333 - 3) / 2 = 0.6667, CR = 0.6667 / 0.58 = 1.149 -> "1.15", and the equal row sums give each scenario
    1/3. The other criteria of the whole-life set are scored from the (equal) indicator values."""
    criteria_set = case["sets"]["Whole life"]
    data = {
        "scenarios": [str(s.pk) for s in case["scenarios"]],
        "mode": "distributive",
        "accept_stale": "on",
        f"origin_{WHOLE[0]}": "judgements",
        "rank0-a_0_1": "3",
        "rank0-a_1_2": "3",
        "rank0-a_0_2": "1/3",
    }
    client = client_for(net.ec_editor)
    response = client.post(f"/studies/{net.study.pk}/ahp/{criteria_set.pk}/rank/", data)
    assert response.status_code == 302, [x[:300] for x in response.content.decode().split("errorlist")[1:]]
    r = Ranking.objects.get().result
    assert r["origins"] == ["judgements"] + ["values"] * 4
    assert r["local_consistency"][WHOLE[0]]["cr"] == pytest.approx((4 / 3) / 2 / 0.58)
    assert [row[0] for row in r["local"]] == pytest.approx([1 / 3] * 3)
    page = client.get(response["Location"]).content.decode()
    assert "<td>pairwise judgements (CR 1.15, inconsistent)</td>" in page
    assert page.count("<td>indicator values</td>") == 4


def test_a_criterion_to_judge_without_its_matrix_is_refused_by_name(net, case, client_for):
    criteria_set = case["sets"]["End of life"]
    data = _rank_post(case["scenarios"], EOL_JUDGEMENTS)
    for key in [k for k in data if k.startswith("rank2-")]:  # fresh water: "judge pairwise" but no matrix sent
        del data[key]
    entries = LogEntry.objects.count()
    response = client_for(net.ec_editor).post(f"/studies/{net.study.pk}/ahp/{criteria_set.pk}/rank/", data)
    assert response.status_code == 200
    assert (
        "Fresh water (end of life): choose the pairwise judgements of the scenarios, or score it from the "
        "indicator values."
    ) in response.content.decode()
    assert not Ranking.objects.exists() and LogEntry.objects.count() == entries
    # What was chosen stays on the page.
    assert '<option value="1/5" selected>1/5</option>' in response.content.decode()


def test_the_api_ranks_on_the_case_judgements(net, case, api_for):
    a, b, _c = case["scenarios"]
    url = f"/api/v1/studies/{net.study.pk}/rankings/"
    for set_name, codes, judgements, final in (
        ("End of life", EOL, EOL_JUDGEMENTS, (0.73637, 0.26363)),
        ("Whole life", WHOLE, WHOLE_JUDGEMENTS, (0.30113, 0.69887)),
    ):
        body = {
            "criteria_set": case["sets"][set_name].pk,
            "scenarios": [a.pk, b.pk],
            "accept_stale": True,
            "local_matrices": {code: [[1, _value(x)], [1 / _value(x), 1]] for code, x in zip(codes, judgements)},
        }
        response = api_for(net.ec_editor).post(url, body, format="json")
        assert response.status_code == 201, response.json()
        r = response.json()["result"]
        assert r["final"] == pytest.approx(final, abs=5e-5)
        assert [round(x, 3) for x in r["final"]] == [round(x, 3) for x in final]
        assert r["origins"] == ["judgements"] * 5
        assert set(r["local_consistency"]) == set(codes) and r["local_matrices"] == body["local_matrices"]


def test_the_api_names_a_matrix_for_a_criterion_not_in_the_set(net, case, api_for):
    a, b, _c = case["scenarios"]
    body = {
        "criteria_set": case["sets"]["End of life"].pk,
        "scenarios": [a.pk, b.pk],
        "accept_stale": True,
        "local_matrices": {"whole_life.fresh_water_m3": [[1, 3], [1 / 3, 1]]},
    }
    response = api_for(net.ec_editor).post(f"/api/v1/studies/{net.study.pk}/rankings/", body, format="json")
    assert response.status_code == 400
    assert response.json()["local_matrices"] == ["whole_life.fresh_water_m3 is not a criterion of the set."]
    assert not Ranking.objects.exists()
