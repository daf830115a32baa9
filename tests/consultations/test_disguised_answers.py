"""A disclosure disguised with line breaks, invisible characters or look-alike letters, sent
through the answer form, is held, reaches a Safeguarding lead and stays out of the downloads; and
staff pages show answers without the bidi controls that could reorder them."""

import csv
import io
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from consultations.analysis.normalise import BIDI_CONTROLS, unmask
from consultations.models import Answer, QuestionKind
from consultations.safeguarding.display import highlight
from consultations.safeguarding.models import SafeguardingConcern
from tests.consultations.admin.support import respond, sign_in_as
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"


@pytest.fixture(autouse=True)
def no_rate_limit_or_second_factor(settings):
    """Many answers from one test client; the second factor has its own tests."""
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def consultation(home, django_capture_on_commit_callbacks):
    """An open consultation that enough young people answered for its downloads to list their
    answers (more than the suppression threshold), all of them ordinary."""
    page = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(12):
            respond(page, {SAFER: "More youth workers in the park"})
    return page


@pytest.fixture
def lead():
    return UserFactory(email="lead@example.org", roles=[roles.SAFEGUARDING_LEADS])


def post_answer(client, consultation, words):
    html = client.get(consultation.url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    safer = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    return client.post(consultation.url, {"token": token, f"q-{safer.pk}": words})


def answers_csv(client, consultation) -> str:
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.get(reverse("report_csv", args=[consultation.slug]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(
    "words",
    [
        "I want to kill \nmyself tonight",
        "I want to kill \r\n\r\n\r\nmyself tonight",
        "I want to ki\u200bll my\u00adself tonight",
        "I w\u0430nt to k\u0456ll mys\u0435lf tonight",  # Cyrillic а, і, е
    ],
    ids=["line-break", "three-line-breaks", "zero-width-and-soft-hyphen", "look-alikes"],
)
def test_a_disguised_disclosure_is_held_reaches_a_lead_and_stays_out_of_answers_csv(
    client, consultation, lead, words, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_answer(client, consultation, words)
    assert response.status_code == 302

    answer = Answer.objects.filter(held=True).get()
    assert answer.text == words.replace("\r\n", "\n")  # kept as written, for the lead
    concern = SafeguardingConcern.objects.get()
    assert concern.answer == answer
    assert concern.severity == "urgent"
    assert "self_harm" in concern.categories
    # The lead's page marks the words as written.
    assert any(
        unmask(answer.text[s["start"] : s["end"]]).text.endswith("kill myself")
        for s in concern.spans
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@example.org"]
    assert mail.outbox[0].subject.startswith("URGENT")

    rows = list(csv.reader(io.StringIO(answers_csv(client, consultation).lstrip("\ufeff"))))
    listed = " ".join(" ".join(row) for row in rows)
    assert "More youth workers in the park" in listed  # the download does list answers
    assert "tonight" not in listed and "myself" not in listed.replace("\u00ad", "")
    assert not any("\u0456" in cell or "\u200b" in cell for row in rows for cell in row)


# What staff see: the words as written, unable to reorder the page ------------------------------

REVERSED = "fine \u202eflesym llik\u202c \u2067thanks\u2069"


def test_the_concern_page_highlight_leaves_out_bidi_controls():
    spans = [{"start": 6, "end": 17, "category": "self_harm"}]
    assert REVERSED[6:17] == "flesym llik"
    html = highlight(REVERSED, spans)
    assert '<mark class="safeguarding-match">flesym llik</mark>' in html
    assert not BIDI_CONTROLS & set(html)


def test_the_template_filter_leaves_out_bidi_controls_and_keeps_escaping():
    template = Template(
        "{% load answer_text %}{{ words|neutralise_bidi }}|{{ rating|neutralise_bidi }}"
    )
    html = template.render(Context({"words": f"<b>{REVERSED}</b>", "rating": 4}))
    assert html == "&lt;b&gt;fine flesym llik thanks&lt;/b&gt;|4"
