"""Version 1 of the partners REST API.

Every view under /organizations/<slug>/ resolves the organisation once from the URL (404 to outsiders, who must
not learn it exists), reads through `partners.selectors` and writes through `partners.services`. Before a write
the view checks its `write_permission` from `partners.access`, so a reader gets 403 whatever the body holds;
the service checks again. Errors from services become 400/403/404 in `partners.api_errors`.
"""

from collections.abc import Mapping

import django_filters
from django.http import Http404
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters, generics, mixins, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from . import access, certificates, selectors, services
from . import serializers as s
from .api_schema import ErrorResponsesSchema
from .errors import ApplicationError
from .models import (
    ROLE_FIELDS,
    Activity,
    Certificate,
    Facility,
    Invitation,
    LogEntry,
    Membership,
    Organization,
    Role,
    SheetShare,
)
from .serializers import NO_FIELDS

# ---------------------------------------------------------------- foundations


class TenantPermission(BasePermission):
    """Resolves the organisation (Http404 for outsiders); on a write, asks the view's `write_permission`."""

    message = "Your role in this organisation does not allow this change."

    def has_permission(self, request, view):
        organization = view.organization
        if request.method in SAFE_METHODS or request.method not in view.allowed_methods:
            return True  # reads are scoped by the selectors; an unknown method gets its 405
        return view.write_permission(request.user, organization)


class InputOutputSchema(ErrorResponsesSchema):
    """Documents the view's input serializer for the request body and its output serializer for the answer."""

    def get_request_serializer(self):
        return self.view.input_serializers.get(self.method) or super().get_request_serializer()

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        return {201: serializer} if self.method == "POST" and isinstance(self.view, Create) else serializer

    def get_tags(self):
        """Tag by resource: /organizations/{slug}/facilities/{id}/ is tagged "facilities"."""
        words = [word for word in self._tokenize_path() if not word.startswith("{")]
        return words[1:2] or words[:1]


