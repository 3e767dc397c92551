"""The network as data: a study of an end collector, its scenarios, their nodes (a facility in a role) and routes.

A node copies the figures the design rests on (coordinates, yield, capacity) from the partner's sheet when it is
added, so a scenario stays what it was when it was approved, and its history can be replayed, whatever the partner
changes later. Writes go through `scenarios.services`; nothing here has side effects.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from partners.models import Activity, Facility, Material, Organization, Role

# The order material flows in: collector -> sorter -> recoverer -> end collector (DOMAIN.md, Roles).
UNITS_PER_YEAR_MAX = 1_000_000_000  # more products a year than any line makes; within every database's integer
STAGE = {Role.COLLECTOR: 0, Role.SORTER: 1, Role.RECOVERER: 2, Role.END_COLLECTOR: 3}


class Study(models.Model):
    """Step 1 and 2 of the method: the product, the recycled material it needs and the candidate partners."""

    end_collector = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="studies")
    name = models.CharField(max_length=160)
    product_name = models.CharField(max_length=160)
    product_material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="+", help_text="The material the product is made of"
    )
    product_alloy = models.CharField(max_length=60, blank=True, help_text="e.g. AA6082")
    product_mass_kg = models.DecimalField(
        "mass per unit (kg)", max_digits=10, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    units_per_year = models.PositiveIntegerField(
        "units per year", validators=[MinValueValidator(1), MaxValueValidator(UNITS_PER_YEAR_MAX)]
    )
    need_t_per_year = models.DecimalField(
        "recycled material needed (t/year)",
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="Leave empty to derive it from the target recycled share.",
    )
    recycled_share = models.DecimalField(
        "target recycled-content share",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(1))],
        help_text="Share of the product's mass made of recycled material, 0 to 1 (0.3 = 30 %).",
    )
    accepted_materials = models.ManyToManyField(Material, blank=True, related_name="+")
    candidates = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="candidate_in",
        help_text="Partners invited into the study; only organisations sharing their sheet with the end collector.",
    )
    description = models.TextField(blank=True)

    class Allocation(models.TextChoices):
        MASS = "mass", "By mass"
        ECONOMIC = "economic", "By economic value"

    allocation = models.CharField(
        max_length=10,
        choices=Allocation.choices,
        default=Allocation.MASS,
        help_text="How a collector's processing cost and impacts are shared between the material this network takes "
        "and the rest of what it collects (ISO 14044, 4.3.4): by mass (its yield) or by economic value "
        "(its price against the study's allocation.rest_value factor for the rest).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["end_collector__name", "name"]
        verbose_name_plural = "studies"
        constraints = [
            models.UniqueConstraint(fields=["end_collector", "name"], name="study_unique_name"),
            models.CheckConstraint(
                condition=models.Q(need_t_per_year__isnull=False) | models.Q(recycled_share__isnull=False),
                name="study_need_or_share",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def required_t_per_year(self) -> Decimal:
        """The typed need, or the recycled share of the product mass produced in a year (kg -> t)."""
        if self.need_t_per_year is not None:
            return self.need_t_per_year
        return self.recycled_share * self.product_mass_kg * self.units_per_year / 1000

    @property
    def product_t_per_year(self) -> Decimal:
        return self.product_mass_kg * self.units_per_year / 1000


class Scenario(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="scenarios")
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The scenario this one was copied from (new version or clone)",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The figures the scenario was approved with, kept whatever the study's need becomes later.
    approved_need_t = models.DecimalField(
        "need when approved (t/year)", max_digits=12, decimal_places=3, null=True, blank=True
    )
    approved_delivered_t = models.DecimalField(
        "delivered when approved (t/year)", max_digits=12, decimal_places=3, null=True, blank=True
    )
    approved_run_id = models.PositiveIntegerField(
        "assessment run when approved",
        null=True,
        blank=True,
        help_text="The last good assessment run when the scenario was approved (an assessment run's id)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["study", "name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name", "version"], name="scenario_unique_version"),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def need_t_per_year(self) -> Decimal:
        """The need the scenario answers: the one it was approved with once approved, else the study's."""
        if self.status == self.Status.APPROVED and self.approved_need_t is not None:
            return self.approved_need_t
        return self.study.required_t_per_year


class Node(models.Model):
    """A facility in one role within a scenario; a facility offering several roles may appear once per role."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="nodes")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="scenario_nodes")
    role = models.CharField(max_length=20, choices=Role.choices)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scenario_nodes",
        help_text="The activity this node performs; its yield is copied below",
    )
    yield_ratio = models.DecimalField(
        "yield (output/input)",
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(1))],
    )
    capacity_t_per_year = models.DecimalField(
        "capacity (t/year)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="Capacity must be above 0 t/year.")],
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["scenario", "role", "facility__name"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "facility", "role"], name="node_unique_role"),
            models.UniqueConstraint(
                fields=["scenario"], condition=models.Q(role=Role.END_COLLECTOR), name="node_one_end_collector"
            ),
            models.CheckConstraint(condition=models.Q(yield_ratio__gt=0, yield_ratio__lte=1), name="node_yield"),
            models.CheckConstraint(condition=models.Q(capacity_t_per_year__gte=0), name="node_capacity"),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.facility.name}"

    @property
    def stage(self) -> int:
        return STAGE[self.role]


class TransportMode(models.TextChoices):
    ROAD = "road", "Road"
    RAIL = "rail", "Rail"
    INLAND_WATERWAY = "inland_waterway", "Inland waterway"
    SEA = "sea", "Sea"


class DistanceSource(models.TextChoices):
    COMPUTED = "computed", "Geodesic x circuity"
    TYPED = "typed", "Typed"
    SAME_SITE = "same_site", "Same site"


class Route(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="routes")
    origin = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="routes_out")
    destination = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="routes_in")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    quantity_t = models.DecimalField(
        "quantity (t/year)",
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="Leave empty to carry the recommended quantity.",
    )
    share = models.DecimalField(
        max_digits=8,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="Weight of this route among the routes feeding the same destination (equal by default).",
    )
    mode = models.CharField(max_length=20, choices=TransportMode.choices, default=TransportMode.ROAD)
    distance_km = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    distance_source = models.CharField(max_length=10, choices=DistanceSource.choices)
    circuity = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, help_text="Circuity factor used for a computed distance"
    )
    is_backhaul = models.BooleanField(
        "backhaul", default=False, help_text="Carried by a truck that would otherwise return empty"
    )

    class Meta:
        ordering = ["scenario", "origin__role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "origin", "destination", "material"], name="route_unique_flow"),
            models.CheckConstraint(condition=~models.Q(origin=models.F("destination")), name="route_not_loop"),
            models.CheckConstraint(
                condition=models.Q(quantity_t__isnull=True) | models.Q(quantity_t__gt=0), name="route_quantity_positive"
            ),
            models.CheckConstraint(condition=models.Q(share__gt=0), name="route_share_positive"),
            models.CheckConstraint(condition=models.Q(distance_km__gte=0), name="route_distance"),
        ]

    def __str__(self):
        return f"{self.origin.facility.name} -> {self.destination.facility.name} ({self.material})"
