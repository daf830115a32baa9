"""Age bands set per consultation: the form offers only those, and only those are saved."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import AboutYouOptions, Layout, QuestionKind, Response
from tests.consultations.admin.support import edit_form_data, facilitator
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

OWN_BANDS = "10 to 12\n13 to 15\n16 to 18"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def with_bands(page, bands=OWN_BANDS, layout=Layout.SINGLE_PAGE):
    page.age_bands = bands
    page.layout = layout
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def age_question(page):
    return next(q for q in page.ordered_questions() if q.about == "age_band")


def age_options_on(html: str, page) -> list[str]:
    name = age_question(page).field_name
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def token_on(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_without_its_own_bands_a_consultation_offers_the_sites(client, consultation):
    html = client.get(consultation.url).content.decode()
    site = AboutYouOptions.load().options_for("age_band")
    assert age_options_on(html, consultation) == site
    assert "19 to 25" in site


def test_the_form_offers_only_the_consultations_own_bands(client, consultation):
    page = with_bands(consultation)
    html = client.get(page.url).content.decode()
    assert age_options_on(html, page) == ["10 to 12", "13 to 15", "16 to 18", "Prefer not to say"]
    assert "19 to 25" not in html and "Under 11" not in html
    # The other "about you" lists are still the site's.
    area = next(q for q in page.ordered_questions() if q.about == "area")
    assert "Mendip" in re.findall(rf'name="{area.field_name}" value="([^"]+)"', html)


def test_an_own_band_is_saved_on_the_response(client, consultation):
    page = with_bands(consultation)
    html = client.get(page.url).content.decode()
    safer = next(q for q in page.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)
    data = {
        "token": token_on(html),
        age_question(page).field_name: "13 to 15",
        safer.field_name: "Lights",
    }
    assert client.post(page.url, data).status_code == 302
    response = Response.objects.get()
    assert response.age_band == "13 to 15"
    assert response.answers.get(question=age_question(page)).choices == ["13 to 15"]


def test_a_site_band_the_consultation_does_not_offer_is_refused_and_nothing_saved(
    client, consultation
):
    page = with_bands(consultation)
    html = client.get(page.url).content.decode()
    refused = client.post(
        page.url, {"token": token_on(html), age_question(page).field_name: "19 to 25"}
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "How old are you? – choose from the options given" in text
    assert Response.objects.count() == 0


def test_step_by_step_offers_and_checks_the_consultations_bands(client, consultation):
    page = with_bands(consultation, layout=Layout.STEPS)
    questions = list(page.ordered_questions())
    number = questions.index(age_question(page)) + 1
    step_url = f"{page.url}questions/{number}/"
    assert age_options_on(client.get(step_url).content.decode(), page)[:3] == [
        "10 to 12",
        "13 to 15",
        "16 to 18",
    ]
    refused = client.post(step_url, {age_question(page).field_name: "Under 11"})
    assert refused.status_code == 200 and "Choose from the options given." in (
        refused.content.decode()
    )
    client.post(step_url, {age_question(page).field_name: "10 to 12"})
    safer = next(q for q in questions if q.kind == QuestionKind.LONG_TEXT)
    client.post(f"{page.url}questions/{questions.index(safer) + 1}/", {safer.field_name: "Lights"})
    check = client.get(page.url + "check/").content.decode()
    assert "10 to 12" in check
    client.post(page.url + "check/", {"token": token_on(check)})
    assert Response.objects.get().age_band == "10 to 12"


def test_a_band_too_long_for_a_response_is_refused_in_the_editor(consultation):
    consultation.age_bands = "10 to 12\n" + "x" * 101
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert "age_bands" in error.value.message_dict


def test_a_facilitator_sets_the_bands_in_the_page_editor(client, consultation, settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False
    client.force_login(facilitator())
    data = edit_form_data(client, consultation)
    assert data["age_bands"] == "" and not data.get("allow_answer_again")
    data["age_bands"] = "10 to 11\n12 to 14\n15 to 18"
    data["allow_answer_again"] = "on"
    data["action-publish"] = "action-publish"
    saved = client.post(reverse("wagtailadmin_pages:edit", args=[consultation.pk]), data)
    assert saved.status_code == 302
    consultation.refresh_from_db()
    assert consultation.allow_answer_again is True
    html = client.get(consultation.url).content.decode()
    assert age_options_on(html, consultation)[:3] == ["10 to 11", "12 to 14", "15 to 18"]
