"""Pages of the assessment: runs, results, factors and comparisons."""

urlpatterns = []
