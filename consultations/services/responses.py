"""Submitting answers: validation, idempotency and an all-or-nothing save.

``submit_response`` is the only code that creates ``Response`` and ``Answer`` rows. The web form,
the paper/workshop import and any future API call it, so that everything that must happen to an
answer (safeguarding screening and redaction) happens in one place.

Answers arrive as ``{question_id: RawAnswer}``, whatever their source; ``validate_answers`` turns
them into clean values or a dict of plain-English errors keyed by question id.
"""

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import (
    AboutYou,
    AboutYouOptions,
    Answer,
    ConsultationPage,
    Question,
    QuestionKind,
    Response,
    Source,
)
from consultations.models.questions import MAX_CHARACTER_LIMIT
from consultations.safeguarding.screening import check_text, concerns_create, redaction_lists

from .terms import count_saved_answers

OTHER = "__other__"
"""The value meaning "Other – tell us" in a choice question; the words go in ``RawAnswer.other``."""

# Control characters other than tab, newline and carriage return never belong in an answer, and
# PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NON_FIELD = "__all__"


@dataclass(frozen=True)
class RawAnswer:
    """What someone gave for one question, before validation.

    ``values``: the text written (one item), the option(s) chosen, or the options in rank order.
    ``other``: the words written in "Other – tell us".
    """

    values: tuple[str, ...] = ()
    other: str = ""

    @classmethod
    def of(cls, *values: str, other: str = "") -> "RawAnswer":
        return cls(values=tuple(values), other=other)


@dataclass
class CleanAnswer:
    question: Question
    text: str = ""
    choices: list[str] = field(default_factory=list)
    rating: int | None = None


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    created: bool


class SubmissionRejected(Exception):
    """The submission as a whole cannot be taken (wrong consultation, bad token...): a 400."""


class ConsultationClosed(SubmissionRejected):
    """The consultation is not taking answers: not published, not yet open, or closed."""


class SubmissionInvalid(Exception):
    """Some answers are not acceptable.

    ``errors`` maps question ids (or ``"__all__"``) to lists of messages.
    """

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _clean_text(value: str) -> str:
    value = CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.strip()


def _too_long(limit: int, length: int) -> str:
    return ngettext(
        "Your answer must be %(limit)s character or fewer. It is %(length)s characters now.",
        "Your answer must be %(limit)s characters or fewer. It is %(length)s characters now.",
        limit,
    ) % {"limit": f"{limit:,}", "length": f"{length:,}"}


