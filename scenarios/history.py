"""How the studies' and scenarios' log entries read: one sentence per action, the fields with names and units.

Registered with partners.history (imported by ScenariosConfig.ready). Nodes named by id in a route's entry are named
from the log (the entry that added the node keeps its name), one query for a whole page.
"""

from partners.history import Field, logged_names, register, register_fields, register_resolver
from partners.models import Role

from .models import DistanceSource, Scenario, TransportMode

ROLES = dict(Role.choices)

register_resolver("node", logged_names("node"))

register_fields(
    "study",
    {
        "name": Field("Name"),
        "product_name": Field("Product"),
        "product_material": Field("Product material"),
        "product_alloy": Field("Alloy"),
        "product_mass_kg": Field("Product mass", "number", unit="kg", places=3),
        "units_per_year": Field("Units a year", "number", places=0),
        "need_t_per_year": Field("Need", "number", unit="t/year"),
        "recycled_share": Field("Recycled share", "share"),
        "description": Field("Description"),
        "allocation": Field("Allocation at collectors", "choice", choices={"mass": "by mass", "economic": "by value"}),
        "accepted_materials": Field("Accepted materials", "list"),
        "candidates": Field("Invited candidates", "list"),
    },
)
register_fields(
    "scenario",
    {
        "name": Field("Name"),
        "description": Field("Description"),
        "version": Field("Version", "number", places=0),
        "status": Field("Status", "choice", choices=dict(Scenario.Status.choices)),
        "previous": Field("Made from"),
        "decision_comment": Field("Comment"),
        "approved_need_t": Field("Need when approved", "number", unit="t/year"),
        "approved_delivered_t": Field("Delivered when approved", "number", unit="t/year"),
        "transition": Field("Before", "choice", choices={"submit": "submitting", "approve": "approving"}),
        "problems": Field("Problems", "list"),
        "reason": Field("Reason"),
    },
)
register_fields(
    "node",
    {
        "facility": Field("Facility"),
        "facility_id": Field("Facility", "hidden"),
        "organization": Field("Organisation"),
        "role": Field("Role", "choice", choices=ROLES),
        "activity": Field("Activity"),
        "yield_ratio": Field("Yield", "share"),
        "capacity_t_per_year": Field("Capacity", "number", unit="t/year"),
        "latitude": Field("Latitude", "number", unit="°", places=4),
        "longitude": Field("Longitude", "number", unit="°", places=4),
    },
)
register_fields(
    "route",
    {
        # The nodes are named by the node's own entry (origin_node, destination_node hold their ids); the text copies
        # `origin` and `destination` say the same, so they are not shown twice.
        "origin_node": Field("From", "ref", ref="node"),
        "destination_node": Field("To", "ref", ref="node"),
        "origin": Field("From", "hidden"),
        "destination": Field("To", "hidden"),
        "material": Field("Material"),
        "quantity_t": Field("Quantity", "number", unit="t/year"),
        "share": Field("Share (weight among the routes into the destination)", "number", places=3),
        "mode": Field("Transport mode", "choice", choices=dict(TransportMode.choices)),
        "distance_km": Field("Distance", "number", unit="km"),
        "distance_source": Field("Distance from", "choice", choices=dict(DistanceSource.choices)),
        "circuity": Field("Circuity factor", "number"),
        "is_backhaul": Field("Backhaul", "bool"),
    },
)

register("study.created", "Created the study {target}")
register("study.changed", "Changed the study {target}")
register("study.deleted", "Deleted the study {target}")
register("scenario.created", "Created the scenario {target}")
register("scenario.changed", "Changed the scenario {target}")
register("scenario.deleted", "Deleted the draft scenario {target}")
register("scenario.submitted", "Submitted {target} for approval")
register("scenario.approved", "Approved {target}; it is frozen from now on")
register("scenario.rejected", "Rejected {target}")
register("scenario.problems_acknowledged", "Acknowledged the problems of {target} and went on: {new[reason]}")
register("scenario.versioned", "Started {target}, a new version of {new[previous]}")
register("scenario.cloned", "Copied {new[previous]} as the new scenario {target}")
register("scenario.node.created", "Added {new[facility]} ({new[organization]}) to {parent} as {new[role]}")
register("scenario.node.changed", "Changed {target} in {parent}")
register("scenario.node.deleted", "Removed {old[facility]} ({old[organization]}, {old[role]}) from {parent}")
register("scenario.route.created", "Added the route {target} to {parent}")
register("scenario.route.changed", "Changed the route {target} in {parent}")
register("scenario.route.deleted", "Removed the route {target} from {parent}")
