"""The URLs of the consultations' admin views, and their "Consultations" menu item."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import analysis, imports, responses, workspace


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("consultations.view_response")


class ConsultationResponsesViewSet(ViewSet):
    """Everything under /admin/consultations/: the list of consultations (the "Consultations"
    menu item), and each consultation's workspace: its overview, responses, downloads, imports
    and undos, word cloud. Its coding screens are served beside them by the themes app
    (``consultations/themes/wagtail_hooks.py``); ``tabs.py`` joins them all up."""

    name = responses.URL_NAMESPACE
    icon = "clipboard-list"
    menu_label = _("Consultations")
    menu_name = "consultations"
    menu_order = 150  # after Pages (100), before Images (300)
    add_to_admin_menu = True
    menu_item_class = ConsultationsMenuItem

    def get_urlpatterns(self):
        return [
            path("", responses.ConsultationIndexView.as_view(), name="index"),
            path(
                "results/",
                responses.ConsultationIndexView.as_view(results_only=True),
                name="index_results",
            ),
            path("<int:page_id>/", workspace.ConsultationOverviewView.as_view(), name="overview"),
            path(
                "<int:page_id>/responses/",
                responses.ResponseIndexView.as_view(),
                name="responses",
            ),
            path(
                "<int:page_id>/responses/results/",
                responses.ResponseIndexView.as_view(results_only=True),
                name="responses_results",
            ),
            path(
                "<int:page_id>/responses/<int:response_id>/",
                responses.ResponseDetailView.as_view(),
                name="response",
            ),
            path("<int:page_id>/import/", imports.ImportUploadView.as_view(), name="import"),
            path(
                "<int:page_id>/import/<int:job_id>/",
                imports.ImportPreviewView.as_view(),
                name="import_preview",
            ),
            path(
                "<int:page_id>/import/<int:job_id>/cancel/",
                imports.ImportCancelView.as_view(),
                name="import_cancel",
            ),
            path("<int:page_id>/imports/", imports.ImportBatchIndexView.as_view(), name="imports"),
            path(
                "imports/<int:batch_id>/undo/",
                imports.UndoImportView.as_view(),
                name="undo_import",
            ),
            *analysis.get_urlpatterns(),  # word clouds
        ]
