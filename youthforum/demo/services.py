"""Load (and reset) the demo site: pages, pictures, site settings and one account per role.

``demo_load()`` is idempotent. Pages are found by slug under their parent, pictures by title in
the "Demo" collection and accounts by email address; what exists is updated in place, and only
when something differs, so a second run writes nothing (no new revisions either). Every page is
created, revised and published as the demo facilitator, like an editor in the admin would.

``demo_load(reset=True)`` first removes what the demo owns: the home page and every page below
it, the pictures in the "Demo" collection and the demo accounts. The default ``Site`` row and
its settings are kept and pointed at the rebuilt home page.

Both refuse to run unless ``settings.YOUTHVOICE_DEMO_ALLOWED`` is true (production settings set
it to false), so demo accounts with a published password and TOTP secret never reach production.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any, TextIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page, Site

from youthforum.core.models import HomePage, SiteSettings, StandardPage
from youthforum.events.models import EventIndexPage, EventPage
from youthforum.films.models import FilmIndexPage, FilmPage
from youthforum.news.models import NewsIndexPage, NewsPage

from . import content
from .accounts import (
    DEMO_ACCOUNTS,
    DEMO_TOTP_SECRET,
    EDITOR_EMAIL,
    DemoAccount,
    demo_account_upsert,
    demo_accounts_delete,
    demo_password_hash,
)
from .coding import demo_coding_build
from .commitments import demo_commitments_build
from .consultations import demo_consultations_build, demo_consultations_delete
from .images import draw_demo_image

DEMO_COLLECTION = "Demo"


class DemoNotAllowedError(RuntimeError):
    """Raised when the demo is asked for where ``YOUTHVOICE_DEMO_ALLOWED`` is false."""


class DemoConflictError(RuntimeError):
    """Raised when something that is not the demo's stands where the demo wants to build."""


@dataclass
class DemoSummary:
    """What a run did, for the command to print."""

    home_path: str = "/"
    #: What happened to each demo page, by id: "created", "updated" or "unchanged".
    pages: dict[int, str] = field(default_factory=dict)
    images_created: int = 0
    images_total: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    responses_created: int = 0
    responses_total: int = 0
    accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS
    password: str = ""
    totp_secret: str = DEMO_TOTP_SECRET

    def page_outcome(self, page: Page, outcome: str) -> None:
        """Record ``outcome`` for ``page``; a page made and then linked up counts as created."""
        order = ("unchanged", "updated", "created")
        previous = self.pages.get(page.pk, "unchanged")
        self.pages[page.pk] = max(previous, outcome, key=order.index)

    @property
    def pages_created(self) -> int:
        return list(self.pages.values()).count("created")

    @property
    def pages_updated(self) -> int:
        return list(self.pages.values()).count("updated")

    @property
    def pages_unchanged(self) -> int:
        return list(self.pages.values()).count("unchanged")


def demo_allowed_check() -> None:
    if not settings.YOUTHVOICE_DEMO_ALLOWED:
        raise DemoNotAllowedError(
            "The demo content and accounts are not allowed here (YOUTHVOICE_DEMO_ALLOWED is "
            "False, as in production settings). Nothing was changed."
        )


@transaction.atomic
def demo_load(*, reset: bool = False, stdout: TextIO | None = None) -> DemoSummary:
    """Create or update the demo site and accounts; with ``reset``, delete them first."""
    demo_allowed_check()
    summary = DemoSummary(password=settings.DEMO_PASSWORD)

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"{message}\n")

    if reset:
        summary.removed = demo_reset()
        say(
            "Removed the demo: {pages} pages, {images} images, {accounts} accounts, "
            "{responses} consultation responses.".format(**summary.removed)
        )
    _DemoBuilder(summary=summary).build()
    return summary


@transaction.atomic
def demo_reset() -> dict[str, int]:
    """Delete the demo's home page tree, its pictures and its accounts.

    The site's root is moved to the tree root first, so the ``Site`` row (and its settings) is
    not deleted with the home page.
    """
    demo_allowed_check()
    pages = responses = 0
    home = HomePage.objects.first()
    if home is not None:
        pages = Page.objects.descendant_of(home, inclusive=True).count()
        responses = demo_consultations_delete(home=home)
        Site.objects.filter(root_page=home).update(root_page=Page.get_first_root_node())
        home.delete()
    images = get_image_model().objects.filter(collection__name=DEMO_COLLECTION)
    image_count = images.count()
    try:
        images.delete()
    except ProtectedError as error:
        raise DemoConflictError(
            "Some pictures in the Demo collection are used by pages outside the demo, so the "
            "demo cannot be reset. Choose other pictures for those pages first."
        ) from error
    return {
        "pages": pages,
        "images": image_count,
        "accounts": demo_accounts_delete(),
        "responses": responses,
    }


