"""System checks of the deployment (Django's checks framework; `manage.py check`, run before migrate and runserver).

Invitations are e-mailed. With DEBUG=0 an e-mail backend that does not deliver (the console one, the default, which
writes mails to the worker's log; the in-memory one of the tests; the dummy one) is an error: people invited would
never hear of it. The README's production section names the e-mail settings.
"""

from django.conf import settings
from django.core import checks

UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend": "writes e-mails to the worker's log",
    "django.core.mail.backends.locmem.EmailBackend": "keeps e-mails in memory",
    "django.core.mail.backends.dummy.EmailBackend": "drops e-mails",
}


@checks.register("email")
def email_is_delivered(app_configs=None, **kwargs):
    """Runs on every check (not only --deploy), so a production start with DEBUG=0 refuses the console backend."""
    what = UNDELIVERED.get(settings.EMAIL_BACKEND)
    if settings.DEBUG or what is None:
        return []
    return [
        checks.Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which {what}: invitations would never reach anybody.",
            hint="Set EMAIL_URL (for example smtp+tls://user:password@mail.example.com:587) or EMAIL_HOST, EMAIL_PORT, "
            "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS; see the README's production deployment.",
            id="partners.E001",
        )
    ]
