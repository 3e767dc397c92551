"""The history as people read it: each logged action as a sentence, changed fields with names and units.

Worked examples: every expected sentence and field below is written out by hand from the services' inputs (names
from tests/scenarios/conftest.py, numbers as typed), not computed by the code under test.
"""

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import services as assessment_services
from partners import history
from partners import services as partner_services
from partners.models import LogEntry, Membership
from scenarios import services
from tests.scenarios.conftest import NOT_ASSESSED, build_network

ROOT = Path(__file__).resolve().parents[2]
CODE = [
    p
    for app in ("partners", "scenarios", "assessment", "config")
    for p in (ROOT / app).rglob("*.py")
    if "migrations" not in p.parts
]
DOTTED = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
LOGGING_HELPERS = {"_log", "_log_deleted", "_transition"}  # they pass their string argument to audit.log(action=)


def actions_written_in_the_code() -> set[str]:
    """Every action name the code can write: `action="..."` in any call, a dotted string handed to the services'
    logging helpers, and constants named *_ACTION."""
    found = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        found.add(kw.value.value)
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in LOGGING_HELPERS:
                    found.update(
                        a.value
                        for a in node.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str) and DOTTED.match(a.value)
                    )
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.endswith("_ACTION"):
                        found.add(node.value.value)
    return {a for a in found if DOTTED.match(a)}  # argparse's action="store_true" is not a log action


def test_every_action_written_in_the_code_has_a_sentence():
    written = actions_written_in_the_code()
    # A floor, so that a scan that finds nothing cannot pass: the services write at least these.
    assert {
        "scenario.route.created",
        "scenario.approved",
        "membership.changed",
        "study.factor.changed",
        "scenario.builder.step",
        "share.deleted",
        "study.optimisation.scenario_created",
    } <= written
    assert len(written) >= 40
    missing = sorted(written - set(history.ACTIONS))
    assert not missing, f"actions without a sentence in partners/scenarios/assessment history.py: {missing}"


def sentences(entries):
    return [(d.sentence, [(c.label, c.old, c.new) for c in d.changes]) for d in history.describe(entries)]


def test_route_created(net):
    """Stuttgart yard -> Hagen sorter, 40 t/year of vehicle parts typed, share 3, 120.5 km typed, a backhaul."""
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Nearby")
    origin = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.stuttgart, role="collector")
    destination = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.hagen, role="sorter")
    services.route_create(
        user=net.ec_editor,
        scenario=scenario,
        origin=origin,
        destination=destination,
        material=net.material("al-vehicle-parts"),
        quantity_t=Decimal("40"),
        share=Decimal(3),
        distance_km=Decimal("120.5"),
        is_backhaul=True,
    )
    entry = LogEntry.objects.get(action="scenario.route.created")
    assert entry.changes["destination_node"] == [None, destination.pk]  # stored as an id, read as a name
    [(sentence, fields)] = sentences([entry])
    assert sentence == (
        "Added the route Stuttgart yard → Hagen sorter (Aluminium parts from dismantled vehicles) to Nearby v1"
    )
    assert fields == [
        ("From", "—", "Collector: Stuttgart yard"),
        ("To", "—", "Sorter: Hagen sorter"),
        ("Material", "—", "Aluminium parts from dismantled vehicles"),
        ("Quantity", "—", "40\u00a0t/year"),
        ("Share (weight among the routes into the destination)", "—", "3"),
        ("Transport mode", "—", "Road"),
        ("Distance", "—", "120.5\u00a0km"),
        ("Distance from", "—", "Typed"),
        ("Backhaul", "—", "yes"),
    ]


def test_node_capacity_changed(net):
    """The Stuttgart node's capacity, copied as 1,200 t/year from the sheet, typed down to 950.5 t/year."""
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Nearby")
    node = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.stuttgart, role="collector")
    services.node_update(user=net.ec_editor, node=node, capacity_t_per_year=Decimal("950.5"))
    [(sentence, fields)] = sentences([LogEntry.objects.get(action="scenario.node.changed")])
    assert sentence == "Changed Collector: Stuttgart yard in Nearby v1"
    assert fields == [("Capacity", "1,200\u00a0t/year", "950.5\u00a0t/year")]


def test_approval(net):
    """Submitted, then approved with a comment by the end collector's admin."""
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    services.scenario_approve(
        user=net.ec_admin, scenario=scenario, comment="Within every capacity.", acknowledge=True, reason=NOT_ASSESSED
    )
    submitted, approved = sentences(
        LogEntry.objects.filter(action__in=["scenario.submitted", "scenario.approved"]).order_by("id")
    )
    assert submitted == ("Submitted Nearby v1 for approval", [("Status", "Draft", "Submitted")])
    assert approved == (
        "Approved Nearby v1; it is frozen from now on",
        [
            ("Status", "Submitted", "Approved"),
            ("Comment", "—", "Within every capacity."),
            ("Need when approved", "—", "90\u00a0t/year"),
            ("Delivered when approved", "—", "90\u00a0t/year"),
        ],
    )


