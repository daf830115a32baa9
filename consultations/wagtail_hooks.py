"""The consultations' place in the Wagtail admin.

- The "Responses" area (menu item, listings, downloads, imports): ``consultations.admin``.
- A "Responses" button on each consultation's header and in the page explorer's "more" menu.
- Refusing to delete a consultation that has answers, one page or many at once: the answers
  would be lost, and the database refuses anyway (``Response.page`` is protected).
- Audit log wording for imports and undos, and for reading or downloading answers as written.
- No autosave on the form that adds a consultation: see ``no_autosave_before_the_first_save``.
- The page editor's reading-age figures, redrawn as the facilitator types: ``reading_age``.

Copying a consultation needs nothing here: Wagtail's "Copy" copies its questions (they hang from
the page by a ParentalKey) and never its responses (a plain ForeignKey to the page).
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from consultations.admin.analysis_options import AnalysisOptionsViewSet
from consultations.admin.buttons import ResponsesPageButton
from consultations.admin.responses import consultations_with_answers
from consultations.admin.viewset import ConsultationResponsesViewSet
from consultations.models import ConsultationPage, Source
from consultations.models.questions import reading_age_label
from consultations.services import raw_answers
from consultations.services.imports import LOG_IMPORT, LOG_UNDO_IMPORT


@hooks.register("register_admin_viewset")
def register_responses_viewset():
    return ConsultationResponsesViewSet()


# Per-consultation word cloud options (Snippets → Analysis options).
register_snippet(AnalysisOptionsViewSet)


@hooks.register("register_page_header_buttons")
def page_header_responses_button(page, user, view_name, next_url=None):
    yield ResponsesPageButton(page=page, priority=25)


@hooks.register("register_page_listing_more_buttons")
def page_listing_responses_button(page, user, next_url=None):
    yield ResponsesPageButton(page=page, priority=15)


def _refusal(pages_with_answers) -> str:
    if len(pages_with_answers) == 1:
        consultation, count = pages_with_answers[0]
        if count:
            return ngettext(
                "“%(title)s” has %(count)s response, so it cannot be deleted: the answer would "
                "be lost. Unpublish it instead to take it off the site.",
                "“%(title)s” has %(count)s responses, so it cannot be deleted: the answers "
                "would be lost. Unpublish it instead to take it off the site.",
                count,
            ) % {"title": consultation.title, "count": count}
        return _(
            "“%(title)s” has imported files recorded against it, so it cannot be deleted. "
            "Undo its imports first."
        ) % {"title": consultation.title}
    return _(
        "These consultations have responses, so they cannot be deleted: %(titles)s. Their "
        "answers would be lost. Unpublish them instead to take them off the site."
    ) % {"titles": ", ".join(f"“{c.title}”" for c, _count in pages_with_answers)}


@hooks.register("before_delete_page")
def refuse_to_delete_consultations_with_answers(request, page):
    """Stop the delete (before the confirmation page) when answers would go with the page."""
    with_answers = consultations_with_answers(page)
    if not with_answers:
        return None
    messages.error(request, _refusal(with_answers))
    next_url = get_valid_next_url_from_request(request)
    if next_url and next_url != reverse("wagtailadmin_pages:delete", args=[page.pk]):
        return redirect(next_url)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_to_bulk_delete_consultations_with_answers(request, action_type, objects, action):
    if action_type != "delete" or not issubclass(action.model, Page):
        return None
    with_answers = [found for page in objects for found in consultations_with_answers(page)]
    if not with_answers:
        return None
    messages.error(request, _refusal(with_answers))
    if action.next_url and action.next_url != request.path:
        return redirect(action.next_url)
    return redirect("wagtailadmin_explore", objects[0].get_parent().pk)


@hooks.register("before_create_page")
def no_autosave_before_the_first_save(request, parent_page, page_class):
    """Refuse Wagtail's autosave on the form that adds a consultation.

    Wagtail 8 autosaves the add form as soon as a title is typed, which makes a draft page. An
    editor who left that form thinking nothing was saved, and started again, was told the
    address ("slug") was already in use, by a draft they did not know about. So a new
    consultation is saved only when the editor chooses to; from then on, in the edit form,
    autosave works as usual. Leaving the add form with changes still asks "Leave this page?".

    Wagtail passes a JSON answer from this hook back to its autosave script, which shows the
    message below the form; "validation_error" is the error its script shows as written.
    ``WAGTAIL_AUTOSAVE_INTERVAL = 0`` would do the same for every page and snippet, everywhere.
    """
    if not issubclass(page_class, ConsultationPage) or request.method != "POST":
        return None
    if request.accepts("text/html"):  # "Save draft" or "Publish", not autosave
        return None
    return JsonResponse(
        {
            "success": False,
            "error_code": "validation_error",
            "error_message": _(
                "A new consultation is first saved when you choose “Save draft” or “Publish”. "
                "After that, your changes are saved automatically."
            ),
        },
        status=400,
    )


#: Longer than any field the figures are for; a longer text is refused rather than measured.
READING_AGE_MAX_CHARS = 20_000


def reading_age(request):
    """The reading-age figure for the text POSTed as ``text``, as JSON ``{"label": ...}``.

    For ``consultations/js/reading_age.js`` in the page editor, so the figure it draws comes from
    the same formula as the one drawn with the page (``reading_age_label``). Admin URLs are for
    people who may use the admin only (Wagtail's ``require_admin_access``); nothing is stored.
    """
    if request.method != "POST":
        return JsonResponse({"error": _("Send the text by POST.")}, status=405)
    text = request.POST.get("text", "")
    if len(text) > READING_AGE_MAX_CHARS:
        return JsonResponse({"error": _("This is too long to measure.")}, status=400)
    return JsonResponse({"label": reading_age_label(text)})


@hooks.register("register_admin_urls")
def register_reading_age_url():
    return [path("consultations/reading-age/", reading_age, name="consultations_reading_age")]


@hooks.register("insert_editor_js")
def reading_age_editor_js():
    return format_html(
        '<script src="{}" defer></script>', static("consultations/js/reading_age.js")
    )


@hooks.register("register_log_actions")
def register_raw_answer_log_actions(actions):
    @actions.register_action(raw_answers.LOG_VIEW_RAW)
    class ReadAsWrittenFormatter(LogFormatter):
        label = gettext_lazy("Read an answer as written")

        def format_message(self, log_entry):
            if (log_entry.data or {}).get("where") == raw_answers.WHERE_RESPONSE:
                return _("Read the answer as written, on its response's page")
            return _("Viewed the concern and read the answer as written")

    @actions.register_action(raw_answers.LOG_DOWNLOAD_RAW)
    class DownloadAsWrittenFormatter(LogFormatter):
        label = gettext_lazy("Download answers as written")

        def format_message(self, log_entry):
            return _("Downloaded the responses (%(format)s) with the words as written") % {
                "format": str((log_entry.data or {}).get("format", "")).upper()
            }


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    @actions.register_action(LOG_IMPORT)
    class ImportFormatter(LogFormatter):
        label = gettext_lazy("Import answers")

        def format_message(self, log_entry):
            return describe_import(log_entry.data or {})

    @actions.register_action(LOG_UNDO_IMPORT)
    class UndoImportFormatter(LogFormatter):
        label = gettext_lazy("Undo an import")

        def format_message(self, log_entry):
            return describe_undo(log_entry.data or {})


def describe_import(data: dict) -> str:
    """The audit log's wording for an import."""
    return ngettext(
        "Imported %(rows)s response from “%(filename)s” (%(source)s)",
        "Imported %(rows)s responses from “%(filename)s” (%(source)s)",
        data.get("rows", 0),
    ) % {
        "rows": data.get("rows", 0),
        "filename": data.get("filename", ""),
        "source": _source_label(data.get("source", "")),
    }


def describe_undo(data: dict) -> str:
    return ngettext(
        "Undid the import of “%(filename)s”: %(deleted)s response deleted",
        "Undid the import of “%(filename)s”: %(deleted)s responses deleted",
        data.get("deleted", 0),
    ) % {"filename": data.get("filename", ""), "deleted": data.get("deleted", 0)}


def _source_label(source: str) -> str:
    try:
        return str(Source(source).label).lower()
    except ValueError:
        return source
