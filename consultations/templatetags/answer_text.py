"""How staff pages show what young people wrote.

``{% load answer_text %}{{ answer.text|neutralise_bidi }}``: the words with their bidi controls
(U+202E and its kind) removed, so an answer cannot reorder itself or the page around it. Use it
wherever answer text, as written or redacted, reaches a page. (Redacted text made since issue #12
has none; answers redacted before it, and answers as written, may.)
"""

from django import template

from consultations.analysis import normalise

register = template.Library()


@register.filter(is_safe=True)
def neutralise_bidi(value):
    """The text without bidi controls; anything that is not text comes back as it is."""
    if isinstance(value, str):
        return normalise.neutralise_bidi(value)
    return value
