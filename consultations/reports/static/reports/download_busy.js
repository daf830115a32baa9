// The report page's downloads (reports/report.html): a PDF or workbook is built while the reader
// waits, which takes a few seconds, so its link says "Preparing your PDF…" with a spinner and the
// status below says so to screen readers, until the download starts.
//
// The browser does not tell a page when a download starts, so the link is followed with
// ?download_token=<random>, and the file's response sets the cookie report_download_<token>
// (consultations/reports/downloads.py). Seeing it, the page goes back to normal; if it never comes
// (a failed build, a lost connection), the page gives up waiting after TIMEOUT_MS.
//
// While one file is being prepared, every download link is disabled: a second click would start a
// second build, and following another link would cancel the first. Clicks with a modifier key
// (open in a new tab or window) are left to the browser. Without this script the links are plain
// links, as they always were.
(function () {
    "use strict";

    var COOKIE_PREFIX = "report_download_";
    var POLL_MS = 250;
    var TIMEOUT_MS = 60000;
    var busy = null; // {link, label, cookie, poll, timeout} while a file is being prepared

    function newToken() {
        var bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        return Array.prototype.map.call(bytes, function (b) {
            return ("0" + b.toString(16)).slice(-2);
        }).join("");
    }

    function hasCookie(name) {
        return document.cookie.split(";").some(function (part) {
            return part.trim().indexOf(name + "=") === 0;
        });
    }

    function forgetCookie(name) {
        document.cookie = name + "=; Max-Age=0; Path=" + window.location.pathname + "; SameSite=Lax";
    }

    function links() {
        return document.querySelectorAll("[data-downloads] a");
    }

    function say(message) {
        var status = document.querySelector("[data-download-status]");
        if (status) {
            status.textContent = message || "";
        }
    }

    function start(link) {
        var token = newToken();
        var url = new URL(link.href);
        url.searchParams.set("download_token", token);
        busy = {link: link, label: link.textContent, cookie: COOKIE_PREFIX + token};
        links().forEach(function (each) {
            each.setAttribute("aria-disabled", "true");
        });
        var spinner = document.createElement("span");
        spinner.className = "download-spinner";
        spinner.setAttribute("aria-hidden", "true");
        link.textContent = link.getAttribute("data-busy-label");
        link.insertBefore(spinner, link.firstChild);
        link.classList.add("download-link--busy");
        say(link.getAttribute("data-busy-message"));
        busy.poll = window.setInterval(function () {
            if (hasCookie(busy.cookie)) {
                finish(busy.link.getAttribute("data-ready-message"));
            }
        }, POLL_MS);
        busy.timeout = window.setTimeout(function () {
            var status = document.querySelector("[data-download-status]");
            finish(status ? status.getAttribute("data-timeout-message") : "");
        }, TIMEOUT_MS);
        window.location.assign(url.toString());
    }

    function finish(message) {
        if (!busy) {
            return;
        }
        window.clearInterval(busy.poll);
        window.clearTimeout(busy.timeout);
        forgetCookie(busy.cookie);
        busy.link.textContent = busy.label;
        busy.link.classList.remove("download-link--busy");
        links().forEach(function (each) {
            each.removeAttribute("aria-disabled");
        });
        busy = null;
        say(message);
    }

    document.addEventListener("DOMContentLoaded", function () {
        links().forEach(function (link) {
            link.addEventListener("click", function (event) {
                if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
                    return;
                }
                if (busy) {
                    event.preventDefault();
                    return;
                }
                if (link.hasAttribute("data-busy-label")) {
                    event.preventDefault();
                    start(link);
                }
            });
        });
        // Back from the progress page of a large report (or any page): the browser may show this
        // page as it was left, still "preparing"; show it as it is now.
        window.addEventListener("pageshow", function (event) {
            if (event.persisted) {
                finish("");
            }
        });
    });
})();
