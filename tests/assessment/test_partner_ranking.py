"""Ranking partners for a role with AHP, each figure worked out by hand. The candidates and the criteria set are the
`collectors` fixture (tests/assessment/conftest.py): Mannheim and Stuttgart (Alu Collect: 300 EUR/t, quality 90 %),
Köln (Rhine Collect: 200 EUR/t, quality 60 %); weights 3/4 for price, 1/4 for quality."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment import decisions
from assessment.models import PartnerRanking
from partners.errors import ApplicationError
from partners.models import CriterionValue, LogEntry

pytestmark = pytest.mark.django_db


def rank(net, **kwargs):
    kwargs.setdefault("user", net.ec_editor)
    return decisions.partner_ranking_request(
        study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts, **kwargs
    )


def test_candidates_are_the_invited_sites_offering_the_role_and_taking_the_material(collectors):
    net = collectors
    found = decisions.partner_candidates(user=net.ec_viewer, study=net.study, role="collector", material=net.parts)
    assert [f.name for f in found] == ["Mannheim yard", "Stuttgart yard", "Köln yard"]
    # Hagen sorts vehicle parts but is no collector; nobody collects sorted scrap.
    sorted_scrap = net.material("al-sorted-6xxx")
    assert (
        decisions.partner_candidates(user=net.ec_viewer, study=net.study, role="collector", material=sorted_scrap) == []
    )
    with pytest.raises(Http404):
        decisions.partner_candidates(user=net.world.stranger, study=net.study, role="collector", material=net.parts)


def test_distributive_ranking_from_sheet_values(collectors):
    net = collectors
    ranking = rank(net)
    assert ranking.status == "done" and ranking.progress_done == ranking.progress_total == 3 + 2 + 1
    r = ranking.result
    assert r["weights"] == pytest.approx([0.75, 0.25])
    assert r["directions"] == ["lower is better", "higher is better"] and r["origins"] == ["values", "values"]
    mannheim, stuttgart, koeln = r["candidates"]
    # Price, lower is better: 1/300, 1/300, 1/200 sum to 7/600, so 2/7, 2/7, 3/7.
    # Quality, higher is better: 90, 90, 60 over 240: 0.375, 0.375, 0.25.
    assert koeln["local"] == pytest.approx([3 / 7, 0.25]) and stuttgart["local"] == pytest.approx([2 / 7, 0.375])
    # Final: Alu Collect's sites 0.75 x 2/7 + 0.25 x 0.375 = 0.3080357; Köln 0.75 x 3/7 + 0.25 x 0.25 = 0.3839286.
    assert koeln["score"] == pytest.approx(0.3839286) and mannheim["score"] == pytest.approx(0.3080357)
    assert (koeln["rank"], mannheim["rank"], stuttgart["rank"]) == (1, 2, 2)  # equal scores share a rank
    assert r["winner"]["facility"] == "Köln yard" and r["order"][0] == net.koeln.pk
    assert koeln["values"] == [200.0, 60.0]
    # Sensitivity: moving d from price to quality, Köln - Alu = 17/224 - d x 15/56 reaches 0 at d = 17/60.
    price, quality = r["sensitivity"]
    assert quality["delta_up"] == pytest.approx(17 / 60)
    assert quality["overtaken_up_by"] == "Mannheim yard (Alu Collect)"
    assert price["delta_down"] == pytest.approx(-17 / 60) and price["delta_up"] is None
    actions = list(
        LogEntry.objects.filter(target_type="partnerranking", target_id=str(ranking.pk))
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [("study.partner_ranking.requested", "ec_editor"), ("study.partner_ranking.done", "ec_editor")]


def test_ideal_mode(collectors):
    # Each criterion divided by its best: price (2/3, 2/3, 1), quality (1, 1, 2/3); weighted: 0.75 x 2/3 + 0.25 =
    # 9/12 for Alu Collect's sites and 0.75 + 0.25 x 2/3 = 11/12 for Köln; normalised by 29/12: 9/29 and 11/29.
    r = rank(collectors, mode="ideal").result
    assert [c["score"] for c in r["candidates"]] == pytest.approx([9 / 29, 9 / 29, 11 / 29])


def test_pairwise_judgements_replace_a_missing_sheet_value(collectors):
    net = collectors
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="quality").delete()
    with pytest.raises(ApplicationError) as caught:
        rank(net)
    assert "Quality: no value on the sheet of Köln yard (Rhine Collect)" in str(caught.value)
    assert not PartnerRanking.objects.exists()  # nothing stored by the refused request
    # The editor judges quality pairwise instead: the two Alu Collect sites equal, each twice Köln.
    matrix = [[1, 1, 2], [1, 1, 2], [0.5, 0.5, 1]]
    r = rank(net, local_matrices={"quality": matrix}).result
    assert r["origins"] == ["values", "judgements"] and r["local_consistency"]["quality"]["cr"] == pytest.approx(0)
    # Quality priorities (0.4, 0.4, 0.2); final Alu 0.75 x 2/7 + 0.25 x 0.4 = 0.3142857, Köln 0.3214286 + 0.05.
    assert [c["score"] for c in r["candidates"]] == pytest.approx([0.3142857, 0.3142857, 0.3714286])


def test_a_price_of_0_is_named_with_its_candidate_and_judged_pairwise_instead(collectors):
    """Price is lower-is-better: as ratios (1/v) a price of 0 would take all the weight. The refusal names Köln yard
    (Rhine Collect) and says what to do, instead of "values[2] is 0"; nothing is stored. Judged pairwise (Köln twice
    as good as each Alu Collect site: priorities 1/4, 1/4, 1/2), Köln scores 0.75 x 1/2 + 0.25 x 0.25 = 0.4375."""
    net = collectors
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="price").update(value=0)
    with pytest.raises(ApplicationError) as caught:
        rank(net)
    assert str(caught.value).startswith("Price: Köln yard (Rhine Collect) has 0 here, and lower is better")
    assert "Judge this criterion pairwise instead." in str(caught.value) and "values[" not in str(caught.value)
    assert not PartnerRanking.objects.exists()
    r = rank(net, local_matrices={"price": [[1, 1, 0.5], [1, 1, 0.5], [2, 2, 1]]}).result
    assert r["candidates"][2]["score"] == pytest.approx(0.4375)


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"local_matrices": {"quality": [[1, 2], [0.5, 1]]}}, "local_matrices", "give a 3 x 3 matrix"),
        ({"local_matrices": {"flexibility": [[1]]}}, "local_matrices", "flexibility is not a criterion of the set"),
        ({"local_matrices": {"quality": [[1, 2, 1], [2, 1, 1], [1, 1, 1]]}}, "local_matrices", "quality: "),
        ({"mode": "best"}, "mode", "Choose one of distributive, ideal"),
        ({"role": "end_collector"}, "role", "Choose one of collector, sorter, recoverer"),
    ],
)
def test_bad_requests_are_refused_with_the_field(collectors, kwargs, field, message):
    net = collectors
    role = kwargs.pop("role", "collector")
    with pytest.raises(ApplicationError) as caught:
        decisions.partner_ranking_request(
            user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role=role, material=net.parts, **kwargs
        )
    assert message in str(caught.value.field_errors[field])
    assert not PartnerRanking.objects.exists()


def test_too_few_candidates_and_wrong_sets_are_refused(collectors):
    net = collectors
    with pytest.raises(ApplicationError, match="nothing to rank"):
        decisions.partner_ranking_request(
            user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="sorter", material=net.parts
        )  # Hagen alone
    scenario_set = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Indicators",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate"],
    )
    with pytest.raises(ApplicationError, match="partner criteria set"):
        decisions.partner_ranking_request(
            user=net.ec_editor, study=net.study, criteria_set=scenario_set, role="collector", material=net.parts
        )


def test_who_may_rank(collectors):
    net = collectors
    with pytest.raises(PermissionDenied):
        rank(net, user=net.ec_viewer)
    with pytest.raises(Http404):
        rank(net, user=net.world.stranger)
    ranking = rank(net)
    assert decisions.partner_ranking_get(user=net.ec_auditor, study=net.study, pk=ranking.pk) == ranking
    with pytest.raises(Http404):  # a candidate partner reads the study, not the ranking of its rivals
        decisions.partner_ranking_get(user=net.world.editor, study=net.study, pk=ranking.pk)


def test_many_candidates_go_to_a_worker_with_progress(collectors, settings, django_capture_on_commit_callbacks):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ranking = rank(net)
    assert (ranking.status, ranking.progress_done, ranking.result) == ("pending", 0, None)
    assert len(callbacks) == 1
    callbacks[0]()  # the task, in-process here (tests/assessment/test_tasks.py runs one on a real worker)
    ranking.refresh_from_db()
    assert ranking.status == "done" and ranking.progress_percent == 100
    assert ranking.result["winner"]["facility"] == "Köln yard"
    assert decisions.partner_ranking_execute(ranking_id=ranking.pk) == "done"  # a second delivery changes nothing


def test_a_worker_stores_a_failure_with_its_message(collectors, settings, django_capture_on_commit_callbacks):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ranking = rank(net)
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="price").delete()
    callbacks[0]()
    ranking.refresh_from_db()
    assert ranking.status == "failed" and ranking.result is None
    assert ranking.error.startswith("Price: no value on the sheet of Köln yard (Rhine Collect)")
