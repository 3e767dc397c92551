from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessment"

    def ready(self):
        from scenarios import checks

        from . import (
            history,  # noqa: F401  the sentences of this app's log entries (partners.history)
            workflow,
        )

        checks.register(workflow.facts)  # no assessment or a stale one: a problem before submitting or approving
