"""Consultation models, one module per concept.

- ``pages``: ConsultationIndexPage and ConsultationPage (what facilitators build in Wagtail)
- ``questions``: Question, the stable identity answers hang from
- ``responses``: Response (one per submission) and Answer (one per question answered)
- ``imports``: ImportBatch, a file of paper or workshop answers that can be undone
- ``settings``: AboutYouOptions, the editable option lists of "about you" questions
"""

from .imports import ImportBatch
from .pages import ConsultationIndexPage, ConsultationPage, ConsultationStatus, Layout
from .questions import AboutYou, Question, QuestionKind
from .responses import Answer, Response, Source
from .settings import AboutYouOptions

__all__ = [
    "AboutYou",
    "AboutYouOptions",
    "Answer",
    "ConsultationIndexPage",
    "ConsultationPage",
    "ConsultationStatus",
    "ImportBatch",
    "Layout",
    "Question",
    "QuestionKind",
    "Response",
    "Source",
]
