"""One workspace per consultation: the "Consultations" menu item, the list, each consultation's
overview, and the tabs every admin view of a consultation shares."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import ImportBatch, Source
from consultations.safeguarding.models import ConcernNote
from consultations.safeguarding.services import ACTION_WITHHOLD
from consultations.themes.models import Codebook, Theme
from tests.consultations.safeguarding.support import make_concern
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles

from .support import ROLES, facilitator, refused, respond, sign_in_as

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
TAB_NAMES = ["Overview", "Responses", "Import", "Word cloud", "Coding", "Themed summary"]


def at(year, month, day, hour=12) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, 0))


def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def tab_bar(html: str) -> list[tuple[str, str, bool]]:
    """The consultation's tabs on a page: (label, address, marked current), in order."""
    found = re.findall(r'<nav class="w-tabs__wrapper workspace-tabs"[^>]*>(.*?)</nav>', html, re.S)
    assert len(found) == 1, f"expected one tab bar, found {len(found)}"
    return [
        (label.strip(), href.replace("&amp;", "&"), bool(current))
        for href, current, label in re.findall(
            r'<a class="w-tabs__tab" href="([^"]*)"( aria-current="page")?>([^<]*)</a>', found[0]
        )
    ]


def page_text(html: str) -> str:
    """The words on the page, as read: tags gone, spaces tidied."""
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r"\( ", "(", re.sub(r" ([:,.)])", r"\1", text))


def current_tabs(html: str) -> list[str]:
    return [label for label, _url, current in tab_bar(html) if current]


# The menu and the list -------------------------------------------------------------------------


