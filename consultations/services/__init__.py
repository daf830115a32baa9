"""Write paths for consultations. ``submit_response`` is the one door every answer goes through;
``submit_responses`` is the same door for many at once (the demo, large imports)."""

from .responses import (
    OTHER,
    BatchInvalid,
    ConsultationClosed,
    NewResponse,
    RawAnswer,
    SubmissionInvalid,
    SubmissionRejected,
    SubmitResult,
    submit_response,
    submit_responses,
    validate_answers,
)

__all__ = [
    "OTHER",
    "BatchInvalid",
    "ConsultationClosed",
    "NewResponse",
    "RawAnswer",
    "SubmissionInvalid",
    "SubmissionRejected",
    "SubmitResult",
    "submit_response",
    "submit_responses",
    "validate_answers",
]
