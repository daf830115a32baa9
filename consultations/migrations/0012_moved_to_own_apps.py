# Safeguarding, theme coding, report exports and commitments now live in their own apps
# (consultations.safeguarding, .themes, .reports, .commitments), whose first migrations take the
# models over with their tables unchanged. This removes them from consultations' state only:
# no table is dropped or renamed.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0011_import_jobs"),
        ("safeguarding", "0001_initial"),
        ("themes", "0001_initial"),
        ("reports", "0001_initial"),
        ("commitments", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="theme",
                    name="codebook",
                ),
                migrations.RemoveField(
                    model_name="humancoding",
                    name="codebook",
                ),
                migrations.RemoveField(
                    model_name="codingrun",
                    name="codebook",
                ),
                migrations.RemoveField(
                    model_name="machinecode",
                    name="run",
                ),
                migrations.RemoveField(
                    model_name="commitment",
                    name="consultation",
                ),
                migrations.RemoveField(
                    model_name="commitment",
                    name="theme",
                ),
                migrations.RemoveField(
                    model_name="commitmentfeedback",
                    name="commitment",
                ),
                migrations.RemoveField(
                    model_name="progressupdate",
                    name="commitment",
                ),
                migrations.RemoveField(
                    model_name="concernnote",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="concernnote",
                    name="concern",
                ),
                migrations.RemoveField(
                    model_name="humancoding",
                    name="answer",
                ),
                migrations.RemoveField(
                    model_name="humancoding",
                    name="coder",
                ),
                migrations.RemoveField(
                    model_name="humancoding",
                    name="themes",
                ),
                migrations.RemoveField(
                    model_name="machinecode",
                    name="answer",
                ),
                migrations.RemoveField(
                    model_name="machinecode",
                    name="theme",
                ),
                migrations.RemoveField(
                    model_name="reportexport",
                    name="consultation",
                ),
                migrations.RemoveField(
                    model_name="reportexport",
                    name="requested_by",
                ),
                migrations.RemoveField(
                    model_name="safeguardingconcern",
                    name="answer",
                ),
                migrations.RemoveField(
                    model_name="safeguardingconcern",
                    name="consultation",
                ),
                migrations.RemoveField(
                    model_name="safeguardingconcern",
                    name="respondent",
                ),
                migrations.RemoveField(
                    model_name="safeguardingconcern",
                    name="response",
                ),
                migrations.RemoveField(
                    model_name="theme",
                    name="parent",
                ),
                migrations.DeleteModel(
                    name="Codebook",
                ),
                migrations.DeleteModel(
                    name="CodingRun",
                ),
                migrations.DeleteModel(
                    name="CommitmentFeedback",
                ),
                migrations.DeleteModel(
                    name="Commitment",
                ),
                migrations.DeleteModel(
                    name="ProgressUpdate",
                ),
                migrations.DeleteModel(
                    name="ConcernNote",
                ),
                migrations.DeleteModel(
                    name="HumanCoding",
                ),
                migrations.DeleteModel(
                    name="MachineCode",
                ),
                migrations.DeleteModel(
                    name="ReportExport",
                ),
                migrations.DeleteModel(
                    name="SafeguardingConcern",
                ),
                migrations.DeleteModel(
                    name="Theme",
                ),
            ],
        ),
    ]
