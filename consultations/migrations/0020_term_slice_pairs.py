"""TermSlice pairs: running term totals for each age band and area, age band and way of
answering, and way of answering and area together, so a word cloud filtered by two of them
reads totals, not every chosen answer's terms.

Filled here from the answers already counted (their stored terms), by the rules of
``consultations.services.terms`` at the time of writing; ``manage.py recount_terms`` rebuilds
them by today's rules. The loop that adds the totals up is 0019's, copied rather than imported:
a migration keeps the code of its time.
"""

from collections import defaultdict

from django.db import migrations, models

SEPARATOR = "\x1f"
PAIRS = {
    "age_band+area": ("age_band", "area"),
    "age_band+source": ("age_band", "source"),
    "source+area": ("source", "area"),
}


def fill(apps, schema_editor):
    Answer = apps.get_model("consultations", "Answer")
    AnswerTerm = apps.get_model("consultations", "AnswerTerm")
    TermSlice = apps.get_model("consultations", "TermSlice")
    counted = Answer.objects.filter(held=False, terms_counted=True)
    for question_id in counted.values_list("question_id", flat=True).distinct().order_by():
        keys = {}
        for pk, age_band, area, source in counted.filter(question_id=question_id).values_list(
            "pk", "response__age_band", "response__area", "response__source"
        ):
            about = {"age_band": age_band, "area": area, "source": source}
            keys[pk] = [
                (dimension, f"{about[first]}{SEPARATOR}{about[second]}")
                for dimension, (first, second) in PAIRS.items()
                if about[first]
                and about[second]
                and SEPARATOR not in about[first]
                and SEPARATOR not in about[second]
            ]
        totals = defaultdict(lambda: [0, 0])
        for slice_key in (k for found in keys.values() for k in found):
            totals[(*slice_key, "")][0] += 1
            totals[(*slice_key, "")][1] += 1
        stored = AnswerTerm.objects.filter(answer_id__in=counted.filter(question_id=question_id))
        for answer_id, term, count in stored.values_list("answer_id", "term", "count").iterator():
            for slice_key in keys[answer_id]:
                totals[(*slice_key, term)][0] += count
                totals[(*slice_key, term)][1] += 1
        TermSlice.objects.bulk_create(
            (
                TermSlice(
                    question_id=question_id, dimension=dimension, value=value, term=term,
                    count=count, answers=used,
                )
                for (dimension, value, term), (count, used) in sorted(totals.items())
            ),
            batch_size=1000,
        )  # fmt: skip


def empty(apps, schema_editor):
    TermSlice = apps.get_model("consultations", "TermSlice")
    TermSlice.objects.filter(dimension__in=list(PAIRS)).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0019_term_slices"),
    ]

    operations = [
        migrations.AlterField(
            model_name="termslice",
            name="dimension",
            field=models.CharField(
                choices=[
                    ("age_band", "age band"),
                    ("area", "area"),
                    ("source", "how they answered"),
                    ("day", "day answered"),
                    ("age_band+area", "age band and area"),
                    ("age_band+source", "age band and how they answered"),
                    ("source+area", "how they answered and area"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="termslice",
            name="value",
            field=models.CharField(max_length=201),
        ),
        migrations.RunPython(fill, empty, elidable=True),
    ]
