"""URLs of the assessment API, version 1 (mounted at /api/v1/ by config/urls.py)."""

urlpatterns = []
