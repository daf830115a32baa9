# Report exports move from the default (media) storage, where MEDIA_ROOT/reports/ was served at
# /media/reports/ under guessable names, to the private storage under random names.
#
# Files built by earlier versions are deleted, not moved: an export lives a day and is rebuilt
# on request, so nothing is lost that a reader cannot get again in a minute, whereas copying
# files full of answers between storages in a migration keeps them longer and can half-fail.
# The rows that pointed at them go too (their status page would offer a file that is gone).
# Every file under reports/ in the default storage goes, including any left behind by a purge
# that could not delete it: nothing else ever wrote there.

import contextlib
import logging

from django.core.files.storage import storages
from django.db import migrations, models

import consultations.reports.models
import youthforum.core.storage

logger = logging.getLogger(__name__)

OLD_FOLDER = "reports"


def _delete_folder(storage, folder: str) -> int:
    """Delete every file under ``folder`` of ``storage`` (and the folder, where that is a thing);
    return how many files went."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    deleted = 0
    for name in files:
        storage.delete(f"{folder}/{name}")
        deleted += 1
    for sub in folders:
        deleted += _delete_folder(storage, f"{folder}/{sub}")
    with contextlib.suppress(OSError):  # a folder that is not empty stays
        storage.delete(folder)  # FileSystemStorage removes the empty folder; others need not
    return deleted


def delete_public_report_files(apps, schema_editor):
    ReportExport = apps.get_model("consultations", "ReportExport")
    public = storages["default"]
    built = ReportExport.objects.exclude(file="")
    for name in built.values_list("file", flat=True):
        if public.exists(name):
            public.delete(name)
    rows, _ = built.delete()
    files = _delete_folder(public, OLD_FOLDER)
    if rows or files:
        logger.info(
            "Deleted %s report exports and %s files from the public reports/ folder",
            rows,
            files,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_report_exports"),
    ]

    operations = [
        migrations.RunPython(delete_public_report_files, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportexport",
            name="file",
            field=models.FileField(
                blank=True,
                storage=youthforum.core.storage.private_storage,
                upload_to=consultations.reports.models.export_file_name,
                verbose_name="file",
            ),
        ),
    ]