class ApiView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = []
    schema = InputOutputSchema()
    input_serializers: dict = {}  # HTTP method -> serializer of the request body

    def validated(self, *, partial: bool = False) -> dict:
        serializer = self.input_serializers[self.request.method](
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def refuse_body(self) -> None:
        """For a write that takes no body: keys sent anyway are refused like unknown fields, not ignored."""
        data = self.request.data
        if isinstance(data, Mapping):
            if data:
                raise exceptions.ValidationError({str(key): [NO_FIELDS] for key in data})
        elif data is not None:
            raise exceptions.ValidationError({"non_field_errors": ["This request takes no body."]})

    def render(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(instance).data, status=status_code)


class JSONErrors:
    """Errors answer in JSON (`partners.api_errors`), even to a caller that asked for the view's other format
    (CSV, GeoJSON): the schema documents every refusal as JSON."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # also when negotiation itself failed (an unknown ?format=), before any renderer was chosen
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


class TenantView(ApiView):
    """A view inside one organisation: /organizations/<slug>/..."""

    permission_classes = [IsAuthenticated, TenantPermission]
    write_permission = staticmethod(access.can_edit)
    selector = None  # a partners.selectors function taking (user=, organization=)
    model = None  # for schema generation only, which runs without a user or a URL

    @cached_property
    def organization(self) -> Organization:
        return selectors.organization_get(user=self.request.user, slug=self.kwargs["slug"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.selector(user=self.request.user, organization=self.organization)


class List(mixins.ListModelMixin):
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class Create:
    def post(self, request, *args, **kwargs):
        return self.render(self.perform_create(self.validated()), status.HTTP_201_CREATED)


class Retrieve(mixins.RetrieveModelMixin):
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


class Update:
    def patch(self, request, *args, **kwargs):
        return self._update(partial=True)

    def _update(self, *, partial: bool) -> Response:
        instance = self.get_object()
        data = self.validated(partial=partial)
        instance = self.perform_update(instance, data)
        instance._prefetched_objects_cache = {}  # the service may have changed related rows
        return self.render(instance)


class Replace(Update):
    def put(self, request, *args, **kwargs):
        return self._update(partial=False)


class Destroy:
    def delete(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- catalogues, organisations, directory


class MaterialList(List, ApiView):
    """Material catalogue (reference data, managed by staff)."""

    queryset = selectors.material_list()
    serializer_class = s.MaterialOutputSerializer


class ProcessList(List, ApiView):
    queryset = selectors.process_list()
    serializer_class = s.ProcessOutputSerializer


class CriterionList(List, ApiView):
    queryset = selectors.criterion_list()
    serializer_class = s.CriterionOutputSerializer


class OrganizationFilter(django_filters.FilterSet):
    access = django_filters.ChoiceFilter(
        choices=s.ACCESS_CHOICES,
        method="filter_access",
        label="member: own organisations; shared: those sharing with you",
    )

    class Meta:
        model = Organization
        fields = ["access"]

    def filter_access(self, queryset, name, value):
        own = selectors.organization_list(user=self.request.user).values("pk")
        return queryset.filter(pk__in=own) if value == "member" else queryset.exclude(pk__in=own)


class OrganizationList(List, ApiView):
    """Organisations you may read: your own, and those sharing their sheet with an end collector you belong to."""

    serializer_class = s.OrganizationOutputSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return selectors.organization_readable_list(user=self.request.user)


class OrganizationDetail(Update, TenantView):
    serializer_class = s.OrganizationOutputSerializer
    input_serializers = {"PATCH": s.OrganizationInputSerializer}
    write_permission = staticmethod(access.can_admin)
    model = Organization

    def get_object(self):
        return self.organization

    def get(self, request, *args, **kwargs):
        return self.render(self.organization)

    def perform_update(self, organization, data):
        return services.organization_update(user=self.request.user, organization=organization, **data)


class EndCollectorList(List, ApiView):
    """Directory of end collectors a sheet can be shared with."""

    serializer_class = s.EndCollectorOutputSerializer

    def get_queryset(self):
        return selectors.end_collector_list(user=self.request.user)


# ---------------------------------------------------------------- members and invitations


class MembershipList(List, TenantView):
    serializer_class = s.MembershipOutputSerializer
    selector = staticmethod(selectors.membership_list)
    model = Membership


class MembershipDetail(Retrieve, Update, Destroy, TenantView):
    serializer_class = s.MembershipOutputSerializer
    input_serializers = {"PATCH": s.MembershipInputSerializer}
    selector = staticmethod(selectors.membership_list)
    write_permission = staticmethod(access.can_admin)
    model = Membership

    def patch(self, request, *args, **kwargs):
        return self._update(partial=False)  # the role is the one thing to change: a body without it is a 400

    def perform_update(self, membership, data):
        return services.membership_set_role(user=self.request.user, membership=membership, role=data["role"])

    def perform_destroy(self, membership):
        services.membership_remove(user=self.request.user, membership=membership)


class InvitationList(List, Create, TenantView):
    """Open invitations. Inviting someone who already has an account adds them at once."""

    serializer_class = s.InvitationOutputSerializer
    input_serializers = {"POST": s.InvitationInputSerializer}
    selector = staticmethod(selectors.invitation_list)
    write_permission = staticmethod(access.can_admin)
    model = Invitation

    def perform_create(self, data):
        return services.invitation_create(
            user=self.request.user,
            organization=self.organization,
            **data,
            site_url=self.request.build_absolute_uri("/"),
        )


class InvitationDetail(Retrieve, Destroy, TenantView):
    serializer_class = s.InvitationOutputSerializer
    selector = staticmethod(selectors.invitation_list)
    write_permission = staticmethod(access.can_admin)
    model = Invitation

    def perform_destroy(self, invitation):
        services.invitation_revoke(user=self.request.user, invitation=invitation)


# ---------------------------------------------------------------- facilities and activities


class FacilityFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label="Offers this role")
    country = django_filters.CharFilter(method="filter_country", label="ISO 3166 code, e.g. DE")
    material = django_filters.CharFilter(field_name="accepted_materials__code", label="Accepts this material code")

    class Meta:
        model = Facility
        fields = ["role", "country", "material"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(**{ROLE_FIELDS[value]: True})

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())


class FacilityList(List, Create, TenantView):
    """Facilities of the organisation. Filter with ?role=, ?country=, ?material=; search names with ?search=."""

    serializer_class = s.FacilityOutputSerializer
    input_serializers = {"POST": s.FacilityInputSerializer}
    selector = staticmethod(selectors.facility_list)
    model = Facility
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = FacilityFilter
    search_fields = ["name"]
    ordering_fields = ["name", "country", "capacity_t_per_year"]

    def perform_create(self, data):
        return services.facility_create(user=self.request.user, organization=self.organization, **data)


class FacilityDetail(Retrieve, Replace, Destroy, TenantView):
    serializer_class = s.FacilityOutputSerializer
    input_serializers = {"PUT": s.FacilityInputSerializer, "PATCH": s.FacilityInputSerializer}
    selector = staticmethod(selectors.facility_list)
    model = Facility

    def perform_update(self, facility, data):
        return services.facility_update(user=self.request.user, facility=facility, **data)

    def perform_destroy(self, facility):
        services.facility_delete(user=self.request.user, facility=facility)


class ActivityFilter(django_filters.FilterSet):
    # Bounded as the database's ids are: a larger number would overflow the query (a 500) instead of matching nothing.
    facility = django_filters.NumberFilter(
        field_name="facility_id",
        label="Facility id",
        min_value=1,
        max_value=2**63 - 1,
        decimal_places=0,
        error_messages={key: "There is no facility with this id." for key in ("min_value", "max_value")},
    )
    process = django_filters.CharFilter(field_name="process__code", label="Process code")

    class Meta:
        model = Activity
        fields = ["facility", "process"]


class ActivityList(List, Create, TenantView):
    serializer_class = s.ActivityOutputSerializer
    input_serializers = {"POST": s.ActivityCreateSerializer}
    selector = staticmethod(selectors.activity_list)
    model = Activity
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ActivityFilter

    def perform_create(self, data):
        try:
            facility = selectors.facility_get(
                user=self.request.user, organization=self.organization, pk=data.pop("facility")
            )
        except Http404:
            raise exceptions.ValidationError({"facility": ["Choose a facility of this organisation."]}) from None
        return services.activity_create(user=self.request.user, facility=facility, **data)


class ActivityDetail(Retrieve, Update, Destroy, TenantView):
    serializer_class = s.ActivityOutputSerializer
    input_serializers = {"PATCH": s.ActivityUpdateSerializer}
    selector = staticmethod(selectors.activity_list)
    model = Activity

    def perform_update(self, activity, data):
        return services.activity_update(user=self.request.user, activity=activity, **data)

    def perform_destroy(self, activity):
        services.activity_delete(user=self.request.user, activity=activity)


# ---------------------------------------------------------------- description sheet


class SheetDetail(TenantView):
    """The description sheet: texts and criterion values with their units."""

    serializer_class = s.SheetOutputSerializer
    input_serializers = {"PATCH": s.SheetInputSerializer}

    def get(self, request, *args, **kwargs):
        return self.render(selectors.sheet_get(user=request.user, organization=self.organization))

    def patch(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        try:
            sheet = services.sheet_update(user=request.user, organization=self.organization, **data)
        except ApplicationError as exc:
            if not exc.field_errors:
                raise
            # the service keys errors by criterion code; in this API those codes live under "values"
            raise exceptions.ValidationError({"detail": exc.message, "values": exc.field_errors}) from exc
        return self.render(sheet)

    def render(self, sheet, status_code: int = status.HTTP_200_OK) -> Response:
        values = selectors.criterion_value_list(user=self.request.user, organization=self.organization)
        serializer = self.get_serializer(sheet, context={**self.get_serializer_context(), "values": values})
        return Response(serializer.data, status=status_code)


# ---------------------------------------------------------------- certificates


class CertificateList(List, Create, TenantView):
    """Certificates and licences. Upload with multipart/form-data; PDF, PNG or JPEG."""

    serializer_class = s.CertificateOutputSerializer
    input_serializers = {"POST": s.CertificateCreateSerializer}
    parser_classes = [MultiPartParser, FormParser]
    selector = staticmethod(selectors.certificate_list)
    model = Certificate

    def perform_create(self, data):
        return services.certificate_create(user=self.request.user, organization=self.organization, **data)


class CertificateDetail(Retrieve, Update, Destroy, TenantView):
    serializer_class = s.CertificateOutputSerializer
    input_serializers = {"PATCH": s.CertificateUpdateSerializer}
    selector = staticmethod(selectors.certificate_list)
    model = Certificate

    def perform_update(self, certificate, data):
        return services.certificate_update(user=self.request.user, certificate=certificate, **data)

    def perform_destroy(self, certificate):
        services.certificate_delete(user=self.request.user, certificate=certificate)


class FirstRendererNegotiation(BaseContentNegotiation):
    """The file answer ignores Accept (it is the stored file); errors still render as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CertificateFile(TenantView):
    selector = staticmethod(selectors.certificate_list)
    model = Certificate
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in ("application/pdf", "image/png", "image/jpeg")
        }
    )
    def get(self, request, *args, **kwargs):
        return certificates.download_response(self.get_object())


