"""The report's PDF link while the file is built: "Preparing your PDF…" with a spinner (still,
for reduced motion) and a status for screen readers, one build however often it is clicked, and
back to normal when the download starts, or after a minute if the server never says it has.
Without JavaScript the link is a plain link. axe-core checks the page while it is busy.

The live server runs in this process, so a test can hold a build (``held_builds``) while the
reader waits. While the download's request is pending, Chromium answers no DevTools evaluation
(``page.evaluate`` waits for the response), but the page runs, takes clicks and logs to the
console: so the busy page is watched from inside (``WATCH``), and reports by console message.
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from consultations.reports import downloads, exports
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code
from .test_executive_report import (
    DESK,
    consultation,  # noqa: F401 - the fixture, shared
)

pytestmark = pytest.mark.browser

PDF_LINK = "#downloads a[href*='report.pdf']"
XLSX_LINK = "#downloads a[href*='report.xlsx']"
PDF_TEXT = "PDF, for reading and printing"
BUSY_TEXT = "Preparing your PDF…"
BUSY_MESSAGE = "Preparing your PDF. This can take a few seconds."
READY_MESSAGE = "Your PDF is ready. Your browser is downloading it."
TIMEOUT_MESSAGE = (
    "This is taking longer than usual. If your file has not downloaded, try the link again."
)
IDLE = {"pdf": PDF_TEXT, "status": "", "disabled": [None, None, None], "spinner": None}
BUSY = {"pdf": BUSY_TEXT, "status": BUSY_MESSAGE, "disabled": ["true"] * 3}

#: What a reader sees of the downloads: the PDF link's words, the status, which links are
#: disabled, and the spinner's animation (None: no spinner shown).
STATE = """sel => {
    const pdf = document.querySelector(sel);
    const spinner = pdf.querySelector(".download-spinner");
    return {
        pdf: pdf.textContent.trim(),
        status: document.getElementById("download-status").textContent.trim(),
        disabled: Array.from(document.querySelectorAll("#downloads ul a"))
            .map(a => a.getAttribute("aria-disabled")),
        spinner: spinner && spinner.getBoundingClientRect().width > 0
            ? getComputedStyle(spinner).animationName : null,
    };
}"""

#: Logs "busy: <STATE>" once the PDF link says it is preparing, and "click: <address>" for every
#: click on a download link (so a test knows its clicks arrived).
WATCH = f"""([sel, busy]) => {{
    const state = {STATE};
    const pdf = document.querySelector(sel);
    const observer = new MutationObserver(() => {{
        if (pdf.textContent.trim() === busy) {{
            observer.disconnect();
            console.log("busy: " + JSON.stringify(state(sel)));
        }}
    }});
    observer.observe(document.getElementById("downloads"),
        {{subtree: true, childList: true, characterData: true, attributes: true}});
    document.addEventListener("click", event => {{
        const link = event.target.closest("#downloads a");
        if (link) console.log("click: " + link.pathname);
    }}, true);
}}"""


@dataclass
class HeldBuilds:
    gate: threading.Event = field(default_factory=threading.Event)
    started: list = field(default_factory=list)

    def wait_for(self, count: int) -> None:
        for _ in range(200):
            if len(self.started) >= count:
                return
            time.sleep(0.05)
        assert len(self.started) >= count, f"{count} builds expected, {self.started} started"


@pytest.fixture
def held_builds(monkeypatch):
    """Every PDF or workbook built in a request waits here until ``gate`` is set; ``started``
    lists the kinds begun, so a second build would show."""
    held = HeldBuilds()
    build = exports.build_file

    def build_file(page, filters, kind, **options):
        held.started.append(kind)
        held.gate.wait(60)
        return build(page, filters, kind, **options)

    monkeypatch.setattr(exports, "build_file", build_file)
    yield held
    held.gate.set()


def open_report(new_page, live_server, *, clock=False, **options):
    """A desk-sized tab, signed in as an Executive partner, on the Feeling safe report;
    ``clock``: with timers the test moves on (``page.clock``), installed before the page's."""
    page = new_page(**{**DESK, **options})
    if clock:
        page.clock.install()
    executive = make_user(roles=[roles.EXECUTIVE_PARTNERS], email="exec@example.org")
    sign_in_with_code(
        page,
        f"{live_server.url}/reports/feeling-safe/",
        executive,
        lands_on=r"/reports/feeling-safe/$",
    )
    page.locator("#downloads").scroll_into_view_if_needed()
    return page


