"""HTML forms of the assessment: a study's factor override. The form checks types; the service checks the code, the
unit and the range, and its refusals come back onto the named field (partners.views.submit)."""

import math

from django import forms

from partners import catalogue
from scenarios.models import TransportMode

from .factors import SPECS
from .models import CARBON_PRICE_MAX_EUR_PER_KG, FACTOR_VALUE_MAX

IMPACT_NAMES = {
    "co2e": "Climate change",
    "co2e_wtt": "Climate change, well-to-tank",
    "energy": "Non-renewable energy",
    "water": "Fresh water",
    "cost": "Cost",
}
PROCESS_NAMES = {code: name for code, name, *_ in catalogue.PROCESSES}
# Groups of the factors page, in page order.
GROUPS = [
    *(f"Transport: {label.lower()}" for label in TransportMode.labels),
    "Transport: all modes",
    "Processes",
    "Materials",
    "Stock",
    "Allocation",
]


def describe(code: str) -> tuple[str, str]:
    """(group, readable name) of a factor code: `transport.co2e.road` -> ("Transport: road", "Climate change")."""
    parts = code.split(".")
    kind = parts[0]
    if kind == "transport" and len(parts) == 3:
        mode = dict(TransportMode.choices).get(parts[2], parts[2])
        if parts[1] == "energy":  # derived from tank-to-wheel CO2e: the fuel burnt, not its primary energy
            return f"Transport: {mode.lower()}", "Non-renewable energy (fuel's final energy)"
        return f"Transport: {mode.lower()}", IMPACT_NAMES.get(parts[1], parts[1])
    if kind == "backhaul":
        return "Transport: all modes", "Backhaul route, share of a full trip"
    if kind == "process" and len(parts) == 3:
        return "Processes", f"{PROCESS_NAMES.get(parts[2], parts[2])} · {IMPACT_NAMES.get(parts[1], parts[1])}"
    if kind == "material" and len(parts) == 3:
        return "Materials", f"{parts[1].capitalize()} aluminium · {IMPACT_NAMES.get(parts[2], parts[2])}"
    if code == "stock.holding":
        return "Stock", "Holding cost"
    if kind == "stock" and len(parts) == 3:
        return "Stock", f"Days in stock · {parts[2].replace('_', ' ')}"
    if code == "allocation.rest_value":
        return "Allocation", "Value of the rest of a collector's intake (economic allocation)"
    return "Other", code


def code_choices() -> list:
    """Every code the assessment reads, grouped as on the page."""
    groups: dict[str, list] = {}
    for code in sorted(SPECS):
        group, name = describe(code)
        groups.setdefault(group, []).append((code, f"{name} ({code})"))
    ordered = [(g, groups.pop(g)) for g in GROUPS if g in groups] + list(groups.items())
    return [("", "Choose a factor")] + ordered


class OverrideForm(forms.Form):
    code = forms.ChoiceField(label="Factor")
    value = forms.FloatField(
        min_value=0,
        max_value=FACTOR_VALUE_MAX,
        help_text="0 or more, in the unit below.",
        error_messages={
            "min_value": "A factor is 0 or more, in its unit.",
            "max_value": "A factor is at most 1,000,000,000 in its unit.",
        },
    )
    unit = forms.CharField(max_length=30, help_text="Filled in from the factor; it must be the factor's unit.")
    source = forms.CharField(max_length=300, help_text="Where the figure comes from (a contract, a study, a report).")

    def __init__(self, *args, refresh_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = code_choices()
        if refresh_url:  # choosing a factor fetches the form again with its unit filled in (htmx)
            self.fields["code"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#field-unit",
                    "hx-select": "#field-unit",
                    "hx-swap": "outerHTML",
                }
            )


# ---------------------------------------------------------------- AHP (assessment.decisions)

# Saaty's 1-9 scale as offered in the matrix: 9 down to 1, then its reciprocals 1/2 .. 1/9.
SAATY_SCALE = [str(k) for k in range(9, 0, -1)] + [f"1/{k}" for k in range(2, 10)]


