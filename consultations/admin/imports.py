"""Importing paper and workshop answers, and undoing an import.

Three steps: upload a file and say where the answers came from; match its columns to questions
on a preview (a guess is made from the headings) and check or import; or cancel. The work is done
by ``consultations.services.imports``; these views only move between the steps.

Between the upload and the import the file is a pending import (``ImportJob``), as the rows read
from it, in the database: not in the session (which any of the facilitator's requests carries
about, for two weeks) and not as a file in MEDIA_ROOT (which the public web server serves). Only
the facilitator who uploaded it, or an admin, may open it; it goes when it is imported or
cancelled, when they upload another file for the same consultation, and a day after the upload
at the latest. A file over ``task_threshold_bytes`` (1 MB) is read by a task: the preview's
address shows how far it has got, refreshing itself (no JavaScript needed), until the rows are
ready to match and check.
"""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn, UserColumn
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from consultations.models import ImportBatch, ImportJobStatus, Source
from consultations.services import OTHER
from consultations.services.imports import (
    IMPORT_SOURCES,
    PENDING_FOR,
    SUBMITTED_AT,
    ImportFileError,
    ImportInvalid,
    ParsedFile,
    cell_to_raw_answer,
    discard_import,
    guess_mapping,
    import_responses,
    max_bytes,
    max_rows,
    pending_import,
    prepare_rows,
    start_import,
    undo_import,
)

from .responses import ConsultationMixin, admin_url

PREVIEW_ROWS = 5
IGNORE = ""
#: Seconds between the progress page's refreshes while a large file is read.
REFRESH_SECONDS = 3


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of answers"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Where the answers came from"),
        choices=[(source.value, source.label) for source in IMPORT_SOURCES],
        initial=Source.PAPER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file (saved as “CSV UTF-8”) or an Excel file (.xlsx), up to %(size)s MB and "
            "%(rows)s rows. The first row must hold the column headings, one row per person."
        ) % {"size": f"{max_bytes() / (1024 * 1024):g}", "rows": f"{max_rows():,}"}


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: the question it answers, the date, or nothing."""

    def __init__(self, *args, parsed: ParsedFile, questions, initial_mapping=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        self.questions = questions
        choices = [
            (IGNORE, _("Ignore this column")),
            (SUBMITTED_AT, _("The date the answers were given")),
            *((str(q.pk), f"{n}. {q.text}") for n, q in enumerate(questions, start=1)),
        ]
        initial_mapping = initial_mapping or {}
        for column, heading in enumerate(parsed.headings):
            self.fields[f"column-{column}"] = forms.ChoiceField(
                label=heading,
                choices=choices,
                required=False,
                initial=str(initial_mapping.get(column, IGNORE)),
            )

    def mapping(self) -> dict[int, int | str]:
        """The columns matched, as ``{column index: question id or SUBMITTED_AT}``."""
        source = self.cleaned_data if self.is_bound else {}
        mapping = {}
        for column in range(len(self.parsed.headings)):
            name = f"column-{column}"
            value = source.get(name) if self.is_bound else self.fields[name].initial
            if value == SUBMITTED_AT:
                mapping[column] = SUBMITTED_AT
            elif value:
                mapping[column] = int(value)
        return mapping

    def columns(self):
        """Each column's field with its first values, for the matching table."""
        for column, heading in enumerate(self.parsed.headings):
            yield {
                "heading": heading,
                "field": self[f"column-{column}"],
                "examples": [cells[column] for _n, cells in self.parsed.rows[:3] if cells[column]],
            }


class ImportPermissionMixin(PermissionCheckedMixin, ConsultationMixin):
    model = ImportBatch
    permission_required = "add"
    header_icon = "upload"

    def get_page_title(self):
        return _("Import answers")

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*self.consultation_breadcrumbs(), {"url": "", "label": _("Import answers")}]


class PendingImportMixin(ImportPermissionMixin):
    """Loads the pending import named in the URL, if this user may see it; else starts again."""

    @cached_property
    def job(self):
        return pending_import(
            consultation=self.consultation, job_id=self.kwargs["job_id"], user=self.request.user
        )

    def start_again(self):
        messages.warning(
            self.request, _("There is no file waiting to be imported. Upload it (again) here.")
        )
        return redirect(admin_url("import", self.consultation.pk))


class ImportUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Step 1: the file, and where its answers came from."""

    form_class = ImportUploadForm
    template_name = "consultations/admin/import_upload.html"

    def form_valid(self, form):
        try:
            job = start_import(
                consultation=self.consultation,
                file=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                user=self.request.user,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return redirect(admin_url("import_preview", self.consultation.pk, job.pk))


class ImportPreviewView(PendingImportMixin, WagtailAdminTemplateMixin, TemplateView):
    """Step 2: while a large file is read, how far it has got; then match columns to questions,
    see how the first rows read, and check or import."""

    template_name = "consultations/admin/import_preview.html"
    progress_template_name = "consultations/admin/import_progress.html"

    def get(self, request, *args, **kwargs):
        job = self.job
        if job is None:
            return self.start_again()
        if job.status != ImportJobStatus.READY:
            return self.progress()
        parsed = self.parsed
        form = ColumnMappingForm(
            parsed=parsed,
            questions=self.questions,
            initial_mapping=guess_mapping(headings=parsed.headings, questions=self.questions),
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        job = self.job
        if job is None:
            return self.start_again()
        if job.status != ImportJobStatus.READY:
            return redirect(admin_url("import_preview", self.consultation.pk, job.pk))
        parsed = self.parsed
        form = ColumnMappingForm(request.POST, parsed=parsed, questions=self.questions)
        context = {"form": form}
        if not form.is_valid():  # only a tampered choice gets here
            return self.render_to_response(self.get_context_data(**context))
        mapping = form.mapping()
        try:
            if request.POST.get("action") == "import":
                batch = import_responses(
                    consultation=self.consultation,
                    parsed=parsed,
                    mapping=mapping,
                    source=job.source,
                    user=request.user,
                )
            else:
                rows = prepare_rows(consultation=self.consultation, parsed=parsed, mapping=mapping)
                context["checked_rows"] = len(rows)
                return self.render_to_response(self.get_context_data(**context))
        except ImportInvalid as invalid:
            context["problems"] = invalid.problems
            return self.render_to_response(self.get_context_data(**context))
        discard_import(job=job)
        messages.success(
            request,
            ngettext(
                "Imported %(count)s response from “%(filename)s”.",
                "Imported %(count)s responses from “%(filename)s”.",
                batch.row_count,
            )
            % {"count": batch.row_count, "filename": batch.filename},
        )
        return redirect(f"{admin_url('responses', self.consultation.pk)}?import_batch={batch.pk}")

    def progress(self):
        """The file is still being read (or could not be read): say so, and refresh."""
        job = self.job
        context = super().get_context_data(  # the page's frame, without the preview's context
            job=job,
            refresh_seconds=REFRESH_SECONDS,
            upload_url=admin_url("import", self.consultation.pk),
            cancel_url=admin_url("import_cancel", self.consultation.pk, job.pk),
        )
        response = self.response_class(
            request=self.request, template=[self.progress_template_name], context=context
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @cached_property
    def parsed(self) -> ParsedFile:
        return ParsedFile.from_dict(self.job.parsed)

    @cached_property
    def questions(self):
        return list(self.consultation.ordered_questions())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        parsed = form.parsed
        mapping = form.mapping() if not form.is_bound or form.is_valid() else {}
        job = self.job
        context["job"] = job
        context["parsed"] = parsed
        context["source_label"] = Source(job.source).label
        context["row_count"] = len(parsed.rows)
        context["preview"] = self.preview(parsed, mapping)
        context["forgotten_after_hours"] = int(PENDING_FOR.total_seconds() // 3600)
        context["cancel_url"] = admin_url("import_cancel", self.consultation.pk, job.pk)
        # Importing the same file twice would count its people twice: say so before it happens.
        context["earlier_imports"] = ImportBatch.objects.filter(
            page=self.consultation, filename=parsed.filename
        ).order_by("-imported_at")
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "private, no-store"  # answers as written, not yet screened
        return response

    def preview(self, parsed: ParsedFile, mapping) -> dict:
        """The first rows as they will be read: each matched question with its answer."""
        by_id = {q.pk: q for q in self.questions}
        matched = [
            (column, by_id[target])
            for column, target in sorted(mapping.items())
            if target != SUBMITTED_AT and target in by_id
        ]
        date_column = next((c for c, t in mapping.items() if t == SUBMITTED_AT), None)
        options = {question.pk: question.choice_options() for _c, question in matched}
        rows = []
        for number, cells in parsed.rows[:PREVIEW_ROWS]:
            answers = []
            for column, question in matched:
                raw = (
                    cell_to_raw_answer(question, cells[column], options[question.pk])
                    if cells[column]
                    else None
                )
                answers.append(_read_back(raw))
            when = cells[date_column] if date_column is not None else ""
            rows.append({"number": number, "when": when, "answers": answers})
        return {
            "questions": [question for _c, question in matched],
            "has_date": date_column is not None,
            "rows": rows,
        }


def _read_back(raw) -> str:
    if raw is None:
        return ""
    values = [v for v in raw.values if v != OTHER]
    if raw.other:
        values.append(_("Other: %(text)s") % {"text": raw.other})
    return "; ".join(values)


class ImportCancelView(PendingImportMixin, WagtailAdminTemplateMixin, TemplateView):
    """Forget the file waiting to be imported (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.job is not None:
            discard_import(job=self.job)
        messages.success(request, _("The file was not imported, and has been forgotten."))
        return redirect(admin_url("responses", self.consultation.pk))


# The imports of a consultation, and undoing one -------------------------------------------------


class UndoColumn(Column):
    cell_template_name = "consultations/admin/undo_cell.html"


class ImportBatchIndexView(PermissionCheckedMixin, ConsultationMixin, BaseListingView):
    """A consultation's imports: which file, how many responses, who, when; each can be undone."""

    model = ImportBatch
    permission_required = "view"
    header_icon = "upload"
    paginate_by = 50
    default_ordering = "-imported_at"
    verbose_name_plural = gettext_lazy("imports")

    def get_page_title(self):
        return _("Imports")

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*self.consultation_breadcrumbs(), {"url": "", "label": _("Imports")}]

    def get_index_url(self):
        return admin_url("imports", self.consultation.pk)

    @cached_property
    def columns(self):
        page_id = self.consultation.pk
        columns = [
            TitleColumn(
                "filename",
                label=_("File"),
                get_url=lambda b: f"{admin_url('responses', page_id)}?import_batch={b.pk}",
            ),
            Column("source", accessor=lambda b: _source_label(b.source), label=_("Source")),
            NumberColumn("response_count", label=_("Responses")),
            UserColumn("imported_by", label=_("Imported by")),
            DateColumn("imported_at", label=_("Imported"), sort_key="imported_at"),
        ]
        if self.request.user.has_perm("consultations.delete_importbatch"):
            columns.append(UndoColumn("undo", label="", accessor="pk"))
        return columns

    def get_base_queryset(self):
        return (
            ImportBatch.objects.filter(page=self.consultation)
            .select_related("imported_by")
            .annotate(response_count=Count("responses"))
        )

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering or self.default_ordering, "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["undo_url_name"] = "consultations:undo_import"
        return context