def test_membership_role_change(world):
    """Alu Collect's admin makes the viewer an editor."""
    membership = Membership.objects.get(user=world.viewer, organization=world.partner)
    partner_services.membership_set_role(user=world.admin, membership=membership, role="editor")
    [described] = history.describe([LogEntry.objects.get(action="membership.changed")])
    assert described.sentence == "Changed the role of viewer from viewer to editor"
    assert [(c.label, c.old, c.new) for c in described.changes] == [("Role", "Viewer", "Editor")]
    assert described.who == "admin"


def test_factor_override(net):
    """The study's road CO2e factor set to 0.12, then to 0.095 kg CO2e/tkm; then the override removed."""
    for value, source in ((0.12, "Carrier's 2025 report"), (0.095, "Carrier's 2026 report")):
        override = assessment_services.factor_override_set(
            user=net.ec_editor,
            study=net.study,
            code="transport.co2e.road",
            value=value,
            unit="kg CO2e/tkm",
            source=source,
        )
    assessment_services.factor_override_delete(user=net.ec_editor, override=override)
    first, second, removed = sentences(LogEntry.objects.filter(action__startswith="study.factor.").order_by("id"))
    assert first == (
        "Set the study's own value of the factor Transport: road · Climate change",
        [
            ("Value", "—", "0.12\u00a0kg CO2e/tkm"),
            ("Unit", "—", "kg CO2e/tkm"),
            ("Source", "—", "Carrier's 2025 report"),
        ],
    )
    assert second == (
        "Set the study's own value of the factor Transport: road · Climate change",
        [
            ("Value", "0.12\u00a0kg CO2e/tkm", "0.095\u00a0kg CO2e/tkm"),
            ("Source", "Carrier's 2025 report", "Carrier's 2026 report"),
        ],
    )
    assert removed == (
        "Removed the study's own value of the factor Transport: road · Climate change; the library's applies again",
        [("Factor", "Transport: road · Climate change", "—"), ("Value", "0.095\u00a0kg CO2e/tkm", "—")],
    )


@pytest.mark.parametrize(
    "value, places, text",
    [
        (Decimal("1200"), 2, "1,200"),
        ("64.41", 2, "64.41"),
        ("88.23529", 2, "88.24"),
        (0.3333333333333333, None, "0.333333"),
        ("0.10163", None, "0.10163"),
        (480000, 0, "480,000"),
        ("0.0", 2, "0"),
        ("14000", None, "14,000"),
        ("1234567.891", None, "1,234,567.89"),
        ("0.00001", None, "0.00001"),
    ],
)
def test_numbers_read_one_way(value, places, text):
    assert history.number(value, places) == text


def test_shares_read_as_percent_and_booleans_as_yes_or_no():
    share, flag = history.Field("Yield", "share"), history.Field("Backhaul", "bool")
    assert history.show(share, "0.85", {}, {}) == "85\u00a0%"
    assert history.show(share, "0.3333333333333333", {}, {}) == "33.3\u00a0%"
    assert (history.show(flag, True, {}, {}), history.show(flag, False, {}, {})) == ("yes", "no")


def test_related_objects_are_named_with_one_query_per_page_not_per_row(net):
    """Naming the nodes of 4 routes takes as many queries as naming those of 1 (the nodes, the scenario)."""
    build_network(net)
    routes = list(LogEntry.objects.filter(action="scenario.route.created").order_by("id"))
    assert len(routes) == 4
    with CaptureQueriesContext(connection) as one:
        history.describe(routes[:1])
    with CaptureQueriesContext(connection) as four:
        described = history.describe(routes)
    assert len(four) == len(one) == 2
    assert [d.sentence for d in described][-1] == (
        "Added the route Neuss remelter → Forge plant (Secondary aluminium billet (AA6082)) to Nearby v1"
    )


