"""URLs of the scenarios API, version 1 (mounted at /api/v1/ by config/urls.py)."""

from django.urls import include, path

from . import api

scenario_urls = [
    path("", api.ScenarioDetail.as_view(), name="api-scenario"),
    path("nodes/", api.NodeList.as_view(), name="api-scenario-nodes"),
    path("nodes/<int:node_id>/", api.NodeDetail.as_view(), name="api-scenario-node"),
    path("routes/", api.RouteList.as_view(), name="api-scenario-routes"),
    path("routes/<int:route_id>/", api.RouteDetail.as_view(), name="api-scenario-route"),
    path("submit/", api.ScenarioSubmit.as_view(), name="api-scenario-submit"),
    path("approve/", api.ScenarioApprove.as_view(), name="api-scenario-approve"),
    path("reject/", api.ScenarioReject.as_view(), name="api-scenario-reject"),
    path("new-version/", api.ScenarioNewVersion.as_view(), name="api-scenario-new-version"),
    path("clone/", api.ScenarioClone.as_view(), name="api-scenario-clone"),
    # The map's data at the path the issue names (no trailing slash); the slash variant answers the same.
    path("geojson", api.ScenarioGeoJSON.as_view(), name="api-scenario-geojson"),
    path("geojson/", api.ScenarioGeoJSONSlash.as_view(), name="api-scenario-geojson-slash"),
    path("history/", api.ScenarioHistory.as_view(), name="api-scenario-history"),
    path("history/<int:entry_id>/", api.ScenarioReplay.as_view(), name="api-scenario-history-entry"),
]

urlpatterns = [
    path("organizations/<slug:slug>/studies/", api.StudyList.as_view(), name="api-studies"),
    path("studies/<int:id>/", api.StudyDetail.as_view(), name="api-study"),
    path("studies/<int:id>/scenarios/", api.StudyScenarioList.as_view(), name="api-study-scenarios"),
    path("scenarios/<int:id>/", include(scenario_urls)),
]
