"""Buttons on a consultation page's header and in the page explorer's "more" menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus.pages import PageMenuItem

from consultations.models import ConsultationPage


class ResponsesPageButton(PageMenuItem):
    """The "Responses" button: shown on consultations to those who may read their answers."""

    label = gettext_lazy("Responses")
    icon_name = "clipboard-list"

    @property
    def url(self):
        return reverse("consultations:responses", args=[self.page.pk])

    def is_shown(self, user):
        specific_class = self.page.specific_class
        return (
            specific_class is not None
            and issubclass(specific_class, ConsultationPage)
            and user.has_perm("consultations.view_response")
        )
