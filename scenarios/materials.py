"""Gatekeeping of routes: which materials may run from one node to another in a study. One rule, used by the route
services (pages and API), the scenario page (routes drawn before the rule), the step-by-step builder's default
material and the optimiser's candidate arcs.

A route's material must be
- one its origin sends: a collector sends what it collects (the materials its site takes in); a sorter or
  recoverer sends its activity's output, which is made of what it takes in, so a material of a family it takes in
  (a shredder of aluminium parts makes no ferrous scrap, an aluminium remelter no plastics);
- one its destination accepts (the materials its site takes in);
- one the study accepts: its accepted returns and the product's material.
A site (or a study) that lists no material says nothing about what it sends (or accepts) and restricts nothing there;
a destination that lists none accepts none.

Reads only `.all()` of the relations, so a caller that prefetches `facility__accepted_materials` and the study's
`accepted_materials` asks the database nothing per pair.
"""

from django.db.models import prefetch_related_objects

from partners.models import Material, Role

from .models import Node, Study

MATERIAL_FIELD = "material"


def _names(materials) -> str:
    return ", ".join(sorted(m.name for m in materials)) or "none"


def study_accepts(study: Study, material: Material) -> bool:
    accepted = list(study.accepted_materials.all())
    return not accepted or material.pk == study.product_material_id or material.pk in {m.pk for m in accepted}


def origin_sends(origin: Node, material: Material) -> bool:
    taken_in = list(origin.facility.accepted_materials.all())
    if not taken_in:
        return True
    if origin.role == Role.COLLECTOR:
        return material.pk in {m.pk for m in taken_in}
    return material.family in {m.family for m in taken_in}


def destination_accepts(destination: Node, material: Material) -> bool:
    return material.pk in {m.pk for m in destination.facility.accepted_materials.all()}


def problem(study: Study, origin: Node, destination: Node, material: Material) -> str | None:
    """Why `material` may not run from `origin` to `destination` in `study`, in words; None when it may."""
    if not origin_sends(origin, material):
        site = origin.facility
        if origin.role == Role.COLLECTOR:
            return f"{site.name} does not send {material.name}: it collects {_names(site.accepted_materials.all())}."
        families = sorted({m.family for m in site.accepted_materials.all()})
        return (
            f"{site.name} does not send {material.name}: its {origin.get_role_display().lower()} activity makes "
            f"{' or '.join(families)} material of what it takes in."
        )
    if not destination_accepts(destination, material):
        return f"{destination.facility.name} does not accept {material.name}."
    if not study_accepts(study, material):
        accepted = {*study.accepted_materials.all(), study.product_material}
        return f"The study does not accept {material.name}; it accepts {_names(accepted)}."
    return None


def route_materials(study: Study, origin: Node, destination: Node) -> list[Material]:
    """The materials that may run from `origin` to `destination` in `study`, in the destination's order."""
    return [m for m in destination.facility.accepted_materials.all() if problem(study, origin, destination, m) is None]


def route_problems(study: Study, routes) -> list[str]:
    """A sentence per route (drawn before this rule, or whose sites changed since) whose material breaks it."""
    routes = list(routes)
    prefetch_related_objects(
        routes, "origin__facility__accepted_materials", "destination__facility__accepted_materials"
    )
    prefetch_related_objects([study], "accepted_materials")
    found = []
    for route in routes:
        reason = problem(study, route.origin, route.destination, route.material)
        if reason:
            found.append(
                f"{route.origin.facility.name} to {route.destination.facility.name} carries "
                f"{route.material.name}. {reason}"
            )
    return found