def test_pages_show_sentences_and_the_api_the_stored_entry(net, client_for, api_for):
    """The organisation's history, its sheet's recent changes and the scenario's timeline read as sentences with
    no action codes or node ids; the API returns the entry as stored."""
    scenario, nodes, _ = build_network(net)
    client = client_for(net.ec_auditor)
    pages = [
        reverse("history", args=[net.ec.slug]),
        reverse("sheet", args=[net.ec.slug]),
        reverse("scenario-history", args=[scenario.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert (
            "Added the route Stuttgart yard → Hagen sorter (Aluminium parts from dismantled vehicles) to Nearby "
            "v1" in html
        ), url
        for code in ("scenario.route.created", "destination_node", "is_backhaul", "False", "∅"):
            assert code not in html, (url, code)
    timeline = client.get(pages[2]).content.decode()
    assert "<li>Backhaul: no</li>" in timeline and "<li>Transport mode: Road</li>" in timeline
    api = api_for(net.ec_auditor).get(reverse("api-scenario-history", args=[scenario.pk])).json()
    rows = api["results"] if isinstance(api, dict) else api
    route = next(r for r in rows if r["action"] == "scenario.route.created")
    assert route["changes"]["destination_node"] == [None, nodes["hagen"].pk]
    assert route["changes"]["is_backhaul"] == [None, False]


def unsaved(net, action, target_type, changes, target_repr="x"):
    return LogEntry(
        organization=net.ec,
        action=action,
        target_type=target_type,
        target_id="1",
        target_repr=target_repr,
        changes=changes,
    )


def test_a_judgement_matrix_reads_as_saaty_fractions(net):
    """The stored 0.3333333333333333 is the reciprocal of 3: it reads 1/3, and 0.5 reads 1/2."""
    entry = unsaved(
        net,
        "study.judgement.changed",
        "judgement",
        {"matrix": [None, [[1.0, 3.0, 2.0], [0.3333333333333333, 1.0, 0.5], [0.5, 2.0, 1.0]]]},
        "ec_editor on Partner selection",
    )
    assert sentences([entry]) == [
        (
            "Changed the pairwise judgements of ec_editor on Partner selection",
            [("Pairwise judgements (row by row)", "—", "1, 3, 2 · 1/3, 1, 1/2 · 1/2, 2, 1")],
        )
    ]


def test_side_constraints_and_dates_read_in_words(net):
    """Candidate keys are counted, shares read in %, the carbon price per tonne (0.1 EUR/kg = 100 EUR/t); a
    certificate's date has no time of day."""
    optimisation, certificate = history.describe(
        [
            unsaved(
                net,
                "study.optimisation.requested",
                "optimisationrun",
                {
                    "objective": [None, "weighted"],
                    "carbon_price_eur_per_kg": [None, 0.1],
                    "constraints": [
                        None,
                        {
                            "keep_open": ["collector:3", "sorter:4"],
                            "max_partners": {"collector": 1},
                            "max_share": {"sorter": 0.6},
                            "max_distance_km": 500.0,
                            "recycled_share": 0.5,
                        },
                    ],
                },
            ),
            unsaved(
                net,
                "certificate.created",
                "certificate",
                {"kind": [None, "iso14001"], "title": [None, "EMS"], "valid_until": [None, "2027-05-01"]},
                "EMS",
            ),
        ]
    )
    assert optimisation.sentence.endswith(": cost plus a carbon price")
    assert [(c.label, c.new) for c in optimisation.changes] == [
        ("Objective", "Cost plus a carbon price"),
        ("Carbon price", "100\u00a0EUR/t CO2e"),
        (
            "Side constraints",
            "2 candidates kept open; at most 1 collector; at most 60\u00a0% of the sorters' intake "
            "through one partner; routes of at most 500\u00a0km; at least 50\u00a0% recycled content",
        ),
    ]
    assert certificate.sentence == "Uploaded the certificate EMS"
    assert [(c.label, c.new) for c in certificate.changes] == [
        ("Kind", "ISO 14001"),
        ("Title", "EMS"),
        ("Valid until", "1 May 2027"),
    ]


def test_the_history_page_takes_as_many_queries_for_two_networks_as_for_one(net, client_for):
    """Naming is per page: a second scenario (5 more nodes, 4 more routes on the page) adds no query."""
    build_network(net)
    client = client_for(net.ec_auditor)
    url = reverse("history", args=[net.ec.slug])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    build_network(net, name="Other")
    with CaptureQueriesContext(connection) as two:
        html = client.get(url).content.decode()
    assert (
        "Added the route Stuttgart yard → Hagen sorter (Aluminium parts from dismantled vehicles) to Other v1" in html
    )
    assert len(two) == len(one)


def test_study_allocation_changed(net):
    """A study moving from mass to economic allocation at collectors reads in words, not codes."""
    services.study_update(user=net.ec_editor, study=net.study, allocation="economic")
    [(_sentence, fields)] = sentences([LogEntry.objects.get(action="study.changed")])
    assert fields == [("Allocation at collectors", "by mass", "by value")]
