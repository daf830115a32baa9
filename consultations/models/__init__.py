"""Consultation models, one module per concept.

- ``pages``: ConsultationIndexPage and ConsultationPage (what facilitators build in Wagtail)
- ``questions``: Question, the stable identity answers hang from
- ``responses``: Response (one per submission) and Answer (one per question answered)
- ``safeguarding``: SafeguardingConcern and its notes
- ``imports``: ImportBatch, a file of paper or workshop answers that can be undone, and
  ImportJob, a file uploaded for import and not yet imported (kept a day at most)
- ``settings``: AboutYouOptions, the editable option lists of "about you" questions
- ``analysis``: stored term counts (AnswerTerm, TermTotal) and per-consultation AnalysisOptions
- ``commitments``: "You said, we did" (Commitment, ProgressUpdate, CommitmentFeedback)
- ``coding``: codebooks and themes, machine codes (per CodingRun) and human codings
- ``exports``: ReportExport, a report PDF or XLSX built in the background
"""

from .analysis import AnalysisOptions, AnswerTerm, TermTotal
from .coding import Codebook, CodingRun, HumanCoding, MachineCode, RunStatus, Theme
from .commitments import (
    Commitment,
    CommitmentFeedback,
    CommitmentStatus,
    FeedbackAnswer,
    Partner,
    ProgressUpdate,
)
from .exports import ExportKind, ExportStatus, ReportExport
from .imports import ImportBatch, ImportJob, ImportJobStatus
from .pages import ConsultationIndexPage, ConsultationPage, ConsultationStatus, Layout
from .questions import AboutYou, Question, QuestionKind
from .responses import Answer, Response, Source
from .safeguarding import ConcernNote, ConcernStatus, SafeguardingConcern, Severity
from .settings import AboutYouOptions, RedactionSettings

__all__ = [
    "ExportKind",
    "ExportStatus",
    "ReportExport",
    "ProgressUpdate",
    "Partner",
    "FeedbackAnswer",
    "CommitmentStatus",
    "CommitmentFeedback",
    "Commitment",
    "Theme",
    "RunStatus",
    "MachineCode",
    "HumanCoding",
    "CodingRun",
    "Codebook",
    "TermTotal",
    "AnswerTerm",
    "AnalysisOptions",
    "AboutYou",
    "AboutYouOptions",
    "Answer",
    "ConcernNote",
    "ConcernStatus",
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
    "SafeguardingConcern",
    "Severity",
    "Source",
]