def _validate_one(question: Question, raw: RawAnswer, options: list[str]) -> CleanAnswer | None:
    """A clean answer, None when unanswered and optional; raises ValueError(message) if invalid."""
    values = [_clean_text(v) for v in raw.values if isinstance(v, str)]
    # A ranking's values are its places in order; the form sends a blank for a place left empty,
    # so a blank before a chosen place is a gap ("number 2" without "number 1").
    gap = "" in values[: max((i for i, v in enumerate(values) if v), default=0)]
    values = [v for v in values if v]
    other = _clean_text(raw.other or "")
    limit = min(question.character_limit or MAX_CHARACTER_LIMIT, MAX_CHARACTER_LIMIT)
    kind = question.kind

    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        text = "\n".join(values)
        if not text:
            if question.required:
                raise ValueError(_("Write your answer to this question."))
            return None
        if len(text) > limit:
            raise ValueError(_too_long(limit, len(text)))
        return CleanAnswer(question, text=text)

    if kind == QuestionKind.RATING:
        if not values:
            if question.required:
                raise ValueError(_("Choose a number from 1 to 5."))
            return None
        if len(values) > 1 or values[0] not in options:
            raise ValueError(_("Choose a number from 1 to 5."))
        return CleanAnswer(question, rating=int(values[0]))

    if kind == QuestionKind.RANKING:
        if gap:
            raise ValueError(_("Start with number 1 and do not skip any numbers."))
        if not values:
            if question.required:
                raise ValueError(_("Put at least one option in order."))
            return None
        if len(values) > question.max_ranked:
            raise ValueError(
                ngettext(
                    "Choose up to %(n)s option.", "Choose up to %(n)s options.", question.max_ranked
                )
                % {"n": question.max_ranked}
            )
        if len(set(values)) != len(values):
            raise ValueError(
                _("You chose the same option more than once. Choose each option only once.")
            )
        if any(v not in options for v in values):
            raise ValueError(_("Choose from the options given."))
        return CleanAnswer(question, choices=values)

    # Choice questions: single, multiple and "about you".
    allow_other = question.allow_other and kind != QuestionKind.ABOUT_YOU
    chosen_other = OTHER in values
    values = [v for v in values if v != OTHER]
    if other and not allow_other:
        raise ValueError(_("Choose from the options given."))
    if other and len(other) > limit:
        raise ValueError(_too_long(limit, len(other)))
    if chosen_other and not other:
        if kind == QuestionKind.MULTIPLE_CHOICE:
            raise ValueError(_("Tell us your other answer, or untick “Other”."))
        # A radio button cannot be unticked, only swapped for another.
        raise ValueError(_("Tell us your other answer, or choose one of the other answers."))
    if other and not chosen_other:
        if kind == QuestionKind.MULTIPLE_CHOICE or not values:
            chosen_other = True  # they wrote in the box: keep their words
        else:
            raise ValueError(
                _("You chose an option and wrote an “Other” answer. Choose one or the other.")
            )
    if any(v not in options for v in values):
        raise ValueError(_("Choose from the options given."))
    if len(set(values)) != len(values):
        raise ValueError(_("Choose each option only once."))
    if not values and not chosen_other:
        if question.required:
            if kind == QuestionKind.MULTIPLE_CHOICE:
                raise ValueError(_("Choose at least one answer."))
            raise ValueError(_("Choose an answer."))
        return None
    if kind != QuestionKind.MULTIPLE_CHOICE and len(values) + int(chosen_other) > 1:
        raise ValueError(_("Choose only one answer."))
    return CleanAnswer(question, choices=values, text=other if chosen_other else "")


def validate_answers(
    *,
    questions: list[Question],
    answers: Mapping[int, RawAnswer],
    require_complete: bool = True,
    about_you: AboutYouOptions | None = None,
) -> list[CleanAnswer]:
    """Check every answer against its question; return clean answers or raise SubmissionInvalid.

    With ``require_complete=False`` only the questions given are checked (one step of a
    step-by-step consultation). Question ids that are not in ``questions`` raise
    SubmissionRejected: the form does not belong to this consultation.
    """
    by_id = {q.pk: q for q in questions}
    unknown = [qid for qid in answers if qid not in by_id]
    if unknown:
        raise SubmissionRejected(_("These answers do not belong to this consultation."))
    about_you = about_you or (
        AboutYouOptions.cached()
        if any(q.kind == QuestionKind.ABOUT_YOU for q in questions)
        else None
    )
    errors: dict = {}
    clean: list[CleanAnswer] = []
    to_check = questions if require_complete else [by_id[qid] for qid in answers]
    for question in to_check:
        raw = answers.get(question.pk, RawAnswer())
        if not isinstance(raw, RawAnswer):
            raise SubmissionRejected(_("An answer was not in a form we understand."))
        try:
            answer = _validate_one(question, raw, question.choice_options(about_you))
        except ValueError as error:
            errors[question.pk] = [str(error)]
            continue
        if answer is not None:
            clean.append(answer)
    if not errors and require_complete and not clean:
        errors[NON_FIELD] = [_("Answer at least one question before you send your answers.")]
    if errors:
        raise SubmissionInvalid(errors)
    return clean


def _about_you(clean: list[CleanAnswer], about: str) -> str:
    for answer in clean:
        if answer.question.kind == QuestionKind.ABOUT_YOU and answer.question.about == about:
            # Options are limited to 100 characters in settings; cut defensively all the same.
            return answer.choices[0][:100] if answer.choices else ""
    return ""


def _about_you_options(consultation: ConsultationPage, questions: list[Question]):
    """The options "about you" answers must be among: the site's, with the consultation's own
    age bands if it has some; None when no question asks about you."""
    if any(q.kind == QuestionKind.ABOUT_YOU for q in questions):
        return consultation.about_you_options()
    return None


