"""The decision aid in the demo (assessment/demo.py), loaded by `manage.py load_demo`."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from assessment import ahp
from assessment.models import CriteriaSet, PartnerRanking

pytestmark = pytest.mark.django_db


def test_load_demo_weighs_partner_criteria_and_ranks_the_collectors(catalogue, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    criteria_set = CriteriaSet.objects.get(name="Partner selection")
    judgement = criteria_set.judgements.get()
    assert judgement.judge.username == "admin"
    # Row geometric means by hand: price (1 x 2 x 3 x 2)^(1/4) = 1.8612, quality and green processes 1, delivery on
    # time (1/12)^(1/4) = 0.5373; normalised by 4.3985: 0.423, 0.227, 0.122, 0.227. The eigenvector agrees closely.
    assert ahp.priorities(judgement.matrix, method="geometric") == pytest.approx(
        [0.4231, 0.2274, 0.1222, 0.2274], abs=1e-4
    )
    assert ahp.priorities(judgement.matrix) == pytest.approx([0.4231, 0.2274, 0.1222, 0.2274], abs=0.01)
    assert ahp.consistency(judgement.matrix).cr < ahp.CR_LIMIT
    ranking = PartnerRanking.objects.get()
    r = ranking.result
    assert ranking.status == "done" and ranking.created_by.username == "admin"
    # The collectors taking aluminium parts from dismantled vehicles: every demo collector but the building and
    # packaging ones (Rotterdam, Köln).
    assert len(r["candidates"]) == 9
    assert not {"Depot Waalhaven", "Recycling centre Köln-Niehl"} & {c["facility"] for c in r["candidates"]}
    # One sheet per company: its two yards score the same.
    scores = {c["facility"]: c["score"] for c in r["candidates"]}
    assert (
        scores["Yard Graz"] == scores["Yard Linz"]
        and scores["Yard Dortmund harbour"] == scores["Drop-off point Bochum"]
    )
    assert np.isclose(sum(scores.values()), 1)
    assert "9 collectors of aluminium parts from dismantled vehicles ranked, first: " + r["winner"]["label"] in (
        out.getvalue()
    )
