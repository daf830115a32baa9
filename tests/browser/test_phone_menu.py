"""The header's "Menu" on a phone: compact, opened by keyboard without JavaScript, axe-clean.

Chromium at 375 px wide (a small phone). The menu is a <details> disclosure, so it needs no
script; on a wider screen the same links show in a bar and "Menu" is hidden.
"""

import pytest

from .conftest import axe_lines

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 812}
MENU_LINKS = ["You said, we did", "Search", "Sign in"]


def focused(page) -> dict:
    return page.evaluate(
        """() => ({tag: document.activeElement.tagName.toLowerCase(),
                   text: document.activeElement.textContent.trim()})"""
    )


def header_height(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.site-header').getBoundingClientRect().height"
    )


def what_chromium_tells_screen_readers(page, selector: str) -> dict:
    """The accessible name and expanded state Chromium gives an element (its accessibility tree).

    Playwright's own role queries do not model <summary>; Chromium exposes it as a disclosure
    control with an expanded state, which is what a screen reader hears.
    """
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    own = ax["nodes"][0]
    states = {p["name"]: p["value"].get("value") for p in own.get("properties", [])}
    return {"name": own["name"]["value"], "expanded": states.get("expanded")}


def test_the_menu_is_compact_and_opens_by_keyboard_without_javascript(public_site, new_page):
    page = new_page(viewport=SMALL_PHONE, java_script_enabled=False)
    page.goto(public_site.url(public_site.home))
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.locator("summary", has_text="Menu")

    assert toggle.is_visible()
    for name in MENU_LINKS:
        assert not nav.get_by_role("link", name=name).first.is_visible(), f"{name} shows closed"
    # The header used to take 470 of a phone's 844 px; closed, it is a bar.
    assert header_height(page) < 160, header_height(page)

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    assert focused(page) == {"tag": "summary", "text": "Menu"}
    page.keyboard.press("Enter")
    assert page.locator("details.site-nav__menu").get_attribute("open") is not None

    reached = []
    for _ in MENU_LINKS:
        page.keyboard.press("Tab")
        reached.append(focused(page))
    assert reached == [{"tag": "a", "text": name} for name in MENU_LINKS]
    for name in MENU_LINKS:
        assert nav.get_by_role("link", name=name).first.is_visible()
    # Opening the menu does not push the page down: it drops over it, below the header.
    assert header_height(page) < 160

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["tag"] == "summary"
    page.keyboard.press("Space")  # closes again
    assert page.locator("details.site-nav__menu").get_attribute("open") is None
    assert not nav.get_by_role("link", name="Search").first.is_visible()

    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Search").first.click()
    page.wait_for_url("**/search/**")


def test_the_menu_passes_axe_closed_and_open(public_site, new_page, axe_path):
    page = new_page(viewport=SMALL_PHONE)
    page.goto(public_site.url(public_site.news_page))
    problems = axe_lines(page, axe_path, "news page, menu closed")
    toggle = page.locator("summary.site-nav__toggle")
    closed = what_chromium_tells_screen_readers(page, "summary.site-nav__toggle")
    assert closed == {"name": "Menu", "expanded": False}
    toggle.click()
    # The screen reader hears a control that is now expanded.
    assert what_chromium_tells_screen_readers(page, "summary.site-nav__toggle") == {
        "name": "Menu",
        "expanded": True,
    }
    problems += axe_lines(page, axe_path, "news page, menu open")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    assert not problems, "\n".join(problems)


def test_a_wide_screen_shows_the_links_in_a_bar_and_no_menu(public_site, new_page, axe_path):
    page = new_page(viewport={"width": 1024, "height": 768}, is_mobile=False, has_touch=False)
    page.goto(public_site.url(public_site.home))
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.locator("summary").is_visible()
    for name in MENU_LINKS:
        assert nav.get_by_role("link", name=name).first.is_visible()
    assert not axe_lines(page, axe_path, "home page, wide")