def submit_response(
    *,
    consultation: ConsultationPage,
    answers: Mapping[int, RawAnswer],
    token: uuid.UUID,
    source: str = Source.ONLINE,
    user=None,
    import_batch=None,
    submitted_at: datetime | None = None,
    is_demo: bool = False,
    questions: list[Question] | None = None,
) -> SubmitResult:
    """Save one person's answers to a consultation, exactly once.

    - ``token`` is the one-time token the form was given: the same token always returns the same
      response (``created=False``), so double clicks, retries and resubmits store nothing twice.
    - Online answers are refused (ConsultationClosed) unless the consultation is open; paper,
      workshop and imported answers, given while it was open, may arrive later.
    - Invalid answers raise SubmissionInvalid with every problem; nothing is saved. "About you"
      answers must be among the consultation's own options (``about_you_options``).
    - The response and all its answers are saved in one transaction, or none of them.
    - Every written answer is screened for safeguarding disclosures and redacted on the way in
      (``services.safeguarding``): a flagged answer is held back from every output, a
      ``SafeguardingConcern`` is saved with it, and the Safeguarding leads are emailed as soon as
      the transaction commits.
    """
    if not isinstance(token, uuid.UUID):
        raise SubmissionRejected(_("This form is missing its token."))
    existing = _by_token(token)
    if existing is not None:
        if existing.page_id != consultation.pk:
            raise SubmissionRejected(_("This form does not belong to this consultation."))
        return SubmitResult(existing, created=False)
    if source == Source.ONLINE and not consultation.is_open():
        raise ConsultationClosed(_("This consultation is not taking answers."))
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None

    questions = questions if questions is not None else list(consultation.ordered_questions())
    about_you = _about_you_options(consultation, questions)
    clean = validate_answers(questions=questions, answers=answers, about_you=about_you)

    for _attempt in range(3):
        try:
            return SubmitResult(
                _save(
                    consultation, token, source, user, import_batch, submitted_at, is_demo, clean
                ),
                created=True,
            )
        except IntegrityError:
            # Two requests with the same token raced and the other one won: return what it saved.
            # Otherwise the random reference code collided (about 1 in 10^11): try a new one.
            existing = _by_token(token)
            if existing is not None:
                return SubmitResult(existing, created=False)
    raise SubmissionRejected(_("We could not save your answers. Please try again."))


def _by_token(token: uuid.UUID) -> Response | None:
    try:
        return Response.objects.get(token=token)  # unique: no ORDER BY, one index lookup
    except Response.DoesNotExist:
        return None


@dataclass(frozen=True)
class NewResponse:
    """One person's answers for :func:`submit_responses`: what :func:`submit_response` takes."""

    answers: Mapping[int, RawAnswer]
    token: uuid.UUID
    source: str = Source.ONLINE
    submitted_at: datetime | None = None
    user: Any = None
    import_batch: Any = None
    is_demo: bool = False


class BatchInvalid(SubmissionInvalid):
    """One of the responses given to :func:`submit_responses` is invalid (``index``): nothing
    was saved."""

    def __init__(self, index: int, errors: dict):
        super().__init__(errors)
        self.index = index


@transaction.atomic
def _save(
    consultation, token, source, user, import_batch, submitted_at, is_demo, clean
) -> Response:
    item = NewResponse(
        answers={},
        token=token,
        source=source,
        user=user,
        import_batch=import_batch,
        submitted_at=submitted_at,
        is_demo=is_demo,
    )
    [response] = _save_batch(consultation, [(item, clean)])
    return response


