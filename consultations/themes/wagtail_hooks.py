"""Theme coding's place in the Wagtail admin.

- Codebooks under Snippets, with their themes edited inline and "Copy" for a consultation.
- The coding screens of each consultation (coding, quality, discovery, themed summary), served
  under ``/admin/consultations/<id>/`` beside its responses, in their own ``themes`` namespace.
- A "Coding" button on each consultation's header and in the page explorer's "more" menu.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet

from consultations.admin.buttons import ResponsesPageButton
from consultations.themes.admin import theme_coding
from consultations.themes.admin.codebooks import CodebookViewSet

register_snippet(CodebookViewSet)


class ThemeCodingViewSet(ViewSet):
    """The coding screens; no menu item of their own (they are reached from a consultation)."""

    name = theme_coding.URL_NAMESPACE
    url_prefix = "consultations"

    def get_urlpatterns(self):
        return theme_coding.get_urlpatterns()


@hooks.register("register_admin_viewset")
def register_theme_coding_viewset():
    return ThemeCodingViewSet()


class CodingPageButton(ResponsesPageButton):
    """The "Coding" button on a consultation's header and "more" menu: its coding screen."""

    label = gettext_lazy("Coding")
    icon_name = "tag"

    @property
    def url(self):
        return reverse(f"{theme_coding.URL_NAMESPACE}:coding", args=[self.page.pk])

    def is_shown(self, user):
        return super().is_shown(user) and user.has_perm("themes.add_humancoding")


@hooks.register("register_page_header_buttons")
def page_header_coding_button(page, user, view_name, next_url=None):
    yield CodingPageButton(page=page, priority=26)


@hooks.register("register_page_listing_more_buttons")
def page_listing_coding_button(page, user, next_url=None):
    yield CodingPageButton(page=page, priority=16)
