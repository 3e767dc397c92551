"""URLs of the assessment API, version 1 (mounted at /api/v1/ by config/urls.py)."""

from django.urls import include, path

from . import api

run_urls = [
    path("", api.AssessmentDetail.as_view(), name="api-scenario-assessment"),
    path("inputs/", api.AssessmentInputs.as_view(), name="api-scenario-assessment-inputs"),
]

optimisation_urls = [
    path("", api.StudyOptimisationDetail.as_view(), name="api-study-optimisation"),
    path("pareto/", api.StudyOptimisationPareto.as_view(), name="api-study-optimisation-pareto"),
    path("scenarios/", api.StudyOptimisationScenarios.as_view(), name="api-study-optimisation-scenarios"),
]

criteria_set_urls = [
    path("", api.StudyCriteriaSetDetail.as_view(), name="api-study-criteria-set"),
    path("judgement/", api.StudyCriteriaSetJudgement.as_view(), name="api-study-criteria-set-judgement"),
]

urlpatterns = [
    # The runs at the path the issue names (no trailing slash); the slash variant answers the same.
    path("scenarios/<int:id>/assessments", api.AssessmentList.as_view(), name="api-scenario-assessments"),
    path("scenarios/<int:id>/assessments/", api.AssessmentListSlash.as_view(), name="api-scenario-assessments-slash"),
    path("scenarios/<int:id>/assessments/<int:run_id>/", include(run_urls)),
    path(
        "scenarios/<int:id>/assessment-status/", api.AssessmentStatus.as_view(), name="api-scenario-assessment-status"
    ),
    path("factor-libraries/", api.FactorLibraryList.as_view(), name="api-factor-libraries"),
    path("factor-libraries/<int:id>/factors/", api.FactorLibraryFactors.as_view(), name="api-factor-library-factors"),
    path("studies/<int:id>/factors/", api.StudyFactorList.as_view(), name="api-study-factors"),
    path("studies/<int:id>/factors/<int:override_id>/", api.StudyFactorDetail.as_view(), name="api-study-factor"),
    # The comparison at the path the issue names; the slash variant answers the same.
    path("studies/<int:id>/comparison", api.StudyComparison.as_view(), name="api-study-comparison"),
    path("studies/<int:id>/comparison/", api.StudyComparisonSlash.as_view(), name="api-study-comparison-slash"),
    path("studies/<int:id>/criteria-sets/", api.StudyCriteriaSetList.as_view(), name="api-study-criteria-sets"),
    path("studies/<int:id>/criteria-sets/<int:set_id>/", include(criteria_set_urls)),
    path("studies/<int:id>/rankings/", api.StudyRankingList.as_view(), name="api-study-rankings"),
    path("studies/<int:id>/rankings/<int:ranking_id>/", api.StudyRankingDetail.as_view(), name="api-study-ranking"),
    path(
        "studies/<int:id>/partner-candidates/",
        api.StudyPartnerCandidates.as_view(),
        name="api-study-partner-candidates",
    ),
    path(
        "studies/<int:id>/partner-rankings/", api.StudyPartnerRankingList.as_view(), name="api-study-partner-rankings"
    ),
    path(
        "studies/<int:id>/partner-rankings/<int:ranking_id>/",
        api.StudyPartnerRankingDetail.as_view(),
        name="api-study-partner-ranking",
    ),
    path(
        "studies/<int:id>/optimisation-candidates/",
        api.StudyOptimisationCandidates.as_view(),
        name="api-study-optimisation-candidates",
    ),
    path("studies/<int:id>/optimisations/", api.StudyOptimisationList.as_view(), name="api-study-optimisations"),
    path("studies/<int:id>/optimisations/<int:run_id>/", include(optimisation_urls)),
    path("scenarios/<int:id>/builder/", api.ScenarioBuilder.as_view(), name="api-scenario-builder"),
    path("scenarios/<int:id>/builder/steps/", api.ScenarioBuilderSteps.as_view(), name="api-scenario-builder-steps"),
]
