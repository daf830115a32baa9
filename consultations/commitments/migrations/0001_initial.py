# The commitments models move here from ``consultations``. Their tables stay as they are (each model
# names its ``consultations_`` table in Meta.db_table), so this changes Django's state only, and
# moves the models' content types so that permissions and audit log entries follow them.
# ``consultations`` 0012 removes the models from its own state afterwards.

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
from django.db import migrations, models

from consultations.app_moves import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("consultations", "0011_import_jobs"),
        ("themes", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Commitment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "you_said",
                            models.TextField(
                                help_text="In plain words a 10-year-old can read, for example “You told us buses stop too early for you to get home safely.”",
                                verbose_name="what young people said",
                            ),
                        ),
                        (
                            "we_will",
                            models.TextField(
                                help_text="Plain words: who will do what, for example “We will ask the bus company to run a later bus on weekdays.”",
                                verbose_name="what will be done",
                            ),
                        ),
                        (
                            "partner",
                            models.CharField(
                                choices=[
                                    ("council", "County council"),
                                    ("police", "Police"),
                                    ("health", "Health"),
                                    ("all", "All three partners"),
                                ],
                                max_length=10,
                                verbose_name="partner",
                            ),
                        ),
                        (
                            "lead",
                            models.CharField(
                                help_text="A job title is enough, for example “Head of Community Safety”.",
                                max_length=200,
                                verbose_name="lead",
                            ),
                        ),
                        ("due_date", models.DateField(verbose_name="due date")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Planned"),
                                    ("in_progress", "In progress"),
                                    ("done", "Done"),
                                    ("not_doing", "Not doing"),
                                ],
                                default="planned",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "reason",
                            models.TextField(
                                blank=True,
                                help_text="Needed when the status is “Not doing”: say why, in plain words.",
                                verbose_name="reason",
                            ),
                        ),
                        (
                            "published",
                            models.BooleanField(
                                default=True,
                                verbose_name="show on the public “You said, we did” page",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "consultation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="commitments",
                                to="consultations.consultationpage",
                                verbose_name="consultation",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                blank=True,
                                help_text="Optional. A theme from this consultation's codebook.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="commitments",
                                to="themes.theme",
                                verbose_name="theme",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_commitment",
                        "ordering": ["due_date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="CommitmentFeedback",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "answer",
                            models.CharField(
                                choices=[("yes", "Yes"), ("partly", "Partly"), ("no", "No")],
                                max_length=6,
                            ),
                        ),
                        ("given_on", models.DateField(default=django.utils.timezone.localdate)),
                        (
                            "commitment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feedback",
                                to="commitments.commitment",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_commitmentfeedback",
                    },
                ),
                migrations.CreateModel(
                    name="ProgressUpdate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                        (
                            "date",
                            models.DateField(
                                default=django.utils.timezone.localdate, verbose_name="date"
                            ),
                        ),
                        ("text", models.TextField(verbose_name="what happened")),
                        (
                            "commitment",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="updates",
                                to="commitments.commitment",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_progressupdate",
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
            ],
        ),
        move_content_types("commitments", ["commitment", "commitmentfeedback", "progressupdate"]),
    ]
