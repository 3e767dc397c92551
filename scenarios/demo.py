"""The demo study on top of the aluminium demo case (partners/demo.py): the forge's front lower control arm and two
contrasting scenarios, built through scenarios.services so the study and its scenarios have a real history.

The product (DOMAIN.md, "Aluminium case used for the demo"): a front lower control arm forged from AA6082 billets.
Demo assumptions, not measured data: 2.5 kg per arm (forged aluminium control arms of mid-size cars weigh roughly
2-3 kg) and 480,000 arms a year (two per car, for a platform of 240,000 cars a year), so 1,200 t of product a year.
The forge targets 50 % recycled content: the study needs 0.5 x 2.5 kg x 480,000 / 1000 = 600 t of secondary billet
a year.

How the two scenarios contrast. A study has one need (the target share), so the recycled share a scenario reaches is
what it delivers over the product mass:
- "Nearby partners": three partner companies within about 100 km of the forge (Ruhr Autoverwertung's two yards,
  the Duisburg shredder, the Neuss remelter). The two Ruhr yards collect whole cars (about a tenth aluminium), so even
  at full capacity they yield at most 411.6 + 155.2 = 566.8 t of aluminium parts a year, about 470 t of billet: the
  nearby network cannot reach 50 %. Its routes carry typed quantities, what the yards can offer at about 97 % of their
  capacity, passed on through each stage's yield; it delivers about 458 t, a recycled share of about 38 %, and the
  scenario page says so in its shortfall message. It is left submitted, waiting for the admin's decision.
- "Wider network": eight partner companies across Germany, the Netherlands, Belgium, France and Austria, with
  longer routes (Antwerp to Ranshofen by rail, Ranshofen to the forge by road). Its routes carry the recommended
  quantities, so it delivers the full 600 t (50 %) without exceeding any capacity. The admin approved it.
The trade-off is the one DOMAIN.md describes: the nearby network transports less, the wider one displaces more primary
aluminium.

The end collector's admin persona builds, submits and approves both (the forge has no editor among the personas).
load_study() does nothing when the study is already there.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from partners import demo as partners_demo
from partners.models import Facility, Material, Organization, Role

from . import services
from .models import Node, Scenario, Study

ADMIN_PERSONA = "admin"  # one of partners.demo.PERSONAS: the end collector's admin

STUDY = {
    "name": "Recycled AA6082 for the front lower control arm",
    "product_name": "Front lower control arm",
    "product_material": "al-secondary-billet",
    "product_alloy": "AA6082",
    "product_mass_kg": Decimal("2.5"),  # demo assumption, see the module docstring
    "units_per_year": 480_000,  # demo assumption: two arms per car, 240,000 cars a year
    "recycled_share": Decimal("0.5"),  # the forge's target: 600 t of secondary billet a year
    "description": (
        "Which partners could supply secondary AA6082 billet for half of the control arm's mass? Demo figures: "
        "2.5 kg per arm and 480,000 arms a year (assumptions), 50 % recycled content targeted."
    ),
    # Acceptable returns (DOMAIN.md): vehicles, buildings and packaging, and the sorted fraction a remelter takes.
    "accepted_materials": [
        "al-vehicle-parts",
        "al-wheels",
        "al-shredded-wrought",
        "al-building",
        "al-packaging",
        "al-sorted-6xxx",
    ],
}

PASS_ON = "pass on"  # a typed quantity: what the route's origin receives times its yield, rounded down to the kg

# Nodes: key -> (organisation slug, facility name, role); the forge's node is added by scenario_create as "forge".
# Routes: (origin, destination, material, quantity t/year or PASS_ON or None for the recommended one, share, mode).
SCENARIOS = [
    {
        "name": "Nearby partners",
        "description": (
            "Few partners, all within about 100 km of the forge: Ruhr Autoverwertung's yards in Dortmund and Bochum, "
            "the Duisburg shredder and the Neuss remelter. The yards offer what they can collect (about 97 % of "
            "their capacity): not enough for the 50 % target, the network delivers a lower recycled share."
        ),
        "nodes": {
            "dortmund": ("ruhr-autoverwertung", "Yard Dortmund harbour", Role.COLLECTOR),
            "bochum": ("ruhr-autoverwertung", "Drop-off point Bochum", Role.COLLECTOR),
            "duisburg": ("duisburger-shredderwerk", "Shredder plant Duisburg-Ruhrort", Role.SORTER),
            "neuss": ("niederrhein-aluminium", "Remelt plant Neuss", Role.RECOVERER),
        },
        "routes": [
            # Dortmund: 400 / 0.098 = 4,081.6 t of cars of 4,200; Bochum: 150 / 0.097 = 1,546.4 t of 1,600.
            ("dortmund", "duisburg", "al-vehicle-parts", Decimal("400"), 1, "road"),
            ("bochum", "duisburg", "al-vehicle-parts", Decimal("150"), 1, "road"),
            ("duisburg", "neuss", "al-sorted-6xxx", PASS_ON, 1, "road"),  # 550 x 0.894 = 491.7
            ("neuss", "forge", "al-secondary-billet", PASS_ON, 1, "road"),  # 491.7 x 0.931 = 457.772
        ],
        "status": Scenario.Status.SUBMITTED,
        "reason": "The Ruhr yards cannot supply the full need; submitted so the nearby network is weighed against "
        "the wider one before any contract.",
    },
    {
        "name": "Wider network",
        "description": (
            "More partners and longer routes: dismantlers in Venlo and Liège and car scrapyards in Dortmund and Lille "
            "feed the Duisburg and Antwerp sorters; the Neuss remelter and the Innviertler extruder in Ranshofen "
            "each deliver half of the billet. Recommended quantities: the full 50 % target, within every capacity."
        ),
        "nodes": {
            "dortmund": ("ruhr-autoverwertung", "Yard Dortmund harbour", Role.COLLECTOR),
            "venlo": ("maas-demontage", "Dismantling hall Venlo", Role.COLLECTOR),
            "liege": ("demontage-liegeois", "Centre de démontage Liège", Role.COLLECTOR),
            "lille": ("casse-auto-flandres", "Centre VHU Lille", Role.COLLECTOR),
            "duisburg": ("duisburger-shredderwerk", "Shredder plant Duisburg-Ruhrort", Role.SORTER),
            "antwerp": ("antwerp-metal-separation", "Separation plant Antwerp port", Role.SORTER),
            "neuss": ("niederrhein-aluminium", "Remelt plant Neuss", Role.RECOVERER),
            "ranshofen": ("innviertler-umschmelzwerk", "Werk Ranshofen", Role.RECOVERER),
        },
        "routes": [
            ("dortmund", "duisburg", "al-vehicle-parts", None, 1, "road"),
            ("venlo", "duisburg", "al-vehicle-parts", None, 1, "road"),
            ("liege", "antwerp", "al-vehicle-parts", None, 1, "road"),
            ("lille", "antwerp", "al-vehicle-parts", None, 1, "road"),
            ("duisburg", "neuss", "al-sorted-6xxx", None, 1, "road"),
            ("antwerp", "ranshofen", "al-sorted-6xxx", None, 1, "rail"),
            ("neuss", "forge", "al-secondary-billet", None, 1, "road"),
            ("ranshofen", "forge", "al-secondary-billet", None, 1, "road"),
        ],
        "status": Scenario.Status.APPROVED,
        "reason": "Approved on the recommended quantities to open contract talks; the assessment follows.",
    },
]

DECISION_COMMENT = "Meets the 50 % recycled-content target within every partner's capacity."


@dataclass
class StudyResult:
    created: bool  # False: the study was already there (or could not be built, see `skipped`)
    study: Study | None = None
    scenarios: list = field(default_factory=list)
    skipped: str = ""  # why the study was not built although it is missing


def _kg(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.001"), rounding=ROUND_DOWN)


def _facility(slug: str, name: str) -> Facility:
    return Facility.objects.get(organization__slug=slug, name=name)


@transaction.atomic
def load_study() -> StudyResult:
    """Create the demo study and its two scenarios, unless the study is already there. Expects the partners' demo
    (partners.demo.load_demo) to be loaded; raises the services' errors on bad data, and nothing is written then."""
    forge = Organization.objects.filter(slug=partners_demo.END_COLLECTOR["slug"]).first()
    if forge is None:
        return StudyResult(created=False, skipped="the demo's end collector is missing")
    existing = Study.objects.filter(end_collector=forge, name=STUDY["name"]).first()
    if existing is not None:
        return StudyResult(created=False, study=existing, scenarios=list(existing.scenarios.all()))
    admin = get_user_model().objects.filter(username=ADMIN_PERSONA, is_active=True).first()
    if admin is None:
        return StudyResult(created=False, skipped=f"the {ADMIN_PERSONA} persona who builds it is missing")

    partner_slugs = [p["slug"] for p in partners_demo.PARTNERS]
    data = dict(STUDY)
    study = services.study_create(
        user=admin,
        end_collector=forge,
        product_material=Material.objects.get(code=data.pop("product_material")),
        accepted_materials=list(Material.objects.filter(code__in=data.pop("accepted_materials"))),
        candidates=list(Organization.objects.filter(slug__in=partner_slugs, shares_given__end_collector=forge)),
        **data,
    )
    scenarios = [_scenario(admin, study, spec) for spec in SCENARIOS]
    return StudyResult(created=True, study=study, scenarios=scenarios)


