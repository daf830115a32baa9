"""Playwright driving Debian's Chromium against the live test server, with axe-core from npm.

The browser tests need three things this directory cannot install by itself:

* the ``playwright`` Python package (``make install``; its own browser downloads are never used),
* a Chromium: ``$CHROMIUM_PATH``, else ``/usr/bin/chromium``, else ``chromium`` on the PATH
  (``apt-get install chromium`` on Debian),
* axe-core, pinned in ``package.json`` here (``make browser-deps``).

Without them the tests skip with a message saying what to install, except under ``CI``, where a
skip would hide a broken pipeline, so they fail instead.
"""

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.factories import (
    FilmIndexPageFactory,
    FilmPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    make_consultation,
    make_site,
)

AXE_PATH = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE_VIEWPORT = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRANSCRIPT_TEXT = "Hello, we are the Youth Forum and this is our film."


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _cannot_run(reason: str):
    """Skip locally; fail under CI, where a skip would pass a pipeline that tested nothing."""
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CHROMIUM_PATH"):
            _cannot_run(f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']} is not an executable file")
        _cannot_run(
            "No Chromium found: install Debian's chromium (apt-get install chromium) "
            "to run the browser tests"
        )
    return path


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE_PATH.is_file():
        _cannot_run(f"axe-core is missing ({AXE_PATH}): run `make browser-deps` (needs npm)")
    return AXE_PATH


@pytest.fixture
def browser(transactional_db, chromium_path):
    """Chromium, for one test.

    While Playwright's sync API runs, an asyncio loop counts as running in this thread, and Django
    then (1) refuses ORM calls as if they came from async code and (2) keeps a separate set of
    database connections for them. (1) is harmless here, nothing is async, so Django is told so.
    (2) would lose the state that restores the database between transactional tests, so the
    browser starts after the test database is set up (``transactional_db``) and stops before it
    is flushed: that is why this fixture is per test and not per module.
    """
    from django.db import connections

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _cannot_run("The playwright package is not installed: run `make install`")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        # Only the system Chromium: Playwright never downloads a browser here.
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        # Close the connections Django opened while Playwright ran, while they can still be
        # reached: left open, they stop PostgreSQL from dropping the test database at the end.
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser):
    """``new_page(java_script_enabled=False)``: a fresh phone-sized tab with its own context."""
    contexts = []

    def make(**context_options):
        options = {
            "viewport": PHONE_VIEWPORT,
            "is_mobile": True,
            "has_touch": True,
            "device_scale_factor": 2,
            "locale": "en-GB",
            # The site's CSP forbids inline scripts, and Playwright's add_script_tag(path=...)
            # injects axe-core as an inline script. Bypassing CSP is for the test harness only;
            # the tests that matter for CSP check the response headers, not the browser.
            "bypass_csp": True,
            **context_options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@dataclass
class PublicSite:
    base_url: str
    home: object
    news_page: object
    film_page: object
    transcript_text: str

    def url(self, path_or_page) -> str:
        path = path_or_page if isinstance(path_or_page, str) else path_or_page.url
        return self.base_url + path

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc


@pytest.fixture
def live_home(transactional_db, django_db_serialized_rollback, live_server):
    """A fresh home page on the default site, which is matched to the live server.

    The live server runs in another thread, so the data must be committed (``transactional_db``).
    The flush after each such test would also wipe what Wagtail's and our data migrations made
    (the root page, the role groups), which later tests rely on; serialized rollback restores it.
    """
    from wagtail.models import Site

    home = make_site()
    # Match the live server exactly rather than lean on Wagtail's default-site fallback.
    live = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=live.hostname, port=live.port)
    return home


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Browser tests send answers and look up references quickly, one after another, from one
    address: the per-client limits are tested without a browser, so they are off here."""
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None
    settings.YOUTHVOICE_REFERENCE_RATE_LIMIT = None


@pytest.fixture
def consultation(live_home):
    """An open, single-page consultation with one question of each kind, on the live server
    (modules that need another set-up define their own)."""
    return make_consultation(live_home, title="Feeling safe", slug="feeling-safe")


@pytest.fixture
def public_site(live_home, live_server) -> PublicSite:
    """A home page with a news story and a featured film, served by the live server."""
    home = live_home
    news_index = NewsIndexPageFactory(parent=home)
    news_page = NewsPageFactory(
        parent=news_index,
        title="We met the Executive",
        summary="Forum members told the partnership's leaders what young people think.",
    )
    film_index = FilmIndexPageFactory(parent=home)
    film_page = FilmPageFactory(
        parent=film_index, title="Seeing your GP", transcript=f"<p>{TRANSCRIPT_TEXT}</p>"
    )
    home.featured_film = film_page
    home.save()
    return PublicSite(
        base_url=live_server.url,
        home=home,
        news_page=news_page,
        film_page=film_page,
        transcript_text=TRANSCRIPT_TEXT,
    )


def run_axe(page, axe_path) -> list[dict]:
    """axe-core's WCAG 2.x A and AA violations on the page as it is now, of every impact."""
    page.add_script_tag(path=str(axe_path))
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
        })""",
        WCAG_TAGS,
    )
    # A page where axe checked nothing would pass silently; make sure it really ran.
    assert results["passes"], f"axe-core ran no checks on {page.url}"
    return results["violations"]


def axe_lines(page, axe_path, name: str, *, after_messages: bool = False) -> list[str]:
    """Every WCAG 2.x A/AA violation on the page, of any impact, as lines naming the page.

    ``after_messages``: wait for Wagtail's messages to finish fading in first (mid-fade their
    text is paler than it ends up, which axe would report as poor contrast).
    """
    if after_messages:
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll(".messages li")).every(li => {
                for (let e = li; e; e = e.parentElement) {
                    if (getComputedStyle(e).opacity !== "1") return false;
                }
                return true;
            })"""
        )
    return [
        f"{name}: [{v['impact']}] {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in run_axe(page, axe_path)
    ]


def sign_in_with_code(page, url: str, user, *, lands_on: str) -> None:
    """Open ``url`` as ``user`` (made with ``make_user``): allauth's sign-in with the password,
    then a code from an authenticator app added here, then back at ``url`` (``lands_on``, a
    regular expression for its address)."""
    from tests.youthforum.accounts.support import PASSWORD, add_totp, totp_code

    secret = add_totp(user)
    page.goto(url)
    assert "/accounts/login/" in page.url
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.fill("#id_code", totp_code(secret))
    page.get_by_role("button", name=re.compile("Sign in|Continue|Verify", re.I)).click()
    page.wait_for_url(re.compile(lands_on))
