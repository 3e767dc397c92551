"""Factor libraries, a study's factor overrides, and assessment runs with their stored inputs and results.

A run keeps the snapshot of everything it computed from (`inputs`) and its SHA-256 (`inputs_hash`), so a result can
be reproduced, and a scenario whose current inputs hash differently is shown as stale. Writes go through
`assessment.services`; nothing here has side effects.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from partners.models import Material, Role
from scenarios.models import Scenario, Study

# The largest figure a study may put in place of a library factor, whatever its unit (EUR/tkm, kg CO2e/t, MJ/t...):
# far above any real factor, far below what overflows the computations.
FACTOR_VALUE_MAX = 1_000_000_000.0
# The largest carbon price of the weighted objective: 100 EUR per kg CO2e, 100,000 EUR per tonne.
CARBON_PRICE_MAX_EUR_PER_KG = 100.0


class FactorLibrary(models.Model):
    name = models.CharField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "factor libraries"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="factor_library_one_default"
            )
        ]

    def __str__(self):
        return self.name


class Factor(models.Model):
    library = models.ForeignKey(FactorLibrary, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=80, help_text="e.g. transport.co2e.road")
    value = models.FloatField()
    unit = models.CharField(max_length=30)
    region = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300)
    is_assumption = models.BooleanField(default=False)

    class Meta:
        ordering = ["library", "code"]
        constraints = [
            models.UniqueConstraint(fields=["library", "code"], name="factor_unique_code"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="factor_non_negative"),
        ]

    def __str__(self):
        return f"{self.code} = {self.value:g} {self.unit}"

    def clean(self):
        from .factors import expected_unit

        expected = expected_unit(self.code)
        if expected is None:
            raise ValidationError({"code": f"{self.code} is not a factor the assessment uses."})
        if self.unit != expected:
            raise ValidationError({"unit": f"{self.code} is given in {expected}."})


class FactorOverride(models.Model):
    """A study's own figure for one factor code; it replaces the library's in every run of the study."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="factor_overrides")
    code = models.CharField(max_length=80)
    value = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(FACTOR_VALUE_MAX)])
    unit = models.CharField(max_length=30)
    source = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "code"]
        constraints = [
            models.UniqueConstraint(fields=["study", "code"], name="override_unique_code"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="override_non_negative"),
        ]

    def __str__(self):
        return f"{self.code} = {self.value:g} {self.unit} ({self.study})"


class WorkStatus(models.TextChoices):
    """Where work handed to a worker stands (assessment runs, heavy partner rankings)."""

    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class HandedToWorker(models.Model):
    """How a job handed to a worker is followed, so that none is lost to a dead worker or a broker that was down
    (see assessment/jobs.py): when it was last sent to the queue, how many times a worker took it, and the last
    sign of life of the worker computing it."""

    sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last handed to the task queue (empty: not sent yet)"
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="How many times a worker took the job"
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last sign of life of the worker computing the job"
    )

    class Meta:
        abstract = True


class AssessmentRun(HandedToWorker):
    Status = WorkStatus

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="assessment_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    inputs = models.JSONField(help_text="Everything the run computes from, as it stood when the run was asked for")
    inputs_hash = models.CharField(max_length=64, db_index=True)
    basis_version = models.PositiveSmallIntegerField(
        default=1, help_text="The cost and impact basis the run was computed on (assessment/basis.py); 1: the first"
    )
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Assessment {self.pk} of {self.scenario} ({self.status})"


class CriteriaSet(models.Model):
    """The criteria a study weighs with AHP: sheet criteria (choosing partners) or indicators (choosing scenarios)."""

    class Kind(models.TextChoices):
        PARTNER = "partner", "Partner selection (sheet criteria)"
        SCENARIO = "scenario", "Scenario selection (indicators)"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="criteria_sets")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    criteria = models.JSONField(help_text="Criterion or indicator codes, in the order of the matrix rows")
    ri_table = models.CharField(max_length=20, default="saaty", help_text="Random-index table used for CR")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "name"]
        constraints = [models.UniqueConstraint(fields=["study", "name"], name="criteria_set_unique_name")]

    def __str__(self):
        return self.name


