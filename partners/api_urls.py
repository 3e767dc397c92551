"""URLs of the partners API, version 1 (mounted at /api/v1/ by config/urls.py)."""

from django.urls import include, path

from . import api

organization_urls = [
    path("", api.OrganizationDetail.as_view(), name="api-organization"),
    path("memberships/", api.MembershipList.as_view(), name="api-memberships"),
    path("memberships/<int:pk>/", api.MembershipDetail.as_view(), name="api-membership"),
    path("invitations/", api.InvitationList.as_view(), name="api-invitations"),
    path("invitations/<int:pk>/", api.InvitationDetail.as_view(), name="api-invitation"),
    path("facilities/", api.FacilityList.as_view(), name="api-facilities"),
    path("facilities/<int:pk>/", api.FacilityDetail.as_view(), name="api-facility"),
    path("activities/", api.ActivityList.as_view(), name="api-activities"),
    path("activities/<int:pk>/", api.ActivityDetail.as_view(), name="api-activity"),
    path("sheet/", api.SheetDetail.as_view(), name="api-sheet"),
    path("certificates/", api.CertificateList.as_view(), name="api-certificates"),
    path("certificates/<int:pk>/", api.CertificateDetail.as_view(), name="api-certificate"),
    path("certificates/<int:pk>/file/", api.CertificateFile.as_view(), name="api-certificate-file"),
    path("shares/", api.ShareList.as_view(), name="api-shares"),
    path("shares/<int:pk>/", api.ShareDetail.as_view(), name="api-share"),
    path("history/", api.HistoryList.as_view(), name="api-history"),
]

urlpatterns = [
    path("organizations/", api.OrganizationList.as_view(), name="api-organizations"),
    path("organizations/<slug:slug>/", include(organization_urls)),
    path("end-collectors/", api.EndCollectorList.as_view(), name="api-end-collectors"),
    path("materials/", api.MaterialList.as_view(), name="api-materials"),
    path("processes/", api.ProcessList.as_view(), name="api-processes"),
    path("criteria/", api.CriterionList.as_view(), name="api-criteria"),
]
