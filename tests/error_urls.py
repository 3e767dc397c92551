"""The project's URLs plus one page that fails, for the error-page tests."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise ZeroDivisionError("a deliberate failure for the error-page test")


urlpatterns = [path("broken/", broken), *project_urlpatterns]
