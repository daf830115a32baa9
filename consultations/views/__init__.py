"""The consultation page's own views, which its routes hand the request to (Wagtail's routable
page idiom, ``consultations.models.pages``): answering in ``answering``, the thank-you page and
its optional steps in ``thank_you``, what both share in ``common``."""

from .answering import (
    EASY_READ_SESSION_KEY,
    answer_again,
    check_answers,
    results_word_cloud,
    start,
    step,
    words_switch,
)
from .common import REFERENCE_MAX_AGE, REFERENCE_SALT
from .thank_you import thank_you, thank_you_contact, thank_you_taking_part

__all__ = [
    "EASY_READ_SESSION_KEY",
    "REFERENCE_MAX_AGE",
    "REFERENCE_SALT",
    "answer_again",
    "check_answers",
    "results_word_cloud",
    "start",
    "step",
    "thank_you",
    "thank_you_contact",
    "thank_you_taking_part",
    "words_switch",
]