def state(page) -> dict:
    return page.evaluate(STATE, PDF_LINK)


def a_point_on(page, selector: str) -> tuple[float, float]:
    """A point inside the link's first words, which stay where they are while it is busy."""
    box = page.locator(selector).bounding_box()
    return box["x"] + 5, box["y"] + box["height"] / 2


def test_the_pdf_link_shows_it_is_being_prepared_until_the_download_starts(
    consultation,  # noqa: F811
    live_server,
    new_page,
    axe_path,
    held_builds,
):
    page = open_report(new_page, live_server, reduced_motion="reduce")
    report_url = page.url
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    assert state(page) == IDLE
    on_pdf, on_xlsx = a_point_on(page, PDF_LINK), a_point_on(page, XLSX_LINK)
    page.evaluate(WATCH, [PDF_LINK, BUSY_TEXT])

    with page.expect_console_message(lambda m: m.text.startswith("busy: ")) as busy:
        page.locator(PDF_LINK).dblclick()
    held_builds.wait_for(1)
    # While it is preparing, another click on it, or on the spreadsheet, starts nothing.
    with page.expect_console_message(lambda m: m.text.endswith("/report.xlsx")):
        page.mouse.click(*on_pdf)
        page.mouse.click(*on_xlsx)
    time.sleep(1)

    # The spinner stands still for reduced motion.
    assert json.loads(busy.value.text.removeprefix("busy: ")) == {**BUSY, "spinner": "none"}
    assert held_builds.started == ["pdf"], "one build, however often the links are clicked"
    pdf_requests = [url for url in asked if "/report.pdf" in url]
    assert len(pdf_requests) == 1
    token = parse_qs(urlsplit(pdf_requests[0]).query)["download_token"][0]
    assert re.fullmatch(r"[A-Za-z0-9_-]{8,64}", token)

    with page.expect_download() as arrived:
        held_builds.gate.set()
    download = arrived.value
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert download.suggested_filename == f"feeling-safe-report-{today}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.wait_for_function(  # the script looks for the server's word every 250 ms
        "([sel, text]) => document.querySelector(sel).textContent.trim() === text",
        arg=[PDF_LINK, PDF_TEXT],
    )
    assert state(page) == {**IDLE, "status": READY_MESSAGE}
    assert page.url == report_url
    assert f"report_download_{token}" not in page.evaluate("document.cookie")  # cleared
    problems = axe_lines(page, axe_path, "report after the PDF")
    assert not problems, "\n".join(problems)


def test_without_word_from_the_server_the_link_comes_back_after_a_minute(
    consultation,  # noqa: F811
    live_server,
    new_page,
    axe_path,
    monkeypatch,
):
    """As when the browser refuses the cookie: the file arrives, the page is never told. The
    page, still busy, is checked with axe-core meanwhile."""
    monkeypatch.setattr(downloads, "_tell_the_page", lambda request, response, slug: response)
    page = open_report(new_page, live_server, clock=True)

    with page.expect_download() as arrived:
        page.locator(PDF_LINK).click()
    assert arrived.value.suggested_filename.endswith(".pdf")

    assert state(page) == {**BUSY, "spinner": "download-spin"}
    problems = axe_lines(page, axe_path, "report while preparing the PDF")
    assert state(page)["pdf"] == BUSY_TEXT  # axe saw the busy page
    assert not problems, "\n".join(problems)

    page.clock.run_for(50_000)
    assert state(page) == {**BUSY, "spinner": "download-spin"}
    page.clock.run_for(11_000)
    assert state(page) == {**IDLE, "status": TIMEOUT_MESSAGE}


def test_without_javascript_the_pdf_link_is_a_plain_link(
    consultation,  # noqa: F811
    live_server,
    new_page,
):
    page = open_report(new_page, live_server, java_script_enabled=False)
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    with page.expect_download() as arrived:
        page.locator(PDF_LINK).click()

    assert arrived.value.suggested_filename.endswith(".pdf")
    pdf_requests = [url for url in asked if "/report.pdf" in url]
    assert pdf_requests and not any("download_token" in url for url in pdf_requests)
    assert state(page) == IDLE
