"""Editing, deleting and copying consultations in the page editor, where answers are at stake."""

import pytest
from django.urls import reverse

from consultations.models import ConsultationPage, Question, Response

from .support import edit_form_data, facilitator, questions, respond

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"


@pytest.fixture
def editor(client):
    user = facilitator()
    client.force_login(user)
    return user


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="root@example.org"))
    return client


def question_index(data, question) -> int:
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.startswith("questions-") and key.endswith("-id") and value == str(question.pk)
    )


# Deleting a question ---------------------------------------------------------------------------


def test_deleting_a_question_that_has_answers_is_refused_with_the_reason(
    client, editor, consultation
):
    respond(consultation, {SAFER: "Street lights", SCHOOL: "Bus"})
    school = questions(consultation)[SCHOOL]
    revisions = consultation.revisions.count()
    data = edit_form_data(client, consultation)
    data[f"questions-{question_index(data, school)}-DELETE"] = "1"

    response = client.post(reverse("wagtailadmin_pages:edit", args=[consultation.pk]), data)

    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in response.content.decode()
    assert "“How do you get to school?” already has 1 answers, so it cannot be deleted" in (
        response.content.decode()
    )
    assert Question.objects.filter(pk=school.pk).exists()
    assert consultation.revisions.count() == revisions


def test_deleting_a_question_nobody_has_answered_is_allowed(client, editor, consultation):
    respond(consultation, {SAFER: "Street lights"})
    school = questions(consultation)[SCHOOL]
    data = edit_form_data(client, consultation)
    data[f"questions-{question_index(data, school)}-DELETE"] = "1"
    data["action-publish"] = "action-publish"

    response = client.post(reverse("wagtailadmin_pages:edit", args=[consultation.pk]), data)

    assert response.status_code == 302
    assert not Question.objects.filter(pk=school.pk).exists()
    assert SCHOOL not in [
        q.text for q in ConsultationPage.objects.get(pk=consultation.pk).questions.all()
    ]


# Deleting a consultation -----------------------------------------------------------------------


def test_deleting_a_consultation_with_responses_is_refused(client, editor, consultation):
    respond(consultation, {SAFER: "Street lights"})
    delete_url = reverse("wagtailadmin_pages:delete", args=[consultation.pk])

    shown = client.get(delete_url, follow=True)
    posted = client.post(delete_url, follow=True)

    for response in (shown, posted):
        assert response.redirect_chain[0][1] == 302
        assert "“Feeling safe” has 1 response, so it cannot be deleted" in (
            response.content.decode()
        )
    assert ConsultationPage.objects.filter(pk=consultation.pk).exists()
    assert Response.objects.filter(page=consultation).count() == 1


def test_a_consultation_nobody_has_answered_can_be_deleted(client, editor, consultation):
    response = client.post(reverse("wagtailadmin_pages:delete", args=[consultation.pk]))

    assert response.status_code == 302
    assert not ConsultationPage.objects.filter(pk=consultation.pk).exists()


def test_deleting_the_page_above_a_consultation_with_responses_is_refused(
    admin_client, consultation
):
    respond(consultation, {SAFER: "Street lights"})
    index = consultation.get_parent()

    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[index.pk]), follow=True)

    assert "“Feeling safe” has 1 response, so it cannot be deleted" in response.content.decode()
    assert ConsultationPage.objects.filter(pk=consultation.pk).exists()


def test_bulk_deleting_a_consultation_with_responses_is_refused(admin_client, consultation):
    respond(consultation, {SAFER: "Street lights"})
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    explorer = reverse("wagtailadmin_explore", args=[consultation.get_parent().pk])

    response = admin_client.post(f"{url}?id={consultation.pk}&next={explorer}", follow=True)

    assert response.redirect_chain == [(explorer, 302)]
    assert "“Feeling safe” has 1 response, so it cannot be deleted" in response.content.decode()
    assert ConsultationPage.objects.filter(pk=consultation.pk).exists()
    assert Response.objects.filter(page=consultation).count() == 1


def test_bulk_deleting_a_consultation_nobody_has_answered_works(admin_client, consultation):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    admin_client.post(f"{url}?id={consultation.pk}")

    assert not ConsultationPage.objects.filter(pk=consultation.pk).exists()


# Copying a consultation ------------------------------------------------------------------------


def test_copying_a_consultation_copies_its_questions_but_not_its_responses(
    client, editor, consultation
):
    respond(consultation, {SAFER: "Street lights", SCHOOL: "Walk"})
    index = consultation.get_parent()

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[consultation.pk]),
        {
            "new_title": "Feeling safe, again",
            "new_slug": "feeling-safe-again",
            "new_parent_page": index.pk,
        },
    )

    assert response.status_code == 302
    copy = ConsultationPage.objects.get(slug="feeling-safe-again")
    original = list(consultation.ordered_questions())
    copied = list(copy.ordered_questions())
    assert [(q.kind, q.text, q.options, q.required) for q in copied] == [
        (q.kind, q.text, q.options, q.required) for q in original
    ]
    assert not {q.pk for q in copied} & {q.pk for q in original}
    assert copy.responses.count() == 0
    assert consultation.responses.count() == 1