def parse_judgement(text) -> float:
    """A judgement as typed or chosen: "3", "1/3", "0.25", "2.5"; a ValueError for anything else or <= 0."""
    text = str(text or "").strip().replace(",", ".")
    if not text:
        raise ValueError("Give a judgement.")
    try:
        if "/" in text:
            top, _, bottom = text.partition("/")
            value = float(top) / float(bottom)
        else:
            value = float(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"“{text}” is not a number such as 3 or 1/3.") from None
    if not (value > 0 and value < float("inf")):
        raise ValueError("A judgement is a number above 0 (1/9 to 9 on Saaty's scale).")
    return value


def saaty_text(x: float) -> str:
    """A judgement as the scale writes it: 3, 1/3, else up to 3 significant digits (2.5, 0.417)."""
    x = float(x)
    if abs(x - round(x)) < 1e-6 and round(x) >= 1:
        return str(round(x))
    if x < 1 and abs(1 / x - round(1 / x)) < 1e-6:
        return f"1/{round(1 / x)}"
    return f"{x:.3g}"


def nearest_on_scale(x: float) -> str:
    """The value of Saaty's scale closest to x on a log scale (0.4 -> 1/2, 2.6 -> 3)."""
    values = [parse_judgement(v) for v in SAATY_SCALE]
    return SAATY_SCALE[min(range(len(values)), key=lambda k: abs(math.log(values[k]) - math.log(float(x))))]


class CriteriaSetForm(forms.Form):
    name = forms.CharField(max_length=160)
    kind = forms.ChoiceField(
        choices=[("scenario", "Scenarios (indicators)"), ("partner", "Partners (sheet criteria)")],
        widget=forms.RadioSelect,
        initial="scenario",
    )
    criteria = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, help_text="2 to 15, in the order of the matrix."
    )
    ri_table = forms.ChoiceField(
        label="Random-index table", initial="saaty", help_text="The published table CR is computed with."
    )

    def __init__(self, *args, scenario_criteria=(), partner_criteria=(), ri_tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scenario_criteria, self.partner_criteria = list(scenario_criteria), list(partner_criteria)
        self.fields["criteria"].choices = self.scenario_criteria + self.partner_criteria
        self.fields["ri_table"].choices = list(ri_tables)

    def clean(self):
        data = super().clean()
        kind, chosen = data.get("kind"), data.get("criteria") or []
        allowed = {c for c, _ in (self.scenario_criteria if kind == "scenario" else self.partner_criteria)}
        if kind and chosen and not set(chosen) <= allowed:
            self.add_error(
                "criteria",
                "Choose the criteria of the set's kind only: indicators for scenarios, sheet criteria for partners.",
            )
        return data


class JudgementForm(forms.Form):
    """The upper triangle of an n x n pairwise matrix, a_<i>_<j> for i < j (0-based): how many times criterion i
    matters more than criterion j. The diagonal is 1 and the lower triangle the reciprocals. With a `prefix`, several
    matrices share a page (the candidates' matrices of a partner ranking, one per criterion)."""

    def __init__(self, *args, n: int, matrix=None, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.n = n
        for i in range(n):
            for j in range(i + 1, n):
                current = saaty_text(matrix[i][j]) if matrix is not None else "1"
                choices = [(v, v) for v in SAATY_SCALE]
                if current not in SAATY_SCALE:  # a judgement off the scale (the API takes any positive number)
                    choices.append((current, current))
                name = f"a_{i}_{j}"
                aria = f"{labels[i]} against {labels[j]}" if labels else f"a[{i}][{j}]"
                self.fields[name] = forms.CharField(
                    initial=current,
                    widget=forms.Select(choices=choices, attrs={"data-row": i, "data-column": j, "aria-label": aria}),
                )
                posted = str(self.data.get(self.add_prefix(name), "")).strip() if self.is_bound else ""
                if self.is_bound and posted not in dict(choices):
                    extra = posted  # keep what was posted on the page
                    self.fields[name].widget.choices = choices + [(extra, extra)]

    def clean(self):
        data = super().clean()
        for name in [f for f in self.fields if f in data]:
            try:
                data[name] = parse_judgement(data[name])
            except ValueError as exc:
                self.add_error(name, str(exc))
        return data

    def matrix(self) -> list[list[float]]:
        a = [[1.0] * self.n for _ in range(self.n)]
        for i in range(self.n):
            for j in range(i + 1, self.n):
                a[i][j] = self.cleaned_data[f"a_{i}_{j}"]
                a[j][i] = 1.0 / a[i][j]
        return a

    def cell(self, i, j):
        return self[f"a_{i}_{j}"]


class RankingForm(forms.Form):
    """Ranking the study's scenarios on a scenario criteria set: the scenarios ticked, the synthesis, and per
    criterion (`criteria`, in the set's order) where the local scores come from: the indicator values, or the
    pairwise judgements of the scenarios entered in that criterion's matrix (assessment.scenario_rank)."""

    scenarios = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, help_text="Two or more, each with a result."
    )
    mode = forms.ChoiceField(
        choices=[("distributive", "Distributive"), ("ideal", "Ideal")],
        initial="distributive",
        widget=forms.RadioSelect,
        help_text="Ideal divides each criterion's scores by the best one (no rank reversal when a scenario is added).",
    )
    accept_stale = forms.BooleanField(
        required=False,
        label="Use stale results",
        help_text="Rank scenarios changed since their last assessment anyway (kept in "
        "the history); otherwise assess them again first.",
    )

    def __init__(self, *args, scenarios=(), criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].choices = [(s.pk, str(s)) for s in scenarios]
        self.order = [s.pk for s in scenarios]
        self.criteria = list(criteria)  # (code, label) in the criteria set's order
        for code, label in self.criteria:  # not posted (an older form): from the indicator values
            self.fields[f"origin_{code}"] = forms.ChoiceField(
                choices=SCENARIO_ORIGINS,
                initial="values",
                required=False,
                label=label,
                widget=forms.RadioSelect(attrs={"data-origin": code}),
            )

    def origins(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"origin_{code}") or "values" for code, _ in self.criteria}

    def chosen(self) -> list[int]:
        """The chosen scenario ids in the order of the list (and of the pairwise matrices) on the page."""
        picked = set(self.cleaned_data["scenarios"])
        return [pk for pk in self.order if pk in picked]


