"""Codebooks in the admin: every refused theme, copying, and who may edit them."""

import pytest
from django.urls import reverse

from consultations.themes.admin.codebooks import contrast_with_white
from consultations.themes.models import Codebook, Theme
from consultations.themes.services.codebooks import STARTER_NAME
from tests.consultations.admin.support import ROLES, _form_data, facilitator, refused, sign_in_as
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_themes_codebook"


@pytest.fixture
def codebook():
    book = Codebook.objects.create(name="Feeling safe")
    for order, (name, colour) in enumerate(
        [("Transport", "#1d70b8"), ("Bullying", "#00703c"), ("Online", "#4c2c92")]
    ):
        Theme.objects.create(
            codebook=book, name=name, colour=colour, sort_order=order, keywords=name.lower()
        )
    return book


@pytest.fixture
def signed_in(client):
    client.force_login(facilitator())
    return client


def edit_data(client, codebook) -> dict:
    response = client.get(reverse(f"{URLS}:edit", args=[codebook.pk]))
    assert response.status_code == 200
    return _form_data(response.context["form"])


def theme_index(data, name) -> str:
    for key, value in data.items():
        if key.startswith("themes-") and key.endswith("-name") and value == name:
            return key.removesuffix("-name")
    raise AssertionError(name)


def save(client, codebook, data):
    return client.post(reverse(f"{URLS}:edit", args=[codebook.pk]), data)


def stored(codebook) -> list[tuple]:
    return list(
        Theme.objects.filter(codebook=codebook)
        .order_by("pk")
        .values_list("name", "colour", "parent__name")
    )


def errors_of(response) -> str:
    formset = response.context["form"].formsets["themes"]
    return " ".join(str(e) for form in formset.forms for e in form.errors.values())


def test_unchanged_codebook_saves(signed_in, codebook):
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Online')}-parent"] = str(
        Theme.objects.get(codebook=codebook, name="Bullying").pk
    )
    response = save(signed_in, codebook, data)
    assert response.status_code == 302
    assert Theme.objects.get(codebook=codebook, name="Online").parent.name == "Bullying"


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("blue", "six hexadecimal digits"),
        ("#12345", "six hexadecimal digits"),
        ("#ffdd00", "too light to see against white"),  # yellow: 1.4 to 1
        ("#ffffff", "too light to see against white"),
    ],
)
def test_bad_colour_is_refused_and_nothing_saved(signed_in, codebook, colour, message):
    before = stored(codebook)
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Transport')}-colour"] = colour
    data[f"{theme_index(data, 'Bullying')}-name"] = "Bullies"

    response = save(signed_in, codebook, data)

    assert response.status_code == 200
    assert message in errors_of(response)
    assert stored(codebook) == before


def test_colour_contrast_is_measured_as_wcag_does():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#ffffff"), 1) == 1.0
    assert round(contrast_with_white("#1d70b8"), 1) == 5.2
    assert contrast_with_white("#969696") < 3 < contrast_with_white("#949494")


def test_duplicate_theme_name_is_refused(signed_in, codebook):
    before = stored(codebook)
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Online')}-name"] = "  transport "

    response = save(signed_in, codebook, data)

    assert response.status_code == 200
    assert "already called" in errors_of(response)
    assert stored(codebook) == before


def test_new_theme_with_a_taken_name_is_refused(signed_in, codebook):
    data = edit_data(signed_in, codebook)
    total = int(data["themes-TOTAL_FORMS"])
    data.update(
        {
            "themes-TOTAL_FORMS": str(total + 1),
            f"themes-{total}-name": "Bullying",
            f"themes-{total}-colour": "#1d70b8",
            f"themes-{total}-ORDER": str(total + 1),
        }
    )
    response = save(signed_in, codebook, data)
    assert response.status_code == 200
    assert "already called" in errors_of(response)
    assert Theme.objects.filter(codebook=codebook).count() == 3


def test_parent_from_another_codebook_is_refused(signed_in, codebook):
    other = Codebook.objects.create(name="Other")
    stranger = Theme.objects.create(codebook=other, name="Elsewhere", colour="#1d70b8")
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Online')}-parent"] = str(stranger.pk)

    response = save(signed_in, codebook, data)

    assert response.status_code == 200
    assert "Choose a parent theme from this codebook" in errors_of(response)
    assert Theme.objects.get(codebook=codebook, name="Online").parent is None


def test_theme_cannot_be_its_own_parent(signed_in, codebook):
    online = Theme.objects.get(codebook=codebook, name="Online")
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Online')}-parent"] = str(online.pk)

    response = save(signed_in, codebook, data)

    assert "cannot be its own parent" in errors_of(response)
    assert Theme.objects.get(pk=online.pk).parent is None


def test_third_level_is_refused(signed_in, codebook):
    transport, bullying, online = (
        Theme.objects.get(codebook=codebook, name=n) for n in ("Transport", "Bullying", "Online")
    )
    bullying.parent = transport
    bullying.save()
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Online')}-parent"] = str(bullying.pk)

    response = save(signed_in, codebook, data)

    assert "two levels at most" in errors_of(response)
    assert Theme.objects.get(pk=online.pk).parent is None


