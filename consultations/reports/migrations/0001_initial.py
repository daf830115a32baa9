# The reports models move here from ``consultations``. Their tables stay as they are (each model
# names its ``consultations_`` table in Meta.db_table), so this changes Django's state only, and
# moves the models' content types so that permissions and audit log entries follow them.
# ``consultations`` 0012 removes the models from its own state afterwards.

import consultations.reports.models
import django.db.models.deletion
import youthforum.core.storage
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
                    name="ReportExport",
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
                            "filters",
                            models.CharField(
                                blank=True,
                                help_text="The report's query string.",
                                max_length=1000,
                                verbose_name="filters",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("pdf", "PDF"), ("xlsx", "spreadsheet (XLSX)")],
                                default="pdf",
                                max_length=4,
                                verbose_name="format",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "Being built"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=8,
                                verbose_name="status",
                            ),
                        ),
                        ("done", models.PositiveIntegerField(default=0, verbose_name="steps done")),
                        (
                            "total",
                            models.PositiveIntegerField(default=0, verbose_name="steps in all"),
                        ),
                        (
                            "file",
                            models.FileField(
                                blank=True,
                                storage=youthforum.core.storage.private_storage,
                                upload_to=consultations.reports.models.export_file_name,
                                verbose_name="file",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                        ),
                        (
                            "consultation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_exports",
                                to="consultations.consultationpage",
                                verbose_name="consultation",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_exports",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "report export",
                        "db_table": "consultations_reportexport",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
        ),
        move_content_types("reports", ["reportexport"]),
    ]
