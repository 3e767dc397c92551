"""Tenants and their data: organisations, memberships, facilities, activities, description sheets,
certificates, sharing grants, catalogues and the append-only log."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_countries.fields import CountryField

from .certificates import upload_to as certificate_upload_to
from .validators import validate_certificate_file


class Role(models.TextChoices):
    """Roles a facility can take in a reverse logistics network (DOMAIN.md, Roles)."""

    COLLECTOR = "collector", "Collector"
    SORTER = "sorter", "Sorter"
    RECOVERER = "recoverer", "Recoverer"
    END_COLLECTOR = "end_collector", "End collector"


ROLE_FIELDS = {
    Role.COLLECTOR: "is_collector",
    Role.SORTER: "is_sorter",
    Role.RECOVERER: "is_recoverer",
    Role.END_COLLECTOR: "is_end_collector",
}


class MemberRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"
    AUDITOR = "auditor", "Auditor"


# ---------------------------------------------------------------- reference data (staff-managed catalogues)


class Material(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    family = models.CharField(max_length=60, help_text="e.g. aluminium, steel, plastics")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["family", "name"]

    def __str__(self):
        return self.name


class Process(models.Model):
    class Stage(models.TextChoices):
        COLLECTION = "collection", "Gatekeeping and collection"
        SORTING = "sorting", "Sorting"
        RECOVERY = "recovery", "Recovery"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["stage", "name"]
        verbose_name_plural = "processes"

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A supplier-selection criterion of the description sheet (DOMAIN.md, Supplier selection criteria)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=40, help_text="Unit every value of this criterion is given in")
    higher_is_better = models.BooleanField(default=True)
    min_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "criteria"

    def __str__(self):
        return f"{self.name} ({self.unit})"


# ---------------------------------------------------------------- tenants


class Organization(models.Model):
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    country = CountryField(blank=True)
    website = models.URLField(blank=True)
    is_end_collector = models.BooleanField(
        default=False, help_text="Takes recycled material back; partners can share their sheets with it."
    )
    require_admin_second_factor = models.BooleanField(
        "require a second factor for admins",
        default=False,
        help_text="Admins must confirm an authenticator app (TOTP) before they can do anything else.",
    )
    approver_not_submitter = models.BooleanField(
        "approver must not be the submitter",
        default=False,
        help_text="A scenario is approved by an admin other than the person who submitted it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_pair")]

    def __str__(self):
        return f"{self.user} in {self.organization} ({self.role})"


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.VIEWER)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} to {self.organization}"


# ---------------------------------------------------------------- facilities and activities


class Facility(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(max_length=160)
    address = models.CharField(max_length=255, blank=True)
    country = CountryField()
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    is_collector = models.BooleanField("collector", default=False)
    is_sorter = models.BooleanField("sorter", default=False)
    is_recoverer = models.BooleanField("recoverer", default=False)
    is_end_collector = models.BooleanField("end collector", default=False)
    capacity_t_per_year = models.DecimalField(
        "capacity (t/year)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="Capacity must be above 0 t/year.")],
        help_text="What the facility can take in per year, above 0.",
    )
    fixed_cost_eur_per_year = models.DecimalField(
        "fixed cost (EUR/year)",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="What keeping the facility in the network costs per year, whatever the flow (site, staff, permits).",
    )
    accepted_materials = models.ManyToManyField(Material, blank=True, related_name="facilities")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="facility_unique_name_per_org"),
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90), name="facility_lat"),
            models.CheckConstraint(condition=models.Q(longitude__gte=-180, longitude__lte=180), name="facility_lon"),
            models.CheckConstraint(condition=models.Q(capacity_t_per_year__gte=0), name="facility_capacity"),
        ]

    def __str__(self):
        return self.name

    @property
    def roles(self) -> list[str]:
        return [role.value for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    def clean(self):
        if not self.roles:
            raise ValidationError({"roles": "Choose at least one role."})


class Activity(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="activities")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="activities")
    yield_ratio = models.DecimalField(
        "yield (output/input)",
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(1))],
        help_text="Output divided by input, greater than 0 and at most 1.",
    )
    cost_eur_per_t = models.DecimalField(
        "processing cost (EUR/t)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    energy_mj_per_t = models.DecimalField(
        "energy (MJ/t)", max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(Decimal(0))]
    )
    co2e_kg_per_t = models.DecimalField(
        "emissions (kg CO2e/t)", max_digits=12, decimal_places=3, default=0, validators=[MinValueValidator(Decimal(0))]
    )
    water_m3_per_t = models.DecimalField(
        "water (m3/t)", max_digits=12, decimal_places=4, default=0, validators=[MinValueValidator(Decimal(0))]
    )
    data_source = models.CharField(max_length=255, blank=True, help_text="Where the figures come from")

    unique_messages = {("facility", "process"): ("process", "This facility already has an activity for this process.")}

    class Meta:
        ordering = ["facility__name", "process__stage", "process__name"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["facility", "process"], name="activity_unique_process_per_facility"),
            models.CheckConstraint(
                condition=models.Q(yield_ratio__gt=0, yield_ratio__lte=1), name="activity_yield_range"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    cost_eur_per_t__gte=0, energy_mj_per_t__gte=0, co2e_kg_per_t__gte=0, water_m3_per_t__gte=0
                ),
                name="activity_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.process} at {self.facility}"


# ---------------------------------------------------------------- description sheet


class DescriptionSheet(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="sheet")
    summary = models.TextField(blank=True, help_text="What the company does in the reverse logistics chain")
    constraints = models.TextField(blank=True, help_text="Constraints partners should know (minimum lots, hours...)")
    contact_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Sheet of {self.organization}"


def _plain_number(value: Decimal) -> str:
    """100.0000 -> "100", 0.5000 -> "0.5" (Decimal.normalize() alone would print 1E+2)."""
    return format(value.normalize(), "f")


class CriterionValue(models.Model):
    sheet = models.ForeignKey(DescriptionSheet, on_delete=models.CASCADE, related_name="values")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion__name"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="criterion_value_unique")]

    def __str__(self):
        return f"{self.criterion.name}: {self.value} {self.criterion.unit}"

    def clean(self):
        c = self.criterion
        if self.value is None:
            return
        if c.min_value is not None and self.value < c.min_value:
            raise ValidationError({"value": f"{c.name} must be at least {_plain_number(c.min_value)} {c.unit}."})
        if c.max_value is not None and self.value > c.max_value:
            raise ValidationError({"value": f"{c.name} must be at most {_plain_number(c.max_value)} {c.unit}."})


class Certificate(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence / permit"
        ISO_14001 = "iso14001", "ISO 14001"
        TREATMENT = "treatment", "Certificate of treatment"
        OTHER = "other", "Other"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=160)
    issuer = models.CharField(max_length=160, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=certificate_upload_to, max_length=255, validators=[validate_certificate_file])
    content_type = models.CharField(max_length=40, editable=False)
    size_bytes = models.PositiveIntegerField(editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "valid_until"]

    def __str__(self):
        return self.title

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.valid_until is not None and self.valid_until < timezone.localdate()


# ---------------------------------------------------------------- sharing


class SheetShare(models.Model):
    """A grant: `organization` lets the members of `end_collector` read its sheet and facilities."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="shares_given")
    end_collector = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="shares_received")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["end_collector__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "end_collector"], name="share_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(organization=models.F("end_collector")), name="share_not_with_self"
            ),
        ]

    def __str__(self):
        return f"{self.organization} shares with {self.end_collector}"


# ---------------------------------------------------------------- history


class AppendOnlyError(Exception):
    pass


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Log entries are append-only.")

    def delete(self):
        raise AppendOnlyError("Log entries are append-only.")


class LogEntry(models.Model):
    """Append-only history of changes to an organisation's data. Written by services only."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="log_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=80, help_text="Dotted name, e.g. facility.changed")
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    target_repr = models.CharField(max_length=255)
    parent_type = models.CharField(max_length=40, blank=True, help_text="What the target belongs to, e.g. scenario")
    parent_id = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(default=dict, help_text="{field: [old, new]} for the changed fields")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "log entries"
        indexes = [
            models.Index(fields=["organization", "-at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Log entries are append-only.")