def test_third_level_made_in_one_save_is_refused(signed_in, codebook):
    """Online under Bullying while Bullying goes under Transport, in the same save."""
    transport, bullying = (
        Theme.objects.get(codebook=codebook, name=n) for n in ("Transport", "Bullying")
    )
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Bullying')}-parent"] = str(transport.pk)
    data[f"{theme_index(data, 'Online')}-parent"] = str(bullying.pk)

    response = save(signed_in, codebook, data)

    assert response.status_code == 200
    assert "two levels at most" in errors_of(response)
    assert [t[2] for t in stored(codebook)] == [None, None, None]


def test_parent_being_deleted_is_refused(signed_in, codebook):
    bullying = Theme.objects.get(codebook=codebook, name="Bullying")
    data = edit_data(signed_in, codebook)
    data[f"{theme_index(data, 'Bullying')}-DELETE"] = "on"
    data[f"{theme_index(data, 'Online')}-parent"] = str(bullying.pk)

    response = save(signed_in, codebook, data)

    assert "is being deleted" in errors_of(response)
    assert Theme.objects.filter(codebook=codebook).count() == 3


def test_consultation_with_a_codebook_cannot_get_another(signed_in, home, codebook):
    consultation = make_consultation(home)
    Codebook.objects.create(name="Taken", consultation=consultation)
    data = edit_data(signed_in, codebook)
    data["consultation"] = str(consultation.pk)

    response = save(signed_in, codebook, data)

    assert response.status_code == 200
    assert "already has a codebook" in str(response.context["form"].errors)
    assert Codebook.objects.get(pk=codebook.pk).consultation is None


def test_the_starter_codebook_is_made_by_the_migration():
    starter = Codebook.objects.get(is_starter=True)
    assert starter.name == STARTER_NAME
    names = list(starter.themes.order_by("sort_order").values_list("name", flat=True))
    assert len(names) == 15
    assert names[0] == "Mental health and well-being"
    assert "Being listened to" in names
    for theme in starter.themes.all():
        assert 8 <= len(theme.keywords.splitlines()) <= 20, theme.name
        assert theme.description
        assert contrast_with_white(theme.colour) >= 3


def test_copy_makes_an_independent_codebook_for_a_consultation(signed_in, home, codebook):
    consultation = make_consultation(home)
    online = Theme.objects.get(codebook=codebook, name="Online")
    online.parent = Theme.objects.get(codebook=codebook, name="Bullying")
    online.save()

    response = signed_in.post(
        reverse(f"{URLS}:copy", args=[codebook.pk]),
        {"name": "Feeling safe 2026", "consultation": str(consultation.pk)},
    )

    copy = Codebook.objects.get(name="Feeling safe 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{URLS}:edit", args=[copy.pk])
    assert copy.consultation == consultation
    assert stored(copy) == [
        ("Transport", "#1d70b8", None),
        ("Bullying", "#00703c", None),
        ("Online", "#4c2c92", "Bullying"),
    ]
    assert copy.description == ""  # copied as it was (the starter's says "Copied from …")
    copied_online = copy.themes.get(name="Online")
    assert copied_online.parent.codebook == copy
    assert copied_online.keywords == "online"
    assert stored(codebook) == [
        ("Transport", "#1d70b8", None),
        ("Bullying", "#00703c", None),
        ("Online", "#4c2c92", "Bullying"),
    ]


def test_copy_page_offers_only_consultations_without_a_codebook(signed_in, home, codebook):
    free = make_consultation(home, title="Free")
    taken = make_consultation(home, title="Taken")
    Codebook.objects.create(name="Taken's", consultation=taken)

    response = signed_in.get(reverse(f"{URLS}:copy", args=[codebook.pk]))

    assert response.status_code == 200
    assert "This copies “Feeling safe” and its 3 themes" in response.content.decode()
    offered = list(response.context["form"].fields["consultation"].queryset)
    assert free in offered and taken not in offered
    refused_post = signed_in.post(
        reverse(f"{URLS}:copy", args=[codebook.pk]), {"name": "X", "consultation": str(taken.pk)}
    )
    assert refused_post.status_code == 200
    assert not Codebook.objects.filter(name="X").exists()


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_who_may_edit_and_copy_codebooks(client, codebook, attrs, allowed):
    sign_in_as(client, attrs)
    signed_in = attrs is not None
    for url in (
        reverse(f"{URLS}:list"),
        reverse(f"{URLS}:edit", args=[codebook.pk]),
        reverse(f"{URLS}:copy", args=[codebook.pk]),
    ):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert refused(response, signed_in=signed_in), url
    response = client.post(reverse(f"{URLS}:copy", args=[codebook.pk]), {"name": "Stolen"})
    assert Codebook.objects.filter(name="Stolen").exists() == allowed
