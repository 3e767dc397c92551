"""E-mails about the approval workflow: a submitted scenario to the end collector's admins (who approve), a decision
(approved or rejected) to the person who submitted it.

Services call `on_commit(kind, scenario_id)` inside their transaction; once it commits, a Celery task
(`scenarios.tasks.send_workflow_email`) gets the kind and the scenario's id only, never an address, and sends the
e-mail. Without a broker the task runs in-process. Logs name the scenario's id and organisation, never an address.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from partners import broker
from partners.models import MemberRole, Membership

from .models import Scenario

logger = logging.getLogger(__name__)

SUBMITTED, DECIDED = "submitted", "decided"


def on_commit(kind: str, scenario_id: int) -> None:
    def send():
        from .tasks import send_workflow_email  # tasks import this module; import here to keep that direction

        if not broker.publish(send_workflow_email, kind, scenario_id):
            logger.error("workflow e-mail (%s) about scenario %s not queued: the task queue is down", kind, scenario_id)

    transaction.on_commit(send)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def message(kind: str, scenario: Scenario) -> tuple[str, str, list[str]]:
    """(subject, body, recipients) of the e-mail of `kind` about `scenario`."""
    study, org = scenario.study, scenario.study.end_collector
    if kind == SUBMITTED:
        recipients = list(
            Membership.objects.filter(organization=org, role=MemberRole.ADMIN)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        subject = f"{scenario} submitted for approval in {study.name}"
        body = (
            f"{_name(scenario.submitted_by)} submitted the scenario {scenario} of the study {study.name} "
            f"({org.name}) for approval.\n\nOpen it on Closeloop to approve or reject it.\n"
        )
        return subject, body, recipients
    submitter = scenario.submitted_by
    recipients = [submitter.email] if submitter is not None and submitter.email else []
    verb = scenario.get_status_display().lower()
    subject = f"{scenario} {verb} in {study.name}"
    body = f"{_name(scenario.decided_by)} {verb} the scenario {scenario} of the study {study.name} ({org.name})."
    if scenario.decision_comment:
        body += f"\n\nComment: {scenario.decision_comment}"
    return subject, body + "\n", recipients


def send(kind: str, scenario_id: int) -> int:
    """Send the e-mail once per call; the number of recipients (0: nobody to tell, or the scenario is gone)."""
    scenario = (
        Scenario.objects.select_related("study__end_collector", "submitted_by", "decided_by")
        .filter(pk=scenario_id)
        .first()
    )
    if scenario is None or kind not in (SUBMITTED, DECIDED):
        return 0
    subject, body, recipients = message(kind, scenario)
    if not recipients:
        return 0
    try:
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
    except smtplib.SMTPException as exc:  # its text may carry an address: say only which scenario and the kind
        logger.warning(
            "workflow e-mail (%s) about scenario %s of %s refused by the mail server (%s)",
            kind,
            scenario_id,
            scenario.study.end_collector.slug,
            type(exc).__name__,
        )
        raise RuntimeError(f"The mail server refused the e-mail about scenario {scenario_id}.") from None
    logger.info(
        "workflow e-mail (%s) about scenario %s of %s sent to %s recipient(s)",
        kind,
        scenario_id,
        scenario.study.end_collector.slug,
        len(recipients),
    )
    return len(recipients)
