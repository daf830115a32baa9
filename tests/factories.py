"""Factories for the site's pages, images and people. Tests build what they need from these."""

from datetime import timedelta

import factory
import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

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


def make_site() -> HomePage:
    """A home page at the root of the default site, as a fresh install would have it."""
    root = Page.get_first_root_node()
    # Wagtail's own migrations leave a "Welcome" page; a real install replaces it.
    Page.objects.filter(depth=2, content_type__model="page").delete()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    return home
