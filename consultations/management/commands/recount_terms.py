"""``python manage.py recount_terms [--again] [--consultation ID]``: repair word cloud counts.

Counts the answers whose terms were never counted (no worker was running, or the answers are
older than the counting task), then rebuilds every question's running totals, and those of each
filter slice, from the stored counts. With ``--again`` every answer is counted afresh first: run
it after changing the word lists in ``consultations/analysis/data/text/``. Safe to run at any
time, and twice.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import Answer, ConsultationPage, TermTotal
from consultations.services.terms import (
    count_uncounted,
    recount_all,
    recount_question,
    uncount_answers,
)

BATCH_SIZE = 1000


class Command(BaseCommand):
    help = "Count answers' terms that were missed and rebuild the word cloud totals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--again",
            action="store_true",
            help="Count every answer afresh (after the word lists changed).",
        )
        parser.add_argument(
            "--consultation", type=int, metavar="ID", help="Only this consultation (page id)."
        )

    def handle(self, *args, again=False, consultation=None, **options):
        page = None
        if consultation is not None:
            page = ConsultationPage.objects.filter(pk=consultation).first()
            if page is None:
                raise CommandError(f"There is no consultation with the id {consultation}.")
        if again:
            counted = Answer.objects.filter(terms_counted=True)
            if page is not None:
                counted = counted.filter(question__page=page)
            ids = list(counted.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH_SIZE):
                uncount_answers(Answer.objects.filter(pk__in=ids[start : start + BATCH_SIZE]))
        newly = count_uncounted(consultation=page)
        if page is None:
            questions = recount_all()
        else:
            question_ids = list(page.questions.values_list("pk", flat=True))
            for question_id in question_ids:
                recount_question(question_id)
            questions = len(question_ids)
        terms = TermTotal.objects.count()
        self.stdout.write(
            f"Counted the terms of {newly:,} answers; rebuilt the totals of {questions:,} "
            f"questions ({terms:,} term totals in all)."
        )
