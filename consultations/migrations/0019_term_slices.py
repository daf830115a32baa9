"""TermSlice: each question's running term totals for one value of one filter (age band, area,
source, day), so a word cloud filtered by one of them reads totals, not every answer's terms.

Filled here from the answers already counted (their stored terms), by the rules of
``consultations.services.terms`` at the time of writing; ``manage.py recount_terms`` rebuilds
them by today's rules.
"""

from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):
    Answer = apps.get_model("consultations", "Answer")
    AnswerTerm = apps.get_model("consultations", "AnswerTerm")
    TermSlice = apps.get_model("consultations", "TermSlice")
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    counted = Answer.objects.filter(held=False, terms_counted=True)
    for question_id in counted.values_list("question_id", flat=True).distinct().order_by():
        keys = {}
        for pk, age_band, area, source, submitted_at in counted.filter(
            question_id=question_id
        ).values_list(
            "pk", "response__age_band", "response__area", "response__source",
            "response__submitted_at",
        ):
            found = [("age_band", age_band), ("area", area), ("source", source)]
            if submitted_at is not None:
                when = timezone.localtime(submitted_at, zone) if zone else submitted_at
                found.append(("day", when.date().isoformat()))
            keys[pk] = [(d, v) for d, v in found if v]
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
        )


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0018_question_easy_read_image'),
    ]

    operations = [
        migrations.CreateModel(
            name='TermSlice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dimension', models.CharField(choices=[('age_band', 'age band'), ('area', 'area'), ('source', 'how they answered'), ('day', 'day answered')], max_length=10)),
                ('value', models.CharField(max_length=100)),
                ('term', models.CharField(blank=True, max_length=100)),
                ('count', models.PositiveIntegerField(default=0, verbose_name='times used')),
                ('answers', models.PositiveIntegerField(default=0, verbose_name='answers using it')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='term_slices', to='consultations.question')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('question', 'dimension', 'value', 'term'), name='one_slice_per_question_value_term')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
