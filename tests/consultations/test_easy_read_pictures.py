"""A picture per question in easy read: shown before the question's easy read words, with words
for people who cannot see it, only to those who chose easy read, and never out of date."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images.tests.utils import get_test_image_file

from consultations import forms
from consultations.models import ConsultationPage, Layout, Question, QuestionKind
from tests.factories import ImageFactory, UserFactory, make_consultation

pytestmark = pytest.mark.django_db

EASY_SAFER = "What would help you feel safe?"
BUS_STOP = "A bus stop at night with a light on"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture(autouse=True)
def nothing_drawn_yet(monkeypatch):
    monkeypatch.setattr(forms, "_BLANK_FORMS", forms.OrderedDict())


def pictured(home, *, layout=Layout.SINGLE_PAGE, slug="feeling-safe"):
    """A consultation whose long-text question has easy read words and a picture."""
    page = make_consultation(home, title="Feeling safe", slug=slug)
    page.layout = layout
    page.save_revision().publish()
    safer = safer_question(page)
    safer.easy_read_text = EASY_SAFER
    safer.easy_read_image = ImageFactory(file=get_test_image_file(filename="bus-stop.png"))
    safer.easy_read_image_alt = BUS_STOP
    safer.save()
    return ConsultationPage.objects.get(pk=page.pk)


@pytest.fixture
def consultation(home):
    return pictured(home)


@pytest.fixture
def stepped(home):
    return pictured(home, layout=Layout.STEPS)


def safer_question(page) -> Question:
    return next(q for q in page.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def easy_read(client, page):
    client.post(f"{page.url}words/?next={page.url}", {"words": "easy"})


def pictures(html: str) -> list[str]:
    """The <img> tags of the answer form (or of "check your answers")."""
    start = html.index('class="answer-form"') if 'class="answer-form"' in html else 0
    return re.findall(r"<img [^>]*>", html[start:])


# On the form --------------------------------------------------------------------------------


def test_the_picture_shows_before_the_easy_read_words_with_what_it_shows(client, consultation):
    easy_read(client, consultation)
    html = client.get(consultation.url).content.decode()

    [img] = pictures(html)
    assert f'alt="{BUS_STOP}"' in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert 'class="easy-read-picture"' in img
    assert ".max-240x240." in img  # a rendition of modest size, not the uploaded file
    assert html.index(img) < html.index(f"2. {EASY_SAFER}")
    # Not a link: it sits in the question's group, straight before its words.
    group = html[html.rindex('<div class="form-group', 0, html.index(img)) : html.index(img)]
    assert "<a " not in group
    assert "easy_read.css" in html


def test_the_picture_is_not_shown_in_the_standard_words(client, consultation):
    html = client.get(consultation.url).content.decode()
    assert "What would make you feel safer?" in html
    assert pictures(html) == []
    assert BUS_STOP not in html


def test_a_question_without_a_picture_is_unchanged(client, consultation):
    easy_read(client, consultation)
    html = client.get(consultation.url).content.decode()
    first = html.index("1. What is your name for this?")
    group = html[html.rindex('<div class="form-group', 0, first) : first]
    assert "<img" not in group
    assert len(pictures(html)) == 1


def test_the_picture_shows_on_its_step_and_on_check_your_answers(client, stepped):
    easy_read(client, stepped)
    step_1 = client.get(f"{stepped.url}questions/1/").content.decode()
    assert pictures(step_1) == []

    step_2 = client.get(f"{stepped.url}questions/2/").content.decode()
    [img] = pictures(step_2)
    assert f'alt="{BUS_STOP}"' in img
    assert step_2.index(img) < step_2.index(f">{EASY_SAFER}</label>")

    name = next(iter(stepped.ordered_questions()))
    client.post(f"{stepped.url}questions/1/", {name.field_name: "Sam"})
    check = client.get(f"{stepped.url}check/").content.decode()
    dt = re.search(r"<dt>(<img [^>]*>)" + re.escape(EASY_SAFER) + "</dt>", check)
    assert dt and f'alt="{BUS_STOP}"' in dt.group(1)
    assert ".max-120x120." in dt.group(1)


def test_steps_in_the_standard_words_show_no_picture(client, stepped):
    name = next(iter(stepped.ordered_questions()))
    client.post(f"{stepped.url}questions/1/", {name.field_name: "Sam"})
    assert pictures(client.get(f"{stepped.url}questions/2/").content.decode()) == []
    check = client.get(f"{stepped.url}check/").content.decode()
    assert "Sam" in check and pictures(check) == []


def test_a_form_shown_again_with_errors_keeps_the_picture(client, consultation):
    safer = safer_question(consultation)
    safer.required = True
    safer.save()
    easy_read(client, consultation)
    token = re.search(
        r'name="token" value="([^"]+)"', client.get(consultation.url).content.decode()
    )[1]
    html = client.post(consultation.url, {"token": token}).content.decode()
    assert "There is a problem" in html
    [img] = pictures(html)
    assert f'alt="{BUS_STOP}"' in img


# The kept blank form ------------------------------------------------------------------------


def test_a_new_picture_for_a_question_is_shown_at_once(client, consultation):
    easy_read(client, consultation)
    [before] = pictures(client.get(consultation.url).content.decode())
    safer = safer_question(consultation)
    safer.easy_read_image = ImageFactory(file=get_test_image_file(filename="park.png"))
    safer.easy_read_image_alt = "A park with swings"
    safer.save()

    [after] = pictures(client.get(consultation.url).content.decode())

    assert "park" in after and 'alt="A park with swings"' in after
    assert after != before


def test_a_picture_taken_away_is_gone_at_once(client, consultation):
    easy_read(client, consultation)
    assert pictures(client.get(consultation.url).content.decode())
    safer = safer_question(consultation)
    safer.easy_read_image = None
    safer.easy_read_image_alt = ""
    safer.save()
    assert pictures(client.get(consultation.url).content.decode()) == []


def test_a_new_file_for_the_same_image_is_shown_at_once(client, settings, consultation):
    """The image keeps its id when someone uploads a new file for it in the admin."""
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False
    easy_read(client, consultation)
    [before] = pictures(client.get(consultation.url).content.decode())
    image = safer_question(consultation).easy_read_image

    staff = type(client)()
    staff.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = staff.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": image.title,
            "file": SimpleUploadedFile(
                "new-bus-stop.png",
                get_test_image_file(size=(300, 200)).file.getvalue(),
                content_type="image/png",
            ),
            "collection": image.collection_id,
            "tags": "",
            "focal_point_x": "",
            "focal_point_y": "",
            "focal_point_width": "",
            "focal_point_height": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("wagtailimages:index")

    [after] = pictures(client.get(consultation.url).content.decode())

    assert "new-bus-stop" in after and "new-bus-stop" not in before
    # The address is of the new file's rendition, which is there (the old one was deleted).
    src = re.search(r'src="([^"]+)"', after).group(1)
    assert image.renditions.get(filter_spec="max-240x240").url == src


def test_the_kept_form_reads_the_pictures_once(client, consultation):
    easy_read(client, consultation)
    first = client.get(consultation.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(consultation.url).content.decode()
    image_reads = [q for q in queries.captured_queries if 'FROM "wagtailimages_image"' in q["sql"]]
    assert len(image_reads) == 1
    assert pictures(first) == pictures(second)


# The model ----------------------------------------------------------------------------------


def test_a_picture_without_words_for_it_is_refused(consultation):
    safer = safer_question(consultation)
    safer.easy_read_image_alt = "  "
    with pytest.raises(ValidationError) as refused:
        safer.full_clean()
    assert refused.value.message_dict["easy_read_image_alt"] == [
        "Say what the picture shows, for people who cannot see it, or remove the picture."
    ]


def test_words_for_a_picture_that_is_not_there_are_refused(consultation):
    safer = safer_question(consultation)
    safer.easy_read_image = None
    with pytest.raises(ValidationError) as refused:
        safer.full_clean()
    assert refused.value.message_dict["easy_read_image_alt"] == [
        "There is no picture to describe: choose one, or delete what is written here."
    ]
