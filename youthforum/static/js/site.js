/* Progressive enhancement only: everything works without this file. */
(function () {
    "use strict";
    document.documentElement.classList.replace("no-js", "js");

    // "Play video": swap the poster for the player in place, without a page load.
    // Nothing is requested from the video site until this click.
    document.addEventListener("click", function (event) {
        var link = event.target.closest("[data-play-video]");
        if (!link) { return; }
        var container = link.closest("[data-player]");
        var template = container && container.querySelector("template[data-player-template]");
        if (!template || !template.content.querySelector("iframe")) { return; }
        event.preventDefault();
        var player = template.content.cloneNode(true);
        container.replaceWith(player);
        var frame = document.querySelector(".player__frame iframe");
        if (frame) { frame.focus(); }
    });
}());
