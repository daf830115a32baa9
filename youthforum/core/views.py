"""Small site-wide views: search, privacy notice, health check and error pages."""

import logging

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

logger = logging.getLogger(__name__)


@require_GET
def search(request):
    """Search live, public pages with Wagtail's database backend, ten results to a page."""
    query = request.GET.get("query", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    paginator = Paginator(results, 10)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request, "core/search.html", {"query": query, "page_obj": page_obj, "paginator": paginator}
    )


@require_GET
def privacy(request):
    return TemplateResponse(request, "core/privacy.html", {})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check failed: the database did not answer.")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """The 500 page, rendered without a request context: the database may be why we are here."""
    return HttpResponseServerError(loader.render_to_string("500.html"))


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to: send them to the site's icon."""
    return redirect(static("img/favicon.svg"), permanent=True)
