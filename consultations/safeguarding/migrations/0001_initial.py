# The safeguarding models move here from ``consultations``. Their tables stay as they are (each model
# names its ``consultations_`` table in Meta.db_table), so this changes Django's state only, and
# moves the models' content types so that permissions and audit log entries follow them.
# ``consultations`` 0012 removes the models from its own state afterwards.

import django.db.models.deletion
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
                    name="SafeguardingConcern",
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
                            "severity",
                            models.CharField(
                                choices=[("urgent", "Urgent"), ("concern", "Concern")],
                                db_index=True,
                                max_length=10,
                            ),
                        ),
                        ("categories", models.JSONField(default=list)),
                        (
                            "spans",
                            models.JSONField(
                                default=list, help_text="What the screen matched, by position."
                            ),
                        ),
                        (
                            "screening_failed",
                            models.BooleanField(
                                default=False,
                                help_text="The screen could not read this answer, so it was held for review.",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("new", "New"),
                                    ("under-review", "Under review"),
                                    ("referred", "Referred"),
                                    ("action-taken", "Action taken"),
                                    ("no-further-action", "No further action"),
                                ],
                                db_index=True,
                                default="new",
                                max_length=20,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "answer",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="concerns",
                                to="consultations.answer",
                            ),
                        ),
                        (
                            "consultation",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="concerns",
                                to="consultations.consultationpage",
                            ),
                        ),
                        (
                            "respondent",
                            models.ForeignKey(
                                blank=True,
                                help_text="The member's account, when they answered signed in as themselves.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="safeguarding_concerns",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "response",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="concerns",
                                to="consultations.response",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "safeguarding concern",
                        "verbose_name_plural": "safeguarding concerns",
                        "db_table": "consultations_safeguardingconcern",
                        "ordering": ["-created_at"],
                        "permissions": [
                            (
                                "review_safeguarding",
                                "Can see the safeguarding queue and raw flagged answers",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ConcernNote",
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
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "from_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("new", "New"),
                                    ("under-review", "Under review"),
                                    ("referred", "Referred"),
                                    ("action-taken", "Action taken"),
                                    ("no-further-action", "No further action"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "to_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("new", "New"),
                                    ("under-review", "Under review"),
                                    ("referred", "Referred"),
                                    ("action-taken", "Action taken"),
                                    ("no-further-action", "No further action"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                blank=True, help_text="status, release or withhold", max_length=20
                            ),
                        ),
                        ("text", models.TextField()),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "concern",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notes",
                                to="safeguarding.safeguardingconcern",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_concernnote",
                        "ordering": ["created_at", "pk"],
                    },
                ),
            ],
        ),
        move_content_types("safeguarding", ["safeguardingconcern", "concernnote"]),
    ]
