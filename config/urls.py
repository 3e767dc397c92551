import django.contrib.auth.admin  # noqa: F401  (registers users and groups)
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import assessment.admin  # noqa: F401
import partners.admin  # noqa: F401
import scenarios.admin  # noqa: F401


class ApiDocsView(SpectacularSwaggerSplitView):
    """The Swagger UI page, under the Content-Security-Policy: its start-up script comes from this URL (?script)
    instead of inline, and the page's own styles from our static files instead of an inline <style>. OPTIONS answers
    which methods it takes (its HTML renderer has nothing to show for DRF's OPTIONS description, which would fail)."""

    template_name = "api_docs.html"

    def options(self, request, *args, **kwargs):
        return HttpResponse(status=200, headers={"Allow": "GET, HEAD, OPTIONS"})


handler404 = "partners.api_errors.page_not_found"  # JSON under /api/

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("partners.api_urls")),
    path("api/v1/", include("scenarios.api_urls")),
    path("api/v1/", include("assessment.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("", include("assessment.urls")),
    path("", include("scenarios.urls")),
    path("", include("partners.urls")),
]
