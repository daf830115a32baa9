"""Factories for the site's pages, images and people. Tests build what they need from these."""

from datetime import timedelta

import factory
import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

from consultations.models import ConsultationIndexPage, ConsultationPage, Question, QuestionKind
from youthforum.accounts.models import AgeBand, User
from youthforum.accounts.roles import MEMBERS
from youthforum.core.models import HomePage, StandardPage
from youthforum.events.models import EventIndexPage, EventPage
from youthforum.films.models import FilmIndexPage, FilmPage
from youthforum.news.models import NewsIndexPage, NewsPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Sam"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=["Facilitators"])`` puts the user in those role groups."""
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class MemberFactory(UserFactory):
    age_band = AgeBand.AGE_13_15

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for name in extracted or [MEMBERS]:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
            self.save()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Picture {n}")


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Youth Forum"
    introduction = "<p>We are young people who make sure adults listen.</p>"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"About us {n}")
    summary = "Who we are and what we do."


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "News"
    slug = "news"


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Forum news story {n}")
    summary = "Something the forum did."
    date = factory.LazyFunction(timezone.localdate)
    body = factory.LazyFunction(lambda: [("paragraph", "<p>The whole story.</p>")])


class FilmIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FilmIndexPage

    title = "Films"
    slug = "films"


class FilmPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FilmPage

    title = factory.Sequence(lambda n: f"Our film {n}")
    summary = "A film the forum made."
    video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    poster = factory.SubFactory(ImageFactory)
    poster_alt = "Young people talking around a table"
    transcript = "<p>Hello, we are the Youth Forum and this is our film.</p>"
    duration = timedelta(minutes=4, seconds=30)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Events"
    slug = "events"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Forum meeting {n}")
    summary = "Our termly meeting."
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    place = "Online"
    joining_details = "<p>Zoom link: https://zoom.example/j/123</p>"


def remove_welcome_page() -> None:
    """Delete the "Welcome" page Wagtail's own migrations leave; a real install replaces it."""
    Page.objects.filter(depth=2, content_type__model="page").delete()


def make_site() -> HomePage:
    """A home page at the root of the default site, as a fresh install would have it."""
    root = Page.get_first_root_node()
    remove_welcome_page()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    return home


class ConsultationIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ConsultationIndexPage

    title = "Have your say"
    slug = "consultations"


class ConsultationPageFactory(wagtail_factories.PageFactory):
    """An open consultation. Add questions with QuestionFactory(page=...)."""

    class Meta:
        model = ConsultationPage

    title = factory.Sequence(lambda n: f"Consultation {n}")
    introduction = "<p>Tell us what you think.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=27))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    page = None
    kind = QuestionKind.LONG_TEXT
    text = factory.Sequence(lambda n: f"Question {n}?")
    sort_order = factory.Sequence(lambda n: n)


def make_consultation(parent, **kwargs) -> ConsultationPage:
    """An open consultation with one question of each type, in the index below ``parent``."""
    index = ConsultationIndexPage.objects.child_of(parent).first() or ConsultationIndexPageFactory(
        parent=parent
    )
    page = ConsultationPageFactory(parent=index, **kwargs)
    QuestionFactory(
        page=page,
        kind=QuestionKind.SHORT_TEXT,
        text="What is your name for this?",
        character_limit=50,
    )
    QuestionFactory(
        page=page,
        kind=QuestionKind.LONG_TEXT,
        text="What would make you feel safer?",
        required=True,
    )
    QuestionFactory(
        page=page,
        kind=QuestionKind.SINGLE_CHOICE,
        text="How do you get to school?",
        options="Bus\nWalk\nCar",
        allow_other=True,
    )
    QuestionFactory(
        page=page,
        kind=QuestionKind.MULTIPLE_CHOICE,
        text="Where do you feel unsafe?",
        options="Park\nBus stop\nOnline",
        allow_other=True,
    )
    QuestionFactory(
        page=page,
        kind=QuestionKind.RATING,
        text="How safe do you feel at school?",
        face_labels=True,
    )
    QuestionFactory(
        page=page,
        kind=QuestionKind.RANKING,
        text="What matters most?",
        options="Mental health\nKnife crime\nTransport\nBullying",
        max_ranked=2,
    )
    QuestionFactory(
        page=page, kind=QuestionKind.ABOUT_YOU, text="How old are you?", about="age_band"
    )
    QuestionFactory(page=page, kind=QuestionKind.ABOUT_YOU, text="Where do you live?", about="area")
    return page