def _without_ids(stream: list[dict]) -> list[dict]:
    """A stream's raw data minus the block ids, which are random on every assignment."""
    return [{key: value for key, value in block.items() if key != "id"} for block in stream]


def _state(obj, names) -> dict[str, Any]:
    """The values of ``names`` on a model instance, comparable before and after an update."""
    state = {}
    for name in names:
        if name == "tags":
            state[name] = sorted(tag.name for tag in obj.tags.all())
            continue
        model_field = obj._meta.get_field(name)
        if isinstance(model_field, StreamField):
            state[name] = _without_ids(model_field.stream_block.get_prep_value(getattr(obj, name)))
        elif model_field.is_relation:
            state[name] = getattr(obj, model_field.attname)
        else:
            state[name] = getattr(obj, name)
    return state


def _assign(obj, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "tags":
            obj.tags.set(list(value))
        else:
            setattr(obj, name, value)


def _resolve(value, pages: dict[str, Page], images: dict[str, Any]):
    """Turn the content's PageRef/ImageRef into ids, copying as it goes (Wagtail adds ids)."""
    if isinstance(value, content.PageRef):
        return pages[value.key].pk
    if isinstance(value, content.ImageRef):
        return images[value.key].pk
    if isinstance(value, dict):
        return {key: _resolve(item, pages, images) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(item, pages, images) for item in value]
    return value


class _DemoBuilder:
    """One run of the loader: keeps the pages and pictures made so far, to link them up."""

    def __init__(self, *, summary: DemoSummary):
        self.summary = summary
        self.pages: dict[str, Page] = {}
        self.images: dict[str, Any] = {}
        self.editor = None

    def build(self) -> None:
        password_hash = demo_password_hash(self.summary.password)
        for account in DEMO_ACCOUNTS:
            user = demo_account_upsert(account=account, password_hash=password_hash)
            if account.email == EDITOR_EMAIL:
                self.editor = user
        self._images()
        home = self._home()
        self._site(home)

        self.pages["news"] = self._page(home, NewsIndexPage, content.NEWS_INDEX)
        self.pages["films"] = self._page(home, FilmIndexPage, content.FILMS_INDEX)
        self.pages["events"] = self._page(home, EventIndexPage, content.EVENTS_INDEX)
        for film in content.FILMS:
            self.pages[film.key] = self._film(film)
        for story in content.NEWS:
            self.pages[story.slug] = self._news(story)
        for event in content.demo_events(today=timezone.localdate()):
            self._event(event)
        self.pages["about"] = self._page(home, StandardPage, content.ABOUT)
        self.pages["resources"] = self._page(home, StandardPage, content.RESOURCES)
        consultations = demo_consultations_build(home=home, page_upsert=self._page_upsert)
        self.pages["consultations"] = consultations.index
        self.summary.responses_created = consultations.responses_created
        self.summary.responses_total = consultations.responses_total
        demo_commitments_build(consultations.consultations)
        demo_coding_build(consultations.consultations)
        # Last, because the home page links to pages made above.
        self._home(
            featured_film=self.pages["gp-film"],
            you_said_page=self.pages[content.NEWS[0].slug],
        )
        self.summary.home_path = home.url or "/"

    # --- pictures ----------------------------------------------------------------------------

    def _images(self) -> None:
        image_model = get_image_model()
        collection = Collection.objects.filter(name=DEMO_COLLECTION, depth=2).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=DEMO_COLLECTION)
        for spec in content.IMAGES:
            image = image_model.objects.filter(collection=collection, title=spec.title).first()
            if image is None:
                data = draw_demo_image(spec)
                image = image_model(
                    title=spec.title,
                    collection=collection,
                    file=ImageFile(BytesIO(data), name=f"demo-{spec.key}.jpg"),
                    file_size=len(data),
                    # Wagtail's file hash (hash_filelike): a fingerprint, not security.
                    file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
                    uploaded_by_user=self.editor,
                )
                image.save()
                self.summary.images_created += 1
            self.images[spec.key] = image
        self.summary.images_total = len(self.images)

    # --- site --------------------------------------------------------------------------------

    def _home(self, **links) -> HomePage:
        root = Page.get_first_root_node()
        home = HomePage.objects.first()  # there can be only one (max_count = 1)
        if home is None:
            self._remove_wagtail_welcome_page(root)
        home = self._page(root, HomePage, content.HOME, existing=home, **links)
        self.pages["home"] = home
        return home

    @staticmethod
    def _remove_wagtail_welcome_page(root: Page) -> None:
        """Wagtail's own migrations make an empty "Welcome" page at /home/; the demo replaces it."""
        welcome = Page.objects.child_of(root).filter(
            slug=content.HOME["slug"],
            content_type=ContentType.objects.get_for_model(Page),
            numchild=0,
        )
        for page in welcome:
            Site.objects.filter(root_page=page).update(root_page=root)
            page.delete()

    def _site(self, home: HomePage) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                is_default_site=True,
                root_page=home,
                site_name=content.SITE_NAME,
            )
        elif site.root_page_id != home.pk or site.site_name != content.SITE_NAME:
            site.root_page = home
            site.site_name = content.SITE_NAME
            site.save()
        site_settings = SiteSettings.for_site(site)
        before = _state(site_settings, content.SITE_SETTINGS)
        _assign(site_settings, content.SITE_SETTINGS)
        if _state(site_settings, content.SITE_SETTINGS) != before:
            site_settings.save()

    # --- pages -------------------------------------------------------------------------------

    def _page(self, parent: Page, model, spec: dict, *, existing: Page | None = None, **extra):
        values = {key: value for key, value in spec.items() if key != "slug"}
        values.update(extra)
        return self._page_upsert(parent, model, spec["slug"], values, existing=existing)

    def _film(self, film: content.FilmSpec) -> FilmPage:
        return self._page_upsert(
            self.pages["films"],
            FilmPage,
            film.slug,
            {
                "title": film.title,
                "summary": film.summary,
                "video_url": film.video_url,
                "poster": self.images[film.poster],
                "poster_alt": film.poster_alt,
                "duration": film.duration,
                "age_guidance": film.age_guidance,
                "transcript": film.transcript,
            },
        )

    def _news(self, story: content.NewsSpec) -> NewsPage:
        return self._page_upsert(
            self.pages["news"],
            NewsPage,
            story.slug,
            {
                "title": story.title,
                "date": story.date,
                "summary": story.summary,
                "listing_image": self.images[story.image],
                "body": story.body,
                "tags": story.tags,
            },
        )

    def _event(self, event: content.EventSpec) -> EventPage:
        return self._page_upsert(
            self.pages["events"],
            EventPage,
            event.slug,
            {
                "title": event.title,
                "kind": event.kind,
                "start": _aware(event.start),
                "end": _aware(event.end),
                "attendance": event.attendance,
                "place": event.place,
                "summary": event.summary,
                "body": event.body,
                "joining_details": event.joining_details,
            },
        )

    def _page_upsert(self, parent: Page, model, slug: str, values: dict, *, existing=None):
        """Find the page by slug under ``parent``, then create it or update it if it differs.

        A change is saved as a new revision by the demo facilitator and published; an unchanged
        page is left alone, so loading twice leaves the history as it was.
        """
        values = {name: _resolve(value, self.pages, self.images) for name, value in values.items()}
        page = existing or model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            clash = Page.objects.child_of(parent).filter(slug=slug).first()
            if clash is not None:
                raise DemoConflictError(
                    f"A {clash.specific_class._meta.verbose_name} already uses the address "
                    f"{clash.url_path!r}; move or delete it, then load the demo again."
                )
            page = model(slug=slug, live=False, owner=self.editor)
            _assign(page, values)
            parent.add_child(instance=page)
            revision = page.save_revision(user=self.editor)
            log(
                instance=page,
                action="wagtail.create",
                user=self.editor,
                revision=revision,
                content_changed=True,
            )
            revision.publish(user=self.editor)
            self.summary.page_outcome(page, "created")
        else:
            before = _state(page, values)
            _assign(page, values)
            if _state(page, values) == before and page.live and not page.has_unpublished_changes:
                self.summary.page_outcome(page, "unchanged")
                return page
            page.save_revision(user=self.editor, log_action=True).publish(user=self.editor)
            self.summary.page_outcome(page, "updated")
        page.refresh_from_db()
        return page


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, timezone.get_default_timezone())
