"""Serializers of the partners API: input serializers check types, output serializers render. No business logic.

Ranges, uniqueness, known codes and permissions are the models' and services' business (full_clean() and
ApplicationError); their messages reach the client through partners.api_errors, keyed by field.
"""

from collections.abc import Mapping

from django.urls import reverse
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import access
from .bounds import serializer_field
from .models import Activity, Certificate, CriterionValue, Facility, MemberRole, Organization, Process, Role


def _decimal(max_digits: int, decimal_places: int, **kwargs) -> serializers.DecimalField:
    """Numbers go in and out as JSON numbers; the digit limits are those of the model field."""
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=decimal_places, coerce_to_string=False, **kwargs
    )


NO_FIELDS = "Unknown field; this request takes no fields."


class InputSerializer(serializers.Serializer):
    """Base of every request body: a key the serializer does not know is refused with 400 naming it, rather than
    dropped in silence (a misspelt field would look accepted). The schema says so (`additionalProperties: false`,
    added by partners.api_schema for serializers that refuse unknown keys)."""

    refuses_unknown_keys = True

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = sorted(name for name, field in self.fields.items() if not field.read_only)
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                message = f"Unknown field; this request takes {', '.join(known)}." if known else NO_FIELDS
                raise serializers.ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.SlugRelatedField):
    """A related catalogue entry rendered as its code."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", read_only=True, **kwargs)


# ---------------------------------------------------------------- catalogues and organisations


class MaterialOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    family = serializers.CharField()
    description = serializers.CharField()


class ProcessOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.ChoiceField(choices=Process.Stage.choices)
    description = serializers.CharField()


class CriterionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    min_value = _decimal(14, 4, allow_null=True)
    max_value = _decimal(14, 4, allow_null=True)
    description = serializers.CharField()


ACCESS_CHOICES = [("member", "member"), ("shared", "shared")]
# The member roles again, labelled by value: the schema then documents `my_role` as its own enum (MyRoleEnum)
# instead of warning that RoleEnum has two names (settings.SPECTACULAR_SETTINGS has no ENUM_NAME_OVERRIDES).
MY_ROLE_CHOICES = [(value, value) for value in MemberRole.values]


class OrganizationOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    country = CountryField(allow_blank=True)
    website = serializers.URLField(allow_blank=True)
    is_end_collector = serializers.BooleanField()
    require_admin_second_factor = serializers.BooleanField()
    approver_not_submitter = serializers.BooleanField(
        help_text="A scenario is approved by an admin other than the person who submitted it"
    )
    my_role = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=MY_ROLE_CHOICES, allow_null=True))
    def get_my_role(self, organization) -> str | None:
        return access.role_in(self.context["request"].user, organization)

    @extend_schema_field(serializers.ChoiceField(choices=ACCESS_CHOICES))
    def get_access(self, organization) -> str:
        return "shared" if self.get_my_role(organization) is None else "member"


class OrganizationInputSerializer(InputSerializer):
    name = serializer_field(Organization, "name")
    country = CountryField(allow_blank=True)
    website = serializers.URLField(allow_blank=True)
    is_end_collector = serializers.BooleanField()
    require_admin_second_factor = serializers.BooleanField(
        required=False, help_text="Admins must confirm an authenticator app (TOTP) before doing anything else."
    )
    approver_not_submitter = serializers.BooleanField(
        required=False, help_text="A scenario is approved by an admin other than the person who submitted it."
    )


class EndCollectorOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


# ---------------------------------------------------------------- members and invitations


class MembershipOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    email = serializers.EmailField(source="user.email")
    role = serializers.ChoiceField(choices=MemberRole.choices)
    created_at = serializers.DateTimeField()


class MembershipInputSerializer(InputSerializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)


class InvitationOutputSerializer(serializers.Serializer):
    """The token is the secret of the e-mailed link and never leaves the server."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    invited_by = serializers.CharField(source="invited_by.username", allow_null=True)
    created_at = serializers.DateTimeField()


class InvitationInputSerializer(InputSerializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MemberRole.choices)


# ---------------------------------------------------------------- facilities and activities


class ActivityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    facility = serializers.IntegerField(source="facility_id")
    process = serializers.CharField(source="process.code")
    yield_ratio = _decimal(5, 4)
    cost_eur_per_t = _decimal(10, 2)
    energy_mj_per_t = _decimal(12, 2)
    co2e_kg_per_t = _decimal(12, 3)
    water_m3_per_t = _decimal(12, 4)
    data_source = serializers.CharField()


