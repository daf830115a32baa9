"""What every coding screen of a consultation shares: its codebook (or a page saying how to get
one), breadcrumbs, the links between the screens, the model's status, and their session keys.

The screens themselves are in ``coding_screen.py`` (coding, the blind gold coding, the model's
status and retraining) and ``theme_coding.py`` (quality, discovery, the themed summary, and the
URLs of all of them).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations.admin.responses import ConsultationMixin
from consultations.themes.models import Codebook, CodingRun, HumanCoding, RunStatus
from consultations.themes.services import theme_coding as service

CODEBOOK_URLS = "wagtailsnippets_themes_codebook"
URL_NAMESPACE = "themes"  # served under /admin/consultations/<id>/ beside the responses


def admin_url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def gold_key(codebook: Codebook) -> str:
    """The session key of the gold sample drawn for the quality check."""
    return f"consultations:gold:{codebook.pk}"


def skip_key(codebook: Codebook) -> str:
    """The session key of the answers skipped on the coding screen."""
    return f"consultations:skipped:{codebook.pk}"


class CodingMixin(PermissionCheckedMixin, ConsultationMixin, WagtailAdminTemplateMixin):
    """The consultation's codebook (or a page explaining there is none yet) and breadcrumbs."""

    model = HumanCoding
    permission_required = "add"
    header_icon = "tag"
    page_label = ""

    @cached_property
    def codebook(self) -> Codebook | None:
        return Codebook.objects.filter(consultation=self.consultation).first()

    def get(self, request, *args, **kwargs):
        if self.codebook is None:
            return self.no_codebook()
        return super().get(request, *args, **kwargs)

    def no_codebook(self):
        """A page saying how to give the consultation a codebook (the views' own context
        needs one, so only this mixin's is built)."""
        self.template_name = "themes/admin/coding_no_codebook.html"
        return self.render_to_response(CodingMixin.get_context_data(self))

    def get_page_title(self):
        return str(self.page_label)

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*self.consultation_breadcrumbs(), {"url": "", "label": self.page_label}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        starter = Codebook.objects.filter(is_starter=True).order_by("pk").first()
        context.update(
            codebook=self.codebook,
            starter=starter,
            codebooks_url=reverse(f"{CODEBOOK_URLS}:list"),
            copy_starter_url=(
                reverse(f"{CODEBOOK_URLS}:copy", args=[starter.pk]) if starter else ""
            ),
            nav=self.nav_links(),
        )
        return context

    def nav_links(self) -> list[dict]:
        page_id = self.consultation.pk
        links = [
            ("coding", _("Coding")),
            ("quality", _("Quality check")),
            ("discovery", _("Discovery")),
            ("themed_summary", _("Themed summary")),
        ]
        current = self.request.resolver_match.url_name if self.request.resolver_match else ""
        return [
            {"url": admin_url(name, page_id), "label": label, "current": name == current}
            for name, label in links
        ]

    def run_status(self) -> dict:
        codebook = self.codebook
        current = service.current_run(codebook)
        running = (
            CodingRun.objects.filter(codebook=codebook, status=RunStatus.RUNNING)
            .order_by("-started_at", "-pk")
            .first()
        )
        latest = service.latest_run(codebook)
        return {
            "current": current,
            "running": running,
            "failed": latest if latest is not None and latest.status == RunStatus.FAILED else None,
            "since": service.codings_since_last_run(codebook),
            "every": service.retrain_every(),
            "status_url": admin_url("coding_status", self.consultation.pk),
            "can_start": self.request.user.has_perm("themes.add_codingrun"),
            "start_url": admin_url("coding_retrain", self.consultation.pk),
        }
