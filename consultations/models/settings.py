from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

PREFER_NOT_TO_SAY = "Prefer not to say"


def _lines(text: str) -> list[str]:
    seen, options = set(), []
    for line in text.splitlines():
        option = line.strip()
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            options.append(option)
    return options


@register_setting(icon="list-ul")
class AboutYouOptions(BaseGenericSetting):
    """The answers offered by "about you" questions, one per line, editable by facilitators.

    Every list ends with "Prefer not to say", added for you. Change the areas to your own
    districts; answers already given keep the wording they were given in.
    """

    age_bands = models.TextField(
        _("age bands"),
        default="Under 11\n11 to 12\n13 to 15\n16 to 18\n19 to 25",
        help_text=_("One per line. Age bands, never dates of birth."),
    )
    areas = models.TextField(
        _("areas or districts"),
        default="Mendip\nSedgemoor\nSomerset West and Taunton\nSouth Somerset\nOutside Somerset",
        help_text=_("One per line."),
    )
    school_years = models.TextField(
        _("school years"),
        default=(
            "Year 5\nYear 6\nYear 7\nYear 8\nYear 9\nYear 10\nYear 11\nYear 12\nYear 13\n"
            "Not in school"
        ),
        help_text=_("One per line."),
    )
    genders = models.TextField(
        _("genders"),
        default="Girl or young woman\nBoy or young man\nNon-binary\nI use another word",
        help_text=_("One per line."),
    )

    panels = [
        FieldPanel("age_bands"),
        FieldPanel("areas"),
        FieldPanel("school_years"),
        FieldPanel("genders"),
    ]

    class Meta:
        verbose_name = _("“about you” options")

    def options_for(self, about: str) -> list[str]:
        """The options for an ``AboutYou`` value, ending with "Prefer not to say"."""
        field = {
            "age_band": "age_bands",
            "area": "areas",
            "school_year": "school_years",
            "gender": "genders",
        }[about]
        options = [
            o for o in _lines(getattr(self, field)) if o.casefold() != PREFER_NOT_TO_SAY.casefold()
        ]
        return [*options, PREFER_NOT_TO_SAY]
