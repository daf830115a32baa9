"""Staff pages under /reports/ end with a staff footer, not the young people's "Need help now?
Childline..." one; the public site's pages keep theirs (#15, item 1)."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consultations.reports.models import ReportExport
from consultations.reports.year import Year
from tests.factories import UserFactory
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

THIS_YEAR = Year.containing(timezone.localdate()).label


def footer(html: str) -> str:
    found = re.findall(r"<footer\b.*?</footer>", html, flags=re.S)
    assert len(found) == 1, "expected exactly one footer"
    return found[0]


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def executive(client):
    user = UserFactory(roles=[roles.EXECUTIVE_PARTNERS])
    client.force_login(user)
    return user


def staff_pages(consultation, user):
    export = ReportExport.objects.create(consultation=consultation, requested_by=user, total=4)
    return [
        reverse("reports_dashboard"),
        reverse("report_compare", args=[consultation.slug]),
        reverse("year_index"),
        reverse("year_review", args=[THIS_YEAR]),
        reverse("report_export", args=[consultation.slug, export.pk]),
    ]


def test_report_pages_end_with_the_staff_footer(client, answered, executive):
    for url in staff_pages(answered, executive):
        response = client.get(url)
        assert response.status_code == 200, url
        end = footer(response.text)
        text = words(end)

        assert "data-staff-footer" in end, url
        assert "Staff pages" in text
        assert "hide groups of fewer than 10 young people" in text
        assert "follow your organisation's safeguarding procedure" in text
        for link in (reverse("reports_dashboard"), reverse("year_index"), "/admin/"):
            assert f'href="{link}"' in end, (url, link)
        # Nothing of the young people's footer.
        assert "Need help now?" not in text, url
        assert "Childline" not in text, url
        assert 'href="tel:' not in end, url


def test_the_staff_footer_follows_the_suppression_threshold(client, answered, executive, settings):
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 25

    text = words(footer(client.get(reverse("reports_dashboard")).text))

    assert "hide groups of fewer than 25 young people" in text


def test_the_report_itself_ends_with_the_staff_footer(client, answered, executive):
    text = words(footer(client.get(reverse("report", args=[answered.slug])).text))

    assert "Staff pages" in text
    assert "Need help now?" not in text


def test_public_pages_keep_the_young_people_s_footer(client, answered):
    html = client.get(answered.url).text

    end = footer(html)
    assert "Need help now?" in words(end)
    assert "Childline" in words(end)
    assert 'href="tel:08001111"' in end
    assert "data-staff-footer" not in html


def test_the_footer_block_renders_the_public_footer_unchanged(client, answered):
    """base.html's new ``footer`` block holds exactly what it included before."""
    response = client.get(answered.url)

    alone = render_to_string(
        "includes/footer.html", {"site_config": response.context["site_config"]}
    )

    assert footer(response.text) == footer(alone)
