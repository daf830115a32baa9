"""What a young person on a phone meets: accessible pages, and films that stay private until played.

Chromium at a 390×844 viewport, as on a typical phone. axe-core checks each page against WCAG
2.0, 2.1 and 2.2 A and AA; a serious or critical violation fails the test.
"""

import re
from urllib.parse import urlsplit

import pytest

from .conftest import run_axe

pytestmark = pytest.mark.browser

FAILING_IMPACTS = {"serious", "critical"}
PHONE_WIDTH = 390
YOUTUBE_PRIVATE_HOST = "www.youtube-nocookie.com"
PLAY_VIDEO = re.compile(r"play video", re.IGNORECASE)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"      at {node['target']}" for node in violation["nodes"])
    return "\n".join(lines)


def overflowing_elements(page) -> list[str]:
    """Elements that stick out past the right edge of the viewport, for the failure message."""
    return page.evaluate(
        """width => Array.from(document.body.querySelectorAll('*'))
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .slice(0, 10)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                       + ' right=' + Math.round(el.getBoundingClientRect().right))""",
        PHONE_WIDTH,
    )


def keep_on_test_server(page, host: str) -> None:
    """Refuse every request to another host, so no test can reach YouTube or anyone else."""
    page.route(
        re.compile(r"^(https?|wss?)://"),
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == host else route.abort()
        ),
    )


def test_public_pages_pass_axe_and_work_by_keyboard_on_a_phone(public_site, new_page, axe_path):
    pages = {
        "home page": public_site.url(public_site.home),
        "news page": public_site.url(public_site.news_page),
        "film page": public_site.url(public_site.film_page),
        "privacy page": public_site.url("/privacy/"),
    }
    problems = []
    for name, url in pages.items():
        page = new_page()
        keep_on_test_server(page, public_site.host)
        response = page.goto(url)
        assert response is not None, f"{name} {url}: no response"
        assert response.status == 200, f"{name} {url}: HTTP {response.status}"

        h1_count = page.locator("h1").count()
        if h1_count != 1:
            problems.append(f"{name}: {h1_count} h1 elements, expected exactly one")

        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => ({tag: document.activeElement.tagName.toLowerCase(),
                       text: document.activeElement.textContent.trim(),
                       href: document.activeElement.getAttribute('href')})"""
        )
        if focused["tag"] != "a" or focused["text"] != "Skip to main content":
            problems.append(f"{name}: the first Tab focuses {focused}, not the skip link")
        else:
            page.keyboard.press("Enter")
            landed = page.evaluate("() => document.activeElement.id")
            target = (focused["href"] or "").lstrip("#")
            if not target or landed != target:
                problems.append(f"{name}: the skip link moved focus to #{landed!r}, not #{target}")

        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > PHONE_WIDTH:
            problems.append(
                f"{name}: scrolls sideways at {PHONE_WIDTH}px (scrollWidth {scroll_width}); "
                f"too wide: {overflowing_elements(page)}"
            )

        violations = run_axe(page, axe_path)
        if violations:
            # Every violation is printed (see pytest -rP or -s); only serious ones fail the test.
            print(f"axe on the {name} ({url}):\n{describe(violations)}")
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if failing:
            problems.append(f"{name}: serious or critical axe violations:\n{describe(failing)}")

    assert not problems, "\n".join(problems)


def test_film_transcript_and_player_work_without_javascript(public_site, new_page):
    page = new_page(java_script_enabled=False)
    keep_on_test_server(page, public_site.host)
    page.goto(public_site.url(public_site.film_page))

    assert page.get_by_text(public_site.transcript_text).is_visible()
    assert page.locator("iframe").count() == 0, "the player loaded before anyone asked for it"

    page.get_by_role("link", name=PLAY_VIDEO).click()
    page.wait_for_url(re.compile(r"[?&]play=1"))

    player = page.locator("iframe").first
    player.wait_for(state="attached")
    assert urlsplit(player.get_attribute("src")).hostname == YOUTUBE_PRIVATE_HOST
    assert page.get_by_text(public_site.transcript_text).is_visible()


def test_film_page_contacts_no_other_site_until_play_is_pressed(public_site, new_page):
    page = new_page()
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url)))
    keep_on_test_server(page, public_site.host)
    page.goto(public_site.url(public_site.film_page), wait_until="networkidle")

    elsewhere = sorted(
        {
            url.netloc
            for url in requested
            if url.scheme in {"http", "https", "ws", "wss"} and url.netloc != public_site.host
        }
    )
    assert not elsewhere, f"the film page contacted {elsewhere} before play was pressed"

    page.locator("a, button").filter(has_text=PLAY_VIDEO).first.click()

    player = page.locator(f"iframe[src^='https://{YOUTUBE_PRIVATE_HOST}/']")
    player.wait_for(state="attached")
    assert page.get_by_text(public_site.transcript_text).is_visible()
