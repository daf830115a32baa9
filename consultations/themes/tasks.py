"""Background tasks for theme coding (Django Tasks; ``consultations.tasks`` says which backend)."""

from django_tasks import task

from consultations.themes.models import Codebook
from consultations.themes.services.theme_coding import recode, run_coding


@task()
def run_coding_task(run_id: int) -> dict:
    """Do a coding run started by ``start_run`` (the admin shows its progress meanwhile).

    Safe to run twice: a finished run is left alone, an unfinished one starts over.
    """
    run = run_coding(run_id)
    return {"run": run.pk, "status": run.status, "answers": run.done, "examples": run.examples}


@task()
def recode_task(codebook_id: int) -> dict:
    """Retrain the engine on a codebook's human codings and re-code its answers."""
    run = recode(Codebook.objects.get(pk=codebook_id))
    return {"run": run.pk, "status": run.status, "answers": run.done, "examples": run.examples}