# ---------------------------------------------------------------- sharing and history


class ShareList(List, Create, TenantView):
    """End collectors this organisation shares its sheet, facilities and certificates with."""

    serializer_class = s.ShareOutputSerializer
    input_serializers = {"POST": s.ShareInputSerializer}
    selector = staticmethod(selectors.share_list)
    write_permission = staticmethod(access.can_admin)
    model = SheetShare

    def perform_create(self, data):
        end_collector = selectors.end_collector_list(user=self.request.user).filter(slug=data["end_collector"]).first()
        if end_collector is None:
            raise exceptions.ValidationError({"end_collector": ["No end collector has this slug."]})
        return services.share_create(
            user=self.request.user, organization=self.organization, end_collector=end_collector
        )


class ShareDetail(Retrieve, Destroy, TenantView):
    serializer_class = s.ShareOutputSerializer
    selector = staticmethod(selectors.share_list)
    write_permission = staticmethod(access.can_admin)
    model = SheetShare

    def perform_destroy(self, share):
        services.share_delete(user=self.request.user, share=share)


class HistoryList(List, TenantView):
    """The organisation's append-only history, newest first. Members only."""

    serializer_class = s.LogEntryOutputSerializer
    selector = staticmethod(selectors.log_entry_list)
    model = LogEntry
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_fields = ["action", "target_type", "target_id"]
