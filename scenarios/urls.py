"""Pages of studies and scenarios. The study list hangs under its organisation; studies and scenarios are addressed
by id, since the selectors resolve access from the user."""

from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:slug>/studies/", views.study_list, name="studies"),
    path("o/<slug:slug>/studies/new/", views.study_new, name="study-new"),
    path("studies/<int:pk>/", views.study_detail, name="study"),
    path("studies/<int:pk>/edit/", views.study_edit, name="study-edit"),
    path("studies/<int:pk>/scenarios/new/", views.scenario_new, name="scenario-new"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/history/", views.scenario_history, name="scenario-history"),
    path("scenarios/<int:pk>/nodes/", views.node_add, name="node-add"),
    path("scenarios/<int:pk>/delete/", views.scenario_delete, name="scenario-delete"),
    path("scenarios/<int:pk>/nodes/<int:node_pk>/edit/", views.node_edit, name="node-edit"),
    path("scenarios/<int:pk>/nodes/<int:node_pk>/remove/", views.node_remove, name="node-remove"),
    path("scenarios/<int:pk>/routes/", views.route_add, name="route-add"),
    path("scenarios/<int:pk>/routes/<int:route_pk>/edit/", views.route_edit, name="route-edit"),
    path("scenarios/<int:pk>/routes/<int:route_pk>/delete/", views.route_delete, name="route-delete"),
] + [
    path(f"scenarios/<int:pk>/{action}/", views.scenario_transition, {"action": action}, name=f"scenario-{action}")
    for action in views.TRANSITIONS
]
