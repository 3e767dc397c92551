"""HTML forms. They validate input; the views hand the cleaned data to services."""

from decimal import Decimal

from django import forms

from .bounds import humanise_form, number_messages, plain
from .models import Certificate, CriterionValue, Facility, Material, MemberRole, Organization, Role


def _model_fields(model, names):
    return forms.fields_for_model(model, fields=names)


class FacilityForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The roles this facility can take in a network.",
    )
    accepted_materials = forms.ModelMultipleChoiceField(
        queryset=Material.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _model_fields(
            Facility,
            ["name", "address", "country", "latitude", "longitude", "capacity_t_per_year", "fixed_cost_eur_per_year"],
        )
        fields["latitude"].help_text = "Decimal degrees, -90 to 90; click the map to fill it."
        fields["longitude"].help_text = "Decimal degrees, -180 to 180."
        fields["fixed_cost_eur_per_year"].required = False
        self.fields = {**fields, **self.fields}
        humanise_form(self, Facility)

    def clean_fixed_cost_eur_per_year(self):
        value = self.cleaned_data.get("fixed_cost_eur_per_year")
        return Decimal(0) if value is None else value

    @staticmethod
    def initial_from(facility: Facility) -> dict:
        data = {
            name: getattr(facility, name)
            for name in [
                "name",
                "address",
                "country",
                "latitude",
                "longitude",
                "capacity_t_per_year",
                "fixed_cost_eur_per_year",
            ]
        }
        data["roles"] = facility.roles
        data["accepted_materials"] = list(facility.accepted_materials.all())
        return data


class ActivityForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Activity

        self.fields = _model_fields(
            Activity,
            [
                "process",
                "yield_ratio",
                "cost_eur_per_t",
                "energy_mj_per_t",
                "co2e_kg_per_t",
                "water_m3_per_t",
                "data_source",
            ],
        )
        humanise_form(self, Activity)


def _criterion_messages(c) -> dict:
    """A criterion's messages in its own words and unit, as the sheet's service says them."""
    field = CriterionValue._meta.get_field("value")
    messages = number_messages(field, f"{c.name} ({c.unit})")
    if c.min_value is not None:
        messages["min_value"] = f"{c.name} must be at least {plain(c.min_value)} {c.unit}."
    if c.max_value is not None:
        messages["max_value"] = messages["max_digits"] = messages["max_whole_digits"] = (
            f"{c.name} must be at most {plain(c.max_value)} {c.unit}."
        )
    return {code: m if code == "invalid" else m.replace("%", "%%") for code, m in messages.items()}


class SheetForm(forms.Form):
    """The sheet's text fields plus one number field per criterion, labelled with its unit."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    constraints = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact_email = forms.EmailField(required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            direction = "higher is better" if c.higher_is_better else "lower is better"
            self.fields[f"criterion_{c.code}"] = forms.DecimalField(
                label=f"{c.name} ({c.unit})",
                required=False,
                max_digits=14,
                decimal_places=4,
                min_value=c.min_value,
                max_value=c.max_value,
                help_text=f"{c.description} {direction.capitalize()}.",
                error_messages=_criterion_messages(c),
            )

    def criterion_values(self) -> dict:
        return {c.code: self.cleaned_data.get(f"criterion_{c.code}") for c in self.criteria}

    def text_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("summary", "constraints", "contact_email")}


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(choices=Certificate.Kind.choices)
    title = forms.CharField(max_length=160)
    issuer = forms.CharField(max_length=160, required=False)
    valid_until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(help_text="PDF, PNG or JPEG.")


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=MemberRole.choices, initial=MemberRole.VIEWER)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices)


class ShareForm(forms.Form):
    end_collector = forms.ModelChoiceField(queryset=Organization.objects.none(), to_field_name="slug")

    def __init__(self, *args, end_collectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_collector"].queryset = end_collectors


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=160)
    slug = forms.SlugField(max_length=60, help_text="Short name used in addresses, e.g. alu-collect.")
    country = _model_fields(Organization, ["country"])["country"]
    is_end_collector = forms.BooleanField(required=False, label="We take recycled material back (end collector)")
