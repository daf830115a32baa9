// Keyboard shortcuts for the coding screen, and the live progress of a coding run.
// The page works without this file: it only adds shortcuts and refreshes a progress bar.
//   1–9, then a, b, c ...  tick or untick the theme with that key (shown beside it; the
//                          letters skip S, and the keys come from data-key, set by the server)
//   Enter  save the ticked themes and show the next answer
//   S      skip this answer
// Shortcuts are ignored while typing in a text field, and with Ctrl, Alt or Cmd held; Enter on
// a focused button, link or "what it covers" toggle does that control's own thing.
(function () {
  "use strict";

  var form = document.querySelector("[data-coding-form]");
  if (form) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      var target = event.target;
      var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
      if (tag === "textarea" || tag === "select" || (tag === "input" && target.type !== "checkbox")) {
        return;
      }
      if (tag === "button" || tag === "a" || tag === "summary") {
        if (event.key === "Enter") return; // let the focused control do its own thing
      }
      var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (/^[1-9a-z]$/.test(key) && key !== "s") {
        var box = form.querySelector('input[data-key="' + key + '"]');
        if (box) {
          box.checked = !box.checked;
          box.focus();
          event.preventDefault();
        }
      } else if (event.key === "Enter") {
        event.preventDefault();
        form.querySelector("[data-coding-save]").click();
      } else if (event.key === "s" || event.key === "S") {
        event.preventDefault();
        form.querySelector("[data-coding-skip]").click();
      }
    });
  }

  var status = document.querySelector("[data-coding-status]");
  if (status && window.fetch) {
    var bar = status.querySelector("progress");
    var text = status.querySelector("[data-coding-status-text]");
    var poll = function () {
      fetch(status.getAttribute("data-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!data.running) {
            text.textContent = text.textContent + " ✓";
            bar.value = bar.max;
            return;
          }
          bar.max = data.total || 1;
          bar.value = data.done;
          text.textContent = data.done.toLocaleString("en-GB") + " of " +
            data.total.toLocaleString("en-GB") + " answers";
          window.setTimeout(poll, 3000);
        })
        .catch(function () { /* the Refresh link still works */ });
    };
    window.setTimeout(poll, 3000);
  }
})();
