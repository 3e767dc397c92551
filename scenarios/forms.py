"""HTML forms of studies and scenarios. They validate input; the views hand the cleaned data to services, whose
refusals (route upstream, material not accepted...) come back onto the named field."""

from decimal import Decimal

from django import forms
from django.conf import settings

from partners import selectors as partner_selectors
from partners.bounds import form_field, humanise_form
from partners.models import Role

from .models import Node, Route, Scenario, Study


def _plain(value):
    """Decimals without trailing zeros (3, not 3.000) for the inputs."""
    return Decimal(format(value.normalize(), "f")) if isinstance(value, Decimal) else value


class StudyForm(forms.Form):
    """A study. The target recycled share is typed in % (people say "30 %"), stored as a fraction (0.3)."""

    accepted_materials = forms.ModelMultipleChoiceField(
        queryset=partner_selectors.material_list(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
        label="Accepted return materials",
        help_text="The returns the network may carry.",
    )
    candidates = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
        label="Candidate partners",
        help_text="Only organisations sharing their sheet with you can be invited.",
    )

    FIELDS = [
        "name",
        "product_name",
        "product_material",
        "product_alloy",
        "product_mass_kg",
        "units_per_year",
        "need_t_per_year",
        "recycled_share",
        "allocation",
        "description",
    ]

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Study, fields=[f for f in self.FIELDS if f != "recycled_share"])
        fields["product_material"].to_field_name = "code"
        fields["need_t_per_year"].help_text = (
            "Give the need in t/year, or leave it empty and give a target "
            "recycled share below: one of the two is needed."
        )
        fields["recycled_share_pct"] = forms.DecimalField(
            label="Target recycled-content share (%)",
            required=False,
            max_digits=6,
            decimal_places=2,
            min_value=Decimal("0.01"),
            max_value=100,
            error_messages={
                "min_value": "The target recycled-content share must be above 0 %%.",
                "max_value": "The target recycled-content share must be at most 100 %%.",
                "max_digits": "The target recycled-content share must be at most 100 %%.",
                "max_whole_digits": "The target recycled-content share must be at most 100 %%.",
                "max_decimal_places": "The target recycled-content share takes at most 2 decimals.",
                "invalid": "The target recycled-content share must be a number of %.",
            },
            help_text="0 to 100 % of the product's mass. Used when no need is typed: need = share x mass per "
            "unit x units per year / 1000.",
        )
        fields["description"].widget.attrs["rows"] = 3
        fields["allocation"].required = False  # left out: the study keeps its choice (mass for a new one)
        ordered = {
            name: fields[name]
            for name in [
                "name",
                "product_name",
                "product_material",
                "product_alloy",
                "product_mass_kg",
                "units_per_year",
                "need_t_per_year",
                "recycled_share_pct",
                "allocation",
                "description",
            ]
        }
        self.fields = {**ordered, **self.fields}
        humanise_form(self, Study)
        self.fields["candidates"].queryset = partners

    def clean(self):
        data = super().clean()
        pct = data.pop("recycled_share_pct", None)
        data["recycled_share"] = None if pct is None else (pct / 100).quantize(Decimal("0.0001"))
        if not data.get("allocation"):
            data.pop("allocation", None)
        return data

    field_aliases = {"recycled_share": "recycled_share_pct"}  # a service's error on the share shows on the % field

    @staticmethod
    def initial_from(study: Study) -> dict:
        data = {name: _plain(getattr(study, name)) for name in StudyForm.FIELDS if name != "recycled_share"}
        data["recycled_share_pct"] = None if study.recycled_share is None else _plain(study.recycled_share * 100)
        data["product_material"] = study.product_material.code
        data["accepted_materials"] = list(study.accepted_materials.all())
        data["candidates"] = list(study.candidates.all())
        return data

    def derived_need(self):
        """The tonnage the share gives, for the page to show next to the form (None when it cannot be worked out)."""
        if self.is_bound and hasattr(self, "cleaned_data"):
            data = self.cleaned_data
            share = data.get("recycled_share")
        else:
            data = self.initial
            pct = data.get("recycled_share_pct")
            share = None if pct is None else pct / 100
        try:
            return share * data["product_mass_kg"] * data["units_per_year"] / 1000
        except (KeyError, TypeError):
            return None