class ActivityUpdateSerializer(InputSerializer):
    """PATCH body. An activity stays with its facility; `facility` is not accepted here. Numbers are bounded as the
    model bounds them (partners.bounds)."""

    process = serializers.SlugField(max_length=40, help_text="Process code, see /api/v1/processes/")
    yield_ratio = serializer_field(
        Activity, "yield_ratio", help_text="Output divided by input, greater than 0 and at most 1."
    )
    cost_eur_per_t = serializer_field(Activity, "cost_eur_per_t")
    energy_mj_per_t = serializer_field(Activity, "energy_mj_per_t", required=False)
    co2e_kg_per_t = serializer_field(Activity, "co2e_kg_per_t", required=False)
    water_m3_per_t = serializer_field(Activity, "water_m3_per_t", required=False)
    data_source = serializer_field(Activity, "data_source", required=False)


class ActivityCreateSerializer(ActivityUpdateSerializer):
    facility = serializers.IntegerField(help_text="Id of a facility of this organisation")


class FacilityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = serializers.SlugField(source="organization.slug")
    name = serializers.CharField()
    address = serializers.CharField()
    country = CountryField()
    latitude = _decimal(9, 6)
    longitude = _decimal(9, 6)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    capacity_t_per_year = _decimal(12, 2)
    fixed_cost_eur_per_year = _decimal(12, 2)
    accepted_materials = CodeField(many=True)
    activities = ActivityOutputSerializer(many=True)


class FacilityInputSerializer(InputSerializer):
    """POST and PUT need every required field; PATCH takes any subset. Omitted on PUT: address and
    accepted_materials become empty."""

    name = serializer_field(Facility, "name")
    address = serializer_field(Facility, "address", default="")
    country = CountryField()
    latitude = serializer_field(Facility, "latitude", help_text="Degrees, -90 to 90")
    longitude = serializer_field(Facility, "longitude", help_text="Degrees, -180 to 180")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    capacity_t_per_year = serializer_field(Facility, "capacity_t_per_year", help_text="t/year, above 0")
    fixed_cost_eur_per_year = serializer_field(
        Facility,
        "fixed_cost_eur_per_year",
        required=False,
        help_text="Fixed cost of the facility per year, EUR (0 when omitted)",
    )
    accepted_materials = serializers.ListField(
        child=serializers.SlugField(max_length=40), default=list, help_text="Material codes, see /api/v1/materials/"
    )


# ---------------------------------------------------------------- description sheet


class CriterionValueOutputSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.code")
    name = serializers.CharField(source="criterion.name")
    unit = serializers.CharField(source="criterion.unit")
    value = _decimal(14, 4)
    note = serializers.CharField()


class SheetOutputSerializer(serializers.Serializer):
    """Renders a sheet; the view passes its criterion values (read through a selector) as context["values"]."""

    summary = serializers.CharField()
    constraints = serializers.CharField()
    contact_email = serializers.EmailField(allow_blank=True)
    updated_at = serializers.DateTimeField()
    values = serializers.SerializerMethodField()

    @extend_schema_field(CriterionValueOutputSerializer(many=True))
    def get_values(self, sheet):
        return CriterionValueOutputSerializer(self.context["values"], many=True).data


class SheetInputSerializer(InputSerializer):
    summary = serializers.CharField(allow_blank=True, required=False)
    constraints = serializers.CharField(allow_blank=True, required=False)
    contact_email = serializers.EmailField(allow_blank=True, required=False)
    values = serializers.DictField(
        child=serializer_field(CriterionValue, "value", allow_null=True),
        required=False,
        help_text="{criterion code: number, or null to clear it}; criteria not named keep their value",
    )


# ---------------------------------------------------------------- certificates and sharing


class CertificateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Certificate.Kind.choices)
    title = serializers.CharField()
    issuer = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, certificate) -> str:
        slug = self.context["view"].organization.slug
        path = reverse("api-certificate-file", kwargs={"slug": slug, "pk": certificate.pk})
        return self.context["request"].build_absolute_uri(path)


class CertificateUpdateSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=Certificate.Kind.choices)
    title = serializer_field(Certificate, "title")
    issuer = serializer_field(Certificate, "issuer", required=False)
    valid_until = serializers.DateField(allow_null=True, required=False)


class CertificateCreateSerializer(CertificateUpdateSerializer):
    file = serializers.FileField(help_text="PDF, PNG or JPEG")


class ShareOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    end_collector = EndCollectorOutputSerializer()
    granted_by = serializers.CharField(source="granted_by.username", allow_null=True)
    created_at = serializers.DateTimeField()


class ShareInputSerializer(InputSerializer):
    end_collector = serializers.SlugField(
        max_length=60, help_text="Slug of an end collector, see /api/v1/end-collectors/"
    )


# ---------------------------------------------------------------- history


class LogEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", allow_null=True)
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    target_repr = serializers.CharField()
    changes = serializers.JSONField(help_text="{field: [old, new]} for the changed fields")
