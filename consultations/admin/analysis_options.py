"""Analysis options in the Wagtail admin (Snippets → Analysis options), one per consultation.

Facilitators set, per consultation: the most words a word cloud shows, extra words to leave out
of its clouds (one per line: the consultation's own filler, such as its title words), an optional
shape for the cloud (an image whose dark parts the words fill) and an earlier consultation whose
themes the themed summary compares with. A consultation without options uses the defaults.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations.models import AnalysisOptions


class AnalysisOptionsViewSet(SnippetViewSet):
    model = AnalysisOptions
    icon = "cogs"
    menu_label = _("Analysis options")
    add_to_admin_menu = False
    list_display = [
        Column("consultation", label=_("Consultation")),
        Column("max_words", label=_("Most words")),
        Column("earlier_consultation", label=_("Compared with")),
    ]
    panels = [
        FieldPanel("consultation"),
        FieldPanel("max_words"),
        FieldPanel("extra_stop_words"),
        FieldPanel("mask"),
        FieldPanel("earlier_consultation"),
    ]
