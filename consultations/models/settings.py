from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from youthforum.core.tree_cache import remembered_for_tree

PREFER_NOT_TO_SAY = "Prefer not to say"


MAX_OPTION_LENGTH = 100  # the length of Response.age_band and Response.area


class CachedSettingMixin:
    """``cached()``: the setting remembered, so each answer sent does not query it again.

    Remembered by each process for the page tree version (``youthforum.core.tree_cache``), which
    saving any setting replaces: every process sees a change at once with the shared Redis
    cache, and within ten minutes with a per-process cache. The object is shared: read it only.
    """

    @classmethod
    def cached(cls):
        return remembered_for_tree(None, f"setting:{cls._meta.label_lower}", cls.load)


def _lines(text: str) -> list[str]:
    seen, options = set(), []
    for line in text.splitlines():
        option = line.strip()
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            options.append(option)
    return options


@register_setting(icon="list-ul")
class AboutYouOptions(CachedSettingMixin, BaseGenericSetting):
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

    def clean(self):
        super().clean()
        errors = {}
        for field in ("age_bands", "areas", "school_years", "genders"):
            too_long = [
                line for line in _lines(getattr(self, field)) if len(line) > MAX_OPTION_LENGTH
            ]
            if too_long:
                errors[field] = _(
                    "Each option must be %(n)s characters or fewer: “%(line)s” is longer."
                ) % {
                    "n": MAX_OPTION_LENGTH,
                    "line": too_long[0][:40] + "…",
                }
        if errors:
            raise ValidationError(errors)

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


@register_setting(icon="warning")
class RedactionSettings(CachedSettingMixin, BaseGenericSetting):
    """Local names that redaction must always take out of answers before anyone else reads them.

    Common first names, surnames, phone numbers, emails, postcodes, links and street addresses
    are found without help; these lists add what only you know. One per line; matching ignores
    capitals. Changes apply to answers sent from now on.
    """

    schools = models.TextField(
        _("schools and colleges"), blank=True, help_text=_("Replaced by [school].")
    )
    staff_names = models.TextField(
        _("staff and other people's names"), blank=True, help_text=_("Replaced by [name].")
    )
    places = models.TextField(
        _("small places"),
        blank=True,
        help_text=_(
            "Villages, estates, parks or clubs small enough to identify someone. "
            "Replaced by [place]."
        ),
    )

    panels = [FieldPanel("schools"), FieldPanel("staff_names"), FieldPanel("places")]

    class Meta:
        verbose_name = _("redaction lists")

    def as_lists(self) -> dict[str, list[str]]:
        return {
            "schools": _lines(self.schools),
            "staff_names": _lines(self.staff_names),
            "places": _lines(self.places),
        }
