"""The decision aid in the demo: on top of the demo study (scenarios/demo.py), the forge's admin weighs four sheet
criteria for choosing partners and ranks the candidate collectors of aluminium parts from dismantled vehicles with
them, so the AHP pages have something to show. Built through assessment.decisions, so it has a real history.

The judgement is a demo assumption, not a survey: price matters twice as much as quality and green processes and
three times as much as delivery on time; quality as much as green processes and twice as much as delivery on time;
green processes twice as much as delivery on time. Its CR (Saaty's table) is below 0.10.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from partners.models import Material, Role
from scenarios.demo import ADMIN_PERSONA

from . import decisions
from .models import CriteriaSet, PartnerRanking

CRITERIA_SET = "Partner selection"
CRITERIA = ["price", "quality", "delivery-on-time", "green-processes"]
JUDGEMENT = [  # rows and columns in CRITERIA order
    [1, 2, 3, 2],
    [1 / 2, 1, 2, 1],
    [1 / 3, 1 / 2, 1, 1 / 2],
    [1 / 2, 1, 2, 1],
]
RANKED_ROLE, RANKED_MATERIAL = Role.COLLECTOR, "al-vehicle-parts"


@dataclass
class DecisionsResult:
    criteria_set: CriteriaSet | None = None
    ranking: PartnerRanking | None = None


def load_decisions(study) -> DecisionsResult:
    """Add the criteria set, the admin's judgement and the ranking of collectors, unless the set is there."""
    if study is None or CriteriaSet.objects.filter(study=study, name=CRITERIA_SET).exists():
        return DecisionsResult()
    admin = get_user_model().objects.get(username=ADMIN_PERSONA)
    criteria_set = decisions.criteria_set_create(
        user=admin, study=study, name=CRITERIA_SET, kind="partner", criteria=CRITERIA
    )
    decisions.judgement_set(user=admin, criteria_set=criteria_set, matrix=JUDGEMENT)
    ranking = decisions.partner_ranking_request(
        user=admin,
        study=study,
        criteria_set=criteria_set,
        role=RANKED_ROLE,
        material=Material.objects.get(code=RANKED_MATERIAL),
    )
    return DecisionsResult(criteria_set=criteria_set, ranking=ranking)
