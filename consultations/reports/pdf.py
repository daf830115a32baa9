"""A consultation's report as a PDF, drawn by WeasyPrint from the same panels as the page.

``render_report_pdf(consultation, filters)`` renders ``consultations/reports/report_pdf.html``
(its own HTML skeleton: page 1 is a short masthead and the one-page key findings, page 2 the
contents, then the choice questions and the details, all from ``includes/report_body.html`` with
``pdf=True``) with the print stylesheet ``consultations/css/report_pdf.css`` and returns the PDF's
bytes. Charts are the panels' inline SVG (vector, with their ``<title>`` and ``<desc>``); the word
cloud is drawn as SVG too.

No network: WeasyPrint fetches through :class:`LocalOnlyFetcher`, which serves static files from
this server's disk (the app directories, ``STATICFILES_DIRS`` or ``STATIC_ROOT``) and ``data:``
URIs, and refuses everything else. The partnership's logo is read from storage here and put into
the page as a ``data:`` URI, so it works with any storage.

To change the look, edit the stylesheet; to change what is in it, the templates.
"""

from __future__ import annotations

import logging
import mimetypes
from base64 import b64encode
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils._os import safe_join
from wagtail.models import Site
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from consultations.selectors import TermFilters
from consultations.services.word_clouds import word_cloud
from youthforum.core.models import SiteSettings

from .report import Report, build_report

logger = logging.getLogger(__name__)

#: The address the PDF's HTML pretends to live at; never fetched (see LocalOnlyFetcher).
BASE_URL = "https://report.invalid/"
TEMPLATE = "reports/report_pdf.html"
#: Steps of a build, for a progress bar: the report, the word cloud, the layout, the file.
STEPS = 4

Progress = Callable[[int, int], None]


class LocalOnlyFetcher(URLFetcher):
    """Serves ``data:`` URIs and this site's static files from disk; refuses anything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"Refused {url}: a report PDF reads only this site's static files.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The local file behind a static URL (as ``{% static %}`` wrote it), or None."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    name = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    try:
        found = finders.find(name)
        if not found and settings.STATIC_ROOT:
            found = safe_join(str(settings.STATIC_ROOT), name)
    except SuspiciousFileOperation:
        return None
    if not found:
        return None
    path = Path(found)
    return path if path.is_file() else None


def site_settings_for(consultation):
    """The partnership's SiteSettings for the consultation's site (the default site if none)."""

    site = consultation.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return SiteSettings()
    return SiteSettings.for_site(site)


def logo_data_uri(image) -> str:
    """The logo as a small PNG ``data:`` URI ("" when there is none or it cannot be read)."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition("max-600x240|format-png")
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # noqa: BLE001 - a missing or unreadable logo must not stop the report
        logger.warning("Could not read the logo (image %s) for a report PDF", image.pk)
        return ""
    return "data:image/png;base64," + b64encode(data).decode("ascii")


def contents(report: Report) -> list[tuple[str, str]]:
    """The contents list: (id of the part, its title), in the order report_body.html has them."""
    return report.sections


def pdf_context(
    consultation,
    filters: TermFilters,
    *,
    produced_at: datetime | None = None,
    progress: Progress | None = None,
):
    """What report_pdf.html needs; ``cloud_svg`` is drawn only when there are words to draw."""

    report = build_report(consultation, filters)
    if progress:
        progress(1, STEPS)
    cloud_svg = ""
    if not report.too_small and report.cloud is not None and report.cloud.rows:
        cloud_svg = word_cloud(consultation, filters=filters, fmt="svg")
    site_settings = site_settings_for(consultation)
    return {
        "consultation": consultation,
        "report": report,
        "pdf": True,
        "cloud_svg": cloud_svg,
        "suffix": "",
        "site_settings": site_settings,
        "logo": logo_data_uri(site_settings.logo),
        "produced_at": timezone.localtime(produced_at or timezone.now()),
        "contents": contents(report),
    }


def render_report_pdf(
    consultation, filters: TermFilters | None = None, *, progress: Progress | None = None
) -> bytes:
    """The report PDF's bytes; ``progress(done, total)`` is called after each step."""
    filters = filters or TermFilters()
    step = progress or (lambda done, total: None)
    context = pdf_context(consultation, filters, progress=step)
    step(2, STEPS)
    html = render_to_string(TEMPLATE, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalOnlyFetcher()).render()
    step(3, STEPS)
    data = document.write_pdf(pdf_tags=True)  # tagged: headings, tables and lists for readers
    step(4, STEPS)
    return data
