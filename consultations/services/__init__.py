"""Write paths for consultations. ``submit_response`` is the one door every answer goes through."""

from .responses import (
    OTHER,
    ConsultationClosed,
    RawAnswer,
    SubmissionInvalid,
    SubmissionRejected,
    SubmitResult,
    submit_response,
    validate_answers,
)

__all__ = [
    "OTHER",
    "ConsultationClosed",
    "RawAnswer",
    "SubmissionInvalid",
    "SubmissionRejected",
    "SubmitResult",
    "submit_response",
    "validate_answers",
]
