from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page's live children that editors ticked "Show in menus", in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(
        site.root_page.get_children().live().public().in_menu().only("title", "url_path", "depth")
    )
