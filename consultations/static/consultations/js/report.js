// The report page (reports/report.html): keeps the open part in the address, as the filters are.
// Without this script every part still opens and closes, and a link to a part's #fragment opens it
// in browsers that reveal a fragment's closed <details> (Chromium, Firefox).
(function () {
    "use strict";

    function reveal(hash) {
        if (!hash || hash.length < 2) {
            return;
        }
        var target = document.getElementById(decodeURIComponent(hash.slice(1)));
        if (!target) {
            return;
        }
        var opened = false;
        for (var node = target; node; node = node.parentElement) {
            if (node.tagName === "DETAILS" && !node.open) {
                node.open = true;
                opened = true;
            }
        }
        if (opened) {
            target.scrollIntoView();
        }
    }

    function keepInAddress(details) {
        details.addEventListener("toggle", function () {
            var hash = "#" + details.id.replace(/^part-/, "");
            // A part open from the start (the choice questions) says nothing new when it opens.
            if (details.open && details.hasAttribute("data-default-open")) {
                return;
            }
            if (details.open && window.location.hash !== hash) {
                history.replaceState(null, "", hash);
            } else if (!details.open && window.location.hash === hash) {
                history.replaceState(null, "", window.location.pathname + window.location.search);
            }
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        reveal(window.location.hash);
        window.addEventListener("hashchange", function () {
            reveal(window.location.hash);
        });
        document.querySelectorAll("details.report-part").forEach(keepInAddress);
        // Applying filters keeps the open part: a GET form keeps its action's #fragment.
        var form = document.getElementById("filters");
        if (form) {
            form.addEventListener("submit", function () {
                form.setAttribute("action", window.location.hash || "");
            });
        }
    });
})();
