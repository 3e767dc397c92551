from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessment"

    def ready(self):
        from . import history  # noqa: F401  the sentences of this app's log entries (partners.history)
