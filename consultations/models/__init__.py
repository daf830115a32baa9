"""Consultation models, one module per concept.

- ``pages``: ConsultationIndexPage and ConsultationPage (what facilitators build in Wagtail)
- ``questions``: Question, the stable identity answers hang from
- ``responses``: Response (one per submission) and Answer (one per question answered)
- ``imports``: ImportBatch, a file of paper or workshop answers that can be undone, and
  ImportJob, a file uploaded for import and not yet imported (kept a day at most)
- ``settings``: AboutYouOptions, the editable option lists of "about you" questions
- ``analysis``: stored term counts (AnswerTerm, TermTotal, TermSlice) and per-consultation
  AnalysisOptions
- ``feedback``: TakingPartFeedback, what young people thought of being asked, kept apart from
  their answers

The other capabilities keep their models in their own apps: ``consultations.safeguarding``
(concerns and notes), ``consultations.themes`` (codebooks, themes, coding runs, codes),
``consultations.reports`` (report exports) and ``consultations.commitments`` ("You said, we did").
"""

from .analysis import (
    PAIR_SEPARATOR,
    SLICE_PAIRS,
    AnalysisOptions,
    AnswerTerm,
    SliceDimension,
    TermSlice,
    TermTotal,
    pair_value,
)
from .feedback import (
    TAKING_PART_QUESTIONS,
    TakingPartAnswer,
    TakingPartFeedback,
    TakingPartQuestion,
)
from .imports import ImportBatch, ImportJob, ImportJobStatus
from .pages import ConsultationIndexPage, ConsultationPage, ConsultationStatus, Layout
from .questions import AboutYou, Question, QuestionKind
from .responses import Answer, Response, Source
from .settings import AboutYouOptions, RedactionSettings

__all__ = [
    "PAIR_SEPARATOR",
    "SLICE_PAIRS",
    "SliceDimension",
    "TermSlice",
    "TermTotal",
    "pair_value",
    "AnswerTerm",
    "AnalysisOptions",
    "AboutYou",
    "AboutYouOptions",
    "Answer",
    "ConsultationIndexPage",
    "ConsultationPage",
    "ConsultationStatus",
    "ImportBatch",
    "ImportJob",
    "ImportJobStatus",
    "Layout",
    "Question",
    "RedactionSettings",
    "QuestionKind",
    "Response",
    "Source",
    "TAKING_PART_QUESTIONS",
    "TakingPartAnswer",
    "TakingPartFeedback",
    "TakingPartQuestion",
]
