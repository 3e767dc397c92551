"""A study world on top of the partners' world (tests/conftest.py).

end collector "Forge Works" (world.shared_ec): ec_admin (= world.shared_member), ec_editor, ec_viewer, ec_auditor;
    facility "Forge plant" (end collector, accepts secondary billet)
candidate "Alu Collect" (world.partner, shares with Forge Works): collectors "Stuttgart yard" (dismantling, yield
    0.85, 1,200 t/year) and "Mannheim yard" (collection, yield 0.5, 300 t/year); its members are world.admin etc.
candidate "Sort & Melt" (shares with Forge Works): "Hagen sorter" (shredding 0.8, 2,000 t/year, accepts vehicle
    parts) and "Neuss remelter" (remelting 0.9, 1,000 t/year, accepts sorted 6xxx scrap)
not invited: "Other Metals" (world.other, member world.stranger); "Press Co" (world.unshared_ec)

The study needs 90 t/year of secondary billet. `build_network` draws the three-stage network used across the tests:
Stuttgart (share 3) and Mannheim (share 2) -> Hagen -> Neuss -> Forge plant. Worked out by hand:
Neuss must deliver 90, so receives 90 / 0.9 = 100; Hagen delivers 100, so receives 100 / 0.8 = 125, split 3:2 into
75 from Stuttgart and 50 from Mannheim; Stuttgart collects 75 / 0.85 = 88.235... and Mannheim 50 / 0.5 = 100.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from partners.models import Activity, Facility, Material, Membership, Organization, Process, SheetShare
from scenarios import services
from scenarios.models import Node, Scenario, Study
from tests.conftest import make_org, make_user

# The reason tests give when they submit or approve a scenario they have not assessed (scenarios.checks): the
# transition needs the problems acknowledged with a reason.
NOT_ASSESSED = "Not assessed in this test; its figures are worked by hand."

# Actors of the scenarios permission tables, and what they may do.
ACTORS = ["ec_admin", "ec_editor", "ec_viewer", "ec_auditor", "partner_member", "stranger", "other_ec", "anonymous"]


@dataclass
class Net:
    world: object
    ec: Organization
    sort_melt: Organization
    ec_admin: object
    ec_editor: object
    ec_viewer: object
    ec_auditor: object
    forge: Facility
    stuttgart: Facility
    mannheim: Facility
    hagen: Facility
    neuss: Facility
    study: Study

    def user(self, who: str):
        others = {
            "anonymous": None,
            "partner_member": self.world.editor,
            "stranger": self.world.stranger,
            "other_ec": self.world.unshared_member,
        }
        return others[who] if who in others else getattr(self, who)

    def material(self, code: str) -> Material:
        return Material.objects.get(code=code)


def _facility(org, name, lat, lon, capacity, *, roles, process=None, yield_ratio=None, accepts=()):
    facility = Facility.objects.create(
        organization=org,
        name=name,
        country="DE",
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        capacity_t_per_year=Decimal(capacity),
        **{f"is_{role}": True for role in roles},
    )
    facility.accepted_materials.set(Material.objects.filter(code__in=accepts))
    if process:
        Activity.objects.create(
            facility=facility,
            process=Process.objects.get(code=process),
            yield_ratio=Decimal(yield_ratio),
            cost_eur_per_t=Decimal("50"),
        )
    return facility


@pytest.fixture
def net(world) -> Net:
    ec = world.shared_ec
    people = {"ec_admin": world.shared_member}
    for role in ("editor", "viewer", "auditor"):
        people[f"ec_{role}"] = make_user(f"ec_{role}")
        Membership.objects.create(user=people[f"ec_{role}"], organization=ec, role=role)
    sort_melt = make_org("Sort & Melt", "sort-melt")
    SheetShare.objects.create(organization=sort_melt, end_collector=ec)
    forge = _facility(
        ec, "Forge plant", "51.1067", "7.6395", "5000", roles=["end_collector"], accepts=["al-secondary-billet"]
    )
    stuttgart = world.facility  # collector, dismantling 0.85, 1,200 t/year
    mannheim = _facility(
        world.partner,
        "Mannheim yard",
        "49.4875",
        "8.4660",
        "300",
        roles=["collector"],
        process="collection",
        yield_ratio="0.5",
    )
    hagen = _facility(
        sort_melt,
        "Hagen sorter",
        "51.3671",
        "7.4633",
        "2000",
        roles=["sorter"],
        process="shredding",
        yield_ratio="0.8",
        accepts=["al-vehicle-parts"],
    )
    neuss = _facility(
        sort_melt,
        "Neuss remelter",
        "51.2042",
        "6.6879",
        "1000",
        roles=["recoverer"],
        process="remelting",
        yield_ratio="0.9",
        accepts=["al-sorted-6xxx"],
    )
    study = services.study_create(
        user=people["ec_editor"],
        end_collector=ec,
        name="Control arm",
        product_name="Front lower control arm",
        product_material=Material.objects.get(code="al-secondary-billet"),
        product_alloy="AA6082",
        product_mass_kg=Decimal("2.5"),
        units_per_year=100_000,
        need_t_per_year=Decimal("90"),
        accepted_materials=list(Material.objects.filter(code__in=["al-vehicle-parts", "al-sorted-6xxx"])),
        candidates=[world.partner, sort_melt],
    )
    return Net(
        world=world,
        ec=ec,
        sort_melt=sort_melt,
        forge=forge,
        stuttgart=stuttgart,
        mannheim=mannheim,
        hagen=hagen,
        neuss=neuss,
        study=study,
        **people,
    )


def build_network(net: Net, *, name: str = "Nearby") -> tuple[Scenario, dict[str, Node], dict]:
    """The three-stage network of the module docstring, drawn through the services by the end collector's editor."""
    user = net.ec_editor
    scenario = services.scenario_create(user=user, study=net.study, name=name)
    nodes = {"forge": scenario.nodes.get(role="end_collector")}
    for key, role in (
        ("stuttgart", "collector"),
        ("mannheim", "collector"),
        ("hagen", "sorter"),
        ("neuss", "recoverer"),
    ):
        nodes[key] = services.node_add(user=user, scenario=scenario, facility=getattr(net, key), role=role)
    parts, sorted_scrap, billet = (
        net.material(c) for c in ("al-vehicle-parts", "al-sorted-6xxx", "al-secondary-billet")
    )
    routes = {
        "stuttgart": services.route_create(
            user=user,
            scenario=scenario,
            origin=nodes["stuttgart"],
            destination=nodes["hagen"],
            material=parts,
            share=Decimal(3),
        ),
        "mannheim": services.route_create(
            user=user,
            scenario=scenario,
            origin=nodes["mannheim"],
            destination=nodes["hagen"],
            material=parts,
            share=Decimal(2),
        ),
        "hagen": services.route_create(
            user=user, scenario=scenario, origin=nodes["hagen"], destination=nodes["neuss"], material=sorted_scrap
        ),
        "neuss": services.route_create(
            user=user, scenario=scenario, origin=nodes["neuss"], destination=nodes["forge"], material=billet
        ),
    }
    return scenario, nodes, routes
