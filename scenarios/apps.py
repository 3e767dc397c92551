from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = "Network scenarios"

    def ready(self):
        from . import history  # noqa: F401  the sentences of this app's log entries (partners.history)