def _scenario(user, study: Study, spec: dict) -> Scenario:
    scenario = services.scenario_create(user=user, study=study, name=spec["name"], description=spec["description"])
    nodes: dict[str, Node] = {"forge": scenario.nodes.get(role=Role.END_COLLECTOR)}
    for key, (slug, name, role) in spec["nodes"].items():
        nodes[key] = services.node_add(user=user, scenario=scenario, facility=_facility(slug, name), role=role)
    arriving: dict[str, Decimal] = {}  # typed quantities entering each node, for PASS_ON
    for origin, destination, material, quantity, share, mode in spec["routes"]:
        if quantity == PASS_ON:
            quantity = _kg(arriving[origin] * nodes[origin].yield_ratio)
        services.route_create(
            user=user,
            scenario=scenario,
            origin=nodes[origin],
            destination=nodes[destination],
            material=Material.objects.get(code=material),
            quantity_t=quantity,
            share=Decimal(share),
            mode=mode,
        )
        if quantity is not None:
            arriving[destination] = arriving.get(destination, Decimal(0)) + quantity
    if spec["status"] in (Scenario.Status.SUBMITTED, Scenario.Status.APPROVED):
        # Built by the script, not yet assessed (and Nearby short of the need): the admin acknowledges it, logged.
        scenario = services.scenario_submit(user=user, scenario=scenario, acknowledge=True, reason=spec["reason"])
    if spec["status"] == Scenario.Status.APPROVED:
        scenario = services.scenario_approve(
            user=user, scenario=scenario, comment=DECISION_COMMENT, acknowledge=True, reason=spec["reason"]
        )
    return scenario
