"""Turning a posted answer form into RawAnswers, and back into fields to show again.

There is no Django ``Form`` here on purpose: validation belongs to ``submit_response`` (so the web
form, imports and any API share it). This module only maps field names to questions:
``q-<id>`` for the answer, ``q-<id>-other`` for "Other – tell us", ``q-<id>-rank-<n>`` for the
n-th place in a ranking.
"""

import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core import signing
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from consultations.models import AboutYouOptions, Question, QuestionKind
from consultations.services import OTHER, RawAnswer, SubmissionRejected

# Question ids and rank places are small numbers; longer digit strings are not ours (and Python
# refuses to turn more than 4,300 digits into a number).
FIELD = re.compile(r"q-([0-9]{1,18})(?:-(other|rank-([0-9]{1,3})))?", re.ASCII)
TOKEN_SALT = "consultations.answer-token"  # noqa: S105 - a signing salt, public by design
TOKEN_MAX_AGE = 60 * 60 * 24 * 2  # two days to answer, then the form asks again
HONEYPOT = "website"


def new_token() -> str:
    """A signed one-time token for an answer form. The UUID inside becomes Response.token."""
    return signing.dumps(str(uuid.uuid4()), salt=TOKEN_SALT)


def read_token(signed: str) -> uuid.UUID:
    """The token's UUID; raises signing.SignatureExpired or signing.BadSignature."""
    if not signed or len(signed) > 200:
        raise signing.BadSignature("missing")
    try:
        return uuid.UUID(signing.loads(signed, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE))
    except (ValueError, TypeError) as error:
        raise signing.BadSignature("not a token") from error


def answers_from_post(questions: list[Question], data) -> dict[int, RawAnswer]:
    """Read the answers for ``questions`` from a QueryDict. Unknown question ids are refused."""
    by_id = {q.pk: q for q in questions}
    values: dict[int, list[str]] = {}
    others: dict[int, str] = {}
    ranks: dict[int, dict[int, str]] = {}
    for key in data:
        match = FIELD.fullmatch(key)
        if not match:
            if key.startswith("q-"):
                raise SubmissionRejected(_("The form was sent in a way we do not understand."))
            continue
        qid = int(match.group(1))
        if qid not in by_id:
            raise SubmissionRejected(_("These answers do not belong to this consultation."))
        posted = data.getlist(key)
        if match.group(2) == "other":
            if len(posted) > 1:
                raise SubmissionRejected(_("The form was sent in a way we do not understand."))
            others[qid] = posted[0]
        elif match.group(3):
            if len(posted) > 1:
                raise SubmissionRejected(_("The form was sent in a way we do not understand."))
            ranks.setdefault(qid, {})[int(match.group(3))] = posted[0]
        else:
            question = by_id[qid]
            if (
                question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
                and len(posted) > 1
            ):
                raise SubmissionRejected(_("The form was sent in a way we do not understand."))
            values[qid] = posted
    answers = {}
    for qid in set(values) | set(others) | set(ranks):
        if qid in ranks:
            answers[qid] = RawAnswer(values=_ranked(ranks[qid]), other=others.get(qid, ""))
        else:
            answers[qid] = RawAnswer(values=tuple(values.get(qid, ())), other=others.get(qid, ""))
    return answers


def _ranked(places: dict[int, str]) -> tuple[str, ...]:
    """The options in rank order, with a blank for each place left empty before the last one.

    The blanks stay so that validation can refuse "number 2 without number 1" (a gap) rather than
    quietly moving number 2 up; empty places after the last one chosen are dropped.
    """
    if 0 in places:
        raise SubmissionRejected(_("The form was sent in a way we do not understand."))
    chosen = [n for n, value in places.items() if value.strip()]
    return tuple(places.get(n, "") for n in range(1, max(chosen, default=0) + 1))


def answers_to_session(answers: dict[int, RawAnswer]) -> dict:
    return {str(qid): {"values": list(a.values), "other": a.other} for qid, a in answers.items()}


def answers_from_session(data: dict) -> dict[int, RawAnswer]:
    return {
        int(qid): RawAnswer(values=tuple(a["values"]), other=a["other"]) for qid, a in data.items()
    }


