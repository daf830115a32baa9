from functools import partial

from django import template
from wagtail.contrib.settings.context_processors import SettingModuleProxy, SettingProxy
from wagtail.models import Site

from youthforum.core.tree_cache import remembered_for_tree

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page's live children that editors ticked "Show in menus", in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return remembered_for_tree(
        request,
        f"main-menu:{site.pk}",
        lambda: list(
            site.root_page.get_children()
            .live()
            .public()
            .in_menu()
            .only("title", "url_path", "depth")
        ),
    )


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page):
    """The pages above ``page``, from the site's home page down (Wagtail's root left out)."""
    request = context.get("request")
    if page is None:
        return []

    def ancestors():
        return list(page.get_ancestors().filter(depth__gt=1).only("title", "url_path", "depth"))

    if request is None or page.pk is None:  # a preview of a page not yet saved: not remembered
        return ancestors()
    return remembered_for_tree(request, f"breadcrumbs:{page.pk}", ancestors)


class _RememberedSettingModule(SettingModuleProxy):
    """Wagtail's settings for one app, each remembered until the page tree version changes."""

    def __init__(self, request, site, app_label):
        super().__init__(site, app_label)
        self.request = request

    def get_setting(self, model_name):
        key = f"setting:{self.app_label}.{model_name}:{self.request_or_site.pk}"
        return remembered_for_tree(self.request, key, partial(super().get_setting, model_name))


class _RememberedSettings(SettingProxy):
    def __init__(self, request, site):
        super().__init__(site)
        self.request = request

    def __missing__(self, app_label):
        self[app_label] = value = _RememberedSettingModule(
            self.request, self.request_or_site, app_label
        )
        return value


@register.simple_tag(takes_context=True)
def site_settings(context):
    """What ``{% get_settings use_default_site=True %}`` gives, without two queries a page.

    The default site and each setting read through it are remembered until the page tree
    version changes (saving any setting changes it). Shared by requests: read, never change.
    """
    request = context.get("request")

    def default_site():
        return Site.objects.select_related("root_page").get(is_default_site=True)

    if request is None:
        return SettingProxy(default_site())
    return _RememberedSettings(request, remembered_for_tree(request, "default-site", default_site))
