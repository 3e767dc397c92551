"""Reference data every installation starts with: materials, processes and sheet criteria.

Materials and processes follow the aluminium case in DOMAIN.md (acceptable returns; sorting and recovery chain).
Criteria are the supplier-selection criteria most used in the literature plus green processes (DOMAIN.md).
Staff extend these catalogues in the Django admin.
"""

MATERIALS = [
    # code, name, family, description
    (
        "al-vehicle-parts",
        "Aluminium parts from dismantled vehicles",
        "aluminium",
        "Bumpers, wheels, suspension and chassis parts, closures, skin sheet, inner stiffeners, body structure, seats.",
    ),
    ("al-wheels", "Aluminium wheels", "aluminium", "Cast wheels from vehicle dismantling."),
    (
        "al-shredded-wrought",
        "Shredded wrought aluminium fractions",
        "aluminium",
        "AA3003, AA5754, AA6016, AA6060 and other wrought fractions from shredding and alloy separation.",
    ),
    (
        "al-building",
        "Aluminium from building demolition",
        "aluminium",
        "Siding, window frames, 3004 corrugated roofing.",
    ),
    ("al-packaging", "Aluminium packaging", "aluminium", "Foils, rigid containers, closures from packaging sorting."),
    (
        "al-sorted-6xxx",
        "Sorted 6xxx-series aluminium scrap",
        "aluminium",
        "Alloy-sorted 6xxx scrap ready for remelting (the input a wrought-alloy remelter wants).",
    ),
    (
        "al-secondary-billet",
        "Secondary aluminium billet (AA6082)",
        "aluminium",
        "Extruded or cast billet from recycled aluminium, the end collector's input for forging.",
    ),
    ("steel-scrap", "Ferrous scrap", "steel", "Magnetic fraction separated during shredding."),
    ("mixed-plastics", "Mixed plastics", "plastics", "Shredder light fraction."),
]

PROCESSES = [
    # code, name, stage, description
    ("collection", "Collection", "collection", "Collecting end-of-life products or scrap at source."),
    ("gatekeeping", "Gatekeeping and inspection", "collection", "Deciding which returns are acceptable."),
    ("dismantling", "Dismantling", "collection", "Removing aluminium parts from end-of-life vehicles."),
    ("shredding", "Shredding", "sorting", "Size reduction of scrap."),
    ("magnetic-separation", "Magnetic separation", "sorting", "Removing the ferrous fraction."),
    ("eddy-current-separation", "Eddy-current separation", "sorting", "Separating non-ferrous metals."),
    ("sink-float-separation", "Sink-float separation", "sorting", "Density separation of light alloys."),
    ("colour-sorting", "Colour sorting / etching", "sorting", "Alloy separation by etching and colour sorting."),
    (
        "refining",
        "Refining",
        "recovery",
        "Distillation, electrolytic separation, hot crush, unidirectional solidification or flux separation.",
    ),
    ("remelting", "Remelting", "recovery", "Melting sorted scrap into a secondary alloy."),
    ("casting", "Casting", "recovery", "Casting ingots or billets."),
    ("extrusion", "Extrusion", "recovery", "Extruding billets."),
    ("incineration", "Incineration with energy recovery", "recovery", "Last resort for non-recyclable fractions."),
    ("landfill", "Landfill", "recovery", "Disposal, the last resort."),
]

CRITERIA = [
    # code, name, unit, higher_is_better, min, max, description
    ("price", "Price", "EUR/t", False, 0, None, "Price of the reverse flow or of the service per tonne."),
    ("delivery-on-time", "Delivery on time", "%", True, 0, 100, "Share of deliveries on the agreed date."),
    ("quality", "Quality", "%", True, 0, 100, "Share of deliveries within the agreed specification."),
    (
        "equipment-capability",
        "Equipment and capability",
        "score 1-10",
        True,
        1,
        10,
        "Fitness of the installed equipment for the material.",
    ),
    ("technical-capability", "Technical capability", "score 1-10", True, 1, 10, "Process know-how and staff skills."),
    (
        "management-organisation",
        "Management and organisation",
        "score 1-10",
        True,
        1,
        10,
        "Quality of planning, reporting and management systems.",
    ),
    (
        "green-processes",
        "Green processes",
        "score 1-10",
        True,
        1,
        10,
        "How environmentally sound the partner's technology is; decisive for sorting and recycling.",
    ),
    ("order-delay", "Order delay", "days", False, 0, None, "Days from order to delivery."),
    ("reputation", "Reputation", "score 1-10", True, 1, 10, "Standing with customers and authorities."),
    ("flexibility", "Flexibility", "score 1-10", True, 1, 10, "Ability to absorb changes in volume or mix."),
]


def load(Material, Process, Criterion) -> None:
    """Create or refresh the catalogue rows. Takes the model classes so that migrations can pass their
    historical models."""
    for code, name, family, description in MATERIALS:
        Material.objects.update_or_create(code=code, defaults=dict(name=name, family=family, description=description))
    for code, name, stage, description in PROCESSES:
        Process.objects.update_or_create(code=code, defaults=dict(name=name, stage=stage, description=description))
    for position, (code, name, unit, higher, low, high, description) in enumerate(CRITERIA):
        Criterion.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                unit=unit,
                higher_is_better=higher,
                min_value=low,
                max_value=high,
                description=description,
                position=position,
            ),
        )
