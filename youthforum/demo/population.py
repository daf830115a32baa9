"""Demo population figures: roughly how many young people live in each of Somerset's four
former districts, by the site's age bands, so that the demo reports can say who is missing.

APPROXIMATE: rounded, for the demo only. The figures are in the spirit of the ONS mid-year
estimates for Somerset's districts around 2020 (about 563,000 people in all; Mendip about 21% of
them, Sedgemoor 22%, Somerset West and Taunton 28%, South Somerset 30%) and roughly 6,300
young people a year of age from 10 to 15, fewer from 16, and fewer again from 19 as many leave
for university or work, each district's share rounded to the nearest 100. Do not quote them:
enter your own partnership's figures (Snippets › Population figures) before using the reports.

"Under 11" counts ten-year-olds only, because the consultations are for young people of 10 and
over. "Outside Somerset" has no figure: answers from there are left out of the comparison.
The areas and age bands are worded as the site's default "about you" options
(``consultations.models.settings.AboutYouOptions``) and the demo's answers
(``youthforum.demo.consultations``) are.
"""

from __future__ import annotations

from django.db import transaction

from consultations.reports.models import Population, PopulationFigure

SOURCE = "Approximate figures for Somerset's districts, rounded, for the demo only"
YEAR = 2020

#: Young people by age band (columns, in ``BANDS`` order) in each area (rows).
BANDS = ("Under 11", "11 to 12", "13 to 15", "16 to 18", "19 to 25")
FIGURES = {
    "Mendip": (1_300, 2_600, 3_800, 3_600, 7_200),
    "Sedgemoor": (1_400, 2_800, 4_100, 3_800, 7_700),
    "Somerset West and Taunton": (1_700, 3_500, 5_200, 4_800, 9_700),
    "South Somerset": (1_900, 3_800, 5_600, 5_200, 10_500),
}


@transaction.atomic
def demo_population_build() -> Population:
    """Create the demo's population table, or put its rows back as above (safe to run again)."""
    population, _created = Population.objects.get_or_create(source=SOURCE, defaults={"year": YEAR})
    wanted = [
        (band, area, number)
        for area, numbers in FIGURES.items()
        for band, number in zip(BANDS, numbers, strict=True)
    ]
    have = list(
        population.figures.order_by("sort_order").values_list("age_band", "area", "young_people")
    )
    if have != wanted or population.year != YEAR:
        population.figures.all().delete()
        PopulationFigure.objects.bulk_create(
            PopulationFigure(
                population=population, age_band=band, area=area, young_people=number, sort_order=n
            )
            for n, (band, area, number) in enumerate(wanted)
        )
        population.year = YEAR
        population.save()
    return population