def _save_batch(consultation, batch: list[tuple[NewResponse, list[CleanAnswer]]]) -> list[Response]:
    """Save responses and their answers, screened, redacted and counted: the rules every answer
    meets, whether it came alone (:func:`submit_response`) or with many (:func:`submit_responses`).
    Call it in a transaction; the caller has validated the answers."""
    now = timezone.now()
    responses = [
        Response(
            page=consultation,
            token=item.token,
            source=item.source,
            user=item.user,
            import_batch=item.import_batch,
            submitted_at=item.submitted_at or now,
            age_band=_about_you(clean, AboutYou.AGE_BAND),
            area=_about_you(clean, AboutYou.AREA),
            is_demo=item.is_demo,
        )
        for item, clean in batch
    ]
    Response.objects.bulk_create(responses)  # their ids come back (PostgreSQL, SQLite 3.35+)
    answers, checks, by_response = [], {}, []
    lists = None
    for response, (_item, clean) in zip(responses, batch, strict=True):
        own = []
        for a in clean:
            answer = Answer(
                response=response,
                question=a.question,
                text=a.text,
                choices=a.choices,
                rating=a.rating,
            )
            if a.text:
                # Every word anyone writes is screened for disclosures and redacted, here and
                # only here.
                lists = lists or redaction_lists()
                check = check_text(a.text, lists=lists)
                answer.redacted_text = check.redacted_text
                answer.held = check.flagged
                answer.terms_counted = bool(answer.redacted_text)  # counted below, in this save
                checks[id(answer)] = check
            own.append(answer)
        answers.extend(own)
        by_response.append((response, own))
    Answer.objects.bulk_create(answers, batch_size=1000)
    for response, own in by_response:
        flagged = [a for a in own if id(a) in checks and checks[id(a)].flagged]
        if flagged:
            concerns_create(response=response, answers=flagged, checks=checks)
    count_saved_answers(answers, consultation_id=consultation.pk)  # word cloud counts
    return responses


#: Responses saved per transaction by :func:`submit_responses`.
BATCH_SIZE = 500


def submit_responses(
    *,
    consultation: ConsultationPage,
    items: Sequence[NewResponse],
    questions: list[Question] | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[SubmitResult]:
    """Save many people's answers to one consultation by the rules of :func:`submit_response`,
    in fewer statements: for bulk paths (the demo, large imports), not for the web form.

    The same rules, item by item: a token already saved returns its response (``created=False``;
    one of another consultation is refused), online answers need the consultation open, every
    answer is validated, screened, redacted and counted, a flagged answer is held and raises its
    concern. What differs: every item is checked before anything is saved (the first invalid one
    raises :class:`BatchInvalid` or ``SubmissionRejected`` and nothing is saved), and the
    responses are saved ``batch_size`` to a transaction. Results come back in the items' order.
    """
    questions = questions if questions is not None else list(consultation.ordered_questions())
    about_you = _about_you_options(consultation, questions)
    for item in items:
        if not isinstance(item.token, uuid.UUID):
            raise SubmissionRejected(_("This form is missing its token."))
    tokens = [item.token for item in items]
    existing: dict[uuid.UUID, Response] = {}
    for start in range(0, len(tokens), 1000):
        for response in Response.objects.filter(token__in=tokens[start : start + 1000]):
            existing[response.token] = response
    if any(response.page_id != consultation.pk for response in existing.values()):
        raise SubmissionRejected(_("This form does not belong to this consultation."))
    is_open = None
    todo: list[tuple[NewResponse, list[CleanAnswer]]] = []
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(items):
        if item.token in existing or item.token in seen:
            continue
        if item.source == Source.ONLINE:
            is_open = consultation.is_open() if is_open is None else is_open
            if not is_open:
                raise ConsultationClosed(_("This consultation is not taking answers."))
        try:
            clean = validate_answers(questions=questions, answers=item.answers, about_you=about_you)
        except SubmissionInvalid as invalid:
            raise BatchInvalid(index, invalid.errors) from invalid
        user = item.user if getattr(item.user, "is_authenticated", False) else None
        todo.append((replace(item, user=user), clean))
        seen.add(item.token)
    saved: dict[uuid.UUID, Response] = {}
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        with transaction.atomic():
            for response in _save_batch(consultation, batch):
                saved[response.token] = response
    return [
        SubmitResult(existing[item.token], created=False)
        if item.token in existing
        else SubmitResult(saved[item.token], created=True)
        for item in items
    ]
