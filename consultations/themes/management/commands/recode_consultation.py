"""``python manage.py recode_consultation <page id or slug>``: retrain and re-code its answers.

Does here and now what the ``consultations.themes.tasks.recode_task`` task does on a worker: fits
the coding engine on the facilitators' codings and codes every released answer, printing a progress
line as it goes. The new codes replace the old ones only when the run has finished, so stopping the
command half way (Ctrl+C) changes nothing anyone sees; run it again to finish the job.
``--clean-stale`` first marks runs left "running" by a stopped worker as failed.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import ConsultationPage
from consultations.themes.models import Codebook
from consultations.themes.services.theme_coding import clean_stale_runs, run_coding, start_run


class Command(BaseCommand):
    help = (
        "Retrain the theme coding on a consultation's human codings and re-code its answers. "
        "Give the consultation's page id or slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("consultation", help="The consultation's page id or slug.")
        parser.add_argument(
            "--clean-stale",
            action="store_true",
            help="First mark runs left unfinished by a stopped worker as failed.",
        )

    def handle(self, *args, consultation, clean_stale=False, **options):
        page = self._consultation(consultation)
        codebook = Codebook.objects.filter(consultation=page).first()
        if codebook is None:
            raise CommandError(
                f"“{page.title}” has no codebook. Copy the starter codebook for it in the admin "
                "(Snippets → Codebooks → Copy) first."
            )
        if clean_stale:
            cleaned = clean_stale_runs(codebook=codebook)
            self.stdout.write(f"Marked {cleaned:,} unfinished runs as failed.")
        run = start_run(codebook)
        self.stdout.write(f"Coding {run.total:,} answers of “{page.title}” with “{codebook}”…")

        def progress(current):
            percent = 100 * current.done // current.total if current.total else 100
            self.stdout.write(f"  {current.done:,} of {current.total:,} answers ({percent}%)")

        try:
            run = run_coding(run.pk, progress=progress)
        except Exception as error:
            raise CommandError(f"The coding run failed: {error}") from error
        codes = run.codes.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {run.done:,} answers coded, {codes:,} themes given, learning from "
                f"{run.examples:,} answers people coded."
            )
        )

    def _consultation(self, value: str) -> ConsultationPage:
        pages = ConsultationPage.objects.all()
        page = pages.filter(pk=int(value)).first() if value.isdigit() else None
        if page is None:
            found = list(pages.filter(slug=value)[:2])
            if len(found) > 1:
                raise CommandError(
                    f"More than one consultation has the slug “{value}”: use its id."
                )
            page = found[0] if found else None
        if page is None:
            raise CommandError(f"No consultation has the id or slug “{value}”.")
        return page