class Judgement(models.Model):
    """One member's pairwise comparison matrix of a criteria set (Saaty's 1-9 scale)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="judgements")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    matrix = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criteria_set", "judge__username"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "judge"], name="judgement_one_per_judge")]

    def __str__(self):
        return f"{self.judge} on {self.criteria_set}"


def _when(moment) -> str:
    """A ranking's time in its name, in the portal's time zone (3 Dec 2026 18:02)."""
    return date_format(timezone.localtime(moment), "j M Y H:i") if moment else "not saved"


class Ranking(models.Model):
    """A stored AHP ranking of a study's scenarios on their indicators: weights, local scores, final scores and
    sensitivity, as computed when it was made."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rankings")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="rankings")
    result = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """The name people see: what was ranked, on which criteria set, when ("Scenario ranking on “Indicators”,
        3 Dec 2026 18:02"); a partner ranking of the same study reads "Collector ranking on ...", never the same."""
        return f"Scenario ranking on “{self.criteria_set.name}”, {_when(self.created_at)}"


class WorkerJob(HandedToWorker):
    """What work handed to a worker keeps: where it stands, its progress in steps, its result or error, who asked
    and when it ran."""

    Status = WorkStatus

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(HandedToWorker.Meta):
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def progress_percent(self) -> int:
        return 100 if not self.progress_total else round(100 * self.progress_done / self.progress_total)


class PartnerRanking(WorkerJob):
    """An AHP ranking of the candidate facilities for one role of a study: each candidate's sheet values (or the
    expert's pairwise judgements) per criterion, the criteria set's group weights, final scores and sensitivity.
    Small rankings are computed while the user waits; heavy ones (many candidates) by a worker, which reports its
    progress in `progress_done` of `progress_total` steps."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="partner_rankings")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="partner_rankings")
    role = models.CharField(max_length=20, choices=Role.choices)
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="+", help_text="The material the candidates take in"
    )
    mode = models.CharField(max_length=12, default="distributive")
    candidate_ids = models.JSONField(
        help_text="Facility ids of the candidates, in the order of the judgement matrices' rows"
    )
    local_matrices = models.JSONField(
        default=dict, blank=True, help_text="Pairwise judgements of the candidates, per criterion code"
    )

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """The name people see ("Collector ranking on “Partner selection”, 3 Dec 2026 18:02"), see Ranking.title."""
        return f"{self.get_role_display()} ranking on “{self.criteria_set.name}”, {_when(self.created_at)}"


class OptimisationRun(WorkerJob):
    """A proposal for a study's network: the candidates and arcs as they stood when asked for (`inputs`), the
    objective and side constraints, and the solution found by a worker (with the cost-CO2e front when asked)."""

    class Objective(models.TextChoices):
        COST = "cost", "Least total cost"
        CO2E = "co2e", "Least climate impact (kg CO2e)"
        WEIGHTED = "weighted", "Cost plus a carbon price"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="optimisation_runs")
    objective = models.CharField(max_length=10, choices=Objective.choices, default=Objective.COST)
    carbon_price_eur_per_kg = models.FloatField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(CARBON_PRICE_MAX_EUR_PER_KG)],
        help_text="Weighted objective: EUR per kg CO2e added to the cost (0.1 = 100 EUR per tonne)",
    )
    constraints = models.JSONField(default=dict, blank=True, help_text="The side constraints, as asked")
    pareto_points = models.PositiveSmallIntegerField(
        default=0, help_text="Points of the cost-CO2e front to compute (0: none)"
    )
    inputs = models.JSONField(help_text="Candidates, arcs and factors, as they stood when the run was asked for")
    basis_version = models.PositiveSmallIntegerField(
        default=1, help_text="The cost and impact basis the run was computed on (assessment/basis.py); 1: the first"
    )
    progress_total = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Optimisation {self.pk} of {self.study}"
