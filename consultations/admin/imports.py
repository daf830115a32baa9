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
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn, UserColumn
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from consultations.analysis.column_matching import is_tool_column
from consultations.models import ImportBatch, ImportJobStatus, Source
from consultations.services import OTHER
from consultations.services.import_jobs import (
    PENDING_FOR,
    discard_import,
    pending_import,
    start_import,
)
from consultations.services.imports import (
    IMPORT_SOURCES,
    LEAVE_OUT,
    SUBMITTED_AT,
    ImportFileError,
    ImportInvalid,
    ParsedFile,
    answer_template,
    cell_to_raw_answer,
    check_rows,
    guess_mapping,
    import_responses,
    max_bytes,
    max_rows,
    rows_to_fix_xlsx,
    undo_import,
)

from .responses import ConsultationMixin, admin_url, consultation_breadcrumbs
from .tabs import current_tab, workspace_tabs

PREVIEW_ROWS = 5
UNCHOSEN = ""
#: The preview's explicit choices to import part of a file (all or nothing stays the default).
IMPORT_VALID = "import_valid"
ROWS_TO_FIX = "rows_to_fix"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    """One choice per column of the file: the question it answers, the date, or leave it out.

    A column that holds anything must be chosen for: the guess leaves unchosen every column it
    could not match (only a survey tool's own columns, and empty ones, are left out for the
    facilitator), and the form is invalid until each is matched or left out, so no words are
    dropped without someone deciding to.
    """

    def __init__(self, *args, parsed: ParsedFile, questions, initial_mapping=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        self.questions = questions
        choices = [
            (UNCHOSEN, _("Choose…")),
            (LEAVE_OUT, _("Leave out this column")),
            (SUBMITTED_AT, _("The date the answers were given")),
            *((str(q.pk), f"{n}. {q.text}") for n, q in enumerate(questions, start=1)),
        ]
        initial_mapping = initial_mapping or {}
        for column, heading in enumerate(parsed.headings):
            self.fields[f"column-{column}"] = forms.ChoiceField(
                label=heading,
                choices=choices,
                required=False,
                initial=str(initial_mapping.get(column, UNCHOSEN)),
            )

    @cached_property
    def filled(self) -> set[int]:
        """The columns with something in them."""
        return {
            column
            for column in range(len(self.parsed.headings))
            if any(cells[column] for _n, cells in self.parsed.rows)
        }

    def clean(self):
        cleaned = super().clean()
        for column in sorted(self.filled):
            name = f"column-{column}"
            if name in cleaned and cleaned[name] == UNCHOSEN:
                self.add_error(
                    name, _("Choose a question for this column, or “Leave out this column”.")
                )
        return cleaned

    def problems(self) -> list[str]:
        """Every error, named by its column, for the summary at the top of the page."""
        return [
            _("Column “%(heading)s”: %(error)s") % {"heading": heading, "error": error}
            for column, heading in enumerate(self.parsed.headings)
            for error in self.errors.get(f"column-{column}", [])
        ]

    def mapping(self) -> dict[int, int | str]:
        """The columns chosen: ``{column index: question id, SUBMITTED_AT or LEAVE_OUT}``."""
        source = self.cleaned_data if self.is_bound else {}
        mapping = {}
        for column in range(len(self.parsed.headings)):
            name = f"column-{column}"
            value = source.get(name) if self.is_bound else self.fields[name].initial
            if value in (SUBMITTED_AT, LEAVE_OUT):
                mapping[column] = value
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
                "from_tool": is_tool_column(heading)
                and self[f"column-{column}"].value() == LEAVE_OUT,
            }

    def left_out(self, mapping) -> list[str]:
        """The headings of the columns left out that hold something: not imported."""
        return [
            self.parsed.headings[column]
            for column, target in sorted(mapping.items())
            if target == LEAVE_OUT and column in self.filled
        ]


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

    def get(self, request, *args, **kwargs):
        if request.GET.get("template") == "xlsx":
            return self.template_download()
        return super().get(request, *args, **kwargs)

    def template_download(self):
        """The spreadsheet to type this consultation's answers into (``answer_template``)."""
        content = answer_template(consultation=self.consultation)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.consultation.slug}-answers.xlsx"
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_url"] = f"{admin_url('import', self.consultation.pk)}?template=xlsx"
        return context

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
            initial_mapping=guess_mapping(
                headings=parsed.headings,
                questions=self.questions,
                rows=parsed.rows,
                consultation=self.consultation,
            ),
        )
        return self.render_to_response(self.get_context_data(form=form, **self.first_check(form)))

    def first_check(self, form) -> dict:
        """The rows checked with the guessed matches, so bad values show before any click.

        Columns still to be chosen are passed over for this check only (they must still be
        chosen before anything is imported); matches that cannot be checked (no question
        matched) show nothing yet.
        """
        mapping = form.mapping()
        for column in form.filled - set(mapping):
            mapping[column] = LEAVE_OUT
        try:
            checked = check_rows(
                consultation=self.consultation,
                parsed=form.parsed,
                mapping=mapping,
                questions=self.questions,
            )
        except ImportInvalid:
            return {}
        return {
            "problems": checked.problems,
            "first_check": True,
            "ready_rows": len(checked.ready),
            "bad_row_count": len(checked.bad_rows),
        }

    def post(self, request, *args, **kwargs):
        job = self.job
        if job is None:
            return self.start_again()
        if job.status != ImportJobStatus.READY:
            return redirect(admin_url("import_preview", self.consultation.pk, job.pk))
        parsed = self.parsed
        form = ColumnMappingForm(request.POST, parsed=parsed, questions=self.questions)
        context = {"form": form}
        if not form.is_valid():  # a column left unchosen, or a tampered choice
            context["problems"] = form.problems() or [_("Choose from the lists given.")]
            return self.render_to_response(self.get_context_data(**context))
        mapping = form.mapping()
        action = request.POST.get("action")
        try:
            checked = check_rows(consultation=self.consultation, parsed=parsed, mapping=mapping)
        except ImportInvalid as invalid:  # the matches themselves are wrong
            context["problems"] = invalid.problems
            return self.render_to_response(self.get_context_data(**context))
        if action == ROWS_TO_FIX and checked.bad_rows:
            return self.rows_to_fix(parsed, checked.bad_rows)
        valid_only = action == IMPORT_VALID and bool(checked.ready)
        if action in ("import", IMPORT_VALID) and (valid_only or not checked.problems):
            try:
                batch = import_responses(
                    consultation=self.consultation,
                    parsed=parsed,
                    mapping=mapping,
                    source=job.source,
                    user=request.user,
                    valid_only=valid_only,
                )
            except ImportInvalid as invalid:
                context["problems"] = invalid.problems
                return self.render_to_response(self.get_context_data(**context))
            return self.imported(batch, left_out_rows=len(parsed.rows) - batch.row_count)
        context["problems"] = checked.problems
        context["checked_rows"] = len(checked.ready) if not checked.problems else 0
        context["ready_rows"] = len(checked.ready)
        context["bad_row_count"] = len(checked.bad_rows)
        return self.render_to_response(self.get_context_data(**context))

    def imported(self, batch, *, left_out_rows: int):
        discard_import(job=self.job)
        message = ngettext(
            "Imported %(count)s response from “%(filename)s”.",
            "Imported %(count)s responses from “%(filename)s”.",
            batch.row_count,
        ) % {"count": batch.row_count, "filename": batch.filename}
        if left_out_rows:
            message += " " + ngettext(
                "%(count)s row with problems was not imported.",
                "%(count)s rows with problems were not imported.",
                left_out_rows,
            ) % {"count": left_out_rows}
        messages.success(self.request, message)
        return redirect(f"{admin_url('responses', self.consultation.pk)}?import_batch={batch.pk}")

    def rows_to_fix(self, parsed: ParsedFile, bad_rows) -> HttpResponse:
        """The rows with problems, as written, with their problems: a file to fix and import."""
        response = HttpResponse(
            rows_to_fix_xlsx(parsed=parsed, bad_rows=bad_rows), content_type=XLSX_TYPE
        )
        stem = parsed.filename.rsplit(".", 1)[0] or "answers"
        response["Content-Disposition"] = content_disposition_header(
            True, f"{stem}-rows-to-fix.xlsx"
        )
        response["Cache-Control"] = "private, no-store"
        return response

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
        context["left_out"] = form.left_out(mapping)
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
            if target not in (SUBMITTED_AT, LEAVE_OUT) and target in by_id
        ]
        date_column = next((c for c, t in mapping.items() if t == SUBMITTED_AT), None)
        about_you = self.consultation.about_you_options()  # its own age bands, if it has some
        options = {question.pk: question.choice_options(about_you) for _c, question in matched}
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
    template_name = "consultations/admin/workspace_listing.html"
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
            *consultation_breadcrumbs(page),
            {"url": admin_url("imports", page.pk), "label": _("Imports")},
            {"url": "", "label": _("Undo this import")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.batch
        context["consultation"] = self.batch.page
        context["workspace_tabs"] = workspace_tabs(
            consultation=self.batch.page, user=self.request.user, current=current_tab(self.request)
        )
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