SCENARIO_ORIGINS = [("values", "From indicator values"), ("judgements", "Pairwise judgements")]


# ---------------------------------------------------------------- ranking partners and building step by step

MODES = [("distributive", "Distributive"), ("ideal", "Ideal")]
ORIGINS = [("values", "From sheet values"), ("judgements", "Pairwise judgements")]


class PartnerChoiceForm(forms.Form):
    """What to rank (read from the query string): a partner criteria set of the study, a role, a material."""

    criteria_set = forms.ModelChoiceField(queryset=None, empty_label=None, label="Criteria set")
    role = forms.ChoiceField(label="Role")
    material = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a material", help_text="The material the candidates take in."
    )

    def __init__(self, *args, sets, roles, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = sets
        self.fields["role"].choices = list(roles)
        self.fields["material"].queryset = materials


class PartnerRankForm(PartnerChoiceForm):
    """The ranking asked for: the choice above (hidden on the page), the synthesis, and per criterion where the
    candidates' local scores come from. `candidates` holds the facility ids in the order the matrices were shown."""

    mode = forms.ChoiceField(
        choices=MODES,
        initial="distributive",
        widget=forms.RadioSelect,
        label="Synthesis",
        help_text="Ideal divides each criterion's scores by the best one (no rank reversal when a candidate is added).",
    )
    candidates = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria=(), pairwise: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for code, label in self.criteria:
            self.fields[f"origin_{code}"] = forms.ChoiceField(
                choices=ORIGINS if pairwise else ORIGINS[:1],
                initial="values",
                label=label,
                widget=forms.RadioSelect(attrs={"data-origin": code}),
            )

    def origins(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"origin_{code}"] for code, _ in self.criteria}

    def candidate_ids(self) -> list[int]:
        return [int(x) for x in self.cleaned_data["candidates"].split(",") if x.strip().isdigit()]


