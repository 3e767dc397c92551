from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import django.contrib.auth.admin  # noqa: F401  (registers users and groups)
import partners.admin  # noqa: F401
import scenarios.admin  # noqa: F401
import assessment.admin  # noqa: F401

handler404 = "partners.api_errors.page_not_found"  # JSON under /api/

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("partners.api_urls")),
    path("api/v1/", include("scenarios.api_urls")),
    path("api/v1/", include("assessment.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("assessment.urls")),
    path("", include("scenarios.urls")),
    path("", include("partners.urls")),
]
