"""The facilitators' responses area: who may see it, counts, filters and a response's detail."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ImportBatch, Source
from consultations.services import OTHER, RawAnswer
from tests.factories import MemberFactory, make_consultation

from .support import ROLES, facilitator, refused, respond, sign_in_as

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"
AGE = "How old are you?"
AREA = "Where do you live?"


def at(day: int) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, 12, 0))


@pytest.fixture
def responses(consultation):
    """Three responses: online, paper (imported), and a member's, on different days."""
    batch = ImportBatch.objects.create(page=consultation, source=Source.PAPER, filename="visit.csv")
    member = MemberFactory(first_name="Jordan", email="jordan@example.org")
    return {
        "online": respond(
            consultation,
            {SAFER: "Street lights", SCHOOL: "Bus", AGE: "13 to 15", AREA: "Mendip"},
            when=at(1),
        ),
        "paper": respond(
            consultation,
            {SAFER: "Youth clubs", AGE: "16 to 18", AREA: "Sedgemoor"},
            source=Source.PAPER,
            import_batch=batch,
            when=at(10),
        ),
        "member": respond(
            consultation,
            {SAFER: "Safer parks", SCHOOL: RawAnswer.of(OTHER, other="Scooter"), AREA: "Mendip"},
            user=member,
            when=at(20),
        ),
    }


def urls(consultation, response):
    listing = reverse("consultations:responses", args=[consultation.pk])
    return {
        "index": reverse("consultations:index"),
        "listing": listing,
        "detail": reverse("consultations:response", args=[consultation.pk, response.pk]),
        "csv": f"{listing}?export=csv",
        "xlsx": f"{listing}?export=xlsx",
    }


@pytest.mark.parametrize("view", ["index", "listing", "detail", "csv", "xlsx"])
@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_only_facilitators_and_admins_see_responses(
    client, consultation, responses, view, attrs, allowed
):
    sign_in_as(client, attrs)

    response = client.get(urls(consultation, responses["online"])[view])

    if allowed:
        assert response.status_code == 200
    else:
        assert refused(response, signed_in=attrs is not None)
        assert responses["online"].reference.encode() not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )


def test_the_menu_shows_responses_only_to_those_who_may_see_them(client, consultation):
    from youthforum.accounts import roles

    index = reverse("consultations:index")
    client.force_login(facilitator())
    assert index in client.get(reverse("wagtailadmin_home")).content.decode()

    sign_in_as(client, {"roles": [roles.SAFEGUARDING_LEADS]})
    assert index not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_consultations_are_listed_with_their_response_counts(client, consultation, responses):
    make_consultation(consultation.get_parent().get_parent(), title="Getting around")
    client.force_login(facilitator())

    response = client.get(reverse("consultations:index"))

    rows = {row.title: row.response_count for row in response.context["object_list"]}
    assert rows == {"Feeling safe": 3, "Getting around": 0}
    assert reverse("consultations:responses", args=[consultation.pk]) in response.content.decode()


def test_a_consultation_links_to_its_responses_from_its_editor_and_the_explorer(
    client, consultation
):
    client.force_login(facilitator())
    link = reverse("consultations:responses", args=[consultation.pk])

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk]))
    explorer = client.get(reverse("wagtailadmin_explore", args=[consultation.get_parent().pk]))
    other_page = client.get(reverse("wagtailadmin_pages:edit", args=[consultation.get_parent().pk]))

    assert link in edit.content.decode()
    assert link in explorer.content.decode()
    assert "/responses/" not in other_page.content.decode()


def test_the_listing_counts_responses_by_source(client, consultation, responses):
    client.force_login(facilitator())

    response = client.get(reverse("consultations:responses", args=[consultation.pk]))

    assert response.context["counts"] == {
        "shown": 3,
        "total": 3,
        "by_source": [{"label": "Online", "count": 2}, {"label": "Paper", "count": 1}],
    }
    content = response.content.decode()
    assert "Showing 3 of 3 responses." in content
    for given in responses.values():
        assert given.reference in content


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("source=paper", {"paper"}),
        ("source=online", {"online", "member"}),
        ("age_band=13+to+15", {"online"}),
        ("area=Mendip", {"online", "member"}),
        ("submitted_at_from=2026-03-05&submitted_at_to=2026-03-25", {"paper", "member"}),
        ("submitted_at_to=2026-03-01", {"online"}),
        ("question={school}", {"online", "member"}),
        ("import_batch={batch}", {"paper"}),
    ],
)
def test_filters_narrow_the_listing(client, consultation, responses, query, shown):
    client.force_login(facilitator())
    school = consultation.questions.get(text=SCHOOL)
    batch = responses["paper"].import_batch
    query = query.format(school=school.pk, batch=batch.pk)

    response = client.get(f"{reverse('consultations:responses', args=[consultation.pk])}?{query}")

    listed = {r.reference for r in response.context["object_list"]}
    assert listed == {responses[name].reference for name in shown}
    assert response.context["counts"]["shown"] == len(shown)
    assert response.context["counts"]["total"] == 3


def test_the_listing_is_paginated(client, consultation, responses, monkeypatch):
    from consultations.admin.responses import ResponseIndexView

    monkeypatch.setattr(ResponseIndexView, "paginate_by", 2)
    client.force_login(facilitator())
    url = reverse("consultations:responses", args=[consultation.pk])

    first, second = client.get(url), client.get(f"{url}?p=2")

    assert [r.reference for r in first.context["object_list"]] == [
        responses["member"].reference,
        responses["paper"].reference,
    ]
    assert [r.reference for r in second.context["object_list"]] == [responses["online"].reference]


def test_a_response_shows_every_question_with_its_answer(client, consultation, responses):
    client.force_login(facilitator())
    paper = responses["paper"]

    page = client.get(reverse("consultations:response", args=[consultation.pk, paper.pk]))

    content = page.content.decode()
    assert paper.reference in content
    assert "Paper" in content
    assert "visit.csv" in content
    assert "10 March 2026, 12:00" in content
    for question in consultation.ordered_questions():
        assert question.text in content
    assert "Youth clubs" in content
    assert "16 to 18" in content
    assert "Not answered" in content
    assert "Anonymous" in content


def test_a_members_response_says_only_that_a_member_gave_it(client, consultation, responses):
    client.force_login(facilitator())
    given = responses["member"]

    page = client.get(reverse("consultations:response", args=[consultation.pk, given.pk]))

    content = page.content.decode()
    assert "A signed-in member" in content
    assert "Other: Scooter" in content
    assert "jordan@example.org" not in content
    assert "Jordan" not in content


def test_a_response_of_another_consultation_is_not_found(client, consultation, responses, home):
    other = make_consultation(home)
    client.force_login(facilitator())

    page = client.get(reverse("consultations:response", args=[other.pk, responses["online"].pk]))

    assert page.status_code == 404