def sidebar_items(html: str) -> list[dict]:
    """Wagtail's main menu, from the sidebar's props, flattened."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    assert props, "no sidebar on the page"
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "name" in value and "label" in value and "url" in value:
                found.append(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(json.loads(props.group(1)))
    return found


def test_facilitators_find_consultations_in_the_admin_menu(client):
    client.force_login(facilitator())

    items = sidebar_items(client.get(reverse("wagtailadmin_home")).content.decode())

    [item] = [i for i in items if i["url"] == reverse("consultations:index")]
    assert item["label"] == "Consultations"
    assert "Responses" not in {i["label"] for i in items}


def test_executive_partners_have_no_consultations_menu_item(client):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("consultations:index") not in {i["url"] for i in sidebar_items(html)}


def test_each_consultation_in_the_list_leads_to_its_overview(client, consultation):
    client.force_login(facilitator())

    html = client.get(reverse("consultations:index")).content.decode()

    assert "<title>Consultations" in html
    overview = reverse("consultations:overview", args=[consultation.pk])
    assert f'href="{overview}"' in html


def test_the_list_shows_opening_and_closing_dates_not_how_long_ago(client, home):
    make_consultation(
        home,
        title="Winter plans",
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=at(2027, 1, 31),
    )
    make_consultation(
        home, title="Summer plans", opens_at=at(2027, 6, 1, 9), closes_at=at(2027, 7, 15)
    )
    client.force_login(facilitator())

    html = client.get(reverse("consultations:index")).content.decode()

    assert "31 January 2027" in html
    assert "1 June 2027" in html
    assert "15 July 2027" in html
    assert "Just now" not in html


# The overview ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_only_facilitators_and_admins_see_the_overview(client, consultation, attrs, allowed):
    respond(consultation, {SAFER: "Street lights"})
    sign_in_as(client, attrs)

    response = client.get(reverse("consultations:overview", args=[consultation.pk]))

    if allowed:
        assert response.status_code == 200
    else:
        assert refused(response, signed_in=attrs is not None)
        assert b"Street lights" not in response.content


def test_the_overview_shows_where_the_consultation_stands(client, home):
    consultation = make_consultation(
        home, title="Feeling safe", opens_at=at(2026, 3, 1, 9), closes_at=at(2027, 1, 31, 17)
    )
    batch = ImportBatch.objects.create(
        page=consultation,
        source=Source.PAPER,
        filename="youth-club-visit.csv",
        imported_at=at(2026, 3, 12, 15),
        imported_by=UserFactory(first_name="Sam", last_name="Jones"),
    )
    respond(consultation, {SAFER: "Street lights"}, when=at(2026, 3, 2))
    respond(consultation, {SAFER: "Youth clubs"}, when=at(2026, 3, 3))
    respond(consultation, {SAFER: "A bus home"}, source=Source.PAPER, import_batch=batch)
    make_concern(consultation)  # a held answer waiting for a lead
    make_concern(consultation)
    withheld = make_concern(consultation)
    ConcernNote.objects.create(concern=withheld, action=ACTION_WITHHOLD, text="Withheld.")
    client.force_login(facilitator())

    response = client.get(reverse("consultations:overview", args=[consultation.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert "Status Open Published" in text
    assert "Opens 1 March 2026, 09:00" in text
    assert "Closes 31 January 2027, 17:00" in text
    # Three given here, three more made with the concerns (online).
    assert "Responses 6 responses: online 5, paper 1" in text
    assert "2 answers are held for safeguarding review, waiting for a Safeguarding lead." in text
    assert "2 answers waiting for a Safeguarding lead (1 more withheld for good)" in text
    assert (
        "“youth-club-visit.csv”, imported 12 March 2026, 15:00 by Sam Jones (1 import in all)"
        in text
    )
    assert f'href="{reverse("consultations:responses", args=[consultation.pk])}"' in html
    assert f'href="{reverse("consultations:imports", args=[consultation.pk])}"' in html
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[consultation.pk])}"' in html
    assert f'href="{consultation.url}"' in html


def test_an_overview_of_a_new_draft_consultation_says_so(client, home):
    consultation = make_consultation(home, title="Next year", live=False)
    client.force_login(facilitator())

    html = client.get(reverse("consultations:overview", args=[consultation.pk])).content.decode()
    text = page_text(html)

    assert "Draft (not on the site yet)" in text
    assert "0 responses" in text
    assert "0 answers waiting for a Safeguarding lead" in text
    assert "held for safeguarding review, waiting" not in text
    assert "No answers imported yet" in text
    assert "See it on the site" not in text


# The tabs --------------------------------------------------------------------------------------


def test_a_facilitator_sees_every_tab_but_safeguarding(client, consultation):
    client.force_login(facilitator())
    pk = consultation.pk

    html = client.get(reverse("consultations:overview", args=[pk])).content.decode()

    assert tab_bar(html) == [
        ("Overview", reverse("consultations:overview", args=[pk]), True),
        ("Responses", reverse("consultations:responses", args=[pk]), False),
        ("Import", reverse("consultations:import", args=[pk]), False),
        ("Word cloud", reverse("consultations:word_cloud", args=[pk]), False),
        ("Coding", reverse("themes:coding", args=[pk]), False),
        ("Themed summary", reverse("themes:themed_summary", args=[pk]), False),
        ("Reports", reverse("report", args=[consultation.slug]), False),
    ]
    assert 'aria-label="Consultation: Feeling safe"' in html


def test_those_who_may_see_the_safeguarding_queue_get_it_filtered_to_the_consultation(
    client, consultation
):
    client.force_login(superuser())

    html = client.get(reverse("consultations:overview", args=[consultation.pk])).content.decode()

    tabs = tab_bar(html)
    assert [label for label, _url, _current in tabs] == [*TAB_NAMES, "Reports", "Safeguarding"]
    queue = tabs[-1][1]
    assert queue == f"{reverse('safeguarding:index')}?consultation={consultation.pk}"
    # The tab leads to the queue of this consultation's concerns, not every one.
    mine = make_concern(consultation, text="my step dad hits me")
    other = make_concern(make_consultation(consultation.get_parent().get_parent(), title="Other"))
    listed = {c.pk for c in client.get(queue).context["object_list"]}
    assert mine.pk in listed
    assert other.pk not in listed


def test_a_draft_consultation_has_no_reports_tab(client, home):
    consultation = make_consultation(home, title="Next year", live=False)
    client.force_login(facilitator())

    html = client.get(reverse("consultations:overview", args=[consultation.pk])).content.decode()

    assert [label for label, _url, _current in tab_bar(html)] == TAB_NAMES


def test_a_facilitator_without_the_import_permission_has_no_import_tab(client, consultation):
    user = facilitator()
    user.groups.get(name=roles.FACILITATORS).permissions.remove(
        *user.groups.get(name=roles.FACILITATORS).permissions.filter(codename="add_importbatch")
    )
    client.force_login(user)

    html = client.get(reverse("consultations:overview", args=[consultation.pk])).content.decode()

    assert "Import" not in [label for label, _url, _current in tab_bar(html)]


@pytest.fixture
def workspace(consultation):
    """A consultation with a response, an import and a codebook: every tab has something."""
    batch = ImportBatch.objects.create(page=consultation, source=Source.PAPER, filename="a.csv")
    response = respond(
        consultation, {SAFER: "Street lights"}, source=Source.PAPER, import_batch=batch
    )
    codebook = Codebook.objects.create(name="Feeling safe themes", consultation=consultation)
    Theme.objects.create(codebook=codebook, name="Lighting", sort_order=0)
    return consultation, response, batch


@pytest.mark.parametrize(
    ("address", "current"),
    [
        (lambda c, r, b: reverse("consultations:overview", args=[c.pk]), "Overview"),
        (lambda c, r, b: reverse("consultations:responses", args=[c.pk]), "Responses"),
        (lambda c, r, b: reverse("consultations:response", args=[c.pk, r.pk]), "Responses"),
        (lambda c, r, b: reverse("consultations:import", args=[c.pk]), "Import"),
        (lambda c, r, b: reverse("consultations:imports", args=[c.pk]), "Import"),
        (lambda c, r, b: reverse("consultations:undo_import", args=[b.pk]), "Import"),
        (lambda c, r, b: reverse("consultations:word_cloud", args=[c.pk]), "Word cloud"),
        (lambda c, r, b: reverse("themes:coding", args=[c.pk]), "Coding"),
        (lambda c, r, b: reverse("themes:quality", args=[c.pk]), "Coding"),
        (lambda c, r, b: reverse("themes:discovery", args=[c.pk]), "Coding"),
        (lambda c, r, b: reverse("themes:themed_summary", args=[c.pk]), "Themed summary"),
    ],
    ids=[
        "overview",
        "responses",
        "response",
        "import",
        "imports",
        "undo_import",
        "word_cloud",
        "coding",
        "quality",
        "discovery",
        "themed_summary",
    ],
)
def test_every_view_of_a_consultation_shows_its_tabs_with_its_own_marked(
    client, workspace, address, current
):
    client.force_login(facilitator())

    response = client.get(address(*workspace))

    assert response.status_code == 200
    html = response.content.decode()
    assert current_tabs(html) == [current]
    assert [label for label, _url, _current in tab_bar(html)] == [*TAB_NAMES, "Reports"]


def test_a_pending_import_shows_the_import_tab(client, consultation):
    client.force_login(facilitator())
    upload = reverse("consultations:import", args=[consultation.pk])

    posted = client.post(
        upload,
        {
            "file": SimpleUploadedFile("visit.csv", f"{SAFER}\nStreet lights\n".encode()),
            "source": "paper",
        },
    )
    assert posted.status_code == 302

    html = client.get(posted["Location"]).content.decode()

    assert current_tabs(html) == ["Import"]


def test_the_coding_tabs_show_even_before_there_is_a_codebook(client, consultation):
    client.force_login(facilitator())

    coding = client.get(reverse("themes:coding", args=[consultation.pk])).content.decode()
    summary = client.get(reverse("themes:themed_summary", args=[consultation.pk]))

    assert "This consultation has no codebook yet" in coding
    assert current_tabs(coding) == ["Coding"]
    assert current_tabs(summary.content.decode()) == ["Themed summary"]


def test_the_breadcrumbs_lead_back_to_consultations_and_the_overview(client, workspace):
    consultation, response, _batch = workspace
    client.force_login(facilitator())

    html = client.get(
        reverse("consultations:response", args=[consultation.pk, response.pk])
    ).content.decode()

    assert f'href="{reverse("consultations:index")}"' in html
    assert f'href="{reverse("consultations:overview", args=[consultation.pk])}"' in html