@dataclass
class QuestionField:
    """A question ready to render: its options, what was given, and any error."""

    question: Question
    number: int
    options: list[str]
    values: list[str] = field(default_factory=list)
    other: str = ""
    error: str = ""
    #: Show the question in its easy read words (``Question.easy_read_text``) where it has them.
    easy_read: bool = False

    @property
    def text(self) -> str:
        """The question as this person reads it: in easy read words if chosen and written."""
        easy = self.question.easy_read_text.strip() if self.easy_read else ""
        return easy or self.question.text

    @property
    def hint_lines(self) -> list[str]:
        """The hint, a line at a time: the easy read hint if chosen and written, else the hint."""
        if self.easy_read and self.question.easy_read_hint.strip():
            return self.question.easy_read_hint_lines()
        return [self.question.help_text] if self.question.help_text else []

    @property
    def picture(self):
        """The question's easy read picture (a Wagtail image) if easy read is chosen, else None.

        It is drawn before the question's words, with ``Question.easy_read_image_alt`` as its
        text for people who cannot see it (``Question.clean`` makes sure there is some).
        """
        if self.easy_read and self.question.easy_read_image_id:
            return self.question.easy_read_image
        return None

    @property
    def name(self) -> str:
        return self.question.field_name

    @property
    def id(self) -> str:
        return self.question.field_name

    @property
    def first_input_id(self) -> str:
        """Where the error summary link should move focus to."""
        if self.question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            return self.name
        if self.question.kind == QuestionKind.RANKING:
            return f"{self.name}-rank-1"
        return f"{self.name}-0"

    @property
    def text_value(self) -> str:
        return self.values[0] if self.values else ""

    def label(self, option: str) -> str:
        """An option as the form shows it: a rating's number with its words ("3 – Not sure")."""
        if self.question.kind != QuestionKind.RATING:
            return option
        words = self.question.rating_labels().get(int(option)) if option.isdigit() else None
        return f"{option} – {words}" if words else option

    @property
    def shows_faces(self) -> bool:
        """Whether each number of this rating is drawn with a face (``rating_face.html``).

        The faces are the mood scale, from very unhappy at 1 to very happy at 5, so they stay
        even where the question has its own words for 1 and 5. They sit beside the words, which
        always show: the faces are for reading at a glance, not instead of the words.
        """
        return self.question.kind == QuestionKind.RATING and self.question.face_labels

    @property
    def choices(self) -> list[dict]:
        faces = self.shows_faces
        return [
            {
                "value": option,
                "label": self.label(option),
                "id": f"{self.name}-{index}",
                "checked": option in self.values,
                "face": int(option) if faces and option.isdigit() else None,
            }
            for index, option in enumerate(self.options)
        ]

    @property
    def summary_error(self) -> str:
        """The error as the error summary at the top of the page gives it: naming the question.

        "How safe do you feel on the bus? – choose a number from 1 to 5". Beside the question
        itself the error stays as it is ("Choose a number from 1 to 5.").
        """
        if not self.error:
            return ""
        problem = self.error.rstrip(".")
        problem = problem[:1].lower() + problem[1:]
        return _("%(question)s – %(problem)s") % {
            "question": self.text,
            "problem": problem,
        }

    @property
    def other_checked(self) -> bool:
        return OTHER in self.values or bool(self.other)

    @property
    def rank_places(self) -> list[dict]:
        return [
            {
                "place": n,
                "id": f"{self.name}-rank-{n}",
                "selected": self.values[n - 1] if n <= len(self.values) else "",
            }
            for n in range(1, self.question.max_ranked + 1)
        ]

    @property
    def display(self) -> str:
        """The answer as the person will read it back on "check your answers"."""
        chosen = [self.label(v) for v in self.values if v != OTHER]
        if self.question.kind == QuestionKind.RANKING:
            return "; ".join(f"{n}. {v}" for n, v in enumerate(chosen, start=1) if v)
        if self.other:
            chosen.append(_("Other: %(text)s") % {"text": self.other})
        return "; ".join(chosen)