def _source_label(source: str) -> str:
    return Source(source).label if source in Source.values else source


class UndoImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then delete an import batch and every response it brought in."""

    model = ImportBatch
    permission_required = "delete"
    template_name = "consultations/admin/undo_import.html"
    header_icon = "bin"

    @cached_property
    def batch(self):
        return get_object_or_404(
            ImportBatch.objects.select_related("page", "imported_by"), pk=self.kwargs["batch_id"]
        )

    def get_page_title(self):
        return _("Undo this import")

    def get_page_subtitle(self):
        return self.batch.filename

    def get_breadcrumbs_items(self):
        page = self.batch.page
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": admin_url("index"), "label": _("Responses")},
            {"url": admin_url("responses", page.pk), "label": page.get_admin_display_title()},
            {"url": admin_url("imports", page.pk), "label": _("Imports")},
            {"url": "", "label": _("Undo this import")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.batch
        context["response_count"] = self.batch.responses.count()
        context["source_label"] = _source_label(self.batch.source)
        context["cancel_url"] = admin_url("imports", self.batch.page_id)
        return context

    def post(self, request, *args, **kwargs):
        batch = self.batch
        page_id, filename = batch.page_id, batch.filename
        deleted = undo_import(batch=batch, user=request.user)
        messages.success(
            request,
            ngettext(
                "Import of “%(filename)s” undone: %(count)s response deleted.",
                "Import of “%(filename)s” undone: %(count)s responses deleted.",
                deleted,
            )
            % {"filename": filename, "count": deleted},
        )
        return redirect(reverse("consultations:imports", args=[page_id]))
