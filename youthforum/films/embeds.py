"""A Wagtail embed finder for YouTube and Vimeo that never contacts them from the server.

Wagtail's default oEmbed finder asks YouTube for the player HTML. We build the player ourselves,
from the video's id, using YouTube's privacy-enhanced domain (youtube-nocookie.com) and Vimeo's
"do not track" flag. Nothing is loaded from either site until a visitor presses play (see the
film page template). Other providers are not accepted: add a finder to WAGTAILEMBEDS_FINDERS.
"""

import re
from html import escape
from urllib.parse import parse_qs, urlparse

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{6,12}$")


def parse_video_url(url: str) -> tuple[str, str] | None:
    """Return ``("youtube" | "vimeo", video_id)`` for a YouTube or Vimeo address, else None."""
    try:
        parts = urlparse(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be" and segments:
            candidate = segments[0]
        elif segments[:1] == ["watch"]:
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live"}:
            candidate = segments[1]
        else:
            return None
        return ("youtube", candidate) if YOUTUBE_ID.match(candidate) else None
    if host in VIMEO_HOSTS:
        candidate = segments[-1] if segments else ""
        return ("vimeo", candidate) if VIMEO_ID.match(candidate) else None
    return None


class PrivacyEnhancedVideoFinder(EmbedFinder):
    def accept(self, url):
        return parse_video_url(url) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        parsed = parse_video_url(url)
        if parsed is None:
            raise EmbedNotFoundException
        provider, video_id = parsed
        if provider == "youtube":
            src = f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0&autoplay=1"
            provider_name = "YouTube"
        else:
            src = f"https://player.vimeo.com/video/{video_id}?dnt=1&autoplay=1"
            provider_name = "Vimeo"
        html = (
            f'<iframe src="{escape(src)}" title="{escape(provider_name)} video player" '
            'width="640" height="360" loading="lazy" '
            'referrerpolicy="strict-origin-when-cross-origin" '
            'allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>'
        )
        return {
            "title": "",
            "author_name": "",
            "provider_name": provider_name,
            "type": "video",
            "thumbnail_url": None,
            "width": 640,
            "height": 360,
            "html": html,
        }


embed_finder_class = PrivacyEnhancedVideoFinder
