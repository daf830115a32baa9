"""Background tasks for reports (the Django Tasks API; see ``consultations.tasks`` for backends)."""

from django_tasks import task

from .exports import build_export, purge_old_exports


@task()
def build_report_export_task(export_id: int) -> dict:
    """Build a large report's PDF or workbook for a ``ReportExport`` (safe to run twice)."""
    export = build_export(export_id)
    return {"export": export.pk, "status": export.status}


@task()
def purge_report_exports_task() -> dict:
    """Delete report exports (and their files) more than a day old."""
    return {"deleted": purge_old_exports()}
