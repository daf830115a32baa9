# The themes models move here from ``consultations``. Their tables stay as they are (each model
# names its ``consultations_`` table in Meta.db_table), so this changes Django's state only, and
# moves the models' content types so that permissions and audit log entries follow them.
# ``consultations`` 0012 removes the models from its own state afterwards.

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

from consultations.app_moves import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("consultations", "0011_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Codebook",
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
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "is_starter",
                            models.BooleanField(
                                default=False,
                                help_text="A starting point that facilitators copy for a consultation.",
                                verbose_name="starter codebook",
                            ),
                        ),
                        (
                            "consultation",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="codebook",
                                to="consultations.consultationpage",
                                verbose_name="consultation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_codebook",
                    },
                ),
                migrations.CreateModel(
                    name="CodingRun",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="running",
                                max_length=10,
                            ),
                        ),
                        ("is_current", models.BooleanField(default=False)),
                        ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("total", models.PositiveIntegerField(default=0)),
                        ("done", models.PositiveIntegerField(default=0)),
                        (
                            "examples",
                            models.PositiveIntegerField(
                                default=0, verbose_name="human-coded examples used"
                            ),
                        ),
                        ("engine", models.CharField(blank=True, max_length=100)),
                        ("error", models.TextField(blank=True)),
                        (
                            "queue",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="The uncoded answers the engine was least sure of, most unsure first, as [answer id, uncertainty] pairs: what the coding screen offers next.",
                            ),
                        ),
                        (
                            "codebook",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="runs",
                                to="themes.codebook",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_codingrun",
                    },
                ),
                migrations.CreateModel(
                    name="Theme",
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
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "keywords",
                            models.TextField(
                                blank=True,
                                help_text="One word or phrase per line.",
                                verbose_name="keywords and phrases",
                            ),
                        ),
                        (
                            "colour",
                            models.CharField(
                                default="#1d70b8", max_length=7, verbose_name="colour"
                            ),
                        ),
                        (
                            "codebook",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="themes",
                                to="themes.codebook",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="children",
                                to="themes.theme",
                                verbose_name="parent theme",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_theme",
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="MachineCode",
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
                        ("score", models.FloatField()),
                        (
                            "answer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="machine_codes",
                                to="consultations.answer",
                            ),
                        ),
                        (
                            "run",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="codes",
                                to="themes.codingrun",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="machine_codes",
                                to="themes.theme",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_machinecode",
                    },
                ),
                migrations.CreateModel(
                    name="HumanCoding",
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
                            "gold",
                            models.BooleanField(
                                default=False, verbose_name="coded blind for the quality check"
                            ),
                        ),
                        ("coded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "answer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="human_codings",
                                to="consultations.answer",
                            ),
                        ),
                        (
                            "codebook",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="human_codings",
                                to="themes.codebook",
                            ),
                        ),
                        (
                            "coder",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "themes",
                            models.ManyToManyField(
                                blank=True, related_name="human_codings", to="themes.theme"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_humancoding",
                    },
                ),
                migrations.AddConstraint(
                    model_name="codingrun",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_current", True)),
                        fields=("codebook",),
                        name="one_current_run_per_codebook",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="theme",
                    constraint=models.UniqueConstraint(
                        fields=("codebook", "name"), name="theme_name_unique_in_codebook"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="machinecode",
                    constraint=models.UniqueConstraint(
                        fields=("run", "answer", "theme"),
                        name="one_machine_code_per_run_answer_theme",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="humancoding",
                    constraint=models.UniqueConstraint(
                        fields=("answer", "codebook", "gold"), name="one_human_coding_per_answer"
                    ),
                ),
            ],
        ),
        move_content_types(
            "themes", ["codebook", "codingrun", "theme", "machinecode", "humancoding"]
        ),
    ]
