from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and description sheets"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the deployment checks)
            history,  # noqa: F401  the sentences of this app's log entries (partners.history)
        )
