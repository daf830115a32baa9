/*
 * The page editor's reading-age figures (consultations.models.questions.ReadingAgeFieldPanel),
 * redrawn as the facilitator types. The figure comes from the server (one formula, in
 * consultations/readability.py), asked a moment after the typing stops. Without this script
 * the figures still show, as they were when the page was opened or saved.
 *
 * Each figure names its field's input (data-reading-age-source). A rich text field's input is
 * hidden; its words are read from the editor beside it. Questions added after the page loads
 * get their figures from Wagtail's template, so the listener is on the document.
 */
(() => {
  const WAIT_MS = 400;
  const timers = new WeakMap();

  function figureFor(target) {
    let input = target;
    const editable = target.closest && target.closest('[contenteditable="true"]');
    if (editable) {
      const wrapper = editable.closest("[data-field-input]") || editable.parentElement;
      input = wrapper && wrapper.querySelector("input[type=hidden][id]");
    }
    if (!input || !input.id) return null;
    const figure = document.querySelector(
      `[data-reading-age-source="${CSS.escape(input.id)}"]`,
    );
    return figure ? { figure, input, editable } : null;
  }

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  async function redraw({ figure, input, editable }) {
    const body = new FormData();
    body.append("text", editable ? editable.innerText : input.value);
    try {
      const response = await fetch(figure.dataset.readingAgeUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const answer = await response.json();
      figure.textContent = answer.label;
    } catch {
      // Offline for a moment: the figure stays as it was.
    }
  }

  document.addEventListener("input", (event) => {
    const found = figureFor(event.target);
    if (!found) return;
    clearTimeout(timers.get(found.figure));
    timers.set(
      found.figure,
      setTimeout(() => redraw(found), WAIT_MS),
    );
  });
})();
