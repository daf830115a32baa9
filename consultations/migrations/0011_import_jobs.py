# Pending imports move from the facilitator's session to ImportJob rows, which expire after a
# day and are purged daily; an uploaded file waiting to be read lives in the private storage.
# Sessions still holding a pending file (the "consultations:import:<page id>" key) are left to
# expire with their session: the new views no longer read that key.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import consultations.models.imports
import youthforum.core.storage


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0010_view_raw_answers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=16, verbose_name="source")),
                ("filename", models.CharField(max_length=255, verbose_name="file name")),
                (
                    "size",
                    models.PositiveIntegerField(default=0, verbose_name="size in bytes"),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        help_text="Kept only until it has been read.",
                        storage=youthforum.core.storage.private_storage,
                        upload_to=consultations.models.imports.import_file_name,
                        verbose_name="uploaded file",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to be read"),
                            ("reading", "Being read"),
                            ("ready", "Ready to check"),
                            ("failed", "Could not be read"),
                        ],
                        default="queued",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("rows_read", models.PositiveIntegerField(default=0, verbose_name="rows read")),
                (
                    "rows_total",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="An estimate until the file has been read.",
                        verbose_name="rows in the file",
                    ),
                ),
                (
                    "error",
                    models.TextField(blank=True, verbose_name="why it could not be read"),
                ),
                (
                    "parsed",
                    models.JSONField(
                        blank=True,
                        help_text="The headings and rows, as ParsedFile.as_dict() gives them.",
                        null=True,
                        verbose_name="rows waiting to be imported",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="uploaded at"
                    ),
                ),
                (
                    "expires_at",
                    models.DateTimeField(db_index=True, verbose_name="forgotten at"),
                ),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="import_jobs",
                        to="consultations.consultationpage",
                        verbose_name="consultation",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "pending import",
                "verbose_name_plural": "pending imports",
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
