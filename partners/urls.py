from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_security

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", views_security.second_factor, name="second-factor"),
    path("accounts/second-factor/setup/", views_security.second_factor_setup, name="second-factor-setup"),
    path("accounts/second-factor/verify/", views_security.second_factor_verify, name="second-factor-verify"),
    path("accounts/second-factor/remove/", views_security.second_factor_remove, name="second-factor-remove"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("organizations/new/", views.organization_new, name="organization-new"),
    path("o/<slug:slug>/", views.sheet, name="sheet"),
    path("o/<slug:slug>/sheet/edit/", views.sheet_edit, name="sheet-edit"),
    path("o/<slug:slug>/certificates/new/", views.certificate_new, name="certificate-new"),
    path("o/<slug:slug>/certificates/<int:pk>/file/", views.certificate_file, name="certificate-file"),
    path("o/<slug:slug>/certificates/<int:pk>/delete/", views.certificate_delete, name="certificate-delete"),
    path("o/<slug:slug>/history/", views.history, name="history"),
    path("o/<slug:slug>/facilities/", views.facility_list, name="facilities"),
    path("o/<slug:slug>/facilities/new/", views.facility_new, name="facility-new"),
    path("o/<slug:slug>/facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("o/<slug:slug>/facilities/<int:pk>/edit/", views.facility_edit, name="facility-edit"),
    path("o/<slug:slug>/facilities/<int:pk>/delete/", views.facility_delete, name="facility-delete"),
    path("o/<slug:slug>/facilities/<int:pk>/activities/new/", views.activity_new, name="activity-new"),
    path("o/<slug:slug>/activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("o/<slug:slug>/activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("o/<slug:slug>/members/", views.members, name="members"),
    path("o/<slug:slug>/members/<int:pk>/role/", views.membership_role, name="membership-role"),
    path("o/<slug:slug>/members/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("o/<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("o/<slug:slug>/sharing/", views.shares, name="shares"),
    path("o/<slug:slug>/sharing/<int:pk>/revoke/", views.share_revoke, name="share-revoke"),
    path("o/<slug:slug>/security/", views_security.organization_security, name="organization-security"),
    path("o/<slug:slug>/partners/", views.partners, name="partners"),
]
