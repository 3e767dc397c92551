"""Pages of studies and scenarios."""

urlpatterns = []