def question_fields(
    questions: list[Question],
    answers: dict[int, RawAnswer] | None = None,
    errors: dict | None = None,
    *,
    about_you: AboutYouOptions | None = None,
    easy_read: bool = False,
) -> list[QuestionField]:
    """The questions ready to render, with what was given and any errors.

    ``about_you``: the consultation's "about you" options
    (``ConsultationPage.about_you_options``); without it, the site's. ``easy_read``: in easy
    read words where a question has them (``QuestionField.text``).
    """
    answers, errors = answers or {}, errors or {}
    if about_you is None and any(q.kind == QuestionKind.ABOUT_YOU for q in questions):
        about_you = AboutYouOptions.cached()
    fields = []
    for number, question in enumerate(questions, start=1):
        raw = answers.get(question.pk, RawAnswer())
        fields.append(
            QuestionField(
                question=question,
                number=number,
                options=question.choice_options(about_you),
                values=list(raw.values),
                other=raw.other,
                error=(errors.get(question.pk) or [""])[0],
                easy_read=easy_read,
            )
        )
    return fields


#: Blank question forms already drawn, by what they were drawn from (see ``blank_form_html``).
_BLANK_FORMS: OrderedDict[str, str] = OrderedDict()
_BLANK_FORMS_KEPT = 64
_BLANK_FORMS_LOCK = threading.Lock()  # for threaded servers; drawing happens outside it


def blank_form_html(fields: list[QuestionField]) -> str:
    """The questions of an empty answer form as HTML, drawn once per process and reused.

    Everyone who opens a consultation gets the same blank questions, and drawing them is most
    of the page's work (each question is a template, each option a few more nodes). The key is
    everything the drawing reads — every stored value of each question, its options (which may
    come from the site's about-you settings), easy read or not, the files of the pictures shown
    (:func:`_picture_files`) and the language — so an edited question, option, setting or
    picture is a new key and never an old form. Only blank forms are kept:
    a form shown again with answers or errors is drawn each time. Per process, so nothing is
    shared through the cache or held longer than the process lives; the oldest of
    ``_BLANK_FORMS_KEPT`` go first.
    """
    if any(f.values or f.other or f.error for f in fields):
        raise ValueError("only blank forms are kept")
    pictures = _picture_files(fields)
    concrete = Question._meta.concrete_fields
    drawn_from = repr(
        (
            get_language(),
            pictures,
            [
                (
                    f.number,
                    f.easy_read,
                    tuple(f.options),
                    [getattr(f.question, c.attname) for c in concrete],
                )
                for f in fields
            ],
        )
    )
    key = hashlib.sha256(drawn_from.encode()).hexdigest()
    with _BLANK_FORMS_LOCK:
        html = _BLANK_FORMS.get(key)
        if html is not None:
            _BLANK_FORMS.move_to_end(key)
    if html is None:
        html = "".join(
            render_to_string("consultations/includes/question_field.html", {"field": f})
            for f in fields
        )
        with _BLANK_FORMS_LOCK:
            _BLANK_FORMS[key] = html
            while len(_BLANK_FORMS) > _BLANK_FORMS_KEPT:
                _BLANK_FORMS.popitem(last=False)
    return mark_safe(html)  # noqa: S308 -- drawn by the template above, which escapes


def _picture_files(fields: list[QuestionField]) -> list[tuple]:
    """The image files behind the easy read pictures the form shows, for ``blank_form_html``.

    A picture is drawn as a rendition whose address comes from its image's file, and an image
    can be given a new file in the admin while its id (one of the question's stored values)
    stays the same. Wagtail then deletes the old renditions, so a form kept from before would
    show a broken picture; with the file's name and hash in the key it is drawn again. The
    images are read in one query and handed to their questions, so drawing reads them no more
    (an image deleted since the questions were read shows no picture).
    """
    shown = [f.question for f in fields if f.easy_read and f.question.easy_read_image_id]
    if not shown:
        return []
    images = get_image_model().objects.in_bulk({q.easy_read_image_id for q in shown})
    for question in shown:
        question.easy_read_image = images.get(question.easy_read_image_id)
    return sorted((pk, image.file.name, image.file_hash) for pk, image in images.items())