class ScenarioForm(forms.Form):
    name = forms.CharField(max_length=160)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NodeForm(forms.Form):
    """A facility of the study's candidates (grouped by organisation) in one of the roles it offers."""

    facility = forms.ChoiceField(help_text="Or click a faint marker on the map.")
    role = forms.ChoiceField(choices=Role.choices)
    yield_ratio = form_field(
        Node,
        "yield_ratio",
        label="Yield override",
        required=False,
        help_text="Output / input, 0 to 1. Leave empty to take the facility's declared activity yield.",
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.facilities = {str(f.pk): f for f in facilities}
        groups: dict[str, list] = {}
        for f in self.facilities.values():
            groups.setdefault(f.organization.name, []).append((str(f.pk), f"{f.name} ({', '.join(f.role_labels)})"))
        self.fields["facility"].choices = [("", "Choose a facility")] + list(groups.items())

    def clean_facility(self):
        return self.facilities[self.cleaned_data["facility"]]


class NodeEditForm(forms.Form):
    """What the scenario assumes for a node: the yield and capacity copied from the sheet, changed here."""

    yield_ratio = form_field(Node, "yield_ratio", label="Yield (output/input)")
    capacity_t_per_year = form_field(Node, "capacity_t_per_year", label="Capacity (t/year)")

    @staticmethod
    def initial_from(node) -> dict:
        return {"yield_ratio": _plain(node.yield_ratio), "capacity_t_per_year": _plain(node.capacity_t_per_year)}


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return f"{node.facility.name} ({node.get_role_display().lower()})"


class RouteEditForm(forms.Form):
    FIELDS = ["quantity_t", "share", "mode", "distance_km", "is_backhaul"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Route, fields=self.FIELDS)
        fields["quantity_t"].help_text = "Leave empty to carry the recommended quantity."
        fields["distance_km"].required = False
        fields["distance_km"].label = "Distance (km)"
        fields["distance_km"].help_text = "Leave empty to compute it (geodesic x circuity factor of the mode)."
        fields["share"].help_text = "Weight among the routes feeding the same destination (equal by default)."
        self.fields = {**self.fields, **fields}
        humanise_form(self, Route, lower=False)  # the services say what a quantity, share or distance must be

    @staticmethod
    def initial_from(route: Route) -> dict:
        data = {name: _plain(getattr(route, name)) for name in RouteEditForm.FIELDS}
        if route.distance_source != "typed":
            data["distance_km"] = None
        return data


class RouteForm(RouteEditForm):
    """Draw a route: its two ends and material, then what the edit form has."""

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        ends = {
            "origin": NodeChoiceField(queryset=nodes),
            "destination": NodeChoiceField(queryset=nodes),
            "material": forms.ModelChoiceField(queryset=partner_selectors.material_list(), to_field_name="code"),
        }
        self.fields = {**ends, **self.fields}
        self.fields["mode"].initial = settings.DEFAULT_TRANSPORT_MODE
        self.fields["share"].initial = 1


class AcknowledgeForm(forms.Form):
    """Submitting: with problems (scenarios.checks), the user acknowledges them and says why to go on."""

    acknowledge = forms.BooleanField(required=False, label="I have read these problems and go on anyway")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label="Why go on despite them"
    )


class DecisionForm(AcknowledgeForm):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloneForm(forms.Form):
    name = form_field(Scenario, "name", required=False, label="Name of the copy")


class EmptyForm(forms.Form):
    """A transition that takes nothing (submit, new version)."""
