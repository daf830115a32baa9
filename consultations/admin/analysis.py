"""Facilitators' word cloud of a consultation: filters, the cloud, its chart, table and downloads.

Everything shown is drawn from stored term counts of redacted, released answers
(``consultations.selectors``); the words people wrote are never read here. The same
permission as the responses listing (``consultations.view_response``): facilitators and admins.
A filtered cloud of a group the Executive's report would not show (fewer young people than the
suppression threshold, or a number that would give a smaller group away) is not drawn, and its
image is not served: its words would be that small group's.
"""

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations.models import QuestionKind, Response
from consultations.reports.filters import ReportFilterForm
from consultations.reports.selectors import headline
from consultations.selectors import TermFilters
from consultations.services.word_clouds import word_cloud, word_cloud_panel

from .responses import ConsultationMixin, admin_url

TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class WordCloudMixin(PermissionCheckedMixin, ConsultationMixin):
    model = Response
    permission_required = "view"

    @cached_property
    def form(self) -> ReportFilterForm:
        return ReportFilterForm(self.request.GET or None, consultation=self.consultation)

    @cached_property
    def filters(self) -> TermFilters:
        return self.form.filters() if self.request.GET else TermFilters()

    @cached_property
    def too_small(self) -> bool:
        if self.filters == TermFilters():
            return False
        return headline(self.consultation, self.filters).too_small


class WordCloudView(WordCloudMixin, WagtailAdminTemplateMixin, TemplateView):
    """The word cloud page: filters, the cloud with its alt text, chart, table and downloads."""

    template_name = "consultations/admin/word_cloud.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Word cloud")

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*self.consultation_breadcrumbs(), {"url": "", "label": _("Word cloud")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("download", None)
        query = params.urlencode()
        params["download"] = "1"
        download = params.urlencode()
        pk = self.consultation.pk
        png, svg = admin_url("word_cloud_png", pk), admin_url("word_cloud_svg", pk)
        context.update(
            form=self.form,
            too_small=self.too_small,
            panel=None
            if self.too_small
            else word_cloud_panel(self.consultation, filters=self.filters),
            png_url=f"{png}?{query}" if query else png,
            png_download_url=f"{png}?{download}",
            svg_download_url=f"{svg}?{download}",
            reset_url=admin_url("word_cloud", pk),
        )
        return context


class WordCloudImageView(WordCloudMixin, View):
    """The word cloud as a PNG or SVG file, for the page's image and for downloads."""

    fmt = "png"

    def get(self, request, *args, **kwargs):
        if self.request.GET and not self.form.is_valid():
            raise Http404
        if self.too_small:
            raise Http404
        drawn = word_cloud(self.consultation, filters=self.filters, fmt=self.fmt)
        if self.fmt == "png":
            response = HttpResponse(drawn, content_type="image/png")
        else:
            response = HttpResponse(drawn, content_type="image/svg+xml; charset=utf-8")
        if request.GET.get("download"):
            filename = f"{self.consultation.slug}-word-cloud.{self.fmt}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, max-age=60"
        return response


def get_urlpatterns():
    """The word cloud's URLs, added to ``ConsultationResponsesViewSet`` (``viewset.py``)."""
    return [
        path("<int:page_id>/word-cloud/", WordCloudView.as_view(), name="word_cloud"),
        path(
            "<int:page_id>/word-cloud.png",
            WordCloudImageView.as_view(fmt="png"),
            name="word_cloud_png",
        ),
        path(
            "<int:page_id>/word-cloud.svg",
            WordCloudImageView.as_view(fmt="svg"),
            name="word_cloud_svg",
        ),
    ]
