"""Celery entry points: load by id, call a service. Idempotent."""

from celery import shared_task

from . import decisions, optimisation, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def assess_scenario(run_id: int) -> str:
    """Compute one assessment run. A run delivered twice is computed once: the second delivery finds it done."""
    return services.assessment_execute(run_id=run_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rank_partners(ranking_id: int) -> str:
    """Compute one heavy partner ranking, reporting progress on the row. Idempotent like `assess_scenario`."""
    return decisions.partner_ranking_execute(ranking_id=ranking_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def optimise_study(run_id: int) -> str:
    """Solve one optimisation run (and its cost-CO2e front). Idempotent like `assess_scenario`."""
    return optimisation.optimisation_execute(run_id=run_id)


@shared_task(acks_late=True)
def sweep_jobs() -> dict:
    """Celery beat's periodic sweep (CELERY_BEAT_SCHEDULE): take back the jobs whose worker went silent and send the
    jobs the queue never got (assessment/jobs.py). `manage.py sweep_jobs` does the same without beat."""
    from . import jobs

    return jobs.sweep()