class BuilderChoiceForm(forms.Form):
    """The step to prepare (read from the query string): the role to add and, optionally, a partner ranking."""

    role = forms.ChoiceField(label="Role")
    ranking = forms.ModelChoiceField(queryset=None, required=False, empty_label="No ranking", label="Partner ranking")

    def __init__(self, *args, roles, rankings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)
        self.fields["ranking"].queryset = rankings
        self.fields["ranking"].label_from_instance = ranking_label


def ranking_label(ranking) -> str:
    winner = (ranking.result or {}).get("winner") or {}
    first = f", {winner['facility']} first" if winner.get("facility") else ""
    return f"{ranking.title}: {ranking.get_role_display().lower()}s taking {ranking.material.name}{first}"


class BuilderStepForm(BuilderChoiceForm):
    """One step: the facility picked among the options, why (when it is not the top-ranked one), the transport
    mode and the material of the routes it draws (automatic unless chosen)."""

    direction = forms.CharField(widget=forms.HiddenInput)
    facility = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label="Facility", error_messages={"required": "Choose a facility."}
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Needed when you do not pick the ranking's top candidate.",
    )
    mode = forms.ChoiceField(choices=TransportMode.choices, label="Transport mode")
    material = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Automatic",
        help_text="Of the routes drawn; automatic: one the destination takes in.",
    )

    def __init__(self, *args, options=(), materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        self.fields["facility"].choices = [(o["facility"].pk, o["label"]) for o in self.options if not o["in_network"]]
        self.fields["material"].queryset = materials


# ---------------------------------------------------------------- optimising a study's network

OPTIMISED_ROLES = [("collector", "Collectors"), ("sorter", "Sorters"), ("recoverer", "Recoverers")]


def _above_zero(value):
    if value is not None and value <= 0:
        raise forms.ValidationError("Give a figure above 0, or leave it empty.")


class OptimisationForm(forms.Form):
    """What to optimise and the side constraints, as a person types them: a carbon price in EUR per tonne CO2e and
    shares in %; `service_kwargs` turns them into the service's units (EUR/kg, shares of 1). Per role r of
    OPTIMISED_ROLES: `min_<r>`, `max_<r>` (how many partners of the role) and `share_<r>` (at most this % of the
    tonnes the role's facilities take in through one of them). The service checks it all again and its refusals come
    back onto the fields."""

    objective = forms.ChoiceField(
        choices=[
            ("cost", "Least total cost"),
            ("co2e", "Least climate impact (CO2e)"),
            ("weighted", "Cost plus a carbon price"),
        ],
        initial="cost",
        widget=forms.RadioSelect,
        label="Objective",
    )
    carbon_price = forms.FloatField(
        required=False,
        min_value=0,
        max_value=CARBON_PRICE_MAX_EUR_PER_KG * 1000,
        label="Carbon price",
        help_text="EUR per tonne CO2e, added to the cost (“cost plus a carbon price”).",
    )
    tradeoff = forms.BooleanField(
        required=False,
        initial=True,
        label="Also draw the cost–CO2e trade-off (11 points)",
        help_text="The least-cost and least-CO2e networks and the best compromises between.",
    )
    keep_open = forms.MultipleChoiceField(
        required=False, label="Keep open", help_text="Candidates the network must use."
    )
    keep_closed = forms.MultipleChoiceField(
        required=False, label="Keep closed", help_text="Candidates the network must not use."
    )
    max_distance_km = forms.FloatField(
        required=False,
        max_value=40_000,
        validators=[_above_zero],
        label="Longest route (km)",
        help_text="No route longer than this, by road.",
    )
    recycled_share = forms.FloatField(
        required=False,
        max_value=100,
        validators=[_above_zero],
        label="Least recycled share of the product (%)",
        help_text="Recycled material delivered over the product's mass.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c["key"], c["label"]) for c in candidates if c["role"] != "end_collector"]
        self.fields["keep_open"].choices = choices
        self.fields["keep_closed"].choices = choices
        for field in ("keep_open", "keep_closed"):
            self.fields[field].widget.attrs["size"] = min(10, max(4, len(choices)))
        for role, label in OPTIMISED_ROLES:
            self.fields[f"min_{role}"] = forms.IntegerField(
                required=False, min_value=0, max_value=999, label=f"{label}: at least"
            )
            self.fields[f"max_{role}"] = forms.IntegerField(
                required=False, min_value=0, max_value=999, label=f"{label}: at most"
            )
            self.fields[f"share_{role}"] = forms.FloatField(
                required=False, max_value=100, validators=[_above_zero], label=f"{label}: largest share of one (%)"
            )

    def role_rows(self) -> list[dict]:
        return [
            {
                "role": role,
                "label": label,
                "min": self[f"min_{role}"],
                "max": self[f"max_{role}"],
                "share": self[f"share_{role}"],
            }
            for role, label in OPTIMISED_ROLES
        ]

    def clean(self):
        data = super().clean()
        if data.get("objective") == "weighted" and not data.get("carbon_price"):
            self.add_error("carbon_price", "Cost plus a carbon price needs a price above 0 EUR per tonne CO2e.")
        both = set(data.get("keep_open") or ()) & set(data.get("keep_closed") or ())
        if both:
            labels = dict(self.fields["keep_open"].choices)
            self.add_error("keep_closed", "Kept open as well: " + "; ".join(sorted(labels[k] for k in both)) + ".")
        for role, label in OPTIMISED_ROLES:
            low, high = data.get(f"min_{role}"), data.get(f"max_{role}")
            if low is not None and high is not None and low > high:
                self.add_error(f"min_{role}", f"{label}: at least {low} is more than at most {high}.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        constraints = {name: data[name] for name in ("keep_open", "keep_closed") if data.get(name)}
        for name, prefix in (("min_partners", "min"), ("max_partners", "max"), ("max_share", "share")):
            per_role = {
                role: data[f"{prefix}_{role}"]
                for role, _ in OPTIMISED_ROLES
                if data.get(f"{prefix}_{role}") is not None
            }
            if name == "max_share":  # typed in %
                per_role = {role: value / 100 for role, value in per_role.items()}
            if per_role:
                constraints[name] = per_role
        if data.get("max_distance_km") is not None:
            constraints["max_distance_km"] = data["max_distance_km"]
        if data.get("recycled_share") is not None:
            constraints["recycled_share"] = data["recycled_share"] / 100
        weighted = data["objective"] == "weighted"
        return {
            "objective": data["objective"],
            "carbon_price_eur_per_kg": (data.get("carbon_price") or 0.0) / 1000 if weighted else 0.0,
            "constraints": constraints,
            "pareto_points": 11 if data.get("tradeoff") else 0,
        }

    def apply_refusal(self, exc) -> None:
        """A service refusal onto the fields: its field names are the service's (EUR/kg, per-role objects)."""
        names = {"carbon_price_eur_per_kg": "carbon_price", "pareto_points": "tradeoff"}
        per_role = {"min_partners": "min", "max_partners": "max", "max_share": "share"}
        if not exc.field_errors:
            self.add_error(None, exc.message)
        for field, messages in exc.field_errors.items():
            for message in messages:
                target = names.get(field, field)
                if field in per_role:
                    role = message.split(":")[0]
                    target = f"{per_role[field]}_{role}"
                self.add_error(target if target in self.fields else None, message)


class ScenarioFromRunForm(forms.Form):
    """Which network of a run becomes a draft: the proposal (no point) or a point of its trade-off front."""

    point = forms.IntegerField(required=False, min_value=0, max_value=999)
