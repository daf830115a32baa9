"""``load_demo`` adds approximate population figures for Somerset's districts, once, worded as
the site's age bands and areas, so the demo report compares its answers with them."""

from io import StringIO

import pytest
from django.core.management import call_command

from consultations.models import ConsultationPage
from consultations.reports.models import Population
from consultations.reports.report import build_report
from youthforum.demo.population import BANDS, FIGURES, SOURCE

pytestmark = pytest.mark.django_db


def test_the_demo_figures_are_made_once_and_every_one_is_used():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    population = Population.objects.get()
    assert population.source == SOURCE
    assert "for the demo only" in population.source
    assert population.figures.count() == len(BANDS) * len(FIGURES) == 20

    plan = ConsultationPage.objects.get(slug="children-and-young-peoples-plan")
    found = build_report(plan, cached=False).representation
    assert found is not None
    assert found.source == SOURCE
    assert found.unused == ()
    assert [c.title for c in found.comparisons] == ["Age band", "Area"]
    assert [g.label for g in found.comparisons[1].groups] == list(FIGURES)


def test_the_figures_are_put_back_when_changed():
    call_command("load_demo", stdout=StringIO())
    Population.objects.get().figures.filter(area="Mendip").update(young_people=1)

    call_command("load_demo", stdout=StringIO())

    assert sorted(
        Population.objects.get()
        .figures.filter(area="Mendip")
        .values_list("young_people", flat=True)
    ) == sorted(FIGURES["Mendip"])
