"""Pages of the assessment: runs, results, factors, comparisons, the AHP decision aid (criteria sets, judgements,
rankings of scenarios and of partners), the step-by-step builder and the optimisation of a study's network (in
views_optimisation). Scenarios and studies are addressed by id, since the selectors resolve access from the user."""

from django.urls import path

from . import views, views_optimisation

urlpatterns = [
    path("scenarios/<int:pk>/assessment/", views.scenario_assessment, name="scenario-assessment"),
    path("scenarios/<int:pk>/assess/", views.scenario_assess, name="scenario-assess"),
    path("studies/<int:pk>/factors/", views.study_factors, name="study-factors"),
    path("studies/<int:pk>/factors/<int:override_pk>/delete/", views.study_factor_delete, name="study-factor-delete"),
    path("studies/<int:pk>/compare/", views.study_compare, name="study-compare"),
    path("studies/<int:pk>/compare.csv", views.study_compare, {"fmt": "csv"}, name="study-compare-csv"),
    path("studies/<int:pk>/compare.json", views.study_compare, {"fmt": "json"}, name="study-compare-json"),
    path("studies/<int:pk>/ahp/", views.study_ahp, name="study-ahp"),
    path("studies/<int:pk>/ahp/<int:set_pk>/", views.study_ahp_set, name="study-ahp-set"),
    path("studies/<int:pk>/ahp/<int:set_pk>/preview/", views.study_ahp_preview, name="study-ahp-preview"),
    path("studies/<int:pk>/ahp/<int:set_pk>/rank/", views.study_ahp_rank, name="study-ahp-rank"),
    path("studies/<int:pk>/rankings/<int:ranking_pk>/", views.study_ranking, name="study-ranking"),
    path("studies/<int:pk>/partners/rank/", views.study_partner_rank, name="study-partner-rank"),
    path(
        "studies/<int:pk>/partner-rankings/<int:ranking_pk>/", views.study_partner_ranking, name="study-partner-ranking"
    ),
    path(
        "studies/<int:pk>/partner-rankings/<int:ranking_pk>/build/",
        views.study_partner_ranking_build,
        name="study-partner-ranking-build",
    ),
    path("scenarios/<int:pk>/build/", views.scenario_build, name="scenario-build"),
    path("studies/<int:pk>/optimise/", views_optimisation.study_optimise, name="study-optimise"),
    path(
        "studies/<int:pk>/optimisations/<int:run_pk>/", views_optimisation.study_optimisation, name="study-optimisation"
    ),
    path(
        "studies/<int:pk>/optimisations/<int:run_pk>/scenario/",
        views_optimisation.study_optimisation_scenario,
        name="study-optimisation-scenario",
    ),
]
